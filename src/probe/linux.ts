import { hostname } from 'node:os';
import { UsageError } from '../core/errors.js';
import { isHoldingSocket } from '../core/match.js';
import type { Probe, ProbeData, ProcessInfo, SocketEntry } from '../core/types.js';
import { HoldingTables, type MutableSocket, NO_PIDS, type NetTables, readNetTables } from './proc-net.js';
import { effectiveUid, hidepidOption } from './proc-notices.js';
import { unknownOwnerReason, visibilityNotices, type Visibility } from './owner-notices.js';
import { ProcessCache } from './process-cache.js';
import { userName } from './proc-process.js';
import { OnceOwners } from './once-owners.js';
import { type OwnerIndex, type SocketOwnerOptions, SocketOwners } from './socket-owners.js';

/**
 * `pids` without the processes that exited before their details were read; the same array when all
 * are there. Memoised per array: owner arrays are shared (one `[pid]` per process), so 15k sockets of
 * one server cost one check, not 15k closures.
 */
function visiblePids(processes: ReadonlyMap<number, unknown>): (pids: readonly number[]) => readonly number[] {
  const memo = new Map<readonly number[], readonly number[]>();
  return (pids) => {
    let out = memo.get(pids);
    if (out === undefined) {
      out = pids.every((pid) => processes.has(pid)) ? pids : pids.filter((pid) => processes.has(pid));
      memo.set(pids, out);
    }
    return out;
  };
}

/**
 * Inodes of `sockets` (of those created by `uid` when given), 0 excluded. The loops over every
 * socket here and in classification are indexed: a one-shot command ends before V8 optimises them,
 * and unoptimised, a for-of makes an iterator result object per element (~7 MB of garbage at 15k
 * sockets across the probe and classification, most of a one-shot's young-generation collections).
 */
function inodesOf(sockets: readonly MutableSocket[], uid?: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i] as MutableSocket;
    if (s.inode > 0 && (uid === undefined || s.uid === uid)) out.add(s.inode);
  }
  return out;
}

function union(a: Set<number>, b: Iterable<number>): Set<number> {
  for (const v of b) a.add(v);
  return a;
}

/** Where the Linux probe reads from; every path is injectable so tests run on fixture trees. */
export interface LinuxProbeOptions extends SocketOwnerOptions {
  /** Default "/proc". */
  readonly procRoot?: string;
  /** Default "/etc/passwd". */
  readonly passwdFile?: string;
  /** Effective uid to reason about visibility with; default this process's. */
  readonly euid?: number | null;
  /**
   * Every `allSocketsEvery`-th collect reads all sockets (default 1: every collect). The others
   * read only the holding sockets (TCP listeners, UDP) afresh and keep the connections of the last
   * full read, so connection counts lag by up to that many collects while listeners, their owners
   * and new listeners are current. For the TUI on a busy server, where connections are most of
   * /proc/net/tcp and most of what a refresh costs; the first collect is always full.
   */
  readonly allSocketsEvery?: number;
  /**
   * With `allSocketsEvery` > 1: the largest share of one core that full reads may take on average.
   * After a full read that cost C ms of CPU, the next one waits at least C / share ms as well as
   * `allSocketsEvery` collects, so on a machine where reading every socket is expensive connection
   * counts lag longer instead of the refreshes costing more. Default: no limit.
   */
  readonly fullReadShare?: number;
  /** CPU time used by this process so far, in ms (for the cost of a full read); for tests. */
  readonly cpuMs?: () => number;
  /**
   * The probe of a one-shot command: it keeps nothing for a next collect (see OnceOwners). Another
   * collect still works, reading everything again.
   */
  readonly collectsOnce?: boolean;
}

/** CPU time (user + system, all threads) of this process in ms. */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The default probe: /proc/net/{tcp,tcp6,udp,udp6} for sockets, /proc/PID/fd for their owners,
 * /proc/PID/{stat,status,cmdline} for process details. Never parses `ss`/`netstat` text.
 *
 * One instance keeps its owner and process caches between collects (the TUI's ticks), so a refresh
 * costs a fraction of the first pass.
 */
export class LinuxProbe implements Probe {
  readonly kind = 'linux' as const;
  private readonly procRoot: string;
  private readonly euid: number | null;
  private readonly owners: OwnerIndex;
  private readonly processCache: ProcessCache;
  private readonly passwdFile: string;
  /** Collects so far: the first (often the only one, in a one-shot command) parses differently. */
  private collects = 0;
  private readonly allSocketsEvery: number;
  private readonly fullReadShare: number | null;
  private readonly cpuMs: () => number;
  private readonly clock: () => number;
  /** Index of the last full collect, and the clock time before which no other may start. */
  private lastFullIndex = 0;
  private nextFullAt = Number.NEGATIVE_INFINITY;
  /** Full reads of all sockets so far (for tests and the bench). */
  fullReads = 0;
  /** TCP sockets other than listeners from the last full read, owners assigned, kept for the collects between. */
  private connections: MutableSocket[] | null = null;
  /** Owners of {@link connections}, and how many of them have an inode but no owner. */
  private connectionPids = new Set<number>();
  private connectionsUnknown = 0;
  /** The listener lines of the last read, to tell a refresh where nothing changed. */
  private readonly holding = new HoldingTables();
  /** The last result, reused as a whole by a refresh that finds nothing changed (see {@link unchangedSince}). */
  private last: ProbeData | null = null;

  constructor(options: LinuxProbeOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.euid = options.euid === undefined ? effectiveUid() : options.euid;
    this.owners = options.collectsOnce === true ? new OnceOwners(this.procRoot) : new SocketOwners(this.procRoot, options);
    this.passwdFile = options.passwdFile ?? '/etc/passwd';
    this.processCache = new ProcessCache(this.procRoot, this.passwdFile);
    this.allSocketsEvery = Math.max(1, Math.floor(options.allSocketsEvery ?? 1));
    this.fullReadShare = options.fullReadShare !== undefined && options.fullReadShare > 0 ? options.fullReadShare : null;
    this.cpuMs = options.cpuMs ?? processCpuMs;
    this.clock = options.now ?? Date.now;
  }

  /** Full scans done so far by this instance (the first collect always does one). */
  get fullScans(): number {
    return this.owners.fullScans;
  }

  async collect(): Promise<ProbeData> {
    const takenAt = new Date().toISOString();
    const n = this.collects++;
    const partial = this.connections !== null && (n - this.lastFullIndex < this.allSocketsEvery || this.clock() < this.nextFullAt);
    const startCpu = partial || this.fullReadShare === null ? 0 : this.cpuMs();
    let net: NetTables;
    if (partial) {
      const read = this.holding.read(this.procRoot, { fastPath: true });
      if (read.unchanged && this.last !== null) {
        const same = this.unchangedSince(this.last, takenAt);
        if (same !== null) return same;
        // A process exited or its pid was reused: read everything again (the next collect is full).
        this.connections = null;
        return this.collect();
      }
      net = read.tables();
    } else {
      // Only a probe that reads listeners alone in between keeps what a full read saw of them.
      net = this.allSocketsEvery > 1 ? this.holding.readAll(this.procRoot, { fastPath: n > 0 }) : readNetTables(this.procRoot, { fastPath: n > 0 });
    }
    if (net.filesRead === 0) {
      // Only `--probe linux` gets here (auto checks first): a wrong choice for this system, exit 2.
      throw new UsageError(`cannot read any of ${this.procRoot}/net/tcp, tcp6, udp, udp6: --probe linux needs the Linux /proc (try --probe portable)`);
    }
    // Fresh sockets get their owners below; kept connections already have theirs.
    const fresh = net.sockets;
    const kept = partial ? (this.connections as MutableSocket[]) : [];
    const sockets = kept.length > 0 ? fresh.concat(kept) : fresh;
    // Between full reads the owner map is touched only when a fresh socket is not in it (a new
    // listener); the full reads verify holders and rescan as before.
    if (!partial || !this.owners.knowsAll(fresh)) {
      const wanted = inodesOf(sockets);
      const limited = this.euid !== null && this.euid !== 0;
      const searchable = limited ? inodesOf(sockets, this.euid) : wanted;
      this.owners.update(wanted, searchable);
    }

    let refresh = this.processCache.refresh(union(this.assignOwners(fresh), partial ? this.connectionPids : []));
    if (refresh.reused.length > 0) {
      // A cached pid now names another process: its fds are not the ones we remember. Connections
      // kept from an earlier read may name the old process too: read everything again.
      if (partial) {
        for (const pid of refresh.reused) this.owners.forgetPid(pid);
        this.connections = null;
        return this.collect();
      }
      const wanted = inodesOf(sockets);
      for (const pid of refresh.reused) this.owners.rescanPid(pid, wanted);
      refresh = this.processCache.refresh(this.assignOwners(sockets));
    }
    const processes = refresh.processes;
    const hidepid = hidepidOption(this.procRoot);
    const visible = visiblePids(processes);
    const vis = this.visibility(hidepid);
    let unknown = 0;
    // Kept connections were checked when read; again only when one of their owners has gone since.
    const checked = partial && [...this.connectionPids].every((pid) => processes.has(pid)) ? fresh : sockets;
    for (let i = 0; i < checked.length; i++) {
      const s = checked[i] as MutableSocket;
      if (s.pids.length > 0) {
        const pids = visible(s.pids);
        if (pids !== s.pids) {
          s.pids = pids;
          if (pids.length === 0) s.ownerUnknown = 'owner exited during the scan';
        }
      }
      if (s.pids.length === 0) {
        s.ownerUnknown ??= unknownOwnerReason(s, vis);
        // /proc/net still tells who created the socket: shown where the owner cannot be seen.
        if (s.inode > 0) {
          unknown++;
          s.uidUser = userName(s.uid, this.passwdFile);
        }
      }
    }
    if (checked !== sockets) unknown += this.connectionsUnknown;
    if (!partial && this.allSocketsEvery > 1) {
      this.connections = fresh.filter((s) => !isHoldingSocket(s) && s.protocol === 'tcp');
      this.connectionPids = new Set();
      this.connectionsUnknown = 0;
      for (const s of this.connections) {
        for (const pid of s.pids) this.connectionPids.add(pid);
        if (s.pids.length === 0 && s.inode > 0) this.connectionsUnknown++;
      }
    }
    if (!partial) {
      this.fullReads++;
      this.lastFullIndex = n;
      if (this.fullReadShare !== null) this.nextFullAt = this.clock() + (this.cpuMs() - startCpu) / this.fullReadShare;
    }
    this.last = {
      probe: 'linux',
      host: hostname(),
      takenAt,
      sockets: Object.freeze(sockets as SocketEntry[]),
      processes: processes as ReadonlyMap<number, ProcessInfo>,
      notices: Object.freeze(visibilityNotices(vis, unknown, net.malformed, `${this.procRoot}/net`)),
    };
    return this.last;
  }

  /**
   * A listeners-only refresh whose listener lines are byte for byte those of the last read: the
   * sockets are the same, and so are their owners (the owner map changes only in a full read or when
   * a socket is new). What can still differ is the processes: their CPU and memory, or one exited or
   * was replaced by another process under the same pid. The last result with fresh process details
   * and the same socket array (so classification can tell nothing changed), or null when a process is
   * gone or its pid was reused (its forgotten owners are searched for again by a full read).
   */
  private unchangedSince(last: ProbeData, takenAt: string): ProbeData | null {
    const refresh = this.processCache.refresh(last.processes.keys());
    for (const pid of refresh.reused) this.owners.forgetPid(pid);
    if (refresh.reused.length > 0 || refresh.processes.size !== last.processes.size) return null;
    this.last = { ...last, takenAt, processes: refresh.processes as ReadonlyMap<number, ProcessInfo> };
    return this.last;
  }

  /** Sets `pids` on every socket from the owner map; returns every owning pid. */
  private assignOwners(sockets: MutableSocket[]): Set<number> {
    const pids = new Set<number>();
    for (let i = 0; i < sockets.length; i++) {
      const s = sockets[i] as MutableSocket;
      if (s.inode === 0) continue;
      const owners = this.owners.ownersOf(s.inode);
      s.pids = owners.length > 0 ? owners : NO_PIDS;
      for (let j = 0; j < owners.length; j++) pids.add(owners[j] as number);
    }
    return pids;
  }

  private visibility(hidepid: string | null): Visibility {
    return { euid: this.euid, hidepid, deniedPids: this.owners.deniedPids().size };
  }
}
