import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { trackChild } from './cleanup.js';

/** Most sockets one farm may open: 20,000 listeners stay inside the default ephemeral port range. */
export const MAX_FARM_SOCKETS = 60_000;

/**
 * The farm itself, run as `python3 -c FARM_SCRIPT LISTENERS`. Python because it can raise its own
 * RLIMIT_NOFILE (node cannot) and opens 5,000 listeners in well under a second.
 *
 * - every socket gets SO_LINGER {on, 0}: closing sends RST instead of leaving TIME-WAIT sockets,
 *   which would otherwise pollute the socket count of the next run;
 * - all listeners are bound first, then the clients connect: bind(port 0) and connect() draw from
 *   the same ephemeral range, and listeners cannot share a port;
 * - it prints `ready COUNT PID` and then blocks on stdin: a line `stop` or EOF (the parent died)
 *   ends it, so a crashed bench cannot leak 15,000 sockets;
 * - a line `timewait N` makes N connections to one extra listener and closes each from the client
 *   side first, without SO_LINGER: the kernel keeps N TIME-WAIT sockets (inode 0, no owner) for
 *   about 60 s, as on a server that handles many short requests. It answers `timewait COUNT`.
 */
export const FARM_SCRIPT = String.raw`
import os, resource, socket, struct, sys
listeners = int(sys.argv[1])
need = listeners * 3 + 64
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < need:
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, max(need, hard)))
    except (ValueError, OSError) as e:
        sys.stderr.write("farm: cannot raise the fd limit to %d (soft %d, hard %d): %s\n" % (need, soft, hard, e))
        sys.exit(3)
linger = struct.pack("ii", 1, 0)
held = []
try:
    servers = []
    for _ in range(listeners):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        s.bind(("127.0.0.1", 0))
        s.listen(4)
        servers.append(s)
    held.extend(servers)
    for s in servers:
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        c.connect(s.getsockname())
        a, _ = s.accept()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        held.append(c)
        held.append(a)
except OSError as e:
    sys.stderr.write("farm: stopped after %d sockets: %s\n" % (len(held), e))
    sys.exit(4)
sys.stdout.write("ready %d %d\n" % (len(held), os.getpid()))
sys.stdout.flush()
for line in sys.stdin:
    words = line.split()
    if words == ["stop"]:
        break
    if len(words) == 2 and words[0] == "timewait":
        made = 0
        try:
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            t.bind(("127.0.0.1", 0))
            t.listen(128)
            for _ in range(int(words[1])):
                c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                c.connect(t.getsockname())
                a, _ = t.accept()
                c.close()
                a.recv(1)
                a.close()
                made += 1
            t.close()
        except OSError as e:
            sys.stderr.write("farm: %d TIME-WAIT sockets made: %s\n" % (made, e))
        sys.stdout.write("timewait %d\n" % made)
        sys.stdout.flush()
for s in held:
    s.close()
`;

/** Environment variable that carries {@link FARM_SCRIPT} to the farm process. */
const FARM_ENV = 'VHTOP_BENCH_FARM';

/** The farm's whole argv script: run the one in the environment. */
const FARM_BOOT = `import os; exec(os.environ.pop("${FARM_ENV}"))`;

/** A running socket farm. */
export interface SocketFarm {
  /** Pid of the python process that holds the sockets. */
  readonly pid: number;
  /** Sockets really open: listeners + clients + accepted server sides. */
  readonly sockets: number;
  /** Leaves `count` TIME-WAIT sockets on the machine (they expire ~60 s later); resolves with how many were made. */
  timeWait(count: number): Promise<number>;
  /** Ends the farm (stop line, then SIGKILL after `graceMs`). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Listeners needed for about `sockets` sockets (each listener brings a client and an accepted side). */
export function listenersFor(sockets: number): number {
  if (!Number.isInteger(sockets) || sockets < 3 || sockets > MAX_FARM_SOCKETS) {
    throw new RangeError(`sockets must be an integer from 3 to ${MAX_FARM_SOCKETS} (got ${sockets})`);
  }
  return Math.floor(sockets / 3);
}

/**
 * Starts a farm of about `sockets` sockets and resolves once all are open.
 * Rejects (after cleaning up) when python3 is missing, the fd limit cannot be raised or
 * `timeoutMs` passes first.
 */
export function startFarm(sockets: number, timeoutMs = 60_000): Promise<SocketFarm> {
  const listeners = listenersFor(sockets);
  // Tracked so that Ctrl-C, SIGTERM or an exception in the bench SIGKILLs it (see cleanup.ts).
  // The script travels in the environment, not in argv: vhtop shows each socket's command line, and
  // a 1.5 KB script as argv made every one of the 15k rows of `list --json` carry it (~22 MB of
  // output, ~70 ms), which ss and lsof (process names only) never pay. A server's command line is short.
  const child = trackChild(
    spawn('python3', ['-c', FARM_BOOT, String(listeners)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, [FARM_ENV]: FARM_SCRIPT },
    }),
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  // An EPIPE on a farm that already died must not crash the bench.
  child.stdin.on('error', () => undefined);

  const stop = async (graceMs = 5_000): Promise<void> => {
    // pid is undefined when python3 never started: there is nothing to wait for.
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end('stop\n');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<SocketFarm>((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop(1_000).then(() => reject(new Error(`socket farm: ${why}${stderr ? `: ${stderr.trim()}` : ''}`)));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code, signal) => fail(`exited early (${signal ?? `code ${code}`})`));
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const m = /^ready (\d+) (\d+)$/.exec(line);
      if (!m) return fail(`unexpected output ${JSON.stringify(line)}`);
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const timeWait = (count: number): Promise<number> =>
        new Promise((done, refuse) => {
          const onExit = (): void => refuse(new Error(`socket farm exited before making TIME-WAIT sockets${stderr ? `: ${stderr.trim()}` : ''}`));
          child.once('exit', onExit);
          lines.once('line', (answer) => {
            child.off('exit', onExit);
            const t = /^timewait (\d+)$/.exec(answer);
            if (t) done(Number(t[1]));
            else refuse(new Error(`socket farm: unexpected output ${JSON.stringify(answer)}`));
          });
          child.stdin.write(`timewait ${Math.max(0, Math.floor(count))}\n`);
        });
      resolve({ pid: Number(m[2]), sockets: Number(m[1]), timeWait, stop });
    });
  });
}
