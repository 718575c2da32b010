import { Box, Text } from 'ink';
import { useState } from 'react';
import type { Snapshot } from '../../core/types.js';
import { executeKill } from '../../actions/kill.js';
import { freezeTarget, refusalReason, type FrozenTarget } from '../../actions/kill-target.js';
import { selfGuard } from '../../actions/process-tree.js';
import { freezeFromSnapshot } from '../../actions/kill-resolve.js';
import { KILL_SIGNALS, type KillSignal } from '../../actions/signals.js';
import { useKeys } from '../hooks/use-keys.js';
import type { KeyPress } from '../keys.js';
import { KillDetails } from './kill-details.js';

/** Props of the kill confirmation dialog. The dialog owns its keys while mounted. */
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
}

/** Keys that pick a signal directly. */
const SIGNAL_KEYS: Readonly<Record<string, KillSignal>> = { t: 'TERM', i: 'INT', h: 'HUP', k: 'KILL' };

type Phase =
  | { readonly kind: 'ask' }
  | { readonly kind: 'running'; readonly what: string }
  /** The kill worked but another process still holds the port: offer it. */
  | { readonly kind: 'offer'; readonly done: string; readonly holder: FrozenTarget };

/**
 * Asks before killing the selected process. The target is frozen when the dialog opens (pid, start
 * time, uid, socket); `y` kills, t/i/h/k or Tab choose the signal, g the process group, anything else
 * cancels.
 */
export function KillDialog(props: KillDialogProps) {
  const [guard] = useState(() => selfGuard());
  const [target] = useState(() => freezeFromSnapshot(props.pid, props.port, props.snapshot));
  const [signal, setSignal] = useState<KillSignal>('TERM');
  const [tree, setTree] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'ask' });
  const canTree = target !== null && target.leader !== null && target.pgid !== target.pid && refusalReason(target, guard, true) === null;
  const refusal = target ? refusalReason(target, guard, tree, 'tui') : null;

  const run = async (t: FrozenTarget, group: boolean): Promise<void> => {
    setPhase({ kind: 'running', what: group ? `process group ${t.pgid}` : `pid ${t.pid}` });
    const out = await executeKill(t, { signal, timeoutMs: (props.timeoutSeconds ?? 5) * 1000, tree: group, guard });
    const next = out.kind === 'killed' ? out.remainingHolders[0] : undefined;
    if (next !== undefined) {
      // No inode: a SO_REUSEPORT sibling has its own socket; freezeTarget finds its sockets on the port.
      const holder = freezeTarget(next, { port: t.port, service: t.service, dockerService: t.dockerService });
      if (holder && refusalReason(holder, guard) === null) {
        setPhase({ kind: 'offer', done: out.message, holder });
        return;
      }
    }
    props.onClose(out.message);
  };

  const onKey = (key: KeyPress): void => {
    if (phase.kind === 'running') return;
    if (phase.kind === 'offer') {
      if (key.name === 'y') void run(phase.holder, false);
      else props.onClose(phase.done);
      return;
    }
    if (!target) return props.onClose(`pid ${props.pid} is gone — nothing to kill`);
    if (refusal) return props.onClose(`not killed: ${refusal}`);
    const chosen = SIGNAL_KEYS[key.name];
    if (chosen) return setSignal(chosen);
    if (key.name === 'tab' || key.name === 's') return setSignal(KILL_SIGNALS[(KILL_SIGNALS.indexOf(signal) + 1) % KILL_SIGNALS.length] as KillSignal);
    if (key.name === 'g' && canTree) return setTree(!tree);
    if (key.name === 'y' && refusal === null) return void run(target, tree);
    props.onClose(null);
  };
  useKeys(onKey, true);

  const width = Math.min(props.width, 100);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <KillDetails target={target} pid={props.pid} port={props.port} signal={signal} tree={tree} canTree={canTree} refusal={refusal} width={width - 4} asking={phase.kind === 'ask'} />
      {phase.kind === 'running' && <Text>killing {phase.what} with SIG{signal}…</Text>}
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
