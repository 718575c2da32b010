import { Box, Text } from 'ink';
import type { FrozenTarget } from '../../actions/kill-target.js';
import { describeChain } from '../../actions/process-tree.js';
import { KILL_SIGNALS, type KillSignal } from '../../actions/signals.js';
import { truncateCells } from '../../presentation/cells.js';
import { cleanText } from '../../core/sanitize.js';

/** Marks the chosen signal ("▶KILL"). */
export const SIGNAL_MARK = '▶';

/** Props of {@link KillDetails}. */
export interface KillDetailsProps {
  readonly target: FrozenTarget | null;
  readonly pid: number;
  readonly port: number | null;
  readonly signal: KillSignal;
  readonly tree: boolean;
  readonly canTree: boolean;
  readonly refusal: string | null;
  readonly width: number;
  /** The remote `--host` target of the process, absent for this machine. */
  readonly host?: string;
  /** False once the kill runs or its result is shown: the `y kills` prompt then no longer applies. */
  readonly asking?: boolean;
}

function Row({ label, value, width }: { label: string; value: string; width: number }) {
  return (
    <Text wrap="truncate">
      <Text dimColor>{label.padEnd(9)}</Text>
      {truncateCells(value, Math.max(1, width - 9))}
    </Text>
  );
}

/** What the kill dialog is about to do: pid, user, command, port, parents, signal, group. */
export function KillDetails(p: KillDetailsProps) {
  const t = p.target;
  if (!t) {
    return <Text>pid {p.pid} is gone — nothing to kill (any key closes)</Text>;
  }
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {p.tree ? `Kill process group ${t.pgid} (leader ${t.leader?.name ?? '?'} ${t.leader?.pid ?? ''})?` : `Kill pid ${t.pid} (${t.name})?`}
      </Text>
      {p.host !== undefined && <Row label="host" value={`${cleanText(p.host)} (over ssh)`} width={p.width} />}
      <Row label="user" value={`${t.user} (uid ${t.uid})`} width={p.width} />
      <Row label="command" value={t.command} width={p.width} />
      <Row label="port" value={t.port !== null ? String(t.port) : '-'} width={p.width} />
      <Row label="parents" value={t.chain.length > 0 ? describeChain(t.chain) : '-'} width={p.width} />
      <Text wrap="truncate">
        <Text dimColor>{'signal'.padEnd(9)}</Text>
        {/* The chosen signal has a marker, not only reverse video: it must show under TERM=dumb and in a capture. */}
        {KILL_SIGNALS.map((s) => (
          <Text key={s} inverse={s === p.signal} bold={s === p.signal}>
            {s === p.signal ? `${SIGNAL_MARK}${s} ` : ` ${s} `}
          </Text>
        ))}
        <Text dimColor> t i h k or Tab to choose; KILL follows after the timeout</Text>
      </Text>
      {p.canTree && (
        <Row label="group" value={p.tree ? `on: the whole group ${t.pgid} (g: only pid ${t.pid})` : `off (g: the whole group ${t.pgid}, leader ${t.leader?.name ?? '?'})`} width={p.width} />
      )}
      {p.refusal !== null ? (
        <Text color="red" wrap="wrap">
          {p.refusal} (any key closes)
        </Text>
      ) : (
        p.asking !== false && <Text bold>y kills · any other key cancels</Text>
      )}
    </Box>
  );
}
