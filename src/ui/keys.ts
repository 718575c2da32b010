/**
 * Decodes one input event from Ink's stdin parser into a key name. Ink's own `useInput` cannot tell
 * F9 from other function keys, and the keymap wants plain names ("up", "f9", "shift-tab", "j").
 */

/** A decoded key: `name` for the keymap, `text` for typing into the filter (empty for non-text keys). */
export interface KeyPress {
  readonly name: string;
  readonly text: string;
}

const SEQUENCES: Readonly<Record<string, string>> = {
  '\x1b[A': 'up',
  '\x1bOA': 'up',
  '\x1b[B': 'down',
  '\x1bOB': 'down',
  '\x1b[C': 'right',
  '\x1bOC': 'right',
  '\x1b[D': 'left',
  '\x1bOD': 'left',
  '\x1b[5~': 'pageup',
  '\x1b[6~': 'pagedown',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x1b[7~': 'home',
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x1b[8~': 'end',
  '\x1b[Z': 'shift-tab',
  '\x1b[20~': 'f9',
  '\x1b[3~': 'delete',
  '\t': 'tab',
  '\r': 'enter',
  '\n': 'enter',
  '\x1b': 'escape',
  '\x1b\x1b': 'escape',
  '\x7f': 'backspace',
  '\b': 'backspace',
  ' ': 'space',
};

/** Turns one raw input event into a {@link KeyPress}; unknown escape sequences get name "unknown". */
export function decodeKey(raw: string): KeyPress {
  const known = SEQUENCES[raw];
  if (known) return { name: known, text: known === 'space' ? ' ' : '' };
  if (raw.length === 1) {
    const code = raw.charCodeAt(0);
    // Ctrl-A .. Ctrl-Z arrive as 0x01..0x1a.
    if (code >= 1 && code <= 26) return { name: `ctrl-${String.fromCharCode(code + 96)}`, text: '' };
    if (code < 32) return { name: 'unknown', text: '' };
    return { name: raw, text: raw };
  }
  if (raw.startsWith('\x1b')) return { name: 'unknown', text: '' };
  // A paste: several printable characters at once; only useful as filter text.
  // eslint-disable-next-line no-control-regex -- control bytes in a paste are dropped
  const text = raw.replace(/[\x00-\x1f\x7f]/g, '');
  return { name: text.length === 1 ? text : 'paste', text };
}

/**
 * Length of the escape sequence at `at` in `raw` (which has ESC there): CSI (`ESC [` params final
 * byte), SS3 (`ESC O` letter), a doubled ESC, Alt + key, or a lone ESC. An unfinished CSI takes the rest.
 */
function escapeLength(raw: string, at: number): number {
  const next = raw[at + 1];
  if (next === undefined) return 1;
  if (next === '\x1b') return raw[at + 2] === '[' || raw[at + 2] === 'O' ? 1 : 2;
  if (next === 'O') return Math.min(3, raw.length - at);
  // Alt + key: one key nobody binds, never an Esc followed by a command.
  if (next !== '[') return 2;
  for (let i = at + 2; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 0x40 && code <= 0x7e) return i - at + 1;
  }
  return raw.length - at;
}

/**
 * Splits one chunk of terminal input into keys: terminals (and `tmux send-keys -l`) may deliver
 * several keys in one read, e.g. "/:8080\r" or two arrow presses; each must act as its own key, in
 * order, so that "/" opens the filter before ":8080" is typed into it. Escape sequences stay whole.
 */
export function splitInput(raw: string): KeyPress[] {
  if (raw.length <= 1 || SEQUENCES[raw]) return [decodeKey(raw)];
  const keys: KeyPress[] = [];
  let i = 0;
  while (i < raw.length) {
    if (raw[i] === '\x1b') {
      const n = escapeLength(raw, i);
      keys.push(decodeKey(raw.slice(i, i + n)));
      i += n;
      continue;
    }
    const ch = String.fromCodePoint(raw.codePointAt(i) as number);
    keys.push(decodeKey(ch));
    i += ch.length;
  }
  return keys;
}
