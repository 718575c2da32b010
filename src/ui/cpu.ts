import type { ProcessInfo, Snapshot } from '../core/types.js';

/** Linux USER_HZ: /proc reports CPU time in these ticks on every mainstream kernel. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** What CPU% needs of a snapshot: when it was taken and its processes' CPU times. */
export type CpuSample = Pick<Snapshot, 'takenAt' | 'processes'>;

/**
 * CPU% of each process between two snapshots (100 = one core busy). A pid counts only when it is the
 * same incarnation (same start time) in both; new processes have no value yet.
 */
export function cpuPercentages(previous: CpuSample | null, current: CpuSample): Map<number, number> {
  const out = new Map<number, number>();
  if (!previous) return out;
  const seconds = (Date.parse(current.takenAt) - Date.parse(previous.takenAt)) / 1000;
  if (!(seconds > 0)) return out;
  for (const [pid, now] of current.processes) {
    const before: ProcessInfo | undefined = previous.processes.get(pid);
    if (!before || before.startTime !== now.startTime) continue;
    const ticks = now.cpuTicks - before.cpuTicks;
    if (ticks < 0) continue;
    out.set(pid, (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100);
  }
  return out;
}
