/**
 * When a process started, as a date: /proc/PID/stat gives clock ticks since boot, /proc/stat the
 * boot time. The portable probe already reports milliseconds since the epoch.
 */
import { readFileSync } from 'node:fs';
import type { ProcessInfo } from '../core/types.js';

/** USER_HZ: the unit of /proc/PID/stat times, 100 on every Linux architecture vhtop runs on. */
const USER_HZ = 100;

/** Boot time in seconds since the epoch from `${procRoot}/stat` (btime), or null. */
export function bootTime(procRoot = '/proc'): number | null {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync(`${procRoot}/stat`, 'latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** ISO start time of each process, where it can be told. */
export function startTimes(processes: readonly ProcessInfo[], probe: 'linux' | 'portable', procRoot = '/proc'): Map<number, string> {
  const out = new Map<number, string>();
  const boot = probe === 'linux' ? bootTime(procRoot) : null;
  for (const p of processes) {
    if (p.startTime <= 0) continue;
    const ms = probe === 'portable' ? p.startTime : boot !== null ? boot * 1000 + (p.startTime / USER_HZ) * 1000 : null;
    if (ms !== null && Number.isFinite(ms)) out.set(p.pid, new Date(Math.round(ms / 1000) * 1000).toISOString());
  }
  return out;
}
