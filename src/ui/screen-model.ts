import { cleanText } from '../core/sanitize.js';
import type { LiveData } from './live.js';
import type { UiState } from './state.js';
import { windowTop } from './state.js';
import { formatAge } from './format.js';
import { countSnapshot, type Counts } from './counts.js';
import type { TableModel, TableModels } from './table-model.js';
import type { Row } from './view-model.js';

/** What {@link deriveScreen} needs besides the data and the UI state. */
export interface ScreenInputs {
  readonly data: LiveData;
  readonly state: UiState;
  readonly height: number;
  /** Clock, epoch ms. */
  readonly now: number;
  /** Poll period: an age below one period (plus slack) is "just now". */
  readonly intervalMs: number;
  readonly models: TableModels;
  /** A detail line under the table (the selected row's id and what the columns left out). */
  readonly detail?: boolean;
}

/** Everything the App draws that depends on data, computed outside the components. */
export interface ScreenModel {
  readonly table: TableModel;
  readonly counts: Counts;
  readonly age: string;
  readonly notice: string | null;
  readonly eventLines: number;
  readonly bodyHeight: number;
  readonly page: number;
  /** Selected position in the table, or -1. */
  readonly index: number;
  readonly top: number;
  readonly visible: readonly Row[];
  /** The detail line is drawn (it takes one line of the table's page). */
  readonly detail: boolean;
  /**
   * The drawn text of every data-dependent part in one string. A new snapshot whose fingerprint
   * equals the one on screen would draw the same frame, so the App skips rendering it.
   */
  readonly fingerprint: string;
}

/** A refresh arriving this much after the period is still "just now" (a probe pass takes time). */
const SLACK_MS = 1000;

/**
 * "just now" while refreshes arrive on time, "12s ago" when they stop (paused, probe stuck). A
 * ticking "1s ago / 0s ago" would repaint the whole screen every second for nothing new.
 */
export function ageLabel(refreshedAt: number | null, now: number, intervalMs: number): string {
  if (refreshedAt === null) return 'loading…';
  const age = now - refreshedAt;
  return age < intervalMs + SLACK_MS ? 'just now' : `${formatAge(age)} ago`;
}

const countsMemo = new WeakMap<object, Counts>();
const NO_SNAPSHOT = {};

/** The view model of one frame. Pure apart from the memo in `models`. */
export function deriveScreen(inputs: ScreenInputs): ScreenModel {
  const { data, state, height } = inputs;
  const snapshot = data.snapshot;
  const table = inputs.models.get({
    view: state.view,
    snapshot,
    previous: data.previous,
    health: data.health,
    filter: state.filter,
    sort: state.sort[state.view],
    problems: state.problems,
  });
  const key = snapshot ?? NO_SNAPSHOT;
  let counts = countsMemo.get(key);
  if (!counts) countsMemo.set(key, (counts = countSnapshot(snapshot)));

  const notices = snapshot?.notices ?? [];
  const more = notices.length > 1 ? ` (+${notices.length - 1} more)` : '';
  const notice = data.error ? `probe failed: ${data.error}` : notices[0] !== undefined ? `${cleanText(notices[0])}${more}` : null;
  // Fixed lines: header, tabs, notice, table header, events, footer. One line stays free so that
  // Ink never takes its clear-the-whole-screen path (that is what flickers over SSH).
  // The help takes the events strip's lines too: in a small pane it needs them. The event log
  // shows the events itself.
  const eventLines = state.mode === 'help' || state.mode === 'events' ? 0 : height >= 20 ? 3 : height >= 12 ? 1 : 0;
  const bodyHeight = Math.max(1, height - 1 - 2 - (notice ? 1 : 0) - eventLines - 1);
  const detail = inputs.detail === true && bodyHeight >= 3;
  const page = Math.max(1, bodyHeight - 1 - (detail ? 1 : 0));

  const nav = state.nav[state.view];
  const index = selectedPosition(table, nav.id, nav.index);
  const top = index < 0 ? 0 : windowTop(nav.top, index, page, table.length);
  const visible = table.slice(top, top + page);
  const age = ageLabel(data.refreshedAt, inputs.now, inputs.intervalMs);

  const parts: string[] = [age, JSON.stringify(counts), snapshot?.host ?? '', notice ?? '', `${table.length}/${table.total}`, `${index}/${top}`];
  for (const row of visible) parts.push(row.id, ...row.cells.map((c) => `${c.tone}:${c.text}`));
  if (detail) parts.push(table.rowAt(index)?.detail ?? '');
  if (eventLines > 0) for (const e of data.events.slice(-eventLines)) parts.push(e.at, e.text);
  // The open event log shows every event: a new one (also one that pushed the oldest out) redraws it.
  const newest = data.events[data.events.length - 1];
  if (state.mode === 'events') parts.push(String(data.events.length), newest?.at ?? '', newest?.text ?? '');
  // An open dialog or pane reads the snapshot itself: let every new one through.
  if (state.overlay) parts.push(snapshot?.takenAt ?? '', String(data.refreshedAt));
  return { table, counts, age, notice, eventLines, bodyHeight, page, index, top, visible, detail, fingerprint: parts.join('\u0000') };
}

/** Index of the selected row: by identity when it is still there (its old index is tried first), else the old index clamped. */
function selectedPosition(table: TableModel, id: string | null, hint: number): number {
  const n = table.length;
  if (n === 0) return -1;
  if (id !== null) {
    if (table.rowAt(hint)?.id === id) return hint;
    const at = table.indexOf(id);
    if (at !== -1) return at;
  }
  return Math.min(Math.max(hint, 0), n - 1);
}
