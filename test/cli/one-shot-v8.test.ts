import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tuneForOneShot, MANY_SOCKETS, runsOnce, socketsInUse } from '../../src/cli/one-shot-v8.js';
import { ROOT } from '../e2e/cli-helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-v8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runsOnce', () => {
  it('is true for commands that read once and exit, false for the TUI, serve and logs', () => {
    expect(runsOnce(['list', '--json', '--all'])).toBe(true);
    expect(runsOnce(['--registry', 'x.yaml', 'check'])).toBe(true);
    expect(runsOnce(['conflicts'])).toBe(true);
    expect(runsOnce([])).toBe(false);
    expect(runsOnce(['--problems'])).toBe(false);
    expect(runsOnce(['serve', '--listen', '127.0.0.1:0'])).toBe(false);
    expect(runsOnce(['logs', 'gateway'])).toBe(false);
  });
});

describe('socketsInUse', () => {
  it('reads the kernel counter, and null without the file or the line', () => {
    const file = path.join(dir, 'sockstat');
    writeFileSync(file, 'sockets: used 15008\nTCP: inuse 15001 orphan 0 tw 0 alloc 15001 mem 131\n');
    expect(socketsInUse(file)).toBe(15008);
    writeFileSync(file, 'TCP: inuse 3\n');
    expect(socketsInUse(file)).toBeNull();
    expect(socketsInUse(path.join(dir, 'missing'))).toBeNull();
  });

  it.runIf(process.platform === 'linux')('counts this machine: at least the socket this test holds open', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(socketsInUse()).toBeGreaterThanOrEqual(1);
    } finally {
      server.close();
    }
  });
});

describe('tuneForOneShot', () => {
  it('leaves V8 alone on a quiet machine, without the counter, and on a V8 it does not know', () => {
    expect(tuneForOneShot(MANY_SOCKETS - 1)).toBe(false);
    expect(tuneForOneShot(null)).toBe(false);
    expect(tuneForOneShot(50_000, '14.0.1')).toBe(false);
    expect(tuneForOneShot(50_000, '10.2.0')).toBe(false);
  });

  // In a child process: the flag changes the whole process's heap. The child keeps 300k objects
  // alive, as a one-shot at 15k sockets does, and reports how big V8 let its young generation grow.
  const youngGeneration = (call: boolean): { size: number; set: boolean; stderr: string } => {
    const script = `
      import { getHeapSpaceStatistics } from 'node:v8';
      const { tuneForOneShot } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'one-shot-v8.js'))});
      const set = ${call} ? tuneForOneShot(50000) : false;
      const kept = [];
      for (let i = 0; i < 300000; i++) kept.push({ i, text: 'socket ' + i });
      const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      console.log(JSON.stringify({ size: young.space_size, set, kept: kept.length }));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    return { ...(JSON.parse(child.stdout) as { size: number; set: boolean }), stderr: child.stderr };
  };

  it.runIf(Number.parseInt(process.versions.v8, 10) <= 13)('keeps the young generation at its starting size, where V8 alone doubles it', () => {
    const small = youngGeneration(true);
    const usual = youngGeneration(false);
    expect(small.set).toBe(true);
    // V8 says nothing about the flag (it would print an error for either flag if it did not know it).
    expect(small.stderr).toBe('');
    expect(small.size).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(usual.size).toBeGreaterThan(small.size);
  });
});
