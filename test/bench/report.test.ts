import { describe, expect, it } from 'vitest';
import { renderReport, type BenchReport, type ScaleRow } from '../../src/bench/report.js';
import { failed, measured } from '../../src/bench/stats.js';

const cost = (wallMs: number, cpuMs: number, maxRssKb: number) => measured({ wallMs, cpuMs, maxRssKb });

function row(sockets: number, over: Partial<ScaleRow> = {}): ScaleRow {
  return {
    sockets,
    machineSockets: sockets + 120,
    nodeStart: cost(40, 35, 40_000),
    ssTan: cost(21, 18, 4_000),
    ssTanp: cost(72, 60, 12_000),
    lsof: cost(125, 110, 20_000),
    vhtop: cost(108, 95, 80 * 1024),
    tick: measured({ cpuMs: 20, wallMs: 25, sockets: sockets + 120 }),
    tickRssKb: measured(60 * 1024),
    frames: measured({ smallRows: 50, largeRows: sockets, smallMs: 4, largeMs: 5 }),
    scrape: measured({ cpuMs: 30, wallMs: 40 }),
    ...over,
  };
}

const machine = { cpus: 2, cpuModel: 'AMD EPYC', kernel: 'Linux 6.18', node: 'v20.20.2', load1: 1.5 };

function lineOf(text: string, start: string): string {
  const line = text.split('\n').find((l) => l.startsWith(start));
  if (line === undefined) throw new Error(`no line starting with ${start} in\n${text}`);
  return line;
}

describe('bench report', () => {
  const report: BenchReport = {
    machine,
    when: '2026-11-21 21:00 UTC',
    reps: 7,
    rows: [
      row(999),
      row(15_000, { timeWait: measured({ timeWait: 5_000, machineSockets: 20_120, ssTanp: cost(80, 66, 12_000), vhtop: cost(88, 70, 80 * 1024) }) }),
    ],
    idle: measured({ percentOfCore: 0.42, windowSeconds: 20, pid: 1, machineSockets: 300, firstFrameMs: 60 }),
    busyIdle: measured({ percentOfCore: 2.5, windowSeconds: 20, pid: 2, machineSockets: 20_300, firstFrameMs: 90 }),
    startup: measured({ nodeStart: cost(40, 35, 40_000), list: cost(50, 45, 50_000), check: cost(60, 50, 50_000), status: cost(55, 48, 50_000), machineSockets: 300 }),
  };
  const text = renderReport(report);

  it('names the machine and the run', () => {
    expect(text).toContain('2 × AMD EPYC, Linux 6.18, node v20.20.2 (load 1.50 at start). Medians of 7 runs');
    expect(text).toContain('**At 15,000 TCP sockets** of the bench\'s farm (5,000 listeners');
    expect(text).toContain('15,120 sockets on the machine in all');
  });

  it('computes ratios from the measured inputs and marks each target', () => {
    // 108 / 72 = 1.5 > 1.2: fails; 20 / 60 = 0.33 > 0.25: fails.
    expect(lineOf(text, '| one-shot')).toBe('| one-shot `vhtop list --json --all`, wall, whole process | 108 ms | `ss -tanp` 72.0 ms | 1.50× | ≤ 1.2× ✗ |');
    expect(lineOf(text, '| same, against')).toContain('| 108 ms | 125 ms | 0.86× | < 1× ✓ |');
    // 88 / 80 = 1.1 <= 1.2.
    expect(lineOf(text, '| same one-shot with')).toBe('| same one-shot with 5,000 TIME-WAIT sockets also on the machine (20,120 in all) | 88.0 ms | `ss -tanp` 80.0 ms | 1.10× | ≤ 1.2× ✓ |');
    expect(lineOf(text, '| one-shot CPU')).toContain('| 95.0 ms | `ss -tanp` 60.0 ms | 1.58× | — |');
    expect(lineOf(text, '| `node -e 0`')).toContain('| — | 40.0 ms | — | — |');
    expect(lineOf(text, '| TUI refresh tick')).toContain('| 20.0 ms | `ss -tanp` CPU 60.0 ms | 0.33× | ≤ 0.25× ✗ |');
    expect(lineOf(text, '| `vhtop serve` scrape CPU')).toContain('| 30.0 ms | `ss -tanp` CPU 60.0 ms | 0.50× | — |');
    expect(lineOf(text, '| frame at 15,000 rows')).toContain('| 5.0 ms | 4.0 ms | 1.25× | ≤ 1.5× ✓ |');
    expect(lineOf(text, '| idle CPU')).toContain('0.42 % of a core (20 s, 300 sockets) | | | < 1 % ✓ |');
    expect(lineOf(text, '| idle CPU of the TUI, default interval, with the busy farm')).toContain('2.50 % of a core (20 s, 20,300 sockets) | | | < 2 % ✗ |');
    expect(lineOf(text, '| TUI time to first frame')).toContain('| 60.0 ms | `node -e 0` 40.0 ms | 1.50× | — |');
    // 50 / 40 = 1.25 <= 1.3; 60 / 40 = 1.5 > 1.3.
    expect(lineOf(text, '| start-up: `vhtop list --json`')).toBe('| start-up: `vhtop list --json`, few sockets, 300 sockets, wall (CPU ratio 1.29×) | 50.0 ms | `node -e 0` 40.0 ms | 1.25× | ≤ 1.3× ✓ |');
    expect(lineOf(text, '| start-up: `vhtop check`')).toContain('| 60.0 ms | `node -e 0` 40.0 ms | 1.50× | ≤ 1.3× ✗ |');
    expect(lineOf(text, '| start-up: `vhtop status`')).toContain('| 55.0 ms | `node -e 0` 40.0 ms | 1.38× | ≤ 1.3× ✗ |');
    expect(lineOf(text, '| peak RSS, one-shot')).toContain('| 80 MiB | `ss -tanp` 12 MiB | | < 150 MiB ✓ |');
    expect(lineOf(text, '| peak RSS, ticking')).toContain('| 60 MiB | | | < 150 MiB ✓ |');
  });

  it('prints one growth row per socket count, in order', () => {
    const rows = text.split('\n').filter((l) => /^\| [\d,]+ \| /.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| 999 \| 1,119 \| 21\.0 ms \| 72\.0 ms \| 125 ms \| 108 ms \| 1\.50× \| 20\.0 ms \| 60\.0 ms \| 0\.33× \| 4\.0 ms \| 5\.0 ms \| 80 MiB \| 60 MiB \|$/);
    expect(rows[1]).toMatch(/^\| 15,000 \| 15,120 \|/);
  });

  it('shows n/a and the reason, once, for what could not be measured', () => {
    const broken = renderReport({
      ...report,
      rows: [row(300, { vhtop: failed('vhtop list --json --all: vhtop: internal error: boom'), frames: failed('the TUI is not built yet') })],
      idle: null,
      busyIdle: null,
      startup: failed('timing runner failed: no python3'),
    });
    expect(lineOf(broken, '| one-shot')).toContain('| n/a | `ss -tanp` 72.0 ms | n/a | ≤ 1.2× |');
    expect(lineOf(broken, '| idle CPU')).toContain('| skipped |');
    expect(lineOf(broken, '| start-up: `vhtop check`')).toContain('| n/a | `node -e 0` n/a | n/a | ≤ 1.3× |');
    expect(broken).not.toContain('TIME-WAIT');
    expect(broken).not.toContain('busy farm');
    expect(broken).toContain('Not measured:\n- timing runner failed: no python3\n- vhtop list --json --all: vhtop: internal error: boom\n- the TUI is not built yet');
    expect(broken.match(/internal error: boom/g)).toHaveLength(1);
  });
});
