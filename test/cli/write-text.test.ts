/**
 * writeText: big outputs through the stream's file descriptor, and through the stream where
 * write(2) cannot take them (a pipe whose reader is behind, a failing output).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeText } from '../../src/cli/write-text.js';
import { tempDir } from '../helpers/temp-dir.js';

const scratch = tempDir('vhtop-write-text-');
afterAll(() => scratch.remove());

/** Characters of 1 to 4 UTF-8 bytes, ~1.2 MB in all, one chunk bigger than the writer's buffer. */
const CHUNKS = [
  '{"a": "é网\ud83d\ude00"}\n',
  ...Array.from({ length: 40 }, (_, i) => `${i}:${'x网'.repeat(5000)}\n`),
  'y'.repeat(400_000),
  'end\n',
];
const TEXT = CHUNKS.join('');

type Done = (error?: Error | null) => void;

describe('writeText', () => {
  it('into a file: the text, in order, without the stream', async () => {
    const file = path.join(scratch.dir, 'out.txt');
    const fd = openSync(file, 'w');
    const viaStream: unknown[] = [];
    await writeText({ fd, writableLength: 0, write: (c: string | Uint8Array) => viaStream.push(c) }, CHUNKS);
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(TEXT);
    expect(viaStream).toEqual([]);
  });

  it('UTF-8 bytes in one reused buffer, as the JSON writer gives them: each used before the next; a fake stdout gets text', async () => {
    /** Each chunk's bytes in the same buffer, split inside characters too (no chunk is whole text). */
    function* reused(): Generator<Uint8Array> {
      const all = Buffer.from(TEXT);
      const shared = new Uint8Array(300_000);
      for (let at = 0; at < all.length; at += 99_999) {
        const piece = all.subarray(at, Math.min(at + 99_999, all.length));
        shared.set(piece);
        yield shared.subarray(0, piece.length);
      }
    }
    const file = path.join(scratch.dir, 'bytes.txt');
    const fd = openSync(file, 'w');
    await writeText({ fd, writableLength: 0, write: () => true }, reused());
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(TEXT);
    let text = '';
    await writeText({ write: (c: string | Uint8Array) => (text += typeof c === 'string' ? c : '<bytes>') }, reused());
    expect(text).toBe(TEXT);
  });

  it('without a descriptor (a fake stdout), or behind output the stream still holds: through write()', async () => {
    const file = path.join(scratch.dir, 'untouched.txt');
    const fd = openSync(file, 'w');
    for (const out of [{}, { fd, writableLength: 10 }]) {
      let text = '';
      await writeText({ ...out, write: (c: string | Uint8Array) => (text += String(c)) }, CHUNKS);
      expect(text).toBe(TEXT);
    }
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('a non-blocking pipe whose reader is behind: the stream takes what write(2) refuses, the order holds', async () => {
    const fifo = path.join(scratch.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const received: Buffer[] = [];
    const drain = () => {
      const b = Buffer.alloc(65536);
      for (;;) {
        let n = 0;
        try {
          n = readSync(reader, b);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return;
          throw e;
        }
        if (n === 0) return;
        received.push(Buffer.from(b.subarray(0, n)));
      }
    };
    let handedOver = 0;
    // Stands in for the stream: it waits for room in the pipe (here: the reader catches up), then reports.
    const write = (chunk: string | Uint8Array, done?: Done) => {
      handedOver++;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let at = 0; at < bytes.length; ) {
        drain();
        try {
          at += writeSync(writer, bytes, at);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        }
      }
      setImmediate(() => done?.(null));
      return true;
    };
    // Nobody reads until the stream is asked: the pipe (64 KiB) fills, so write(2) must refuse.
    await writeText({ fd: writer, writableLength: 0, write }, CHUNKS);
    drain();
    closeSync(writer);
    drain();
    closeSync(reader);
    expect(handedOver).toBeGreaterThan(0);
    expect(Buffer.concat(received).toString('utf8')).toBe(TEXT);
  });

  it.runIf(existsSync('/dev/full'))('an output that fails: the stream gets the bytes to report it, and writing stops', async () => {
    const fd = openSync('/dev/full', 'w');
    const handed: Uint8Array[] = [];
    const write = (chunk: string | Uint8Array, done?: Done) => {
      handed.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      setImmediate(() => done?.(new Error('ENOSPC: no space left on device, write')));
      return false;
    };
    await writeText({ fd, writableLength: 0, write }, CHUNKS);
    closeSync(fd);
    // The first buffer's worth only, not the whole text.
    expect(handed).toHaveLength(1);
    expect(handed[0]?.length).toBeGreaterThan(0);
    expect(handed[0]?.length).toBeLessThan(Buffer.byteLength(TEXT));
  });
});
