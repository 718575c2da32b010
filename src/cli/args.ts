import { UsageError } from '../core/errors.js';

/** How a flag takes its value. */
/** `list`: repeatable string flag; the values are joined with commas in the order given. */
export type FlagKind = 'boolean' | 'string' | 'int' | 'number' | 'list';

/** Flag table of one command: `{ json: 'boolean', tail: 'int' }`. Names are without dashes. */
export type FlagSpec = Readonly<Record<string, FlagKind>>;

/** Parsed command line: flags by name, positionals in order. */
export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** Flags every command accepts (the global flags of `vhtop --help`). */
export const GLOBAL_FLAGS: FlagSpec = {
  registry: 'string',
  env: 'string',
  profile: 'string',
  interval: 'number',
  'no-color': 'boolean',
  'read-only': 'boolean',
  probe: 'string',
  host: 'list',
  'ssh-config': 'string',
  sudo: 'boolean',
  help: 'boolean',
  version: 'boolean',
};

/**
 * Parses `argv` against `spec` (plus the global flags). Accepts `--flag value`, `--flag=value`,
 * `--` to end flags. Throws {@link UsageError} with one clear line for anything else.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const all: FlagSpec = { ...GLOBAL_FLAGS, ...spec };
  const flags: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg.length === 2) {
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
        if (arg === '-h') {
          flags.help = true;
          continue;
        }
        throw new UsageError(`unknown option ${arg} (see --help)`);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const kind = all[name];
    if (!kind) throw new UsageError(`unknown option --${name} (see --help)`);
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      i++;
    }
    if (raw === undefined || raw === '') throw new UsageError(`option --${name} needs a value`);
    const prev = flags[name];
    flags[name] = kind === 'list' && typeof prev === 'string' ? `${prev},${raw}` : convert(name, kind, raw);
  }
  return { flags, positionals };
}

function convert(name: string, kind: FlagKind, raw: string): string | number {
  if (kind === 'string' || kind === 'list') return raw;
  const n = Number(raw);
  if (kind === 'int' && !/^\d+$/.test(raw.trim())) {
    throw new UsageError(`option --${name} needs a whole number (got ${JSON.stringify(raw)})`);
  }
  if (!Number.isFinite(n) || n < 0) {
    throw new UsageError(`option --${name} needs a number (got ${JSON.stringify(raw)})`);
  }
  return n;
}

/**
 * Where the command word stands in `argv`: global flags (and their values) may come before it
 * (`vhtop --profile dev list`), and `--` ends the flags (`vhtop -- list`). Returns the command and
 * `argv` without it (flags before and after it are parsed together), or null when there is no
 * command word (the TUI). A flag the global table does not know is taken as a switch without a value.
 */
export function splitCommand(argv: readonly string[]): { readonly command: string; readonly rest: readonly string[] } | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      const command = argv[i + 1];
      return command === undefined ? null : { command, rest: [...argv.slice(0, i + 1), ...argv.slice(i + 2)] };
    }
    if (!arg.startsWith('-') || arg === '-') return { command: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : null;
    const kind = name !== null ? GLOBAL_FLAGS[name] : undefined;
    if (kind !== undefined && kind !== 'boolean') i++; // its value, even one that looks like a command
  }
  return null;
}
