import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { readProcessInfo } from '../probe/proc-process.js';
import type { ProcessInfo } from '../core/types.js';

/** What vhtop must never signal: itself, its ancestors, its own process group. */
export interface SelfGuard {
  readonly pid: number;
  readonly pgid: number;
  /** Parent, grandparent, ... up to init. */
  readonly ancestors: ReadonlySet<number>;
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
  const ancestors = new Set<number>(parentChain(process.pid, procRoot, 64).map((p) => p.pid));
  ancestors.add(process.ppid);
  return { pid: process.pid, pgid: me?.pgid ?? process.pid, ancestors };
}

/** Kernel threads (children of kthreadd, or kthreadd itself) have no user-space program to stop. */
export function isKernelThread(info: ProcessInfo): boolean {
  return info.pid === 2 || info.ppid === 2 || (info.ppid === 0 && info.pid !== 1);
}

/** Socket inodes held by `pid` (from the `socket:[N]` links in /proc/PID/fd); empty when unreadable. */
export function socketInodesOf(pid: number, procRoot = '/proc'): number[] {
  const dir = path.join(procRoot, String(pid), 'fd');
  const out = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    return [];
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(path.join(dir, fd)));
      if (m) out.add(Number(m[1]));
    } catch {
      // fd closed while we looked.
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Pids other than `exclude` that hold any of `inodes`: after a kill, these keep the port open (a
 * forked worker that inherited the listening socket). Processes we cannot read are not reported.
 */
export function holdersOfInodes(inodes: readonly number[], exclude: ReadonlySet<number>, procRoot = '/proc'): number[] {
  if (inodes.length === 0) return [];
  const wanted = new Set(inodes);
  const holders: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (exclude.has(pid)) continue;
    if (socketInodesOf(pid, procRoot).some((i) => wanted.has(i))) holders.push(pid);
  }
  return holders.sort((a, b) => a - b);
}

/**
 * Inodes of listening TCP sockets and bound UDP sockets, with their local port, from
 * `${procRoot}/net/{tcp,tcp6,udp,udp6}`. Used to tell a process's listening socket apart from its
 * stdio pipes and client connections when a kill target came without the listener's inode.
 */
export function listeningInodes(procRoot = '/proc'): Map<number, number> {
  const out = new Map<number, number>();
  for (const file of ['tcp', 'tcp6', 'udp', 'udp6']) {
    let text: string;
    try {
      text = readFileSync(path.join(procRoot, 'net', file), 'latin1');
    } catch {
      continue;
    }
    // Columns: sl local_address rem_address st ... inode (10th); 0A = LISTEN, 07 = UDP unconnected.
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const state = cols[3];
      const inode = Number(cols[9]);
      const port = parseInt(cols[1]?.split(':')[1] ?? '', 16);
      if ((state === '0A' || (file.startsWith('udp') && state === '07')) && inode > 0 && Number.isFinite(port)) out.set(inode, port);
    }
  }
  return out;
}
