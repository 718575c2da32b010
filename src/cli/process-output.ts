/**
 * This process's stdout and stderr as the commands get them.
 *
 * Node builds `process.stdout` and `process.stderr` when they are first used, and for a pipe or a
 * file that loads its stream and socket machinery (~5 % of a one-shot `vhtop check`). When the
 * descriptor is a pipe, a socket, a regular file or /dev/null (nothing that can be a terminal), a
 * command's writes go straight to the descriptor with write(2) instead; the stream is made only
 * when write(2) cannot do the job — a pipe whose reader is behind (EAGAIN), a closed pipe, a full
 * disk — and from then on every write goes through it, in order, so its errors end the run exactly
 * as they always did (see {@link guardedStdout}).
 */
import { fstatSync } from 'node:fs';
import { cleanText } from '../core/sanitize.js';
import type { CliContext } from './context.js';
import { writeUntilRefused } from './write-text.js';

/** Exit code when the output cannot be written (EX_IOERR of sysexits.h). */
const WRITE_FAILED = 74;

const guarded = new WeakSet<object>();

/**
 * process.stdout with its error handler. A closed pipe (`vhtop list | head`) is not an error worth a
 * stack trace: exit without naming a code, which a one-shot command has set by then (its writes are
 * synchronous), so `vhtop check | head -1` still says 1 when a service is down; a follower (`logs`)
 * has none yet and ends with 0. Any other failure (`vhtop list > /dev/full`): one line instead of a
 * stack trace or a silent success whose output is lost, exit 74.
 */
export function guardedStdout(): NodeJS.WriteStream {
  const s = process.stdout;
  if (!guarded.has(s)) {
    guarded.add(s);
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit();
      guardedStderr().write(`vhtop: cannot write the output: ${cleanText(e.message)}\n`);
      process.exit(WRITE_FAILED);
    });
  }
  return s;
}

/**
 * process.stderr with its error handler: stderr gone too (`vhtop check 2>&1 | head -1`) leaves
 * nowhere to say anything. Not `process.exit(undefined)`: an explicit undefined resets the code to 0.
 */
export function guardedStderr(): NodeJS.WriteStream {
  const s = process.stderr;
  if (!guarded.has(s)) {
    guarded.add(s);
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit() : process.exit(WRITE_FAILED)));
  }
  return s;
}

/** Major number of the memory devices (/dev/null, /dev/zero, /dev/full) in Linux's device list. */
const MEMORY_DEVICES = 1;

/** True when `fd` is a pipe, a socket, a regular file or a memory device: never a terminal. */
export function isPlainOutput(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (st.isFIFO() || st.isSocket() || st.isFile()) return true;
    // The major number sits in bits 8-19 of the device number (glibc's encoding for majors < 4096).
    return st.isCharacterDevice() && Math.floor(st.rdev / 256) % 4096 === MEMORY_DEVICES;
  } catch {
    return false;
  }
}

/** A command's output on a plain descriptor: write(2) until the stream has to take over. */
export class DirectOutput {
  readonly isTTY = false;
  private stream: NodeJS.WriteStream | null = null;

  constructor(
    readonly fd: number,
    private readonly makeStream: () => NodeJS.WriteStream,
  ) {}

  /** Bytes the stream holds, not yet written (none before it exists). */
  get writableLength(): number {
    return this.stream?.writableLength ?? 0;
  }

  write(chunk: string | Uint8Array, done?: (error?: Error | null) => void): boolean {
    if (this.stream !== null) return this.stream.write(chunk, done);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const written = writeUntilRefused(this.fd, bytes, bytes.length);
    if (written < bytes.length) {
      // The stream waits out EAGAIN and reports EPIPE or ENOSPC through its guarded 'error' event.
      // A copy of the rest: a caller may reuse its buffer once this returns.
      this.stream = this.makeStream();
      return this.stream.write(Buffer.from(bytes.subarray(written)), done);
    }
    if (done) process.nextTick(done, null);
    return true;
  }
}

/** The context of a real invocation: this process's outputs, environment and directory. */
export function processContext(): CliContext {
  return {
    stdout: isPlainOutput(1) ? new DirectOutput(1, guardedStdout) : guardedStdout(),
    stderr: isPlainOutput(2) ? new DirectOutput(2, guardedStderr) : guardedStderr(),
    // Asked when needed (only `kill` does): making the stdin stream, a file stream on </dev/null,
    // cost every one-shot command a few ms.
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}
