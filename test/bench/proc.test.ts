import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countSockets, machineInfo, parseCpuModel, parseStatusKb, readCpuTicks, readPeakRssKb } from '../../src/bench/proc.js';

describe('proc readers', () => {
  it('parses kB fields of /proc/PID/status and the CPU model', () => {
    const status = 'Name:\tnode\nVmPeak:\t  900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100 kB\n';
    expect(parseStatusKb(status, 'VmHWM')).toBe(123456);
    expect(parseStatusKb(status, 'VmSwap')).toBeNull();
    expect(parseCpuModel('processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: x\n')).toBe('AMD EPYC 7B13');
    expect(parseCpuModel('')).toBe('unknown');
  });

  it('reads this process: peak RSS at least the current RSS, CPU ticks, machine', () => {
    const rss = parseStatusKb(readFileSync('/proc/self/status', 'latin1'), 'VmRSS') as number;
    expect(readPeakRssKb('self')).toBeGreaterThanOrEqual(rss);
    expect(readCpuTicks(process.pid)).toBeGreaterThanOrEqual(0);
    expect(readCpuTicks(2 ** 22 + 12345)).toBeNull();
    const m = machineInfo();
    expect(m.cpus).toBeGreaterThan(0);
    expect(m.node).toBe(process.version);
  });

  it('counts the rows of the kernel socket tables, ignoring headers and absent tables', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vhtop-proc-'));
    try {
      mkdirSync(path.join(root, 'net'));
      const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
      const row = '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1\n';
      writeFileSync(path.join(root, 'net', 'tcp'), header + row + row);
      writeFileSync(path.join(root, 'net', 'tcp6'), header + row);
      writeFileSync(path.join(root, 'net', 'udp'), header);
      expect(countSockets(root)).toBe(3);
      expect(countSockets()).toBeGreaterThan(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
