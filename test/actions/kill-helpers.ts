/**
 * Real processes for the kill tests: listeners on port 0 (the OS picks), started detached so that
 * each is its own process group and a group kill can never reach the test runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseProcStat, readProcessInfo, type ProcStat } from '../../src/probe/proc-process.js';
import { groupMembers } from '../../src/actions/process-tree.js';
import { waitFor } from '../helpers/poll.js';

const PY = 'python3';

const LISTEN = `
import os, signal, socket, sys, time
mode = sys.argv[1]
if mode == 'ignore-term':
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
else:
    # Under a wrapper that ignores TERM the ignore is inherited: this holder must still die of TERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
host = sys.argv[2] if len(sys.argv) > 2 else '127.0.0.1'
want = int(sys.argv[3]) if len(sys.argv) > 3 else 0
def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mode == 'reuseport':
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((host, port))
    s.listen(8)
    return s
s = listener(want)
extra = ''
if mode == 'fork':
    child = os.fork()
    if child == 0:
        time.sleep(600)
        os._exit(0)
    extra = ' ' + str(child)
if mode == 'reuseport':
    # A second process with its OWN socket on the same port (not an inherited one).
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        port = s.getsockname()[1]
        s.close()
        mine = listener(port)
        os.write(w, b'x')
        time.sleep(600)
        os._exit(0)
    os.read(r, 1)
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
  /** fork / reuseport mode: the second holder. */
  readonly second: number | null;
}

/** Listener kinds: see {@link startListener}. */
export type ListenerMode = 'plain' | 'ignore-term' | 'fork' | 'wrapper' | 'stubborn-wrapper' | 'reuseport';

/**
 * Every process we started, with its start time so that cleanup never hits a reused pid. `group`:
 * it was started detached, so it leads its own process group and cleanup ends the whole group.
 */
const tracked: { pid: number; startTime: number; group: boolean }[] = [];

function track(pid: number | undefined, group = false): void {
  const info = pid !== undefined ? readProcessInfo(pid) : null;
  if (info) tracked.push({ pid: info.pid, startTime: info.startTime, group: group && info.pgid === info.pid });
}

/** Where a listener binds and how it is started. */
export interface ListenerPlace {
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Port to bind (default 0: the OS picks). */
  readonly port?: number;
  /** A command the listener runs under, e.g. setpriv to another user. */
  readonly prefix?: readonly string[];
}

/**
 * Starts a listener. `reuseport`: a second process binds its own SO_REUSEPORT socket to the same port. `wrapper` runs it under `sh -c '...; true'` so that sh stays as its parent.
 * `exe` is the python to run (a symlink named docker-proxy makes a process with that name).
 */
export async function startListener(mode: ListenerMode, exe = PY, where: ListenerPlace = {}): Promise<Started> {
  const wrapped = mode === 'wrapper' || mode === 'stubborn-wrapper';
  const pyMode = wrapped ? 'plain' : mode;
  const place = [where.host ?? '127.0.0.1', String(where.port ?? 0)];
  const prefix = where.prefix ?? [];
  // stubborn-wrapper: sh ignores TERM and goes on to a `sleep` (which inherits the ignore) when its child dies.
  const script = mode === 'stubborn-wrapper' ? `trap "" TERM; ${PY} -c "$VHTOP_TEST_PY" ${pyMode} ${place.join(' ')}; sleep 600` : `${PY} -c "$VHTOP_TEST_PY" ${pyMode} ${place.join(' ')}; true`;
  const child = wrapped
    ? spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VHTOP_TEST_PY: LISTEN } })
    : spawn(prefix[0] ?? exe, [...prefix.slice(1), ...(prefix.length > 0 ? [exe] : []), '-c', LISTEN, pyMode, ...place], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  track(child.pid, true);
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
  if (wrapped) track(pid);
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
    const same = info !== null && info.startTime === t.startTime;
    // A group whose leader died keeps its id while members live (the kernel does not reuse it).
    const target = t.group && ((same && info.pgid === t.pid) || (!info && groupMembers(t.pid).length > 0)) ? -t.pid : same ? t.pid : null;
    if (target === null) continue;
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
