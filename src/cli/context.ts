import type { ParsedArgs, FlagSpec } from './args.js';

/** Where a command writes and what it knows of its surroundings. Tests hand in their own. */
export interface CliContext {
  readonly stdout: {
    /** Bytes only where `fd` is set (a real stream); `done` runs once the chunk is written or has failed. */
    write(chunk: string | Uint8Array, done?: (error?: Error | null) => void): unknown;
    readonly isTTY?: boolean;
    readonly columns?: number;
    /** The file descriptor behind a real stream (1 for process.stdout); big outputs write to it directly (cli/write-text.ts). */
    readonly fd?: number;
    /** Bytes the stream holds, not yet written. */
    readonly writableLength?: number;
  };
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
