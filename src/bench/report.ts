import type { FrameTimes } from './frame.js';
import type { IdleCost } from './idle.js';
import type { StartupCosts, TimeWaitCosts } from './measure.js';
import type { MachineInfo } from './proc.js';
import { ratio, type Measured } from './stats.js';

/** Medians of one timed command. */
export interface CommandCost {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

/** Everything measured at one socket count. */
export interface ScaleRow {
  /** Sockets the farm really opened. */
  readonly sockets: number;
  /** Sockets on the whole machine with the farm open (the farm plus whatever else runs). */
  readonly machineSockets: number;
  /** `node -e 0`: the runtime's own start-up, part of every one-shot vhtop. */
  readonly nodeStart: Measured<CommandCost>;
  readonly ssTan: Measured<CommandCost>;
  readonly ssTanp: Measured<CommandCost>;
  readonly lsof: Measured<CommandCost>;
  /** `node bin/vhtop.js list --json --all`, whole process. */
  readonly vhtop: Measured<CommandCost>;
  /** Mean CPU and wall of the warm refresh ticks (probe pass + classification, as the TUI makes them). */
  readonly tick: Measured<{ readonly cpuMs: number; readonly wallMs: number; readonly sockets: number }>;
  /** VmHWM of the ticking worker, KiB. */
  readonly tickRssKb: Measured<number>;
  readonly frames: Measured<FrameTimes>;
  /** The one-shot round again with TIME-WAIT sockets added (largest size only; null when skipped). */
  readonly timeWait?: Measured<TimeWaitCosts> | null;
  /** Median CPU and wall of one `vhtop serve` scrape that walks /proc (absent in older reports). */
  readonly scrape?: Measured<{ readonly cpuMs: number; readonly wallMs: number }>;
}

/** One whole bench run. */
export interface BenchReport {
  readonly machine: MachineInfo;
  readonly when: string;
  readonly reps: number;
  /** Ascending socket counts; the last one gets the detailed table. */
  readonly rows: readonly ScaleRow[];
  readonly idle: Measured<IdleCost> | null;
  /** The idle test with a socket farm open (null when skipped). */
  readonly busyIdle?: Measured<IdleCost> | null;
  /** One-shot start-up at few sockets (absent in reports made before it existed). */
  readonly startup?: Measured<StartupCosts>;
  /** Runs of each start-up command (default: {@link reps}). */
  readonly startupReps?: number;
}

/** Targets (ratios, never absolute times, except the resource ceilings). */
export const TARGETS = {
  oneShotVsSsTanp: 1.2,
  oneShotVsLsof: 1,
  startupVsNode: 1.3,
  tickVsSsTanpCpu: 0.25,
  frameLargeVsSmall: 1.5,
  idlePercent: 1,
  busyIdlePercent: 2,
  peakRssMiB: 150,
} as const;

const n = (v: number): string => v.toLocaleString('en-US');
const ms = (v: number): string => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const mib = (kb: number): string => `${(kb / 1024).toFixed(0)} MiB`;
const x = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
const verdict = (ok: boolean | null): string => (ok === null ? '' : ok ? ' ✓' : ' ✗');
const within = (v: number, max: number): boolean | null => (Number.isFinite(v) ? v <= max : null);

/** Formats a measured value, or "n/a" (the reason goes to the notes under the table). */
function cell<T>(m: Measured<T> | null, show: (v: T) => string, notes: Set<string>): string {
  if (m === null) return 'skipped';
  if (m.ok) return show(m.value);
  notes.add(m.reason);
  return 'n/a';
}

const value = <T, R>(m: Measured<T> | null, pick: (v: T) => R): R | null => (m !== null && m.ok ? pick(m.value) : null);
const num = (v: number | null): number => v ?? Number.NaN;

/** Start-up rows: a one-shot at few sockets against `node -e 0` (wall), with the CPU ratio alongside. */
function startupRows(startup: Measured<StartupCosts> | undefined, notes: Set<string>): string[] {
  if (startup === undefined) return [];
  const row = (label: string, pick: (s: StartupCosts) => Measured<CommandCost>): string => {
    const own = startup.ok ? pick(startup.value) : startup;
    const node = startup.ok ? startup.value.nodeStart : startup;
    const wall = ratio(num(value(own, (c) => c.wallMs)), num(value(node, (c) => c.wallMs)));
    const cpu = ratio(num(value(own, (c) => c.cpuMs)), num(value(node, (c) => c.cpuMs)));
    const sockets = startup.ok ? `, ${n(startup.value.machineSockets)} socket${startup.value.machineSockets === 1 ? '' : 's'}` : '';
    return `| start-up: \`${label}\`, few sockets${sockets}, wall (CPU ratio ${x(cpu)}) | ${cell(own, (c) => ms(c.wallMs), notes)} | \`node -e 0\` ${cell(node, (c) => ms(c.wallMs), notes)} | ${x(wall)} | ≤ ${TARGETS.startupVsNode}×${verdict(within(wall, TARGETS.startupVsNode))} |`;
  };
  return [row('vhtop list --json', (s) => s.list), row('vhtop check', (s) => s.check), row('vhtop status', (s) => s.status)];
}

/** The one-shot against `ss -tanp` with TIME-WAIT sockets also on the machine. */
function timeWaitRow(row: ScaleRow, notes: Set<string>): string[] {
  const tw = row.timeWait;
  if (tw === undefined || tw === null) return [];
  const vhtop = tw.ok ? tw.value.vhtop : tw;
  const ss = tw.ok ? tw.value.ssTanp : tw;
  const r = ratio(num(value(vhtop, (c) => c.wallMs)), num(value(ss, (c) => c.wallMs)));
  const what = tw.ok ? `${n(tw.value.timeWait)} TIME-WAIT sockets also on the machine (${n(tw.value.machineSockets)} in all)` : 'TIME-WAIT sockets also on the machine';
  return [`| same one-shot with ${what} | ${cell(vhtop, (c) => ms(c.wallMs), notes)} | \`ss -tanp\` ${cell(ss, (c) => ms(c.wallMs), notes)} | ${x(r)} | ≤ ${TARGETS.oneShotVsSsTanp}×${verdict(within(r, TARGETS.oneShotVsSsTanp))} |`];
}

function idleRow(label: string, idle: Measured<IdleCost> | null, target: number, notes: Set<string>): string {
  const pct = num(value(idle, (i) => i.percentOfCore));
  return `| ${label} | ${cell(idle, (i) => `${i.percentOfCore.toFixed(2)} % of a core (${i.windowSeconds.toFixed(0)} s, ${n(i.machineSockets)} sockets)`, notes)} | | | < ${target} %${verdict(Number.isFinite(pct) ? pct < target : null)} |`;
}

function detail(row: ScaleRow, idle: Measured<IdleCost> | null, notes: Set<string>, busyIdle: Measured<IdleCost> | null = null, busy = false): string[] {
  const vWall = num(value(row.vhtop, (c) => c.wallMs));
  const sWall = num(value(row.ssTanp, (c) => c.wallMs));
  const lWall = num(value(row.lsof, (c) => c.wallMs));
  const tickCpu = num(value(row.tick, (t) => t.cpuMs));
  const sCpu = num(value(row.ssTanp, (c) => c.cpuMs));
  const fSmall = num(value(row.frames, (f) => f.smallMs));
  const fLarge = num(value(row.frames, (f) => f.largeMs));
  const idlePct = num(value(idle, (i) => i.percentOfCore));
  const rssList = num(value(row.vhtop, (c) => c.maxRssKb));
  const rssTick = num(value(row.tickRssKb, (k) => k));
  const oneShot = ratio(vWall, sWall);
  const tickRatio = ratio(tickCpu, sCpu);
  const frameRatio = ratio(fLarge, fSmall);
  const rows = value(row.frames, (f) => f.largeRows) ?? row.sockets;
  return [
    '| measure | vhtop | reference | ratio | target |',
    '|---|--:|--:|--:|---|',
    `| one-shot \`vhtop list --json --all\`, wall, whole process | ${cell(row.vhtop, (c) => ms(c.wallMs), notes)} | \`ss -tanp\` ${cell(row.ssTanp, (c) => ms(c.wallMs), notes)} | ${x(oneShot)} | ≤ ${TARGETS.oneShotVsSsTanp}×${verdict(within(oneShot, TARGETS.oneShotVsSsTanp))} |`,
    `| one-shot CPU (user + system) | ${cell(row.vhtop, (c) => ms(c.cpuMs), notes)} | \`ss -tanp\` ${cell(row.ssTanp, (c) => ms(c.cpuMs), notes)} | ${x(ratio(num(value(row.vhtop, (c) => c.cpuMs)), sCpu))} | — |`,
    `| same, against \`lsof -i -P -n\` | ${cell(row.vhtop, (c) => ms(c.wallMs), notes)} | ${cell(row.lsof, (c) => ms(c.wallMs), notes)} | ${x(ratio(vWall, lWall))} | < ${TARGETS.oneShotVsLsof}×${verdict(Number.isFinite(ratio(vWall, lWall)) ? ratio(vWall, lWall) < TARGETS.oneShotVsLsof : null)} |`,
    ...timeWaitRow(row, notes),
    `| \`ss -tan\` (no owners), for scale | — | ${cell(row.ssTan, (c) => ms(c.wallMs), notes)} | — | — |`,
    `| \`node -e 0\` (runtime start-up inside every one-shot), for scale | — | ${cell(row.nodeStart, (c) => ms(c.wallMs), notes)} | — | — |`,
    `| TUI refresh tick CPU (probe pass + classification as the TUI makes them, warm cache; mean over whole cycles of full and listeners-only refreshes at the 2 s interval) | ${cell(row.tick, (t) => ms(t.cpuMs), notes)} | \`ss -tanp\` CPU ${cell(row.ssTanp, (c) => ms(c.cpuMs), notes)} | ${x(tickRatio)} | ≤ ${TARGETS.tickVsSsTanpCpu}×${verdict(within(tickRatio, TARGETS.tickVsSsTanpCpu))} |`,
    `| \`vhtop serve\` scrape CPU (probe pass + classification + exposition over HTTP, cache miss) | ${cell(row.scrape ?? null, (t) => ms(t.cpuMs), notes)} | \`ss -tanp\` CPU ${cell(row.ssTanp, (c) => ms(c.cpuMs), notes)} | ${x(ratio(num(value(row.scrape ?? null, (t) => t.cpuMs)), sCpu))} | — |`,
    `| frame at ${n(rows)} rows vs 50 rows | ${cell(row.frames, (f) => ms(f.largeMs), notes)} | ${cell(row.frames, (f) => ms(f.smallMs), notes)} | ${x(frameRatio)} | ≤ ${TARGETS.frameLargeVsSmall}×${verdict(within(frameRatio, TARGETS.frameLargeVsSmall))} |`,
    `| idle CPU of the TUI, default interval, no farm | ${cell(idle, (i) => `${i.percentOfCore.toFixed(2)} % of a core (${i.windowSeconds.toFixed(0)} s, ${n(i.machineSockets)} sockets)`, notes)} | | | < ${TARGETS.idlePercent} %${verdict(Number.isFinite(idlePct) ? idlePct < TARGETS.idlePercent : null)} |`,
    ...(busy ? [idleRow('idle CPU of the TUI, default interval, with the busy farm open', busyIdle, TARGETS.busyIdlePercent, notes)] : []),
    `| TUI time to first frame, few sockets (start-up included) | ${cell(idle, (i) => ms(i.firstFrameMs), notes)} | \`node -e 0\` ${cell(row.nodeStart, (c) => ms(c.wallMs), notes)} | ${x(ratio(num(value(idle, (i) => i.firstFrameMs)), num(value(row.nodeStart, (c) => c.wallMs))))} | — |`,
    `| peak RSS, one-shot \`list --json --all\` | ${cell(row.vhtop, (c) => mib(c.maxRssKb), notes)} | \`ss -tanp\` ${cell(row.ssTanp, (c) => mib(c.maxRssKb), notes)} | | < ${TARGETS.peakRssMiB} MiB${verdict(Number.isFinite(rssList) ? rssList / 1024 < TARGETS.peakRssMiB : null)} |`,
    `| peak RSS, ticking probe (in-process) | ${cell(row.tickRssKb, mib, notes)} | | | < ${TARGETS.peakRssMiB} MiB${verdict(Number.isFinite(rssTick) ? rssTick / 1024 < TARGETS.peakRssMiB : null)} |`,
  ];
}

function growth(rows: readonly ScaleRow[], notes: Set<string>): string[] {
  const out = [
    '| farm sockets | on machine | `ss -tan` | `ss -tanp` | `lsof` | vhtop list | list / ss-tanp | tick CPU | ss-tanp CPU | tick / ss-tanp | frame 50 | frame all | RSS list | RSS tick |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const wall = (m: Measured<CommandCost>): string => cell(m, (c) => ms(c.wallMs), notes);
    const oneShot = ratio(num(value(r.vhtop, (c) => c.wallMs)), num(value(r.ssTanp, (c) => c.wallMs)));
    const tick = ratio(num(value(r.tick, (t) => t.cpuMs)), num(value(r.ssTanp, (c) => c.cpuMs)));
    out.push(
      `| ${n(r.sockets)} | ${n(r.machineSockets)} | ${wall(r.ssTan)} | ${wall(r.ssTanp)} | ${wall(r.lsof)} | ${wall(r.vhtop)} | ${x(oneShot)} | ${cell(r.tick, (t) => ms(t.cpuMs), notes)} | ${cell(r.ssTanp, (c) => ms(c.cpuMs), notes)} | ${x(tick)} | ${cell(r.frames, (f) => ms(f.smallMs), notes)} | ${cell(r.frames, (f) => ms(f.largeMs), notes)} | ${cell(r.vhtop, (c) => mib(c.maxRssKb), notes)} | ${cell(r.tickRssKb, mib, notes)} |`,
    );
  }
  return out;
}

/** The whole report as markdown (README-ready): machine line, detailed table, growth table, notes. */
export function renderReport(report: BenchReport): string {
  const notes = new Set<string>();
  const m = report.machine;
  const last = report.rows[report.rows.length - 1];
  const lines = [
    `Measured ${report.when} on ${m.cpus} × ${m.cpuModel}, ${m.kernel}, node ${m.node} (load ${m.load1.toFixed(2)} at start). Medians of ${report.reps} runs; every ratio is from the same run.`,
    '',
  ];
  const startup = startupRows(report.startup, notes);
  if (startup.length > 0) lines.push(`**Start-up** (the machine as it is, before any farm; medians of ${report.startupReps ?? report.reps} runs):`, '', '| measure | vhtop | reference | ratio | target |', '|---|--:|--:|--:|---|', ...startup, '');
  if (last) {
    lines.push(
      `**At ${n(last.sockets)} TCP sockets** of the bench's farm (${n(last.sockets / 3)} listeners on 127.0.0.1, each with an established client; ${n(last.machineSockets)} sockets on the machine in all):`,
      '',
    );
    lines.push(...detail(last, report.idle, notes, report.busyIdle ?? null, report.busyIdle !== undefined && report.busyIdle !== null), '');
    lines.push('**Growth with the number of sockets:**', '', ...growth(report.rows, notes), '');
  }
  if (notes.size > 0) lines.push('Not measured:', ...[...notes].map((r) => `- ${r}`), '');
  return lines.join('\n');
}
