/**
 * The one declarative key table. The footer, the help screen (`?`) and the README key table are all
 * generated from it, and the reducer only ever sees the intents it names, so they cannot drift apart.
 */

/** Input modes of the TUI. Kill dialog and log pane own their keys while mounted. */
export type Mode = 'table' | 'filter' | 'help' | 'events';

/** What a key asks for. The reducer (state.ts) and the App handle each one. */
export type Intent =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'top'
  | 'bottom'
  | 'next-view'
  | 'prev-view'
  | 'filter'
  | 'clear-filter'
  | 'filter-apply'
  | 'filter-cancel'
  | 'filter-backspace'
  | 'sort'
  | 'kill'
  | 'logs'
  | 'pause'
  | 'refresh'
  | 'help'
  | 'close-help'
  | 'events'
  | 'close-events'
  | 'quit';

/** One binding. `keys` are names from keys.ts; the first few are shown to people. */
export interface Binding {
  readonly keys: readonly string[];
  readonly modes: readonly Mode[];
  readonly intent: Intent;
  /** Short word for the footer. */
  readonly label: string;
  /** Sentence for the help screen and the README. */
  readonly help: string;
  /** Dangerous actions disappear entirely under --read-only. */
  readonly dangerous: boolean;
  /**
   * Footer rank: null = not in the footer; 1 is kept longest when the pane is narrow, higher ranks
   * go first. Hints always show in table order.
   */
  readonly footer: number | null;
}

const ALL: readonly Mode[] = ['table', 'filter', 'help', 'events'];
// Moving keys also scroll the event log.
const MOVE: readonly Mode[] = ['table', 'events'];

/** The key table, in help order. */
export const KEYMAP: readonly Binding[] = [
  { keys: ['up', 'k'], modes: MOVE, intent: 'up', label: 'up', help: 'move up', dangerous: false, footer: null },
  { keys: ['down', 'j'], modes: MOVE, intent: 'down', label: 'down', help: 'move down', dangerous: false, footer: null },
  { keys: ['pageup'], modes: MOVE, intent: 'page-up', label: 'page up', help: 'page up', dangerous: false, footer: null },
  { keys: ['pagedown'], modes: MOVE, intent: 'page-down', label: 'page down', help: 'page down', dangerous: false, footer: null },
  { keys: ['g', 'home'], modes: MOVE, intent: 'top', label: 'top', help: 'first row', dangerous: false, footer: null },
  { keys: ['G', 'end'], modes: MOVE, intent: 'bottom', label: 'bottom', help: 'last row', dangerous: false, footer: null },
  { keys: ['tab'], modes: ['table'], intent: 'next-view', label: 'view', help: 'next view (services, listeners, processes)', dangerous: false, footer: 2 },
  { keys: ['shift-tab'], modes: ['table'], intent: 'prev-view', label: 'prev view', help: 'previous view', dangerous: false, footer: null },
  { keys: ['/'], modes: ['table'], intent: 'filter', label: 'filter', help: 'filter rows by name, port, process or command (:8080 = port)', dangerous: false, footer: 2 },
  { keys: ['escape'], modes: ['table'], intent: 'clear-filter', label: 'clear', help: 'clear the filter', dangerous: false, footer: null },
  { keys: ['enter'], modes: ['filter'], intent: 'filter-apply', label: 'apply', help: 'apply the filter', dangerous: false, footer: 1 },
  { keys: ['escape'], modes: ['filter'], intent: 'filter-cancel', label: 'cancel', help: 'clear the filter and stop typing', dangerous: false, footer: 1 },
  { keys: ['backspace'], modes: ['filter'], intent: 'filter-backspace', label: 'erase', help: 'erase the last character', dangerous: false, footer: null },
  { keys: ['s'], modes: ['table'], intent: 'sort', label: 'sort', help: 'cycle the sort column', dangerous: false, footer: 3 },
  { keys: ['x', 'f9'], modes: ['table'], intent: 'kill', label: 'kill', help: "kill the selected row's process (asks first)", dangerous: true, footer: 3 },
  { keys: ['l'], modes: ['table'], intent: 'logs', label: 'logs', help: "tail the selected service's logs (Esc closes)", dangerous: false, footer: 4 },
  { keys: ['space'], modes: ['table'], intent: 'pause', label: 'pause', help: 'pause / resume refreshing', dangerous: false, footer: 4 },
  { keys: ['r'], modes: ['table'], intent: 'refresh', label: 'refresh', help: 'refresh now', dangerous: false, footer: 4 },
  { keys: ['?'], modes: ['table'], intent: 'help', label: 'help', help: 'show this help', dangerous: false, footer: 1 },
  { keys: ['escape', '?'], modes: ['help'], intent: 'close-help', label: 'close', help: 'close the help', dangerous: false, footer: 1 },
  { keys: ['e'], modes: ['table'], intent: 'events', label: 'events', help: 'every change seen this session (the strip shows the newest)', dangerous: false, footer: 4 },
  { keys: ['escape', 'e'], modes: ['events'], intent: 'close-events', label: 'close', help: 'close the event log', dangerous: false, footer: 1 },
  { keys: ['q'], modes: ['table', 'help', 'events'], intent: 'quit', label: 'quit', help: 'quit, terminal restored', dangerous: false, footer: 1 },
  { keys: ['ctrl-c'], modes: ALL, intent: 'quit', label: 'quit', help: 'quit, terminal restored', dangerous: false, footer: null },
];

/** Bindings in effect: dangerous ones are gone under --read-only. */
export function activeBindings(readOnly: boolean, keymap: readonly Binding[] = KEYMAP): Binding[] {
  return keymap.filter((b) => !(readOnly && b.dangerous));
}

/** The intent of key `name` in `mode`, or null. */
export function resolveKey(name: string, mode: Mode, readOnly: boolean): Intent | null {
  const hit = activeBindings(readOnly).find((b) => b.modes.includes(mode) && b.keys.includes(name));
  return hit ? hit.intent : null;
}

const KEY_LABELS: Readonly<Record<string, string>> = {
  up: '↑',
  down: '↓',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  tab: 'Tab',
  'shift-tab': 'Shift-Tab',
  escape: 'Esc',
  enter: 'Enter',
  backspace: 'Backspace',
  space: 'space',
  'ctrl-c': 'Ctrl-C',
  f9: 'F9',
};

/** How people see a key name: "↑", "PgUp", "F9", "Ctrl-C", or the character itself. */
export function keyLabel(name: string): string {
  return KEY_LABELS[name] ?? name;
}

/** "↑ k" style text of a binding's keys. */
export function keysText(binding: Binding): string {
  return binding.keys.map(keyLabel).join(' ');
}

/** One footer hint. */
export interface Hint {
  readonly keys: string;
  readonly label: string;
}

/** A footer hint with its rank (see {@link Binding.footer}). */
export interface RankedHint extends Hint {
  readonly rank: number;
}

/** Footer hints of `mode`, in table order, one per intent. */
export function footerHints(mode: Mode, readOnly: boolean): RankedHint[] {
  const seen = new Set<Intent>();
  const hints: RankedHint[] = [];
  for (const b of activeBindings(readOnly)) {
    if (b.footer === null || !b.modes.includes(mode) || seen.has(b.intent)) continue;
    seen.add(b.intent);
    hints.push({ keys: keyLabel(b.keys[0] ?? ''), label: b.label, rank: b.footer });
  }
  return hints;
}

/** One line of the help screen / README table: keys merged per intent and mode group. */
export interface HelpRow {
  readonly keys: string;
  readonly action: string;
  /** The footer word, for a help screen too narrow for the sentence. */
  readonly label: string;
  readonly mode: Mode;
}

/** Help rows in table order; keys bound to the same intent are merged ("q Ctrl-C"). */
export function helpRows(readOnly: boolean): HelpRow[] {
  const rows: { keys: string[]; action: string; label: string; mode: Mode; intent: Intent }[] = [];
  for (const b of activeBindings(readOnly)) {
    const mode = b.modes[0] ?? 'table';
    const same = rows.find((r) => r.intent === b.intent);
    if (same) {
      same.keys.push(...b.keys.map(keyLabel));
      continue;
    }
    rows.push({ keys: b.keys.map(keyLabel), action: b.help, label: b.label, mode, intent: b.intent });
  }
  return rows.map((r) => ({ keys: r.keys.join(' '), action: r.action, label: r.label, mode: r.mode }));
}

const MODE_TITLE: Readonly<Record<Mode, string>> = { table: '', filter: ' (while typing a filter)', help: ' (in the help)', events: ' (in the event log)' };

/** The README's key table (markdown), generated from {@link KEYMAP}; a test keeps README.md equal to it. */
export function keysMarkdown(): string {
  const lines = ['| key | action |', '|---|---|'];
  for (const row of helpRows(false)) {
    const keys = row.keys.split(' ').map((k) => `\`${k === '|' ? '\\|' : k}\``).join(' ');
    lines.push(`| ${keys} | ${row.action}${MODE_TITLE[row.mode]} |`);
  }
  return lines.join('\n');
}
