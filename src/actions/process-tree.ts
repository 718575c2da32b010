import { isHoldingSocket } from '../core/match.js';
import { readNetTables } from '../probe/proc-net.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseProcStat, readProcessInfo } from '../probe/proc-process.js';
import { OnceOwners } from '../probe/once-owners.js';
import type { ProcessInfo, Protocol } from '../core/types.js';

/** What vhtop must never signal: itself and its ancestors; as a group, its own or an ancestor's. */
export interface SelfGuard {
  readonly pid: number;
  readonly pgid: number;
  /** Parent, grandparent, ... up to init. */
  readonly ancestors: ReadonlySet<number>;
  /**
   * Process groups of those ancestors. A group kill of one of them would hit vhtop's shell or
   * terminal even when the ancestor is not the group's leader (optional for hand-made guards).
   */
  readonly ancestorGroups?: ReadonlySet<number>;
}

/**
 * The chain of parents of `pid`, nearest first, ending before pid 1 (or after `max` steps, which also
 * protects against a cycle in a hand-made /proc fixture).
 */
export function parentChain(pid: number, procRoot = '/proc', max = 16): ProcessInfo[] {
  const chain: ProcessInfo[] = [];
  let current = readProcessInfo(pid, procRoot);
  while (current && current.ppid > 1 && chain.length < max) {
    const parent = readProcessInfo(current.ppid, procRoot);
    if (!parent) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/** Describes a parent chain as `sh(120) ← npm(100)`: the holder's wrappers, nearest first. */
export function describeChain(chain: readonly ProcessInfo[]): string {
  return chain.map((p) => `${p.name}(${p.pid})`).join(' ← ');
}

/** The guard for the running vhtop. */
export function selfGuard(procRoot = '/proc'): SelfGuard {
  const me = readProcessInfo(process.pid, procRoot);
  const chain = parentChain(process.pid, procRoot, 64);
  const ancestors = new Set<number>(chain.map((p) => p.pid));
  ancestors.add(process.ppid);
  const ancestorGroups = new Set<number>(chain.map((p) => p.pgid).filter((g) => g > 1));
  return { pid: process.pid, pgid: me?.pgid ?? process.pid, ancestors, ancestorGroups };
}

/** Kernel threads (children of kthreadd, or kthreadd itself) have no user-space program to stop. */
export function isKernelThread(info: Pick<ProcessInfo, 'pid' | 'ppid'>): boolean {
  return info.pid === 2 || info.ppid === 2 || (info.ppid === 0 && info.pid !== 1);
}

/**
 * The listening sockets of `pid` (on `port` when given) among `listening` (from
 * {@link listeningInodes}), ascending: what must be gone after the kill. Reads only that pid's fds,
 * through the probe's owner scanner, so kill and the probe agree on what "holds a socket" means.
 */
export function listeningSocketsOf(pid: number, port: number | null, listening: ReadonlyMap<number, number>, procRoot = '/proc'): number[] {
  const wanted = new Set<number>();
  for (const [inode, p] of listening) if (port === null || p === port) wanted.add(inode);
  if (wanted.size === 0) return [];
  const owners = new OnceOwners(procRoot);
  owners.rescanPid(pid, wanted);
  return [...wanted].filter((i) => owners.ownersOf(i).includes(pid)).sort((a, b) => a - b);
}

/**
 * Pids other than `exclude` that hold any of `inodes`: after a kill, these keep the port open (a
 * forked worker that inherited the listening socket). Processes we cannot read are not reported.
 */
export function holdersOfInodes(inodes: readonly number[], exclude: ReadonlySet<number>, procRoot = '/proc'): number[] {
  if (inodes.length === 0) return [];
  // One full pass over /proc/*/fd, the one-shot probe's own scan.
  const owners = new OnceOwners(procRoot);
  try {
    owners.update(new Set(inodes));
  } catch {
    return []; // procRoot itself unreadable
  }
  const holders = new Set<number>();
  for (const inode of inodes) for (const pid of owners.ownersOf(inode)) if (!exclude.has(pid)) holders.add(pid);
  return [...holders].sort((a, b) => a - b);
}

/**
 * Inodes of listening TCP sockets and bound UDP sockets, with their local port, from the probe's
 * reader of `${procRoot}/net/{tcp,tcp6,udp,udp6}`. Used to tell a process's listening socket apart
 * from its stdio pipes and client connections when a kill target came without the listener's inode.
 */
export function listeningInodes(procRoot = '/proc'): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of holdingSockets(procRoot)) out.set(s.inode, s.port);
  return out;
}

/** One listening TCP / bound UDP socket from the net tables. */
export interface HoldingSocket {
  readonly inode: number;
  readonly port: number;
  readonly protocol: Protocol;
}

/** Every listening TCP socket and bound UDP socket of `${procRoot}/net/*` with an inode. */
export function holdingSockets(procRoot = '/proc'): HoldingSocket[] {
  const out: HoldingSocket[] = [];
  for (const s of readNetTables(procRoot).sockets) if (s.inode > 0 && isHoldingSocket(s)) out.push({ inode: s.inode, port: s.localPort, protocol: s.protocol });
  return out;
}

/**
 * Live (not zombie) members of process group `pgid`, ascending: what a group kill still has to end.
 * Reads only `${procRoot}/PID/stat`; unreadable entries (just exited) are skipped.
 */
export function groupMembers(pgid: number, procRoot = '/proc'): number[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = readFileSync(path.join(procRoot, name, 'stat'), 'latin1');
    } catch {
      continue;
    }
    const stat = parseProcStat(text);
    if (stat && stat.pgid === pgid && stat.state !== 'Z') out.push(Number(name));
  }
  return out.sort((a, b) => a - b);
}
