import { readlinkSync } from 'node:fs';
import { isDenied, listPids, withFdNames } from './fd-dir.js';

/** Tuning of the owner cache; the defaults suit a 2-second TUI tick. */
export interface SocketOwnerOptions {
  /**
   * A socket held by one live process is re-read (one readlink) every `verifyEvery` ticks (default
   * 8), in rotation by inode. Shared sockets (forked servers) are re-read every tick, because there
   * one holder can close its copy while the socket stays open. A single holder can only lose its
   * socket to another process by passing the fd (SCM_RIGHTS); new processes are scanned anyway.
   * One readlink per socket per tick would cost about as much as `ss -p` itself. 1 = every tick;
   * 0 = never, leaving single holders to the periodic full rescan (see {@link fullRescanMs}).
   */
  readonly verifyEvery?: number;
  /** A full /proc/*\/fd rescan at least this often (ms), the safety net for fds passed between processes. */
  readonly fullRescanMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** One fd of one process holding a socket. The link path is rebuilt when needed, not kept per socket. */
interface Holder {
  readonly pid: number;
  readonly fd: string;
}

/** pidFds value: the fd is not a socket. Positive values are socket inodes. */
const NOT_SOCKET = 0;
/** pidFds value: the fd held an inet socket that has since closed; the number may be reused. */
const STALE = -1;

const SOCKET_PREFIX = 'socket:[';

/** Inode of a "socket:[123]" link target, or 0 for anything else. */
export function socketInode(link: string): number {
  if (link.charCodeAt(0) !== 115 /* s */ || !link.startsWith(SOCKET_PREFIX)) return 0;
  let inode = 0;
  for (let i = SOCKET_PREFIX.length; i < link.length; i++) {
    const d = link.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return link.charCodeAt(i) === 93 /* ] */ ? inode : 0;
    inode = inode * 10 + d;
  }
  return 0;
}

/** {@link fdSocketInode} of an fd this process may not read (nor, then, any other fd of that process). */
export const FD_DENIED = -2;
/** {@link fdSocketInode} of an fd that cannot be read otherwise: closed since its directory was listed. */
export const FD_GONE = -1;

/**
 * The inode of the socket that the fd link at `path` (a /proc/PID/fd/N) names, 0 when it names
 * something else; {@link FD_DENIED} or {@link FD_GONE} when the link cannot be read.
 */
export function fdSocketInode(path: string): number {
  try {
    return socketInode(readlinkSync(path));
  } catch (e) {
    return isDenied(e) ? FD_DENIED : FD_GONE;
  }
}

/** Which processes hold which sockets: what LinuxProbe asks of {@link SocketOwners} and of OnceOwners. */
export interface OwnerIndex {
  /** Passes so far that read every fd of every process. */
  readonly fullScans: number;
  /** Brings the index up to date for `wanted`, the inodes now in /proc/net; only `searchable` ones justify a search. */
  update(wanted: ReadonlySet<number>, searchable?: ReadonlySet<number>): void;
  /** True when every socket with an inode is placed, or known to be unplaceable until the next full pass. */
  knowsAll(sockets: readonly { readonly inode: number }[]): boolean;
  /** Pids holding `inode`, ascending, without duplicates; empty when none is known. */
  ownersOf(inode: number): readonly number[];
  /** Pids whose open files could not be read (permission denied). */
  deniedPids(): ReadonlySet<number>;
  /** Forgets everything about `pid` (it exited, or its number now belongs to another process). */
  forgetPid(pid: number): void;
  /** Drops `pid` and reads its fds again. */
  rescanPid(pid: number, wanted: ReadonlySet<number>): void;
}

/**
 * Which processes hold which inet sockets, kept between collects of one probe instance.
 *
 * A full pass readlinks every /proc/PID/fd/N (what `ss -p` does too). Later passes only scan pids
 * not seen before, re-verify cached holders, and look for sockets that appeared since by listing fd
 * directories and reading only fd numbers that are new or whose socket closed. Anything still not
 * found triggers one full pass; sockets that even a full pass cannot place (another PID namespace,
 * no permission) are remembered as unresolvable until the next periodic full pass.
 */
export class SocketOwners implements OwnerIndex {
  private readonly holders = new Map<number, Holder[]>();
  private readonly pidFds = new Map<number, Map<string, number>>();
  private readonly denied = new Set<number>();
  /** One shared `[pid]` per pid: most sockets have one owner, and a server may own thousands. */
  private readonly single = new Map<number, readonly number[]>();
  private unresolvable = new Set<number>();
  private lastFull = Number.NEGATIVE_INFINITY;
  private tick = 0;
  private readonly verifyEvery: number;
  private readonly fullRescanMs: number;
  private readonly now: () => number;
  /** Number of full passes so far (for tests and the bench). */
  fullScans = 0;

  constructor(
    private readonly procRoot: string,
    options: SocketOwnerOptions = {},
  ) {
    this.verifyEvery = Math.max(0, Math.floor(options.verifyEvery ?? 8));
    this.fullRescanMs = options.fullRescanMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Brings the map up to date for `wanted`, the inodes of the sockets now in /proc/net (0 excluded).
   * Only inodes of `searchable` (default: all) that no known fd holds justify a search; a non-root
   * user cannot read other users' fds, so their new sockets must not cost a full pass each tick.
   */
  update(wanted: ReadonlySet<number>, searchable: ReadonlySet<number> = wanted): void {
    this.tick++;
    if (this.now() - this.lastFull >= this.fullRescanMs) {
      this.fullScan(wanted);
      return;
    }
    const pids = listPids(this.procRoot);
    const alive = new Set(pids);
    for (const pid of [...this.pidFds.keys()]) if (!alive.has(pid)) this.forgetPid(pid);
    this.dropClosedSockets(wanted);
    this.verify(wanted);
    const known = new Set(this.pidFds.keys());
    for (const pid of pids) if (!known.has(pid)) this.scanPid(pid, wanted);
    if (this.missing(searchable).length === 0) return;
    for (const pid of known) if (this.pidFds.has(pid)) this.rescanNewFds(pid, wanted);
    if (this.missing(searchable).length > 0) this.fullScan(wanted);
  }

  /**
   * True when every socket with an inode is already placed: held by a known fd, or known to be
   * unresolvable until the next full pass. Then a refresh that re-reads only these sockets has
   * nothing to search for.
   */
  knowsAll(sockets: readonly { readonly inode: number }[]): boolean {
    for (const s of sockets) if (s.inode > 0 && !this.holders.has(s.inode) && !this.unresolvable.has(s.inode)) return false;
    return true;
  }

  /** Pids holding `inode`, ascending, without duplicates; empty when none is known. */
  ownersOf(inode: number): readonly number[] {
    const hs = this.holders.get(inode);
    if (!hs || hs.length === 0) return [];
    if (hs.length === 1) {
      const pid = hs[0]!.pid;
      let pids = this.single.get(pid);
      if (!pids) this.single.set(pid, (pids = Object.freeze([pid])));
      return pids;
    }
    return [...new Set(hs.map((h) => h.pid))].sort((a, b) => a - b);
  }

  /** Pids whose open files could not be read (permission denied) in the passes so far. */
  deniedPids(): ReadonlySet<number> {
    return this.denied;
  }

  /** Forgets everything about `pid` (it exited, or its number now belongs to another process). */
  forgetPid(pid: number): void {
    const fds = this.pidFds.get(pid);
    if (fds) {
      for (const [fd, inode] of fds) if (inode > 0) this.removeHolder(inode, pid, fd);
    }
    this.pidFds.delete(pid);
    this.denied.delete(pid);
    this.single.delete(pid);
  }

  /** Drops `pid` and scans it again as a new process. */
  rescanPid(pid: number, wanted: ReadonlySet<number>): void {
    this.forgetPid(pid);
    this.scanPid(pid, wanted);
  }

  private fullScan(wanted: ReadonlySet<number>): void {
    this.holders.clear();
    this.pidFds.clear();
    this.denied.clear();
    this.single.clear();
    this.unresolvable.clear();
    for (const pid of listPids(this.procRoot)) this.scanPid(pid, wanted);
    this.unresolvable = new Set(this.missing(wanted));
    this.lastFull = this.now();
    this.fullScans++;
  }

  /** Reads every fd of `pid`. A process that exits meanwhile just ends with fewer fds. */
  private scanPid(pid: number, wanted: ReadonlySet<number>): void {
    const read = withFdNames(`${this.procRoot}/${pid}/fd`, (base, names) => {
      const fds = new Map<string, number>();
      this.pidFds.set(pid, fds);
      this.readFds(pid, base, names, fds, wanted);
    });
    if (read === 'denied') {
      this.denied.add(pid);
      this.pidFds.set(pid, new Map());
    }
  }

  /** The hot loop of a full pass: one readlink per fd name, each link `base + name`. */
  private readFds(pid: number, base: string, names: readonly string[], fds: Map<string, number>, wanted: ReadonlySet<number>): void {
    // Indexed: unoptimised, a for-of makes an object per element (see inodesOf in linux.ts).
    for (let i = 0; i < names.length; i++) {
      const fd = names[i] as string;
      const inode = fdSocketInode(base + fd);
      if (inode === FD_DENIED) {
        // Every fd of this process will be denied alike: stop paying for exceptions.
        this.denied.add(pid);
        return;
      }
      if (inode === FD_GONE) continue;
      fds.set(fd, inode);
      if (inode === 0 || !wanted.has(inode)) continue;
      // addHolder() without its bookkeeping for known pids: this is the hot loop of a full pass.
      const hs = this.holders.get(inode);
      if (hs) hs.push({ pid, fd });
      else this.holders.set(inode, [{ pid, fd }]);
      if (this.unresolvable.size > 0) this.unresolvable.delete(inode);
    }
  }

  /** Lists the fds of a known pid and reads only new or stale fd numbers. */
  private rescanNewFds(pid: number, wanted: ReadonlySet<number>): void {
    const fds = this.pidFds.get(pid);
    if (!fds || this.denied.has(pid)) return;
    const read = withFdNames(`${this.procRoot}/${pid}/fd`, (base, names) => {
      const present = new Set(names);
      for (const [fd, inode] of fds) {
        if (present.has(fd)) continue;
        if (inode > 0) this.removeHolder(inode, pid, fd);
        fds.delete(fd);
      }
      for (const fd of names) {
        const known = fds.get(fd);
        if (known !== undefined && known !== STALE) {
          // A socket that was not in /proc/net at the last pass (it was just being created) may be now.
          if (known > 0 && wanted.has(known) && !this.holds(known, pid, fd)) this.addHolder(known, pid, fd);
          continue;
        }
        const inode = fdSocketInode(base + fd);
        if (inode < 0) {
          fds.delete(fd);
          continue;
        }
        fds.set(fd, inode);
        if (inode > 0 && wanted.has(inode)) this.addHolder(inode, pid, fd);
      }
    });
    // Its fd directory is gone (or closed to us): forget the process; a full pass finds it again if it is there.
    if (read === null || read === 'denied') this.forgetPid(pid);
  }

  /** Holders of sockets no longer in /proc/net go; their fd numbers are marked for re-reading. */
  private dropClosedSockets(wanted: ReadonlySet<number>): void {
    for (const [inode, hs] of this.holders) {
      if (wanted.has(inode)) continue;
      for (const h of hs) this.pidFds.get(h.pid)?.set(h.fd, STALE);
      this.holders.delete(inode);
    }
  }

  /** One readlink per holder due this tick: shared sockets always, single holders in rotation. */
  private verify(wanted: ReadonlySet<number>): void {
    const every = this.verifyEvery;
    const slot = every > 0 ? this.tick % every : -1;
    const changed: Holder[] = [];
    for (const [inode, hs] of this.holders) {
      if (hs.length === 1 && (every === 0 || inode % every !== slot)) continue;
      for (const h of hs) {
        let now = fdSocketInode(`${this.procRoot}/${h.pid}/fd/${h.fd}`);
        if (now < 0) now = STALE;
        if (now === inode) continue;
        changed.push(h);
        this.removeHolder(inode, h.pid, h.fd, now);
      }
    }
    for (const h of changed) {
      const inode = this.pidFds.get(h.pid)?.get(h.fd) ?? NOT_SOCKET;
      if (inode > 0 && wanted.has(inode)) this.addHolder(inode, h.pid, h.fd);
    }
  }

  private missing(wanted: ReadonlySet<number>): number[] {
    const out: number[] = [];
    for (const inode of wanted) if (!this.holders.has(inode) && !this.unresolvable.has(inode)) out.push(inode);
    return out;
  }

  private holds(inode: number, pid: number, fd: string): boolean {
    return this.holders.get(inode)?.some((h) => h.pid === pid && h.fd === fd) ?? false;
  }

  private addHolder(inode: number, pid: number, fd: string): void {
    const hs = this.holders.get(inode);
    if (hs) hs.push({ pid, fd });
    else this.holders.set(inode, [{ pid, fd }]);
    this.pidFds.get(pid)?.set(fd, inode);
    this.unresolvable.delete(inode);
  }

  /** Removes one holder; `nowFd` is what the fd holds now (for the pid's fd map), if known. */
  private removeHolder(inode: number, pid: number, fd: string, nowFd?: number): void {
    const hs = this.holders.get(inode);
    if (hs) {
      const rest = hs.filter((h) => h.pid !== pid || h.fd !== fd);
      if (rest.length > 0) this.holders.set(inode, rest);
      else this.holders.delete(inode);
    }
    if (nowFd !== undefined) this.pidFds.get(pid)?.set(fd, nowFd);
  }
}
