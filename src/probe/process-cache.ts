import { readFileSync } from 'node:fs';
import type { ProcessInfo } from '../core/types.js';
import { parseProcStat, readProcessInfo } from './proc-process.js';

const PAGE_SIZE = 4096;

/** Result of one refresh. */
export interface ProcessRefresh {
  /** Live processes among the requested pids. */
  readonly processes: Map<number, ProcessInfo>;
  /** Pids whose number now belongs to a different process than at the last refresh (start time changed). */
  readonly reused: readonly number[];
}

/**
 * Process details kept between collects. Name, command line, user and parents of a process do not
 * change for one incarnation (pid + start time), so they are read once; CPU time, RSS and state come
 * from one /proc/PID/stat read per refresh.
 */
export class ProcessCache {
  private entries = new Map<number, ProcessInfo>();

  constructor(
    private readonly procRoot: string,
    private readonly passwdFile: string,
  ) {}

  /** Details of `pids`; processes that have exited are left out (never an error). */
  refresh(pids: Iterable<number>): ProcessRefresh {
    const next = new Map<number, ProcessInfo>();
    const reused: number[] = [];
    for (const pid of pids) {
      if (next.has(pid)) continue;
      const info = this.read(pid, reused);
      if (info) next.set(pid, info);
    }
    // Only processes asked for this time are kept: the cache cannot outgrow the socket holders.
    this.entries = next;
    return { processes: next, reused };
  }

  private read(pid: number, reused: number[]): ProcessInfo | null {
    const cached = this.entries.get(pid);
    if (!cached) return readProcessInfo(pid, this.procRoot, this.passwdFile);
    let text: string;
    try {
      text = readFileSync(`${this.procRoot}/${pid}/stat`, 'latin1');
    } catch {
      return null;
    }
    const stat = parseProcStat(text);
    if (!stat) return null;
    if (stat.startTime !== cached.startTime) {
      reused.push(pid);
      return readProcessInfo(pid, this.procRoot, this.passwdFile);
    }
    return {
      ...cached,
      ppid: stat.ppid,
      pgid: stat.pgid,
      state: stat.state,
      cpuTicks: stat.utime + stat.stime,
      rssBytes: stat.rssPages * PAGE_SIZE,
    };
  }
}
