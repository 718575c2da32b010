/** Value syntax of .env files: quotes, escapes and `${VAR}` expansion (used by env.ts). */
import type { ConfigError } from './errors.js';
import { visible } from './catalogue-read.js';

/** Builds the ConfigError for the current line. */
export type ValueError = (problem: string) => ConfigError;

/** Longest value `${VAR}` expansion may build. Ports are 5 digits; other settings are far shorter than this. */
export const MAX_EXPANDED_LENGTH = 4096;

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$' };
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/s;

/**
 * Splits `'...'rest` or `"..."rest` at the closing quote (a backslash escapes the next character in
 * double quotes only). Values must end on their line: multi-line values are not supported.
 */
export function readQuoted(text: string, error: ValueError): { body: string; after: string } {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i += 1;
      continue;
    }
    if (c === quote) return { body: text.slice(1, i), after: text.slice(i + 1) };
  }
  throw error(`unterminated ${quote === '"' ? 'double' : 'single'} quote (a value must end on its own line)`);
}

/**
 * Expands `${NAME}`, `${NAME:-default}`, `${NAME-default}` and `$NAME` (unset: empty, as docker
 * compose does); with `escapes`, also `\n \t \r \\ \" \$` (double-quoted values).
 */
export function expandValue(text: string, lookup: (name: string) => string | undefined, error: ValueError, escapes = false): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    // `A1=${A0}${A0}` doubled 40 times would need terabytes: stop as soon as a value is longer than
    // any port setting could be (checked each step, so a line never builds more than the bound).
    if (out.length > MAX_EXPANDED_LENGTH) throw error(`expands to more than ${MAX_EXPANDED_LENGTH} characters (a variable repeated inside itself?)`);
    const c = text[i] as string;
    if (escapes && c === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      out += ESCAPES[next] ?? `\\${next}`;
      i += 2;
    } else if (c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw error('"${" without a closing "}"');
      const inner = text.slice(i + 2, end);
      const m = BRACED.exec(inner);
      if (!m) throw error(`cannot expand "\${${visible(inner)}}": write \${NAME}, \${NAME:-default} or \${NAME-default}`);
      const value = lookup(m[1] as string);
      if (m[2] === ':-') out += value === undefined || value === '' ? (m[3] ?? '') : value;
      else if (m[2] === '-') out += value === undefined ? (m[3] ?? '') : value;
      else out += value ?? '';
      i = end + 1;
    } else if (c === '$' && NAME.test(text.slice(i + 1, i + 200))) {
      const name = (NAME.exec(text.slice(i + 1)) as RegExpExecArray)[0];
      out += lookup(name) ?? '';
      i += 1 + name.length;
    } else {
      out += c;
      i += 1;
    }
  }
  if (out.length > MAX_EXPANDED_LENGTH) throw error(`expands to more than ${MAX_EXPANDED_LENGTH} characters (a variable repeated inside itself?)`);
  return out;
}
