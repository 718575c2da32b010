import { useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text } from 'ink';
import { reduce, initialState, selectedIndex, windowTop, type TableContext, type UiAction } from './state.js';
import { resolveKey } from './keymap.js';
import { useKeys } from './hooks/use-keys.js';
import type { KeyPress } from './keys.js';
import type { LiveStore } from './live.js';
import { buildRows, COLUMNS, filterRows, SORTS, sortRows } from './view-model.js';
import { layoutColumns, minimumWidth } from './layout.js';
import { cpuPercentages } from './cpu.js';
import { cleanText } from '../core/sanitize.js';
import { Header } from './components/Header.js';
import { Tabs } from './components/Tabs.js';
import { Table } from './components/Table.js';
import { EventsStrip } from './components/EventsStrip.js';
import { Footer } from './components/Footer.js';
import { HelpScreen } from './components/HelpScreen.js';
import { KillDialog } from './components/KillDialog.js';
import { LogPane } from './components/LogPane.js';

/** Smallest pane the TUI draws into; below it says "terminal too small". */
export const MIN_WIDTH = 40;
/** Smallest pane height. */
export const MIN_HEIGHT = 8;

/** Props of {@link App}. Size comes from outside so tests (and resize handling) control it. */
export interface AppProps {
  readonly store: LiveStore;
  readonly width: number;
  readonly height: number;
  readonly readOnly: boolean;
  readonly color: boolean;
  readonly profile: string | null;
  readonly registryFile: string;
  readonly composeFile: string | null;
  readonly cwd: string;
  readonly onRefresh: () => void;
  readonly onPause: (paused: boolean) => void;
  readonly onQuit: () => void;
  /** Clock, for "time since the last refresh". */
  readonly now?: () => number;
}

/** The TUI: consumes immutable snapshots from `store`, turns keys into intents for the reducer. */
export function App(props: AppProps) {
  const { store, width, height, readOnly, color } = props;
  const now = props.now ?? Date.now;
  const data = useSyncExternalStore(store.subscribe, store.get);
  const [state, dispatch] = useReducer(reduce, undefined, initialState);
  const [clock, setClock] = useState(now());

  // Re-render once a second so "Ns ago" moves; Ink writes to the terminal only when the frame text changed.
  useEffect(() => {
    const t = setInterval(() => setClock(now()), 1000);
    return () => clearInterval(t);
  }, [now]);

  const snapshot = data.snapshot;
  const cpu = useMemo(() => (snapshot ? cpuPercentages(data.previous, snapshot) : new Map<number, number>()), [data.previous, snapshot]);
  const rows = useMemo(() => (snapshot ? buildRows(state.view, snapshot, { health: data.health, cpu }) : []), [state.view, snapshot, data.health, cpu]);
  const filtered = useMemo(() => filterRows(rows, state.filter), [rows, state.filter]);
  const sorted = useMemo(() => sortRows(filtered, state.view, state.sort[state.view]), [filtered, state.view, state.sort]);
  const ids = useMemo(() => sorted.map((r) => r.id), [sorted]);

  // Fixed lines: header, tabs, notice, table header, events, footer. One line stays free so that
  // Ink never takes its clear-the-whole-screen path (that is what flickers over SSH).
  const notices = snapshot?.notices ?? [];
  const more = notices.length > 1 ? ` (+${notices.length - 1} more)` : '';
  const notice = data.error ? `probe failed: ${data.error}` : notices[0] !== undefined ? `${cleanText(notices[0])}${more}` : null;
  // The help takes the events strip's lines too: in a small pane it needs them.
  const eventLines = state.mode === 'help' ? 0 : height >= 20 ? 3 : height >= 12 ? 1 : 0;
  const bodyHeight = Math.max(1, height - 1 - 2 - (notice ? 1 : 0) - eventLines - 1);
  const page = Math.max(1, bodyHeight - 1);

  const nav = state.nav[state.view];
  const index = selectedIndex(nav, ids);
  const top = index < 0 ? 0 : windowTop(nav.top, index, page, ids.length);
  const selectedRow = index >= 0 ? (sorted[index] ?? null) : null;
  const table: TableContext = {
    ids,
    page,
    selected: selectedRow ? { pid: selectedRow.pid, port: selectedRow.port, service: selectedRow.service } : null,
  };
  const tableRef = useRef(table);
  tableRef.current = table;
  const stateRef = useRef(state);
  stateRef.current = state;
  // Keys of one chunk ("/:8080\r") arrive before React renders again: run the pure reducer here too,
  // so each key sees the state the previous one produced.
  const send = (action: UiAction) => {
    stateRef.current = reduce(stateRef.current, action);
    dispatch(action);
  };

  const onKey = (key: KeyPress) => {
    const s = stateRef.current;
    if (s.overlay) return; // the dialog / pane owns the keys
    const intent = resolveKey(key.name, s.mode, readOnly);
    if (intent === null) {
      if (s.mode === 'filter' && key.text) send({ type: 'type', text: key.text });
      return;
    }
    if (intent === 'quit') return props.onQuit();
    if (intent === 'refresh') props.onRefresh();
    if (intent === 'pause') props.onPause(!s.paused);
    send({ type: 'intent', intent, table: tableRef.current });
  };
  useKeys(onKey, state.overlay === null);
  // Kill dialog and log pane own the keys while open, but Ctrl-C must still quit.
  useKeys((key) => {
    if (key.name === 'ctrl-c') props.onQuit();
  }, state.overlay !== null);

  if (width < MIN_WIDTH || height < MIN_HEIGHT || width < minimumWidth(COLUMNS[state.view])) {
    return (
      <Text wrap="truncate">
        terminal too small ({width}x{height}, need {MIN_WIDTH}x{MIN_HEIGHT}); q quits
      </Text>
    );
  }

  const placed = layoutColumns(COLUMNS[state.view], width);
  const visible = sorted.slice(top, top + page);
  const sorts = SORTS[state.view];
  const sortName = sorts[state.sort[state.view] % sorts.length]?.name ?? '';
  const closeOverlay = (message: string | null) => send({ type: 'overlay-closed', message });
  const overlay = state.overlay;

  let body;
  if (overlay?.kind === 'kill' && snapshot) {
    body = <KillDialog pid={overlay.pid} port={overlay.port} snapshot={snapshot} width={width} onClose={closeOverlay} />;
  } else if (overlay?.kind === 'logs') {
    const service = snapshot?.services.find((s) => s.id === overlay.service) ?? null;
    body = (
      <LogPane
        service={service}
        pid={overlay.pid}
        registryFile={props.registryFile}
        composeFile={props.composeFile}
        cwd={props.cwd}
        width={width}
        height={bodyHeight}
        onClose={() => closeOverlay(null)}
      />
    );
  } else if (state.mode === 'help') {
    body = <HelpScreen readOnly={readOnly} width={width} height={bodyHeight} />;
  } else {
    const empty = snapshot ? (state.filter ? `nothing matches ${state.filter}` : 'nothing to show') : 'reading sockets…';
    body = <Table columns={placed} rows={visible} selected={index - top} color={color} height={page} empty={empty} />;
  }

  return (
    <Box flexDirection="column" width={width} height={height - 1}>
      <Header snapshot={snapshot} profile={props.profile} paused={state.paused} age={data.refreshedAt === null ? null : clock - data.refreshedAt} width={width} color={color} />
      <Tabs view={state.view} sortName={sortName} filter={state.filter} shown={sorted.length} total={rows.length} />
      {notice ? (
        <Text wrap="truncate" color={color ? 'yellow' : undefined}>
          {`note: ${notice}`}
        </Text>
      ) : null}
      <Box height={bodyHeight} flexDirection="column" overflow="hidden">
        {body}
      </Box>
      <EventsStrip events={data.events} message={state.message} lines={eventLines} color={color} />
      <Footer mode={state.mode} readOnly={readOnly} width={width} draft={state.draft} />
    </Box>
  );
}
