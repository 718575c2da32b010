import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { Snapshot } from '../../core/types.js';
import type { FrozenTarget } from '../../actions/kill-target.js';
import { KILL_SIGNALS, type KillSignal } from '../../actions/signals.js';
import { useKeys } from '../hooks/use-keys.js';
import { resolveKey, type Intent } from '../keymap.js';
import type { KeyPress } from '../keys.js';
import { SYSTEM_KILLER, type Killer } from '../killer.js';
import { KillDetails } from './kill-details.js';

/** Props of the kill confirmation dialog. The dialog owns its keys (the key table's `kill` mode) while mounted. */
export interface KillDialogProps {
  /** Process selected in the table. */
  readonly pid: number;
  /** Port of the selected row, when the row is a port. */
  readonly port: number | null;
  /** Snapshot the selection came from (to find the process, its service and other holders). */
  readonly snapshot: Snapshot;
  readonly width: number;
  /** Called when the dialog closes; `message` is the outcome in words, null when cancelled. */
  onClose(message: string | null): void;
  /** Seconds between the chosen signal and KILL (default 5, as on the command line). */
  readonly timeoutSeconds?: number;
  /** What freezes and signals processes (default: this machine's). */
  readonly killer?: Killer;
  /** The remote `--host` target the process runs on (said in the dialog), absent for this machine. */
  readonly host?: string;
}

/** Intents that pick a signal directly. */
const SIGNAL_INTENTS: Partial<Record<Intent, KillSignal>> = { 'signal-term': 'TERM', 'signal-int': 'INT', 'signal-hup': 'HUP', 'signal-kill': 'KILL' };

/** What the user has chosen so far, and where the dialog is. */
interface Choice {
  readonly signal: KillSignal;
  readonly tree: boolean;
  readonly phase: Phase;
}

type Phase =
  | { readonly kind: 'ask' }
  | { readonly kind: 'running'; readonly what: string }
  /** The kill worked but another process still holds the port: offer it. */
  | { readonly kind: 'offer'; readonly done: string; readonly holder: FrozenTarget };

/**
 * Asks before killing the selected process. The target is frozen when the dialog opens (pid, start
 * time, uid, socket); `y` kills, t/i/h/k or Tab choose the signal, g the process group, anything else
 * cancels (the key table's `kill` mode).
 */
export function KillDialog(props: KillDialogProps) {
  const killer = props.killer ?? SYSTEM_KILLER;
  const [guard] = useState(() => killer.guard());
  const [target] = useState(() => killer.freeze(props.pid, props.port, props.snapshot));
  // The choices live in a ref too: keys of one chunk ("gy") arrive before React draws again, and
  // each must see what the previous one chose.
  const [choice, setChoice] = useState<Choice>({ signal: 'TERM', tree: false, phase: { kind: 'ask' } });
  const latest = useRef(choice);
  const update = (next: Partial<Choice>): void => {
    latest.current = { ...latest.current, ...next };
    setChoice(latest.current);
  };
  const { signal, tree, phase } = choice;
  const setPhase = (p: Phase): void => update({ phase: p });
  const canTree = target !== null && target.leader !== null && target.pgid !== target.pid && killer.refusal(target, guard, true) === null;
  const refusal = target ? killer.refusal(target, guard, tree, 'tui') : null;

  const run = async (t: FrozenTarget, group: boolean): Promise<void> => {
    setPhase({ kind: 'running', what: group ? `process group ${t.pgid}` : `pid ${t.pid}` });
    const out = await killer.kill(t, { signal: latest.current.signal, timeoutMs: (props.timeoutSeconds ?? 5) * 1000, tree: group, guard });
    const next = out.kind === 'killed' ? out.remainingHolders[0] : undefined;
    if (next !== undefined) {
      // No inode: a SO_REUSEPORT sibling has its own socket; freezeTarget finds its sockets on the port.
      const holder = killer.freezeHolder(next, { port: t.port, service: t.service, dockerService: t.dockerService });
      if (holder && killer.refusal(holder, guard, false) === null) {
        setPhase({ kind: 'offer', done: out.message, holder });
        return;
      }
    }
    props.onClose(out.message);
  };

  const onKey = (key: KeyPress): void => {
    if (key.name === 'ctrl-c') return; // the App quits
    const now = latest.current;
    if (now.phase.kind === 'running') return;
    const intent = resolveKey(key.name, 'kill', false);
    if (now.phase.kind === 'offer') {
      if (intent === 'kill-confirm') void run(now.phase.holder, false);
      else props.onClose(now.phase.done);
      return;
    }
    if (!target) return props.onClose(`pid ${props.pid} is gone — nothing to kill`);
    const refused = killer.refusal(target, guard, now.tree, 'tui');
    if (refused && intent === 'compose-stop' && target.dockerService !== null && (target.dockerProxy || target.dockerDaemon)) {
      // The dialog was the question; S is the answer. Compose runs without a shell, in vhtop's directory.
      setPhase({ kind: 'running', what: `docker compose stop ${target.dockerService}` });
      void killer.composeStop(target.dockerService, process.cwd()).then((r) => props.onClose(r.message));
      return;
    }
    if (refused) return props.onClose(`not killed: ${refused}`);
    const chosen = intent ? SIGNAL_INTENTS[intent] : undefined;
    if (chosen) return update({ signal: chosen });
    if (intent === 'signal-next') return update({ signal: KILL_SIGNALS[(KILL_SIGNALS.indexOf(now.signal) + 1) % KILL_SIGNALS.length] as KillSignal });
    if (intent === 'kill-group' && canTree) return update({ tree: !now.tree });
    if (intent === 'kill-confirm') return void run(target, now.tree);
    props.onClose(null);
  };
  useKeys(onKey, true);

  const width = Math.min(props.width, 100);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <KillDetails target={target} {...(props.host !== undefined ? { host: props.host } : {})} pid={props.pid} port={props.port} signal={signal} tree={tree} canTree={canTree} refusal={refusal} width={width - 4} asking={phase.kind === 'ask'} />
      {phase.kind === 'running' && <Text>{phase.what.startsWith('docker compose') ? `${phase.what}…` : `killing ${phase.what} with SIG${signal}…`}</Text>}
      {phase.kind === 'ask' && refusal !== null && target !== null && target.dockerService !== null && (target.dockerProxy || target.dockerDaemon) && (
        <Text bold>S runs docker compose stop {target.dockerService} instead; any other key closes</Text>
      )}
      {phase.kind === 'offer' && (
        <>
          <Text>{phase.done}</Text>
          <Text bold>
            pid {phase.holder.pid} ({phase.holder.name}) still holds the port: y kills it too, any other key closes
          </Text>
        </>
      )}
    </Box>
  );
}
