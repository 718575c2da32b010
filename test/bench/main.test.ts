import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs the built bench (like the e2e tests run the built CLI): build first with `npx tsc -p .`.
const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'bench', 'main.js');

function gone(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return true;
  }
}

async function interruptDuringRun(signal: NodeJS.Signals, expectedCode: number): Promise<void> {
  // Many reps so that the bench is surely still timing when the signal arrives.
  const bench = spawn(process.execPath, [MAIN, '--sockets', '300', '--reps', '100', '--idle-seconds', '0', '--startup-reps', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let err = '';
    const farmPid = await new Promise<number>((resolve, reject) => {
      bench.stderr.setEncoding('utf8');
      bench.stderr.on('data', (d: string) => {
        err += d;
        const m = /farm pid (\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      bench.once('exit', () => reject(new Error(`bench ended before the farm was up:\n${err}`)));
    });
    expect(gone(farmPid)).toBe(false);
    const exited = new Promise<number | null>((resolve) => bench.once('exit', (code) => resolve(code)));
    bench.kill(signal);
    expect(await exited).toBe(expectedCode);
    for (let i = 0; i < 100 && !gone(farmPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(gone(farmPid)).toBe(true);
    expect(err).toContain(`${signal}: cleaning up`);
  } finally {
    bench.kill('SIGKILL');
  }
}

describe('npm run bench (built)', () => {
  it('kills its socket farm on Ctrl-C (SIGINT) and exits 130', () => interruptDuringRun('SIGINT', 130));
  it('kills its socket farm on SIGTERM and exits 143', () => interruptDuringRun('SIGTERM', 143));

  it('rejects a bad option with one line and exit 2, before opening anything', async () => {
    const bench = spawn(process.execPath, [MAIN, '--sockets', 'lots'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bench.stderr.setEncoding('utf8');
    bench.stderr.on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => bench.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('bench: --sockets must be an integer from 3 to 60000 (got "lots")');
  });
});
