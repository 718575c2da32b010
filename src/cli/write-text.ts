/**
 * Writing many megabytes to stdout. A Node stream copies every chunk it is given into a new Buffer
 * (a file) or a new native allocation (a pipe); for the ~9 MB of `list --json --all` at 15k
 * sockets that is fresh memory for every chunk, which cost about as much as making the text. Here
 * the chunks go through one reused buffer and write(2) on the stream's file descriptor; the stream
 * itself only takes over what write(2) cannot do at once.
 */
import { writeSync } from 'node:fs';
import type { CliContext } from './context.js';

/** Bytes encoded before one write(2): big enough for few system calls, small enough to stay warm in cache. */
const BUFFER_BYTES = 256 * 1024;

/** Worst case UTF-8 bytes of one UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

type Out = CliContext['stdout'];

/**
 * Hands bytes to the stream and waits until it has written them. The stream waits for a pipe whose
 * reader is behind (EAGAIN) and turns any failure into its 'error' event, which cli.tsx handles
 * for every command alike (EPIPE: quiet exit; anything else: one line and exit 74).
 * True when the bytes were written.
 */
function viaStream(out: Out, bytes: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => out.write(bytes, (error) => resolve(error === null || error === undefined)));
}

/**
 * Writes `bytes[0..length)` to `fd` with write(2) until done or refused; returns how many were
 * written. Node leaves a stdout pipe non-blocking, so a slow reader shows as EAGAIN; EPIPE and ENOSPC
 * are the stream's to report: the caller hands it the rest.
 */
export function writeUntilRefused(fd: number, bytes: Uint8Array, length: number): number {
  let done = 0;
  try {
    while (done < length) done += writeSync(fd, bytes, done, length - done);
  } catch {
    // The rest goes through the stream.
  }
  return done;
}

/**
 * Writes `bytes[0..length)` to `fd`; what write(2) refuses goes through the stream. False when the
 * output failed (the stream has reported it): the caller stops writing.
 */
async function writeAll(out: Out, fd: number, bytes: Uint8Array, length: number): Promise<boolean> {
  const done = writeUntilRefused(fd, bytes, length);
  // A copy: the stream may still hold it when the buffer is reused.
  return done === length || viaStream(out, Buffer.from(bytes.subarray(done, length)));
}

/**
 * Writes `chunks` (text, or UTF-8 bytes that may be reused once the next chunk is asked for) to
 * `out` in order. Through the file descriptor when the stream has one and holds nothing yet (earlier
 * writes must come first); else, as for a test's fake stdout, through write() as text.
 */
export async function writeText(out: Out, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const fd = out.fd;
  if (fd === undefined || (out.writableLength ?? 0) > 0) {
    const decoder = new TextDecoder();
    for (const chunk of chunks) out.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    return;
  }
  let buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  for (const chunk of chunks) {
    const most = typeof chunk === 'string' ? chunk.length * MAX_BYTES_PER_UNIT : chunk.length;
    if (used + most > buffer.length) {
      if (!(await writeAll(out, fd, buffer, used))) return;
      used = 0;
      if (typeof chunk !== 'string' && most > buffer.length) {
        // Already bytes, and bigger than the buffer: no copy.
        if (!(await writeAll(out, fd, chunk, chunk.length))) return;
        continue;
      }
      if (most > buffer.length) buffer = Buffer.allocUnsafe(most);
    }
    if (typeof chunk === 'string') used += buffer.write(chunk, used);
    else {
      buffer.set(chunk, used);
      used += chunk.length;
    }
  }
  await writeAll(out, fd, buffer, used);
}
