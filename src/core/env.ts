/**
 * The .env reader: the VoiceHelper port document moves every port with an env var (`GATEWAY_PORT=8082`), read from the
 * process environment first and the project's .env file second. The dialect is the common one of
 * docker compose and dotenv: BOM, CRLF, `export `, quotes, inline comments, `${VAR}` expansion.
 */
import type { EnvSources } from './types.js';
import { ConfigError } from './errors.js';
import { keyText, readConfigText } from './catalogue-read.js';
import { expandValue, readQuoted, type ValueError } from './env-value.js';

type Lookup = (name: string) => string | undefined;

/** Values of a .env file plus the line each variable was (last) set on. */
export interface ParsedEnvFile {
  readonly values: Record<string, string>;
  readonly lines: Record<string, number>;
}

// The s flag: a value may hold U+2028/U+2029, which "." would not match.
const ASSIGNMENT = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=(.*)$/s;
const NAME_START = /^(?:export[ \t]+)?([^\s=]+)[ \t]*=/;

/**
 * Reads the .env file (null: none) and pairs it with the process environment. A named file that
 * does not exist, cannot be read or has a malformed line is a ConfigError naming file and line.
 */
export async function loadEnvSources(
  file: string | null,
  processEnv: Readonly<Record<string, string | undefined>>,
): Promise<EnvSources> {
  if (file === null) return { processEnv, fileEnv: {}, fileName: null, fileLines: {} };
  const parsed = parseEnvFileLines(await readConfigText(file, '.env file'), file, processEnv);
  return { processEnv, fileEnv: parsed.values, fileName: file, fileLines: parsed.lines };
}

/** Parses .env text into variables (strings, unvalidated: ports are checked where they are used). */
export function parseEnvFile(
  text: string,
  file: string,
  processEnv: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  return parseEnvFileLines(text, file, processEnv).values;
}

/**
 * Like {@link parseEnvFile}, also returning each variable's line. `${VAR}` in unquoted and
 * double-quoted values is looked up in the process environment first, then in earlier lines of the
 * file (the same precedence the ports get), and is empty when unset, as in docker compose.
 */
export function parseEnvFileLines(
  text: string,
  file: string,
  processEnv: Readonly<Record<string, string | undefined>> = {},
): ParsedEnvFile {
  // A Map, not an object: a variable may be called __proto__ or constructor.
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const lookup: Lookup = (name) => (Object.hasOwn(processEnv, name) ? processEnv[name] : undefined) ?? values.get(name);
  const rows = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  rows.forEach((raw, i) => {
    const lineNo = i + 1;
    const row = raw.replace(/^[ \t]+/, '');
    if (row === '' || row.startsWith('#')) return;
    const m = ASSIGNMENT.exec(row);
    if (!m) {
      const bad = NAME_START.exec(row);
      const problem = bad
        ? `"${keyText(bad[1] ?? '')}" is not a valid variable name (letters, digits and "_", not starting with a digit)`
        : 'expected NAME=VALUE';
      throw new ConfigError(file, lineNo, null, problem);
    }
    const name = m[1] as string;
    values.set(name, readValue(m[2] ?? '', (problem) => new ConfigError(file, lineNo, name, problem), lookup));
    lines.set(name, lineNo);
  });
  return { values: Object.fromEntries(values), lines: Object.fromEntries(lines) };
}

/** The value after `=`: quoted (single: literal; double: escapes and `${}`) or unquoted (`${}`, ` # comment`). */
function readValue(rest: string, error: ValueError, lookup: Lookup): string {
  const start = rest.replace(/^[ \t]+/, '');
  const quote = start[0];
  if (quote === "'" || quote === '"') {
    const { body, after } = readQuoted(start, error);
    if (after.trim() !== '' && !/^[ \t]+#/.test(after)) throw error(`unexpected text after the closing ${quote} (quote the whole value)`);
    return quote === "'" ? body : expandValue(body, lookup, error, true);
  }
  // An inline comment needs whitespace before '#': `a#b` and `=#b` are values, `a #b` and `= #b` are comments.
  const comment = /[ \t]#/.exec(rest);
  const value = (comment ? rest.slice(0, comment.index) : rest).trim();
  return expandValue(value, lookup, error);
}
