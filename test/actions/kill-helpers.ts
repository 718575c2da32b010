/**
 * Real processes for the kill tests: listeners on port 0 (the OS picks), started detached so that
 * each is its own process group and a group kill can never reach the test runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseProcStat, readProcessInfo, type ProcStat } from '../../src/probe/proc-process.js';
import { waitFor } from '../helpers/poll.js';

const PY = 'python3';

const LISTEN = `
import os, signal, socket, sys, time
mode = sys.argv[1]
if mode == 'ignore-term':
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 0))
s.listen(8)
extra = ''
if mode == 'fork':
    child = os.fork()
    if child == 0:
        time.sleep(600)
        os._exit(0)
    extra = ' ' + str(child)
print(str(s.getsockname()[1]) + ' ' + str(os.getpid()) + extra, flush=True)
time.sleep(600)
`;

/** One started listener. */
export interface Started {
  readonly child: ChildProcess;
  /** The process that holds the port (for a wrapper: the python child, not sh). */
  readonly pid: number;
  readonly port: number;
  /** fork mode: the forked second holder. */
  readonly second: number | null;
}

/** Every process we started, with its start time so that cleanup never hits a reused pid. */
const tracked: { pid: number; startTime: number }[] = [];

function track(pid: number | undefined): void {
  const info = pid !== undefined ? readProcessInfo(pid) : null;
  if (info) tracked.push({ pid: info.pid, startTime: info.startTime });
}

/**
 * Starts a listener. `wrapper` runs it under `sh -c '...; true'` so that sh stays as its parent.
 * `exe` is the python to run (a symlink named docker-proxy makes a process with that name).
 */
export async function startListener(mode: 'plain' | 'ignore-term' | 'fork' | 'wrapper', exe = PY): Promise<Started> {
  const pyMode = mode === 'wrapper' ? 'plain' : mode;
  const child =
    mode === 'wrapper'
      ? spawn('sh', ['-c', `${PY} -c "$VHTOP_TEST_PY" ${pyMode}; true`], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VHTOP_TEST_PY: LISTEN } })
      : spawn(exe, ['-c', LISTEN, pyMode], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  track(child.pid);
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (c: string) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`listener exited early (${code})`)));
  });
  const [port, pid, second] = line.trim().split(' ').map(Number);
  if (second) track(second);
  if (mode === 'wrapper') track(pid);
  return { child, pid: pid as number, port: port as number, second: second ?? null };
}

const ZOMBIE = `
import os, time
child = os.fork()
if child == 0:
    os._exit(0)
print(child, flush=True)
time.sleep(600)
`;

/** A parent that never reaps its exited child: returns both pids once the child is a zombie. */
export async function startZombie(): Promise<{ parent: number; zombie: number }> {
  const child = spawn(PY, ['-c', ZOMBIE], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  track(child.pid);
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8');
    child.stdout?.once('data', (c: string) => resolve(c));
    child.on('exit', (code) => reject(new Error(`zombie maker exited early (${code})`)));
  });
  const zombie = Number(line.trim());
  await waitFor(() => readProcessInfo(zombie)?.state === 'Z');
  return { parent: child.pid as number, zombie };
}

/** State letter of a pid, or null when it is gone (zombies count as gone). */
export function stateOf(pid: number): string | null {
  let stat: ProcStat | null;
  try {
    stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return null;
  }
  return stat === null || stat.state === 'Z' ? null : stat.state;
}

/** Re-exported for the tests that import it from here (test/ui); new code imports test/helpers/poll. */
export { waitFor };

/** Kills everything these helpers started that still runs, even after a failed test. */
export function cleanupStarted(): void {
  for (const t of tracked.splice(0)) {
    const info = readProcessInfo(t.pid);
    if (!info || info.startTime !== t.startTime) continue;
    try {
      process.kill(t.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
