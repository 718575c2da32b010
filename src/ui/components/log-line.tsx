import { Text } from 'ink';
import { truncateCells } from '../../presentation/cells.js';

/** Props of {@link LogLine}. */
export interface LogLineProps {
  /** An already cleaned log line. */
  readonly text: string;
  /** Search text to highlight (case-insensitive), or ''. */
  readonly query: string;
  /** The line the last search landed on. */
  readonly current: boolean;
  readonly width: number;
}

/** One log line cut to the pane width, with the search matches shown inverse. */
export function LogLine({ text, query, current, width }: LogLineProps) {
  const shown = truncateCells(text, width);
  if (query === '') return <Text wrap="truncate">{shown === '' ? ' ' : shown}</Text>;
  const parts: { text: string; hit: boolean }[] = [];
  const lower = shown.toLowerCase();
  const q = query.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(q); i >= 0 && q !== ''; i = lower.indexOf(q, at)) {
    if (i > at) parts.push({ text: shown.slice(at, i), hit: false });
    parts.push({ text: shown.slice(i, i + q.length), hit: true });
    at = i + q.length;
  }
  if (at < shown.length) parts.push({ text: shown.slice(at), hit: false });
  return (
    <Text wrap="truncate" bold={current}>
      {parts.length === 0 ? ' ' : parts.map((p, i) => (p.hit ? <Text key={i} inverse>{p.text}</Text> : p.text))}
    </Text>
  );
}
