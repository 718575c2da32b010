import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findNodePid, measureIdle } from '../../src/bench/idle.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A directory whose bin/vhtop.js is `code`: measureIdle runs `node bin/vhtop.js` there. */
function standIn(code: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-idle-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'vhtop.js'), code);
  return dir;
}

/** The socket file of this process's private tmux server (must be gone after a measurement). */
const socketFile = (): string => path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, `vhtop-bench-${process.pid}`);

function tmuxServerRunning(): boolean {
  try {
    execFileSync('tmux', ['-L', `vhtop-bench-${process.pid}`, 'list-sessions'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('idle CPU of the TUI in tmux', () => {
  it('reads the CPU of the program in the pane (busy > sleeping) and removes the tmux server afterwards', async () => {
    const sleeping = standIn("process.stdout.write('vhtop stand-in\\n'); setInterval(() => {}, 2000);");
    const busy = standIn("process.stdout.write('busy stand-in\\n'); setInterval(() => { const end = Date.now() + 40; while (Date.now() < end); }, 50);");
    const quiet = await measureIdle(sleeping, 1, 200);
    expect(tmuxServerRunning()).toBe(false);
    expect(existsSync(socketFile())).toBe(false);
    expect(alive(quiet.pid)).toBe(false);
    const loaded = await measureIdle(busy, 1, 200);
    expect(tmuxServerRunning()).toBe(false);
    expect(quiet.percentOfCore).toBeGreaterThanOrEqual(0);
    expect(loaded.percentOfCore).toBeGreaterThan(quiet.percentOfCore);
    expect(quiet.machineSockets).toBeGreaterThan(0);
  });

  it('says why when the TUI does not come up, and still cleans up', async () => {
    const broken = standIn("process.stderr.write('vhtop: registry.yaml line 3: bad port\\n'); process.exit(2);");
    await expect(measureIdle(broken, 1, 200)).rejects.toThrow('vhtop: registry.yaml line 3: bad port');
    expect(tmuxServerRunning()).toBe(false);
  });

  it('finds node below a shell', async () => {
    const sh = spawn('sh', ['-c', `"${process.execPath}" -e "setTimeout(() => {}, 5000)"; true`], { stdio: 'ignore' });
    try {
      let found: number | null = null;
      for (let i = 0; i < 100 && found === null; i++) {
        found = findNodePid(sh.pid as number);
        if (found === null) await new Promise((r) => setTimeout(r, 20));
      }
      expect(found).not.toBeNull();
      expect(found).not.toBe(sh.pid);
      process.kill(found as number, 'SIGKILL');
    } finally {
      sh.kill('SIGKILL');
    }
  });
});
