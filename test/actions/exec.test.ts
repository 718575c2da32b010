import { describe, expect, it } from 'vitest';
import { MAX_PENDING_LINE, realExec } from '../../src/actions/exec.js';

describe('realExec.stream', () => {
  it('hands a newline-less flood on in bounded pieces, losing nothing', async () => {
    // 3 MB of 'x' without a newline, then one short line.
    const script = "process.stdout.write('x'.repeat(3 * 1024 * 1024)); process.stdout.write('\\nend\\n');";
    const lines: string[] = [];
    const r = await realExec.stream(process.execPath, ['-e', script], (l) => lines.push(l)).done;
    expect(r.exitCode).toBe(0);
    expect(lines.at(-1)).toBe('end');
    const pieces = lines.slice(0, -1);
    expect(Math.max(...pieces.map((l) => l.length))).toBeLessThanOrEqual(MAX_PENDING_LINE);
    expect(pieces.join('')).toBe('x'.repeat(3 * 1024 * 1024));
  });

  it('splits lines across chunks and keeps stdout and stderr apart', async () => {
    const script = "process.stdout.write('a'); setTimeout(() => { process.stdout.write('b\\nc'); process.stderr.write('oops\\n'); }, 20);";
    const seen: string[] = [];
    await realExec.stream(process.execPath, ['-e', script], (l, from) => seen.push(`${from}:${l}`)).done;
    expect(seen.sort()).toEqual(['stderr:oops', 'stdout:ab', 'stdout:c']);
  });
});
