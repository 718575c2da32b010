import { readProcessInfo } from '../probe/proc-process.js';
import type { ProcessInfo, Protocol } from '../core/types.js';
import { describeChain, holdingSockets, isKernelThread, listeningSocketsOf, parentChain, type SelfGuard } from './process-tree.js';
import { isSignalablePid } from './signals.js';
import { isDockerDaemonProcess } from '../probe/docker-proxy.js';

/**
 * A process as it was when the user was asked. Every later signal is sent only if the pid still has
 * this start time: a pid can be reused by an unrelated program between question and answer.
 */
export interface FrozenTarget {
  readonly pid: number;
  readonly startTime: number;
  readonly uid: number;
  readonly user: string;
  readonly name: string;
  readonly command: string;
  readonly ppid: number;
  readonly pgid: number;
  /** State letter when frozen (T = stopped, Z = zombie). */
  readonly state: string;
  /** The port the user picked it by, or null. */
  readonly port: number | null;
  /** Protocol of its listening socket(s) on that port, or null when unknown or mixed (then both are checked). */
  readonly protocol: Protocol | null;
  /** Socket inodes to check after the kill: the listener's inode, else every socket the process held. */
  readonly inodes: readonly number[];
  /** Parents, nearest first (wrappers like sh -c, npm, nodemon). */
  readonly chain: readonly ProcessInfo[];
  /** The group leader when frozen (for a `--tree` kill), or null when the leader was not readable. */
  readonly leader: { readonly pid: number; readonly startTime: number; readonly name: string; readonly dockerDaemon?: boolean } | null;
  /** Catalogue service id of the port, if any (for the docker compose hint). */
  readonly service: string | null;
  /** Compose service name of that catalogue entry, if any. */
  readonly dockerService: string | null;
  /** Docker's real port publisher (verified by executable and parent, not by name). */
  readonly dockerProxy: boolean;
  /** Runs a Docker daemon executable (dockerd, containerd, a shim). */
  readonly dockerDaemon?: boolean;
}

/** Where the target came from besides its pid. */
export interface FreezeContext {
  readonly port?: number | null;
  readonly inode?: number | null;
  readonly service?: string | null;
  readonly dockerService?: string | null;
  readonly procRoot?: string;
}

/** Reads and freezes `pid`; null when there is no such process (or the pid is not a valid one). */
export function freezeTarget(pid: number, ctx: FreezeContext = {}): FrozenTarget | null {
  if (!isSignalablePid(pid)) return null;
  const procRoot = ctx.procRoot ?? '/proc';
  const info = readProcessInfo(pid, procRoot);
  if (!info) return null;
  const leaderInfo = info.pgid === info.pid ? info : readProcessInfo(info.pgid, procRoot);
  const inode = ctx.inode ?? null;
  const sockets = new Map(holdingSockets(procRoot).map((s) => [s.inode, s] as const));
  const listening = new Map([...sockets].map(([i, s]) => [i, s.port] as const));
  const inodes = inode !== null && inode > 0 ? [inode] : listeningSocketsOf(pid, ctx.port ?? null, listening, procRoot);
  // A bare pid:N target still gets its port (when it listens on exactly one) for the after-kill check.
  const ports = new Set(inodes.map((i) => listening.get(i)).filter((p): p is number => p !== undefined));
  const port = ctx.port ?? (ports.size === 1 ? [...ports][0] ?? null : null);
  const protocols = new Set(inodes.map((i) => sockets.get(i)?.protocol).filter((p): p is Protocol => p !== undefined));
  return {
    pid: info.pid,
    startTime: info.startTime,
    uid: info.uid,
    user: info.user,
    name: info.name,
    command: info.command,
    ppid: info.ppid,
    pgid: info.pgid,
    state: info.state,
    port,
    protocol: protocols.size === 1 ? ([...protocols][0] ?? null) : null,
    inodes,
    chain: parentChain(pid, procRoot),
    leader:
      leaderInfo && leaderInfo.pgid === info.pgid
        ? { pid: leaderInfo.pid, startTime: leaderInfo.startTime, name: leaderInfo.name, dockerDaemon: leaderInfo.dockerProxy === true || isDockerDaemonProcess(leaderInfo.pid, procRoot) }
        : null,
    service: ctx.service ?? null,
    dockerService: ctx.dockerService ?? null,
    dockerProxy: info.dockerProxy === true,
    dockerDaemon: isDockerDaemonProcess(info.pid, procRoot),
  };
}

/**
 * What to do about a holder vhtop cannot see. Not root: "try sudo". Root already sees every process
 * of its own PID namespace, so an unseen holder is in another one (a container): sudo would not help.
 */
export function unseenHint(open = '; ', close = '', uid: number | undefined = process.getuid?.()): string {
  return uid === 0 ? `${open}it is in another PID namespace (a container?)${close}` : `${open}try sudo${close}`;
}

/** The `docker compose stop` line to offer instead of killing a Docker daemon. */
export function composeStopHint(t: Pick<FrozenTarget, 'service' | 'dockerService' | 'port'>): string {
  const name = t.dockerService ?? t.service ?? '<service>';
  return `docker compose stop ${name}`;
}

/** Who reads a refusal: the command line (points to `vhtop logs`) or the TUI (points to its `l` key). */
export type RefusalAudience = 'cli' | 'tui';

/**
 * Why this target must not be signalled (one sentence), or null when it may be. A single pid is
 * refused only for vhtop itself and its ancestors (a script's own background server shares vhtop's
 * process group and must stay killable); `tree` also refuses a group that contains vhtop or an ancestor.
 */
export function refusalReason(t: FrozenTarget, guard: SelfGuard, tree = false, audience: RefusalAudience = 'cli'): string | null {
  const who = `pid ${t.pid} (${t.name})`;
  if (!isSignalablePid(t.pid)) return `refusing pid ${t.pid}: not a process that can be killed`;
  if (t.pid === guard.pid) return `refusing ${who}: that is vhtop itself`;
  if (guard.ancestors.has(t.pid)) return `refusing ${who}: it is a parent of vhtop (your shell or terminal)`;
  if (isKernelThread(t)) return `refusing ${who}: it is a kernel thread`;
  if (t.dockerProxy || t.dockerDaemon === true) {
    const port = t.port !== null ? `port ${t.port} is published by a container` : 'it runs containers';
    const logs = audience === 'tui' ? 'l on its row' : `vhtop logs ${t.service ?? '<service>'}`;
    return `not killing ${t.name} (pid ${t.pid}): ${port}; see its logs (${logs}) or stop it with: ${composeStopHint(t)}`;
  }
  if (tree) {
    if (t.leader === null) return `refusing group ${t.pgid}: its leader is gone; kill pid ${t.pid} alone`;
    if (!isSignalablePid(t.pgid)) return `refusing group ${t.pgid}: not a group that can be killed`;
    // vhtop's own group holds the script or shell that started it: a single pid of it may go (its
    // own background server), the whole group may not.
    if (t.pgid === guard.pgid || guard.ancestors.has(t.pgid) || guard.ancestorGroups?.has(t.pgid) || t.pgid === guard.pid) return `refusing group ${t.pgid}: it contains vhtop or its shell`;
    if (t.leader.dockerDaemon === true) return `refusing group ${t.pgid}: its leader is ${t.leader.name}`;
  }
  return null;
}

/** One line for confirmations and --dry-run: pid, user, command, port, parent chain. */
export function describeTarget(t: FrozenTarget): string {
  const port = t.port !== null ? ` on port ${t.port}` : '';
  const chain = t.chain.length > 0 ? `; parents: ${describeChain(t.chain)}` : '';
  return `pid ${t.pid} (${t.name}) user ${t.user}${port}: ${t.command}${chain}`;
}
