import { Box, Text } from 'ink';
import { useState } from 'react';
import type { ServiceView } from '../../core/types.js';
import { truncateCells } from '../../presentation/cells.js';
import { useKeys } from '../hooks/use-keys.js';
import { resolveKey, type Mode } from '../keymap.js';
import type { KeyPress } from '../keys.js';
import { LogLine } from './log-line.js';
import { useLogStream } from './log-stream.js';

/** Props of the log pane. The pane owns its keys (the key table's `logs` and `log-search` modes) while mounted. */
export interface LogPaneProps {
  /** Selected service (its docker name picks the compose service), or null for a bare listener. */
  readonly service: ServiceView | null;
  /** Owner pid of the selected row, used to find a systemd unit when there is no container. */
  readonly pid: number | null;
  /** Path of the loaded registry (a compose file beside it is a candidate). */
  readonly registryFile: string;
  /** `--compose-file`, if given. */
  readonly composeFile: string | null;
  readonly cwd: string;
  readonly width: number;
  readonly height: number;
  onClose(): void;
  /** Tells the App which key mode the pane is in (`logs`, or `log-search` while typing), for the footer. */
  onMode?(mode: Mode): void;
  /** Environment for the child (tests put stand-ins on PATH); default: vhtop's own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** History lines asked for when the pane opens. */
export const LOG_PANE_TAIL = 200;

interface View {
  readonly follow: boolean;
  /** Absolute number of the last visible line when not following. */
  readonly bottom: number;
  /** Text being typed after `/`, or null when not searching. */
  readonly typing: string | null;
  readonly query: string;
  readonly match: number | null;
  readonly note: string | null;
}

/** A pane tailing the logs of the selected service: follow, scroll, `/` search, bounded buffer. */
export function LogPane(props: LogPaneProps) {
  const label = props.service?.id ?? (props.pid !== null ? `pid ${props.pid}` : 'this row');
  const { buffer, state } = useLogStream({
    label,
    docker: props.service?.docker ?? null,
    pid: props.pid,
    tail: LOG_PANE_TAIL,
    follow: true,
    composeFile: props.composeFile,
    cwd: props.cwd,
    registryFile: props.registryFile,
    env: props.env,
  });
  const [view, setView] = useState<View>({ follow: true, bottom: 0, typing: null, query: '', match: null, note: null });
  const body = Math.max(1, props.height - 2);
  const last = Math.max(buffer.first, buffer.end - 1);
  const bottom = view.follow ? last : Math.min(Math.max(view.bottom, buffer.first + body - 1), last);

  const scrollTo = (n: number): View => (n >= last ? { ...view, follow: true, note: null } : { ...view, follow: false, bottom: n, note: null });
  const search = (from: number, dir: 1 | -1, query: string): View => {
    const hit = buffer.find(query, from, dir);
    if (hit === null) return { ...view, typing: null, query, note: `no ${dir < 0 ? 'earlier' : 'later'} line contains ${JSON.stringify(query)}` };
    return { ...view, typing: null, query, match: hit, follow: false, bottom: Math.max(hit, Math.min(bottom, hit + body - 1)), note: null };
  };

  const change = (next: View): void => {
    if ((next.typing === null) !== (view.typing === null)) props.onMode?.(next.typing === null ? 'logs' : 'log-search');
    setView(next);
  };

  const onKey = (key: KeyPress): void => {
    if (view.typing !== null) {
      const intent = resolveKey(key.name, 'log-search', false);
      if (intent === 'log-search-cancel') change({ ...view, typing: null });
      else if (intent === 'log-search-apply') change(search(bottom, -1, view.typing));
      else if (intent === 'log-search-erase') change({ ...view, typing: [...view.typing].slice(0, -1).join('') });
      else if (intent === null && key.text !== '') change({ ...view, typing: view.typing + key.text });
      return;
    }
    switch (resolveKey(key.name, 'logs', false)) {
      case 'log-close':
        props.onClose();
        return;
      case 'up':
        return change(scrollTo(bottom - 1));
      case 'down':
        return change(scrollTo(bottom + 1));
      case 'page-up':
        return change(scrollTo(bottom - body));
      case 'page-down':
        return change(scrollTo(bottom + body));
      case 'top':
        return change(scrollTo(buffer.first + body - 1));
      case 'bottom':
        return change(scrollTo(last));
      case 'log-follow':
        return change(view.follow ? { ...view, follow: false, bottom } : scrollTo(last));
      case 'log-search':
        return change({ ...view, typing: '' });
      case 'log-next':
        return change(search((view.match ?? bottom + 1) - 1, -1, view.query));
      case 'log-prev':
        return change(search((view.match ?? bottom - 1) + 1, 1, view.query));
      default:
        return;
    }
  };
  useKeys(onKey, true);

  const lines = buffer.slice(bottom - body + 1, bottom + 1);
  const first = Math.max(buffer.first, bottom - body + 1);
  const mode = view.follow ? 'follow' : `line ${bottom + 1}/${buffer.end}`;
  // The keys are in the footer (the key table's `logs` mode); this line is for the search and notes.
  const status = view.typing !== null ? `/${view.typing}_` : (view.note ?? state.message ?? (view.query ? `search: ${view.query}` : ''));
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold wrap="truncate">
        {truncateCells(`logs: ${state.title}  [${mode}${state.running ? '' : ', stopped'}]`, props.width)}
      </Text>
      <Box flexDirection="column" height={body}>
        {lines.map((line, i) => (
          <LogLine key={first + i} text={line} query={view.query} current={first + i === view.match} width={props.width} />
        ))}
      </Box>
      <Text dimColor={view.typing === null && view.note === null && state.message === null} wrap="truncate">
        {truncateCells(status, props.width)}
      </Text>
    </Box>
  );
}
