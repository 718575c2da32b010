import { hostname } from 'node:os';
import { UsageError } from '../core/errors.js';
import type { Probe, ProbeData, ProcessInfo, SocketEntry } from '../core/types.js';
import { type MutableSocket, NO_PIDS, readNetTables } from './proc-net.js';
import { effectiveUid, hidepidOption } from './proc-notices.js';
import { unknownOwnerReason, visibilityNotices, type Visibility } from './owner-notices.js';
import { ProcessCache } from './process-cache.js';
import { userName } from './proc-process.js';
import { type SocketOwnerOptions, SocketOwners } from './socket-owners.js';

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

/** Where the Linux probe reads from; every path is injectable so tests run on fixture trees. */
export interface LinuxProbeOptions extends SocketOwnerOptions {
  /** Default "/proc". */
  readonly procRoot?: string;
  /** Default "/etc/passwd". */
  readonly passwdFile?: string;
  /** Effective uid to reason about visibility with; default this process's. */
  readonly euid?: number | null;
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
  private readonly owners: SocketOwners;
  private readonly processCache: ProcessCache;
  private readonly passwdFile: string;
  /** Collects so far: the first (often the only one, in a one-shot command) parses differently. */
  private collects = 0;

  constructor(options: LinuxProbeOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.euid = options.euid === undefined ? effectiveUid() : options.euid;
    this.owners = new SocketOwners(this.procRoot, options);
    this.passwdFile = options.passwdFile ?? '/etc/passwd';
    this.processCache = new ProcessCache(this.procRoot, this.passwdFile);
  }

  /** Full scans done so far by this instance (the first collect always does one). */
  get fullScans(): number {
    return this.owners.fullScans;
  }

  async collect(): Promise<ProbeData> {
    const takenAt = new Date().toISOString();
    const net = readNetTables(this.procRoot, { fastPath: this.collects++ > 0 });
    if (net.filesRead === 0) {
      // Only `--probe linux` gets here (auto checks first): a wrong choice for this system, exit 2.
      throw new UsageError(`cannot read any of ${this.procRoot}/net/tcp, tcp6, udp, udp6: --probe linux needs the Linux /proc (try --probe portable)`);
    }
    const sockets = net.sockets;
    const wanted = new Set<number>();
    for (const s of sockets) if (s.inode > 0) wanted.add(s.inode);
    const limited = this.euid !== null && this.euid !== 0;
    const searchable = limited ? new Set<number>() : wanted;
    if (limited) for (const s of sockets) if (s.inode > 0 && s.uid === this.euid) searchable.add(s.inode);
    this.owners.update(wanted, searchable);

    let refresh = this.processCache.refresh(this.assignOwners(sockets));
    if (refresh.reused.length > 0) {
      // A cached pid now names another process: its fds are not the ones we remember.
      for (const pid of refresh.reused) this.owners.rescanPid(pid, wanted);
      refresh = this.processCache.refresh(this.assignOwners(sockets));
    }
    const processes = refresh.processes;
    const hidepid = hidepidOption(this.procRoot);
    const visible = visiblePids(processes);
    const vis = this.visibility(hidepid);
    let unknown = 0;
    for (const s of sockets) {
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
    return {
      probe: 'linux',
      host: hostname(),
      takenAt,
      sockets: Object.freeze(sockets as SocketEntry[]),
      processes: processes as ReadonlyMap<number, ProcessInfo>,
      notices: Object.freeze(visibilityNotices(vis, unknown, net.malformed, `${this.procRoot}/net`)),
    };
  }

  /** Sets `pids` on every socket from the owner map; returns every owning pid. */
  private assignOwners(sockets: MutableSocket[]): Set<number> {
    const pids = new Set<number>();
    for (const s of sockets) {
      if (s.inode === 0) continue;
      const owners = this.owners.ownersOf(s.inode);
      s.pids = owners.length > 0 ? owners : NO_PIDS;
      for (const pid of owners) pids.add(pid);
    }
    return pids;
  }

  private visibility(hidepid: string | null): Visibility {
    return { euid: this.euid, hidepid, deniedPids: this.owners.deniedPids().size };
  }
}
