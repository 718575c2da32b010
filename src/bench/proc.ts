import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseProcStat } from '../probe/proc-process.js';

/** utime + stime of `pid` in clock ticks, or null when the process is gone. */
export function readCpuTicks(pid: number, procRoot = '/proc'): number | null {
  try {
    const stat = parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, 'latin1'));
    return stat ? stat.utime + stat.stime : null;
  } catch {
    return null;
  }
}

/** A `Vm...:` line of /proc/PID/status in KiB (e.g. VmHWM, the peak resident set), or null. */
export function parseStatusKb(text: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

/** Peak resident set (VmHWM) of `pid` in KiB; `self` reads this process. Null when unreadable. */
export function readPeakRssKb(pid: number | 'self', procRoot = '/proc'): number | null {
  try {
    return parseStatusKb(readFileSync(`${procRoot}/${pid}/status`, 'latin1'), 'VmHWM');
  } catch {
    return null;
  }
}

/** Clock ticks per second for /proc/PID/stat times (getconf CLK_TCK; Linux nearly always uses 100). */
export function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** The machine a table was measured on. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  /** 1-minute load average when the bench started: a busy machine gives noisy numbers. */
  readonly load1: number;
}

/** First `model name` of /proc/cpuinfo text, or "unknown". */
export function parseCpuModel(cpuinfo: string): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
  return m ? (m[1] as string).trim() : 'unknown';
}

/** Reads the machine description. */
export function machineInfo(): MachineInfo {
  let model = 'unknown';
  try {
    model = parseCpuModel(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    // not Linux: keep "unknown"
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: model,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    load1: os.loadavg()[0] ?? 0,
  };
}

/** Sockets of every kind in the kernel's tables (/proc/net/{tcp,tcp6,udp,udp6} rows), i.e. what a probe has to read. */
export function countSockets(procRoot = '/proc'): number {
  let total = 0;
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    try {
      const lines = readFileSync(`${procRoot}/net/${table}`, 'latin1').split('\n');
      // First line is the header; the last one is empty after the final newline.
      total += lines.slice(1).filter((l) => l.trim() !== '').length;
    } catch {
      // table absent (no IPv6)
    }
  }
  return total;
}
