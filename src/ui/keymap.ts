/**
 * The one declarative key table. The footer, the help screen (`?`) and the README key table are all
 * generated from it, and the reducer only ever sees the intents it names, so they cannot drift apart.
 */

/**
 * Input modes of the TUI. The kill dialog and the log pane are modes too: while one is open, its
 * keys are the only ones in effect (plus Ctrl-C), and the footer and help list them from here.
 */
export type Mode = 'table' | 'filter' | 'help' | 'events' | 'kill' | 'logs' | 'log-search';

/** Every mode, in the order the help screen and the README list them. */
export const MODES: readonly Mode[] = ['table', 'filter', 'help', 'events', 'kill', 'logs', 'log-search'];

/** What a key asks for. The reducer (state.ts), the App and the overlays handle each one. */
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
  | 'filter-erase'
  | 'sort'
  | 'problems'
  | 'kill'
  | 'logs'
  | 'pause'
  | 'refresh'
  | 'help'
  | 'close-help'
  | 'events'
  | 'close-events'
  | 'suspend'
  | 'quit'
  // Kill dialog.
  | 'kill-confirm'
  | 'signal-term'
  | 'signal-int'
  | 'signal-hup'
  | 'signal-kill'
  | 'signal-next'
  | 'kill-group'
  | 'kill-cancel'
  | 'compose-stop'
  // Log pane.
  | 'log-follow'
  | 'log-search'
  | 'log-next'
  | 'log-prev'
  | 'log-close'
  | 'log-search-apply'
  | 'log-search-cancel'
  | 'log-search-erase';

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

const ALL: readonly Mode[] = MODES;
// Moving keys also scroll the event log and the log pane.
const MOVE: readonly Mode[] = ['table', 'events', 'logs'];

/** Shorthand for one row of {@link KEYMAP}: keys, modes, intent, footer label, help sentence, options. */
function bind(keys: readonly string[], modes: readonly Mode[], intent: Intent, label: string, help: string, options: { footer?: number; dangerous?: boolean } = {}): Binding {
  return { keys, modes, intent, label, help, dangerous: options.dangerous ?? false, footer: options.footer ?? null };
}

/**
 * The key table, in help order (grouped by the first mode of each binding). One line a binding:
 * adding a key is adding a line here, and the reducer or overlay that handles its intent.
 */
export const KEYMAP: readonly Binding[] = [
  bind(['up', 'k'], MOVE, 'up', 'up', 'move up (scrolls the event log and the log pane)'),
  bind(['down', 'j'], MOVE, 'down', 'down', 'move down (scrolls too)'),
  bind(['pageup'], MOVE, 'page-up', 'page up', 'page up'),
  bind(['pagedown'], MOVE, 'page-down', 'page down', 'page down'),
  bind(['g', 'home'], MOVE, 'top', 'top', 'first row'),
  bind(['G', 'end'], MOVE, 'bottom', 'bottom', 'last row'),
  bind(['tab'], ['table'], 'next-view', 'view', 'next view (services, listeners, processes)', { footer: 2 }),
  bind(['shift-tab'], ['table'], 'prev-view', 'prev view', 'previous view'),
  bind(['/'], ['table'], 'filter', 'filter', 'a new filter, applied as you type (id, name, port, process, command; :8080 = port)', { footer: 2 }),
  bind(['escape'], ['table'], 'clear-filter', 'clear', 'clear the filter'),
  bind(['!'], ['table'], 'problems', 'problems', 'only what needs attention / all rows', { footer: 2 }),
  bind(['enter'], ['filter'], 'filter-apply', 'done', 'done: back to the table, the filter stays', { footer: 1 }),
  bind(['escape'], ['filter'], 'filter-cancel', 'leave', 'leave the prompt, the filter stays', { footer: 1 }),
  bind(['backspace'], ['filter'], 'filter-backspace', 'erase', 'erase the last character'),
  bind(['ctrl-u'], ['filter'], 'filter-erase', 'clear', 'clear the filter text', { footer: 1 }),
  bind(['s'], ['table'], 'sort', 'sort', 'cycle the sort column', { footer: 3 }),
  bind(['x', 'f9'], ['table'], 'kill', 'kill', "kill the selected row's process (asks first)", { footer: 3, dangerous: true }),
  bind(['l'], ['table'], 'logs', 'logs', "tail the selected service's logs", { footer: 4 }),
  bind(['space'], ['table'], 'pause', 'pause', 'pause / resume refreshing', { footer: 4 }),
  bind(['r'], ['table'], 'refresh', 'refresh', 'refresh now', { footer: 4 }),
  bind(['?'], ['table'], 'help', 'help', 'show this help', { footer: 1 }),
  bind(['escape', '?'], ['help'], 'close-help', 'close', 'close the help', { footer: 1 }),
  bind(['e'], ['table'], 'events', 'events', 'every change seen this session (the strip shows the newest)', { footer: 4 }),
  bind(['escape', 'e'], ['events'], 'close-events', 'close', 'close the event log', { footer: 1 }),
  bind(['ctrl-z'], ['table', 'filter', 'help', 'events', 'logs', 'log-search'], 'suspend', 'suspend', 'suspend to the shell (fg resumes)'),
  bind(['q'], ['table', 'help', 'events'], 'quit', 'quit', 'quit, terminal restored', { footer: 1 }),
  bind(['ctrl-c'], ALL, 'quit', 'quit', 'quit, terminal restored'),
  // The kill dialog (x / F9).
  bind(['y'], ['kill'], 'kill-confirm', 'kill', 'kill with the chosen signal (marked ▶)', { footer: 1, dangerous: true }),
  bind(['t'], ['kill'], 'signal-term', 'TERM', 'choose SIGTERM (the default)', { footer: 3, dangerous: true }),
  bind(['i'], ['kill'], 'signal-int', 'INT', 'choose SIGINT', { footer: 3, dangerous: true }),
  bind(['h'], ['kill'], 'signal-hup', 'HUP', 'choose SIGHUP', { footer: 3, dangerous: true }),
  bind(['k'], ['kill'], 'signal-kill', 'KILL', 'choose SIGKILL', { footer: 3, dangerous: true }),
  bind(['tab', 's'], ['kill'], 'signal-next', 'next signal', 'next signal', { footer: 2, dangerous: true }),
  bind(['g'], ['kill'], 'kill-group', 'group', 'kill the whole process group of a wrapper (npm run dev, nodemon, sh -c)', { footer: 2, dangerous: true }),
  bind(['S'], ['kill'], 'compose-stop', 'compose stop', 'a port published by a container: run docker compose stop SERVICE instead', { footer: 2, dangerous: true }),
  bind(['escape', 'n'], ['kill'], 'kill-cancel', 'cancel', 'cancel (any other key cancels too)', { footer: 1, dangerous: true }),
  // The log pane (l).
  bind(['f'], ['logs'], 'log-follow', 'follow', 'follow new lines on / off', { footer: 2 }),
  bind(['/'], ['logs'], 'log-search', 'search', 'search the log', { footer: 2 }),
  bind(['n'], ['logs'], 'log-next', 'next', 'next (older) match', { footer: 3 }),
  bind(['N'], ['logs'], 'log-prev', 'prev', 'previous (newer) match', { footer: 3 }),
  bind(['escape', 'q'], ['logs'], 'log-close', 'close', 'close the pane and end the log command', { footer: 1 }),
  bind(['enter'], ['log-search'], 'log-search-apply', 'find', 'find the text', { footer: 1 }),
  bind(['escape'], ['log-search'], 'log-search-cancel', 'cancel', 'stop searching', { footer: 1 }),
  bind(['backspace'], ['log-search'], 'log-search-erase', 'erase char', 'erase the last character'),
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
  'ctrl-u': 'Ctrl-U',
  'ctrl-z': 'Ctrl-Z',
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

/** Help rows in table order; keys bound to the same intent in the same mode are merged ("q Ctrl-C"). */
export function helpRows(readOnly: boolean): HelpRow[] {
  const rows: { keys: string[]; action: string; label: string; mode: Mode; intent: Intent }[] = [];
  for (const b of activeBindings(readOnly)) {
    const mode = b.modes[0] ?? 'table';
    const same = rows.find((r) => r.intent === b.intent && (r.mode === mode || b.modes.includes(r.mode)));
    if (same) {
      same.keys.push(...b.keys.map(keyLabel));
      continue;
    }
    rows.push({ keys: b.keys.map(keyLabel), action: b.help, label: b.label, mode, intent: b.intent });
  }
  return rows.map((r) => ({ keys: r.keys.join(' '), action: r.action, label: r.label, mode: r.mode }));
}

/** How the help and the README name each mode after a key's action. */
export const MODE_TITLE: Readonly<Record<Mode, string>> = {
  table: '',
  filter: ' (while typing a filter)',
  help: ' (in the help)',
  events: ' (in the event log)',
  kill: ' (in the kill dialog)',
  logs: ' (in the log pane)',
  'log-search': ' (while typing a log search)',
};

/** The README's key table (markdown), generated from {@link KEYMAP}; a test keeps README.md equal to it. */
export function keysMarkdown(): string {
  const lines = ['| key | action |', '|---|---|'];
  for (const row of helpRows(false)) {
    const keys = row.keys.split(' ').map((k) => `\`${k === '|' ? '\\|' : k}\``).join(' ');
    lines.push(`| ${keys} | ${row.action}${MODE_TITLE[row.mode]} |`);
  }
  return lines.join('\n');
}
