import { readProcessInfo } from '../probe/proc-process.js';
import type { ProcessInfo } from '../core/types.js';
import { describeChain, isKernelThread, listeningInodes, listeningSocketsOf, parentChain, type SelfGuard } from './process-tree.js';
import { isSignalablePid } from './signals.js';

/** Programs that publish container ports: killing them breaks Docker, not the service. */
export const DOCKER_DAEMONS: ReadonlySet<string> = new Set(['docker-proxy', 'dockerd', 'containerd', 'containerd-shim', 'containerd-shim-runc-v2']);

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
  /** Socket inodes to check after the kill: the listener's inode, else every socket the process held. */
  readonly inodes: readonly number[];
  /** Parents, nearest first (wrappers like sh -c, npm, nodemon). */
  readonly chain: readonly ProcessInfo[];
  /** The group leader when frozen (for a `--tree` kill), or null when the leader was not readable. */
  readonly leader: { readonly pid: number; readonly startTime: number; readonly name: string } | null;
  /** Catalogue service id of the port, if any (for the docker compose hint). */
  readonly service: string | null;
  /** Compose service name of that catalogue entry, if any. */
  readonly dockerService: string | null;
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
  const listening = listeningInodes(procRoot);
  const inodes = inode !== null && inode > 0 ? [inode] : listeningSocketsOf(pid, ctx.port ?? null, listening, procRoot);
  // A bare pid:N target still gets its port (when it listens on exactly one) for the after-kill check.
  const ports = new Set(inodes.map((i) => listening.get(i)).filter((p): p is number => p !== undefined));
  const port = ctx.port ?? (ports.size === 1 ? [...ports][0] ?? null : null);
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
    inodes,
    chain: parentChain(pid, procRoot),
    leader: leaderInfo && leaderInfo.pgid === info.pgid ? { pid: leaderInfo.pid, startTime: leaderInfo.startTime, name: leaderInfo.name } : null,
    service: ctx.service ?? null,
    dockerService: ctx.dockerService ?? null,
  };
}

/** The `docker compose stop` line to offer instead of killing a Docker daemon. */
export function composeStopHint(t: Pick<FrozenTarget, 'service' | 'dockerService' | 'port'>): string {
  const name = t.dockerService ?? t.service ?? '<service>';
  return `docker compose stop ${name}`;
}

/**
 * Why this target must not be signalled (one sentence), or null when it may be. `tree` also refuses a
 * group that contains vhtop.
 */
export function refusalReason(t: FrozenTarget, guard: SelfGuard, tree = false): string | null {
  const who = `pid ${t.pid} (${t.name})`;
  if (!isSignalablePid(t.pid)) return `refusing pid ${t.pid}: not a process that can be killed`;
  if (t.pid === guard.pid) return `refusing ${who}: that is vhtop itself`;
  if (guard.ancestors.has(t.pid)) return `refusing ${who}: it is a parent of vhtop (your shell or terminal)`;
  if (t.pgid === guard.pgid) return `refusing ${who}: it is in vhtop's own process group`;
  if (isKernelThread(t)) return `refusing ${who}: it is a kernel thread`;
  if (DOCKER_DAEMONS.has(t.name)) {
    const port = t.port !== null ? `port ${t.port} is published by a container` : 'it runs containers';
    return `not killing ${t.name} (pid ${t.pid}): ${port}; see its logs (vhtop logs ${t.service ?? '<service>'}) or stop it with: ${composeStopHint(t)}`;
  }
  if (tree) {
    if (t.leader === null) return `refusing group ${t.pgid}: its leader is gone; kill pid ${t.pid} alone`;
    if (!isSignalablePid(t.pgid)) return `refusing group ${t.pgid}: not a group that can be killed`;
    if (guard.ancestors.has(t.pgid) || t.pgid === guard.pid) return `refusing group ${t.pgid}: it contains vhtop or its shell`;
    if (DOCKER_DAEMONS.has(t.leader.name)) return `refusing group ${t.pgid}: its leader is ${t.leader.name}`;
  }
  return null;
}

/** One line for confirmations and --dry-run: pid, user, command, port, parent chain. */
export function describeTarget(t: FrozenTarget): string {
  const port = t.port !== null ? ` on port ${t.port}` : '';
  const chain = t.chain.length > 0 ? `; parents: ${describeChain(t.chain)}` : '';
  return `pid ${t.pid} (${t.name}) user ${t.user}${port}: ${t.command}${chain}`;
}
