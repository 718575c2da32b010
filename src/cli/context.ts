import type { ParsedArgs, FlagSpec } from './args.js';

/** Where a command writes and what it knows of its surroundings. Tests hand in their own. */
export interface CliContext {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(chunk: string): unknown };
  readonly stdinIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** One non-interactive command (list, check, ...). `run` returns the exit code; only cli.tsx exits. */
export interface CommandModule {
  readonly name: string;
  /** One line for `vhtop --help`. */
  readonly summary: string;
  /** Usage text shown by `vhtop NAME --help`. */
  readonly usage: string;
  readonly flags: FlagSpec;
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}

/** Colour only on a TTY, and never under NO_COLOR, --no-color or TERM=dumb. */
export function wantsColor(args: ParsedArgs, ctx: CliContext): boolean {
  if (args.flags['no-color']) return false;
  if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') return false;
  if (ctx.env.TERM === 'dumb') return false;
  return ctx.stdout.isTTY === true;
}
