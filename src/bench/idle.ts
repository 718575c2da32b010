import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addCleanup } from './cleanup.js';
import { clockTicksPerSecond, countSockets, readCpuTicks } from './proc.js';

/** Idle cost of the real TUI. */
export interface IdleCost {
  /** CPU over the window as % of one core. */
  readonly percentOfCore: number;
  readonly windowSeconds: number;
  readonly pid: number;
  /** Sockets on the machine when the window ended (an "ordinary machine" has a few hundred). */
  readonly machineSockets: number;
  /** Wall time from starting the pane to the first drawn screen (node start-up included), ms; 20 ms resolution. */
  readonly firstFrameMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value or `limitMs` passes (a limit, not a measure). */
async function pollFor<T>(check: () => T | null, limitMs: number, everyMs = 100): Promise<T | null> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = check();
    if (v !== null) return v;
    if (Date.now() > end) return null;
    await sleep(everyMs);
  }
}

/** The first descendant (or `pid` itself) that is node (or renamed itself vhtop): a shell may sit in between. */
export function findNodePid(pid: number, procRoot = '/proc'): number | null {
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    try {
      const comm = readFileSync(`${procRoot}/${p}/comm`, 'utf8').trim();
      if (comm === 'node' || comm === 'vhtop') return p;
      const kids = readFileSync(`${procRoot}/${p}/task/${p}/children`, 'utf8').trim();
      if (kids) queue.push(...kids.split(/\s+/).map(Number));
    } catch {
      // gone
    }
  }
  return null;
}

/**
 * Starts `node bin/vhtop.js` (default interval, bundled or local registry) in a detached 120x40
 * pane of a private tmux server, waits until it has drawn something and `settleMs` more (start-up
 * is not idle), then reads its utime+stime from /proc over `windowSeconds`. The tmux server is
 * killed afterwards, also on Ctrl-C (registered cleanup).
 */
export async function measureIdle(cwd: string, windowSeconds: number, settleMs = 3_000): Promise<IdleCost> {
  const socket = `vhtop-bench-${process.pid}`;
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let socketPath: string | null = null;
  const kill = (): void => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    // kill-server leaves the socket file behind in /tmp/tmux-UID.
    if (socketPath) rmSync(socketPath, { force: true });
  };
  const errFile = path.join(tmpdir(), `${socket}.stderr`);
  const reason = (): string => {
    try {
      return lastLine(readFileSync(errFile, 'utf8')) || 'no error output';
    } catch {
      return 'no error output';
    }
  };
  let pid: number | null = null;
  const unregister = addCleanup(kill);
  try {
    // remain-on-exit keeps the pane when vhtop dies; its stderr goes to a file so the reason can be shown.
    const started = performance.now();
    tmux('start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';',
      'new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', 'sh', '-c', 'exec node bin/vhtop.js 2>"$1"', 'sh', errFile);
    socketPath = tmux('display-message', '-p', '#{socket_path}').trim() || null;
    const panePid = Number(tmux('display-message', '-p', '-t', 'bench', '#{pane_pid}').trim());
    pid = await pollFor(() => findNodePid(panePid), 10_000, 20);
    if (pid === null) throw new Error(`the TUI did not start in tmux: ${reason()}`);
    const capture = (): string => tmux('capture-pane', '-p', '-t', 'bench');
    const dead = (): boolean => tmux('display-message', '-p', '-t', 'bench', '#{pane_dead}').trim() === '1';
    const drawn = await pollFor(() => (dead() ? false : capture().trim() !== '' ? true : null), 20_000, 20);
    if (drawn !== true) throw new Error(`the TUI did not come up: ${reason()}`);
    const firstFrameMs = performance.now() - started;
    await sleep(settleMs);
    const hz = clockTicksPerSecond();
    const before = readCpuTicks(pid);
    const t0 = Date.now();
    await sleep(windowSeconds * 1000);
    const after = readCpuTicks(pid);
    const seconds = (Date.now() - t0) / 1000;
    if (before === null || after === null || dead()) throw new Error(`the TUI exited during the window: ${reason()}`);
    return { percentOfCore: ((after - before) / hz / seconds) * 100, windowSeconds: seconds, pid, machineSockets: countSockets(), firstFrameMs };
  } finally {
    kill();
    // kill-server hangs the pane up (SIGHUP); give the TUI a moment to restore and exit, then insist.
    const tui = pid;
    if (tui !== null && (await pollFor(() => (readCpuTicks(tui) === null ? true : null), 5_000)) === null) {
      try {
        process.kill(tui, 'SIGKILL');
      } catch {
        // gone after all
      }
    }
    unregister();
    rmSync(errFile, { force: true });
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .pop() ?? ''
  );
}
