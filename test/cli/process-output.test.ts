import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectOutput, isPlainOutput } from '../../src/cli/process-output.js';

let dir = '';
const fds: number[] = [];
const open = (file: string, flags: number): number => {
  const fd = openSync(file, flags);
  fds.push(fd);
  return fd;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vhtop-output-'));
});

afterAll(() => {
  for (const fd of fds) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for the stream that takes over: records what it was given. */
function recordingStream(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = {
    writableLength: 0,
    write(chunk: string | Uint8Array, done?: (e?: Error | null) => void) {
      written.push(Buffer.from(chunk).toString('utf8'));
      done?.(null);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('isPlainOutput', () => {
  it('is true for a regular file, a FIFO and the memory devices', () => {
    expect(isPlainOutput(open(path.join(dir, 'file'), constants.O_WRONLY | constants.O_CREAT))).toBe(true);
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    // Read-write, so opening does not wait for a reader.
    expect(isPlainOutput(open(path.join(dir, 'fifo'), constants.O_RDWR))).toBe(true);
    expect(isPlainOutput(open('/dev/null', constants.O_WRONLY))).toBe(true);
    expect(isPlainOutput(open('/dev/full', constants.O_WRONLY))).toBe(true);
  });

  it('is false for a terminal device and a descriptor that is not open', (ctx) => {
    if (!existsSync('/dev/ptmx')) {
      console.log('skipped: no /dev/ptmx to open a terminal device with');
      ctx.skip();
    }
    expect(isPlainOutput(open('/dev/ptmx', constants.O_RDWR | constants.O_NOCTTY))).toBe(false);
    expect(isPlainOutput(987654)).toBe(false);
  });
});

describe('DirectOutput', () => {
  it('writes text and bytes to the descriptor in order, and calls back after the write', async () => {
    const file = path.join(dir, 'direct');
    const fd = open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC);
    const rec = recordingStream();
    const out = new DirectOutput(fd, () => rec.stream);
    let called: unknown = 'not yet';
    out.write('héllo ', (e) => (called = e));
    expect(called).toBe('not yet');
    out.write(new TextEncoder().encode('wörld\n'));
    await new Promise((r) => setImmediate(r));
    expect(called).toBe(null);
    expect(readFileSync(file, 'utf8')).toBe('héllo wörld\n');
    expect(rec.written).toEqual([]);
    expect(out.writableLength).toBe(0);
  });

  it('hands what write(2) refuses to the stream, and every later write too', () => {
    const rec = recordingStream();
    let made = 0;
    const out = new DirectOutput(open('/dev/full', constants.O_WRONLY), () => {
      made++;
      return rec.stream;
    });
    const errors: unknown[] = [];
    out.write('first\n', (e) => errors.push(e));
    out.write('second\n');
    expect(made).toBe(1);
    expect(rec.written).toEqual(['first\n', 'second\n']);
    expect(errors).toEqual([null]);
  });
});
