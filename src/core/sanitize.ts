/**
 * Untrusted text (process names, command lines, log lines, HTTP bodies) must never reach the terminal
 * with control characters: a process can name itself "\x1b[2J" or carry bidi overrides that make a
 * command line read differently from what runs.
 */

// ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte escapes.
// eslint-disable-next-line no-control-regex -- escape sequences are what this strips
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]?/g;
// 8-bit CSI / OSC introducers followed by their parameters.
// eslint-disable-next-line no-control-regex -- C1 sequences are what this strips
const C1_SEQUENCE = /\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*(?:\x07|\x9c)?/g;
// C0 (except TAB, LF, CR, handled below), DEL, C1, Unicode bidi controls / isolates / marks, the
// line and paragraph separators U+2028/U+2029 (a line break to some terminals and viewers), and
// zero-width characters and U+FEFF (invisible: they hide text or make two names look alike).
// eslint-disable-next-line no-control-regex -- control characters are what this strips
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Returns `text` safe to print on one terminal line: escape sequences removed, tabs and line breaks
 * become a space (argv of `python -c` or `sh -c` scripts legitimately holds newlines), every other
 * control character (C0, DEL, C1, bidi overrides) becomes U+FFFD so that tampering stays visible
 * instead of silently disappearing.
 */
export function cleanText(text: string): string {
  const cleaned = clean(text, '');
  // Text made only of escape sequences would vanish (a blank PROCESS column, "stop PID N ()"): then
  // each sequence shows as U+FFFD, so that there is something to see and to point at.
  if (cleaned.trim() === '' && text.trim() !== '') return clean(text, '\ufffd');
  return cleaned;
}

function clean(text: string, sequence: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, sequence)
    .replace(C1_SEQUENCE, sequence)
    .replace(/\r\n|[\t\n\r]/g, ' ')
    .replace(CONTROL, '\ufffd');
}

/**
 * Text a person typed or pasted into a one-line input (the `/` filter): everything {@link cleanText}
 * would mark is dropped instead, since a filter holding U+FFFD would match nothing.
 */
export function typedText(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(C1_SEQUENCE, '').replace(/[\t\n\r]/g, '').replace(CONTROL, '');
}

/** True when `text` would be changed by {@link cleanText}. */
export function hasControlChars(text: string): boolean {
  return cleanText(text) !== text;
}
