/**
 * An in-process {@link CliContext} that records what a command writes, for the command tests.
 */
import type { CliContext } from '../../src/cli/context.js';

/** Options of {@link captureContext}; every field has the value of a plain, non-interactive run. */
export interface CaptureOptions {
  readonly env?: CliContext['env'];
  readonly cwd?: string;
  /** Whether stdin is a terminal (the kill confirmation asks only then). Default false. */
  readonly stdinIsTTY?: boolean;
  /** Whether stdout is a terminal (colour). Left unset when not given. */
  readonly isTTY?: boolean;
}

/** A context with the recorded stdout and stderr. */
export type CapturedContext = CliContext & { out(): string; err(): string };

/** A context whose stdout and stderr are recorded; env and cwd default to this process's. */
export function captureContext(o: CaptureOptions = {}): CapturedContext {
  let out = '';
  let err = '';
  return {
    stdout: { write: (c: string) => (out += c), ...(o.isTTY !== undefined ? { isTTY: o.isTTY } : {}) },
    stderr: { write: (c: string) => (err += c) },
    stdinIsTTY: o.stdinIsTTY ?? false,
    env: o.env ?? process.env,
    cwd: o.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}
