import { listPids, withFdNames } from './fd-dir.js';
import { FD_DENIED, fdSocketInode, type OwnerIndex } from './socket-owners.js';

/**
 * Socket owners for a probe that collects once (a one-shot command): every pass reads every
 * /proc/PID/fd and keeps only which pids hold which wanted inode. {@link SocketOwners} also keeps
 * every fd of every process and an object per holder, so that the TUI's later passes read only what
 * changed; a process that exits after one pass never uses them, and at 15k sockets making them was
 * ~4 % of a `list --json --all` (fresh memory is what costs on this machine kind).
 */
export class OnceOwners implements OwnerIndex {
  /** The pid holding each wanted inode; an inode held by several pids is in {@link shared} instead. */
  private readonly holder = new Map<number, number>();
  private readonly shared = new Map<number, number[]>();
  private readonly denied = new Set<number>();
  /** One shared `[pid]` per pid: most sockets have one owner, and a server may own thousands. */
  private readonly single = new Map<number, readonly number[]>();
  /** Wanted inodes the last full pass could not place (another PID namespace, no permission). */
  private unplaced = new Set<number>();
  fullScans = 0;

  constructor(private readonly procRoot: string) {}

  update(wanted: ReadonlySet<number>): void {
    this.holder.clear();
    this.shared.clear();
    this.denied.clear();
    for (const pid of listPids(this.procRoot)) this.scanPid(pid, wanted);
    this.unplaced = new Set();
    // forEach, not for-of: unoptimised, a for-of makes an object per element (see inodesOf in linux.ts).
    wanted.forEach((inode) => {
      if (!this.holder.has(inode) && !this.shared.has(inode)) this.unplaced.add(inode);
    });
    this.fullScans++;
  }

  knowsAll(sockets: readonly { readonly inode: number }[]): boolean {
    for (const s of sockets) if (s.inode > 0 && !this.holder.has(s.inode) && !this.shared.has(s.inode) && !this.unplaced.has(s.inode)) return false;
    return true;
  }

  ownersOf(inode: number): readonly number[] {
    const several = this.shared.get(inode);
    if (several !== undefined) return several;
    const pid = this.holder.get(inode);
    if (pid === undefined) return [];
    let pids = this.single.get(pid);
    if (pids === undefined) this.single.set(pid, (pids = Object.freeze([pid])));
    return pids;
  }

  deniedPids(): ReadonlySet<number> {
    return this.denied;
  }

  forgetPid(pid: number): void {
    for (const [inode, holder] of this.holder) if (holder === pid) this.holder.delete(inode);
    // Changed after the walk: a Map visits keys set again while it is being walked.
    const changed: [number, number[]][] = [];
    for (const [inode, pids] of this.shared) if (pids.includes(pid)) changed.push([inode, pids.filter((p) => p !== pid)]);
    for (const [inode, rest] of changed) {
      if (rest.length > 1) this.shared.set(inode, rest);
      else {
        this.shared.delete(inode);
        this.holder.set(inode, rest[0] as number);
      }
    }
    this.denied.delete(pid);
  }

  rescanPid(pid: number, wanted: ReadonlySet<number>): void {
    this.forgetPid(pid);
    this.scanPid(pid, wanted);
  }

  private scanPid(pid: number, wanted: ReadonlySet<number>): void {
    const read = withFdNames(`${this.procRoot}/${pid}/fd`, (base, names) => {
      for (let i = 0; i < names.length; i++) {
        const inode = fdSocketInode(base + (names[i] as string));
        // Every fd of this process will be denied alike: stop paying for exceptions.
        if (inode === FD_DENIED) return false;
        if (inode > 0 && wanted.has(inode)) this.add(inode, pid);
      }
      return true;
    });
    if (read === 'denied' || read === false) this.denied.add(pid);
  }

  /** Records `pid` as a holder of `inode` (twice the same pid, from two fds of one process, counts once). */
  private add(inode: number, pid: number): void {
    const first = this.holder.get(inode);
    if (first === undefined) {
      const several = this.shared.get(inode);
      if (several === undefined) this.holder.set(inode, pid);
      else if (!several.includes(pid)) {
        several.push(pid);
        several.sort((a, b) => a - b);
      }
      return;
    }
    if (first === pid) return;
    this.holder.delete(inode);
    this.shared.set(inode, first < pid ? [first, pid] : [pid, first]);
  }
}
