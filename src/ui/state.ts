import { typedText } from '../core/sanitize.js';
import type { Intent, Mode } from './keymap.js';
import { VIEWS, type ViewName } from './columns.js';

/** Where the cursor is in one view: the row identity, and the index/scroll it had (fallback when the row goes). */
export interface Nav {
  readonly id: string | null;
  readonly index: number;
  readonly top: number;
}

/** A window that owns the keys while open (its keys are modes of the key table). */
export type Overlay =
  /** `host`: the row's `--host` target when several hosts are shown (a remote row's pid is a pid there). */
  | { readonly kind: 'kill'; readonly pid: number; readonly port: number | null; readonly host?: string }
  | { readonly kind: 'logs'; readonly service: string | null; readonly pid: number | null };

/** Everything the UI remembers besides the data. Immutable; changed only by {@link reduce}. */
export interface UiState {
  readonly view: ViewName;
  readonly mode: Mode;
  /** Applied filter: while typing, the text typed so far (it applies as it is typed). */
  readonly filter: string;
  /** Text being typed in filter mode, as typed (the filter is its trimmed form). */
  readonly draft: string;
  /** Only what needs attention (`!`, `--problems`, the default in a small pane). */
  readonly problems: boolean;
  /** The user chose `problems` (key or flag): a resize no longer changes it. */
  readonly problemsChosen: boolean;
  readonly sort: Readonly<Record<ViewName, number>>;
  readonly nav: Readonly<Record<ViewName, Nav>>;
  readonly paused: boolean;
  readonly overlay: Overlay | null;
  /** One-line note for the user (kill outcome, "no process on this row"). */
  readonly message: string | null;
  /** Event log (mode 'events'): how many of the newest events are scrolled past. */
  readonly eventsTop: number;
}

/** What the reducer needs to know about the table as drawn: row identities in order and page height. */
export interface TableContext {
  readonly ids: readonly string[];
  /** Position of a row id in `ids` (a map lookup instead of a scan over thousands of ids), when known. */
  readonly position?: (id: string) => number;
  readonly page: number;
  /** The selected row's pid, port and service (for kill / logs), or null when nothing is selected. */
  readonly selected: { readonly pid: number | null; readonly port: number | null; readonly service: string | null; readonly host?: string } | null;
  /** Events kept this session (the event log scrolls over them). */
  readonly events?: number;
}

/** Inputs of the reducer. */
export type UiAction =
  | { readonly type: 'intent'; readonly intent: Intent; readonly table: TableContext }
  | { readonly type: 'type'; readonly text: string }
  | { readonly type: 'overlay-closed'; readonly message: string | null }
  /** The pane was resized: a small pane shows problems only, unless the user chose otherwise. */
  | { readonly type: 'resize'; readonly small: boolean };

const emptyNav: Nav = { id: null, index: 0, top: 0 };

/** How a session starts: `problems` true/false when chosen by flag, else from the pane size. */
export interface StartOptions {
  readonly problems?: boolean;
  /** The pane is smaller than 80x20: problems only by default. */
  readonly small?: boolean;
}

/** The state a session starts in. */
export function initialState(options: StartOptions = {}): UiState {
  return {
    view: 'services',
    mode: 'table',
    filter: '',
    draft: '',
    problems: options.problems ?? options.small ?? false,
    problemsChosen: options.problems !== undefined,
    sort: { services: 0, listeners: 0, processes: 0 },
    nav: { services: emptyNav, listeners: emptyNav, processes: emptyNav },
    paused: false,
    overlay: null,
    message: null,
    eventsTop: 0,
  };
}

/** Index of the selected row: by identity when it is still there, else the old index clamped. */
export function selectedIndex(nav: Nav, ids: readonly string[], position?: (id: string) => number): number {
  if (ids.length === 0) return -1;
  if (nav.id !== null) {
    // The row usually is where it was: try its old index before any lookup.
    if (ids[nav.index] === nav.id) return nav.index;
    const at = position ? position(nav.id) : ids.indexOf(nav.id);
    if (at !== -1) return at;
  }
  return Math.min(Math.max(nav.index, 0), ids.length - 1);
}

/** First visible row so that `index` is on screen, moving the window as little as possible. */
export function windowTop(top: number, index: number, page: number, total: number): number {
  const height = Math.max(1, page);
  let t = Math.min(Math.max(0, top), Math.max(0, total - height));
  if (index < t) t = index;
  if (index >= t + height) t = index - height + 1;
  return Math.max(0, t);
}

function moveTo(state: UiState, table: TableContext, target: (current: number) => number): UiState {
  const { ids, page } = table;
  if (ids.length === 0) return state;
  const nav = state.nav[state.view];
  const current = selectedIndex(nav, ids, table.position);
  const index = Math.min(Math.max(target(current), 0), ids.length - 1);
  const top = windowTop(nav.top, index, page, ids.length);
  return { ...state, nav: { ...state.nav, [state.view]: { id: ids[index] ?? null, index, top } } };
}

function cycleView(state: UiState, step: number): UiState {
  const at = VIEWS.indexOf(state.view);
  const view = VIEWS[(at + step + VIEWS.length) % VIEWS.length] as ViewName;
  return { ...state, view, message: null };
}

const SCROLL: Partial<Record<Intent, (top: number, page: number, last: number) => number>> = {
  up: (t) => t - 1,
  down: (t) => t + 1,
  'page-up': (t, p) => t - p,
  'page-down': (t, p) => t + p,
  top: () => 0,
  bottom: (_t, _p, last) => last,
};

/** Moving keys in the event log scroll it (newest first); null when `intent` is not a moving key. */
function scrollEvents(state: UiState, intent: Intent, table: TableContext): UiState | null {
  const move = SCROLL[intent];
  if (!move) return null;
  const page = Math.max(1, table.page);
  const last = Math.max(0, (table.events ?? 0) - page);
  return { ...state, eventsTop: Math.min(Math.max(move(state.eventsTop, page, last), 0), last) };
}

/** The filter as typed so far: it applies at once, on every key. */
function typed(state: UiState, draft: string): UiState {
  return { ...state, draft, filter: draft.trim() };
}

/** The pure UI reducer: (state, action) -> state. Side effects (refresh, quit) are the App's job. */
export function reduce(state: UiState, action: UiAction): UiState {
  if (action.type === 'type') {
    return state.mode === 'filter' ? typed(state, state.draft + typedText(action.text)) : state;
  }
  if (action.type === 'overlay-closed') return { ...state, overlay: null, message: action.message };
  if (action.type === 'resize') return state.problemsChosen || state.problems === action.small ? state : { ...state, problems: action.small };
  const { table } = action;
  const page = Math.max(1, table.page);
  if (state.mode === 'events') {
    const scrolled = scrollEvents(state, action.intent, table);
    if (scrolled) return scrolled;
  }
  switch (action.intent) {
    case 'up':
      return moveTo(state, table, (i) => i - 1);
    case 'down':
      return moveTo(state, table, (i) => i + 1);
    case 'page-up':
      return moveTo(state, table, (i) => i - page);
    case 'page-down':
      return moveTo(state, table, (i) => i + page);
    case 'top':
      return moveTo(state, table, () => 0);
    case 'bottom':
      return moveTo(state, table, () => table.ids.length - 1);
    case 'next-view':
      return cycleView(state, 1);
    case 'prev-view':
      return cycleView(state, -1);
    case 'filter':
      return { ...typed(state, ''), mode: 'filter' };
    case 'filter-apply':
    case 'filter-cancel':
      return { ...state, mode: 'table', draft: state.filter };
    case 'clear-filter':
      return { ...typed(state, ''), mode: 'table' };
    case 'filter-backspace':
      return typed(state, [...state.draft].slice(0, -1).join(''));
    case 'filter-erase':
      return typed(state, '');
    case 'problems':
      return { ...state, problems: !state.problems, problemsChosen: true, message: null };
    case 'sort':
      return { ...state, sort: { ...state.sort, [state.view]: state.sort[state.view] + 1 } };
    case 'pause':
      return { ...state, paused: !state.paused };
    case 'help':
      return { ...state, mode: 'help' };
    case 'close-help':
    case 'close-events':
      return { ...state, mode: 'table' };
    case 'events':
      return { ...state, mode: 'events', eventsTop: 0 };
    case 'kill': {
      const sel = table.selected;
      if (!sel || sel.pid === null) return { ...state, message: 'no process to kill on this row' };
      return { ...state, overlay: { kind: 'kill', pid: sel.pid, port: sel.port, ...(sel.host !== undefined ? { host: sel.host } : {}) }, message: null };
    }
    case 'logs': {
      const sel = table.selected;
      if (!sel) return { ...state, message: 'no row selected' };
      return { ...state, overlay: { kind: 'logs', service: sel.service, pid: sel.pid }, message: null };
    }
    default:
      // refresh, quit, suspend: side effects of the App; dialog and pane keys: handled by the overlay.
      return state;
  }
}
