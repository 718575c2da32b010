import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { reduce, initialState, type TableContext, type UiAction, type UiState } from './state.js';
import { resolveKey, type Mode } from './keymap.js';
import { useKeys } from './hooks/use-keys.js';
import type { KeyPress } from './keys.js';
import type { LiveData, LiveStore } from './live.js';
import { SORTS, effectiveSort, viewColumns } from './columns.js';
import { layoutColumns, minimumWidth } from './layout.js';
import { TableModels } from './table-model.js';
import { ageLabel, deriveScreen } from './screen-model.js';
import { useAgeClock, useScreenUpdates } from './hooks/use-screen-updates.js';
import { Header } from './components/Header.js';
import { Tabs } from './components/Tabs.js';
import { Table } from './components/Table.js';
import { EventsStrip } from './components/EventsStrip.js';
import { Footer } from './components/Footer.js';
import { HelpScreen } from './components/HelpScreen.js';
import { EventLog } from './components/EventLog.js';
import { KillDialog } from './components/KillDialog.js';
import { LogPane } from './components/LogPane.js';
import type { Killer } from './killer.js';
import { LOCAL_TARGET } from '../core/hosts.js';
import { cleanText } from '../core/sanitize.js';

/** Smallest pane the TUI draws into; below it says "terminal too small". */
export const MIN_WIDTH = 40;
/** Smallest pane height. */
export const MIN_HEIGHT = 8;

/** Below this size the TUI starts with problems only (a small tmux pane has room for little else). */
export const PROBLEMS_WIDTH = 80;
/** See {@link PROBLEMS_WIDTH}. */
export const PROBLEMS_HEIGHT = 20;

/** Is a pane of this size "small": problems only unless the user chose otherwise? */
export function isSmallPane(width: number, height: number): boolean {
  return width < PROBLEMS_WIDTH || height < PROBLEMS_HEIGHT;
}

/** Props of {@link App}. Size comes from outside so tests (and resize handling) control it. */
export interface AppProps {
  readonly store: LiveStore;
  readonly width: number;
  readonly height: number;
  readonly readOnly: boolean;
  readonly color: boolean;
  readonly profile: string | null;
  readonly registryFile: string;
  /** Said in the header when the catalogue is not a registry file ("catalogue: compose.yaml, imported"). */
  readonly catalogueNote?: string | null;
  readonly composeFile: string | null;
  readonly cwd: string;
  readonly onRefresh: () => void;
  readonly onPause: (paused: boolean) => void;
  readonly onQuit: () => void;
  /** Ctrl-Z: hand the terminal back to the shell (run.tsx stops the process). */
  readonly onSuspend?: () => void;
  /** `--problems`: true/false when given, else the pane size decides. */
  readonly problems?: boolean;
  /** What the kill dialog acts through (tests hand in a recorder). */
  readonly killer?: Killer;
  /**
   * The killer for rows of a remote `--host` target (a remote row's pid is a pid on that host and
   * must never be signalled here). Without it, kill is refused on remote rows.
   */
  readonly remoteKiller?: (host: string) => Killer;
  /** Clock, for "time since the last refresh". */
  readonly now?: () => number;
  /** Poll period in ms: the header says "just now" while refreshes keep coming at this pace. */
  readonly intervalMs?: number;
}

/** Whether a row's host is another machine (`local` and single-host rows are this machine). */
function isRemote(host: string | undefined): host is string {
  return host !== undefined && host !== LOCAL_TARGET;
}

/** Poll period assumed when the caller does not say (the CLI's default `--interval`). */
export const DEFAULT_INTERVAL_MS = 2000;

/**
 * The TUI: consumes immutable snapshots from `store`, turns keys into intents for the reducer.
 *
 * Cheap when idle: a new snapshot re-renders only when it changes what is drawn (see
 * useScreenUpdates), the age in the header moves only when its text does, and the view model is
 * memoised per snapshot in {@link TableModels}, drawing cells for the visible rows only.
 */
export function App(props: AppProps) {
  const { store, width, height, readOnly, color } = props;
  const now = props.now ?? Date.now;
  const intervalMs = props.intervalMs ?? DEFAULT_INTERVAL_MS;
  // The state lives in a ref that every key updates at once (keys of one chunk, "/:8080\r", arrive
  // before React renders again, and each must see the state the previous one made); React state
  // only holds the same value to render it. The reducer runs once per key.
  const [state, setState] = useState(() => initialState({ problems: props.problems, small: isSmallPane(width, height) }));
  const stateRef = useRef(state);
  const models = useRef<TableModels | null>(null);
  models.current ??= new TableModels();
  // The log pane's own mode (browsing or typing a search), for the footer.
  const [paneMode, setPaneMode] = useState<Mode>('logs');

  // Always the newest data, also when the last snapshot was skipped as "nothing visible changed":
  // scrolling must not reveal rows of an older snapshot. Ink renders synchronously (legacy root),
  // so reading the store during render cannot tear.
  const data = store.get();
  // The column layout depends on what the table holds (empty columns go, addresses are never cut).
  const layoutOf = (s: UiState, use: Parameters<typeof layoutColumns>[2]) => layoutColumns(viewColumns(s.view, store.get().snapshot?.hosts !== undefined), width, use);
  const derive = (d: LiveData, s: UiState) => {
    const first = deriveScreen({ data: d, state: s, height, now: now(), intervalMs, models: models.current as TableModels, detail: false });
    // The detail line (the selected row's id and what the columns could not show) takes one line.
    const detail = s.view === 'services' && !layoutOf(s, first.table.use).some((p) => p.column.header === 'ID');
    return detail ? deriveScreen({ data: d, state: s, height, now: now(), intervalMs, models: models.current as TableModels, detail }) : first;
  };
  const screen = derive(data, state);
  useScreenUpdates(store, screen.fingerprint, (d) => derive(d, stateRef.current).fingerprint);
  useAgeClock(screen.age, () => ageLabel(store.get().refreshedAt, now(), intervalMs));

  const snapshot = data.snapshot;
  const { table: model, index, top, page, bodyHeight, notice, eventLines } = screen;
  const use = model.use;
  const hostColumn = snapshot?.hosts !== undefined;
  const columns = viewColumns(state.view, hostColumn);
  const placed = useMemo(() => layoutColumns(viewColumns(state.view, hostColumn), width, use), [state.view, width, use, hostColumn]);
  const selectedRow = index >= 0 ? (model.rowAt(index) ?? null) : null;
  const table: TableContext = {
    // Built only when a key needs it (and then once per table): not on every frame.
    get ids() {
      return model.ids();
    },
    position: (id) => model.indexOf(id),
    page,
    selected: selectedRow ? { pid: selectedRow.pid, port: selectedRow.port, service: selectedRow.service, ...(selectedRow.host !== undefined ? { host: selectedRow.host } : {}) } : null,
    events: data.events.length,
  };
  const tableRef = useRef(table);
  tableRef.current = table;
  const send = (action: UiAction) => {
    const next = reduce(stateRef.current, action);
    if (next === stateRef.current) return;
    stateRef.current = next;
    setState(next);
  };
  // A resize into (or out of) a small pane switches problems-only, unless the user chose.
  const small = isSmallPane(width, height);
  useLayoutEffect(() => send({ type: 'resize', small }), [small]);

  const onKey = (key: KeyPress) => {
    const s = stateRef.current;
    if (s.overlay) return; // the dialog / pane owns the keys
    const intent = resolveKey(key.name, s.mode, readOnly);
    if (intent === null) {
      if (s.mode === 'filter' && key.text) send({ type: 'type', text: key.text });
      return;
    }
    if (intent === 'quit') return props.onQuit();
    if (intent === 'suspend') return props.onSuspend?.();
    if (intent === 'refresh') props.onRefresh();
    if (intent === 'pause') props.onPause(!s.paused);
    const host = tableRef.current.selected?.host;
    if (intent === 'kill' && isRemote(host) && !props.remoteKiller) return send({ type: 'overlay-closed', message: `kill is not available for rows of ${cleanText(host)} here` });
    // The log pane reads this machine's sources: a remote row's pid and compose service are not here.
    if (intent === 'logs' && isRemote(host)) return send({ type: 'overlay-closed', message: `logs of ${cleanText(host)} rows: run vhtop logs --host ${cleanText(host)} SERVICE` });
    send({ type: 'intent', intent, table: tableRef.current });
  };
  useKeys(onKey, state.overlay === null);
  // The kill dialog and the log pane own the keys while open; quitting and suspending stay the App's.
  const overlayMode: Mode = state.overlay?.kind === 'kill' ? 'kill' : paneMode;
  useKeys((key) => {
    const intent = resolveKey(key.name, overlayMode, readOnly);
    if (intent === 'quit') props.onQuit();
    if (intent === 'suspend') props.onSuspend?.();
  }, state.overlay !== null);

  if (width < MIN_WIDTH || height < MIN_HEIGHT || width < minimumWidth(columns)) {
    return (
      <Text wrap="truncate">
        terminal too small ({width}x{height}, need {MIN_WIDTH}x{MIN_HEIGHT}); q quits
      </Text>
    );
  }

  const visible = screen.visible;
  const sorts = SORTS[state.view];
  const sortName = sorts[effectiveSort(state.view, state.sort[state.view], state.problems)]?.name ?? '';
  const closeOverlay = (message: string | null) => {
    setPaneMode('logs');
    send({ type: 'overlay-closed', message });
  };
  const overlay = state.overlay;

  let body;
  let tableBody = null;
  if (overlay?.kind === 'kill' && snapshot) {
    // A remote row's dialog freezes and kills through that host's killer, never this machine's.
    const remoteHost = isRemote(overlay.host) ? overlay.host : undefined;
    const killer = remoteHost !== undefined ? props.remoteKiller?.(remoteHost) : props.killer;
    body =
      remoteHost !== undefined && killer === undefined ? null : (
        <KillDialog pid={overlay.pid} port={overlay.port} snapshot={snapshot} width={width} onClose={closeOverlay} killer={killer} {...(remoteHost !== undefined ? { host: remoteHost } : {})} />
      );
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
        onMode={setPaneMode}
      />
    );
  } else if (state.mode === 'help') {
    body = <HelpScreen readOnly={readOnly} width={width} height={bodyHeight} />;
  } else if (state.mode === 'events') {
    body = <EventLog events={data.events} top={state.eventsTop} height={bodyHeight} color={color} />;
  } else {
    const empty = !snapshot ? 'reading sockets…' : state.filter ? `nothing matches ${state.filter}` : state.problems ? 'nothing needs attention (! shows all rows)' : 'nothing to show';
    const table = <Table columns={placed} rows={visible} selected={index - top} color={color} height={page} empty={empty} />;
    body = tableBody = screen.detail ? (
      <>
        {table}
        <Text wrap="truncate" dimColor={color}>
          {selectedRow?.detail ?? ''}
        </Text>
      </>
    ) : (
      table
    );
  }
  const footerMode: Mode = overlay ? overlayMode : state.mode;

  return (
    <Box flexDirection="column" width={width} height={height - 1}>
      <Header counts={screen.counts} host={snapshot?.host ?? null} profile={props.profile} catalogue={props.catalogueNote ?? null} paused={state.paused} problems={state.problems} age={screen.age} width={width} color={color} />
      <Tabs view={state.view} sortName={sortName} filter={state.filter} shown={model.length} total={model.total} width={width} />
      {notice ? (
        <Text wrap="truncate" color={color ? 'yellow' : undefined}>
          {`note: ${notice}`}
        </Text>
      ) : null}
      {/* Only dialogs, panes and help can outgrow the body; clipping makes Ink slice every line,
          so the table (exactly one page tall) is not clipped. */}
      <Box height={bodyHeight} flexDirection="column" overflow={body === tableBody ? 'visible' : 'hidden'}>
        {body}
      </Box>
      <EventsStrip events={data.events} message={state.message} lines={eventLines} color={color} />
      <Footer mode={footerMode} readOnly={readOnly} width={width} draft={state.draft} />
    </Box>
  );
}

