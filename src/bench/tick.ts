import { performance } from 'node:perf_hooks';
import { buildSnapshot } from '../core/snapshot.js';
import type { SnapshotSeries } from '../core/snapshot-series.js';
import type { Catalogue, EnvSources, Probe, ProbeData, Snapshot } from '../core/types.js';

/** Cost of the steady-state refresh ticks of one long-lived probe. */
export interface TickCosts {
  /** CPU (user + system, all threads of this process) of each tick, ms. */
  readonly cpuMs: readonly number[];
  readonly wallMs: readonly number[];
  /** Sockets the probe saw in the last tick. */
  readonly sockets: number;
  /** Listeners in the last snapshot. */
  readonly listeners: number;
  /** The last probe pass (reused to build the big snapshot for frame timing). */
  readonly lastData: ProbeData;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/**
 * What the TUI does on every tick: one probe pass, then the one classifier every view shares; with
 * `series`, as the TUI classifies its passes (an unchanged pass reuses the last classification).
 */
export async function tick(probe: Probe, catalogue: Catalogue, env: EnvSources, series?: SnapshotSeries): Promise<{ data: ProbeData; snapshot: Snapshot }> {
  const data = await probe.collect();
  const how = { profile: null, all: false };
  const snapshot = series ? series.build(data, catalogue, env, how) : buildSnapshot(data, catalogue, env, how);
  return { data, snapshot };
}

/**
 * Ticks before measuring. The first fills the inode -> owner cache; the next two are where V8 compiles
 * the per-socket loops of a refresh (verification, table parsing, owner lookup), a one-time cost of
 * the TUI's first seconds that, at 15k sockets, doubles the CPU of those ticks. Steady state is what
 * a TUI left running pays.
 */
export const WARMUP_TICKS = 3;

/** Mean of a non-empty list (tick costs alternate between full and listeners-only ticks: the median would hide the full ones). */
export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** How {@link measureTicks} ticks like a TUI. */
export interface TickOptions {
  /** The TUI's classification of one pass after another. */
  readonly series?: SnapshotSeries;
  /** Full reads of all sockets the probe made so far: measuring then spans whole cycles of full and listeners-only ticks. */
  readonly fullReads?: () => number;
  /** Called before each tick: moves the probe's clock on by one refresh interval. */
  readonly beforeTick?: () => void;
}

/** A bound on the ticks spent looking for the end of a cycle (a probe that never reads all sockets again). */
const MAX_EXTRA_TICKS = 200;

/**
 * Warms `probe` with {@link WARMUP_TICKS} ticks (not counted), then measures at least `ticks` further
 * ticks. With `fullReads`, warming ends and measuring ends right after a full read, so the measured
 * ticks are whole cycles and their mean is what a TUI pays per refresh.
 * process.cpuUsage() counts every thread, so work pushed to the libuv pool (async fs) is included.
 */
export async function measureTicks(probe: Probe, catalogue: Catalogue, env: EnvSources, ticks: number, options: TickOptions = {}): Promise<TickCosts> {
  const { series, fullReads, beforeTick } = options;
  const next = async (): Promise<{ data: ProbeData; snapshot: Snapshot; full: boolean }> => {
    beforeTick?.();
    const before = fullReads?.() ?? 0;
    const r = await tick(probe, catalogue, env, series);
    return { ...r, full: fullReads !== undefined && fullReads() > before };
  };
  let last = await next();
  for (let i = 1; i < WARMUP_TICKS || (fullReads !== undefined && !last.full && i < WARMUP_TICKS + MAX_EXTRA_TICKS); i++) last = await next();
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  for (let i = 0; i < ticks || (fullReads !== undefined && !last.full && i < ticks + MAX_EXTRA_TICKS); i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    last = await next();
    wallMs.push(performance.now() - t0);
    cpuMs.push(cpuMsSince(cpu0));
  }
  return { cpuMs, wallMs, sockets: last.data.sockets.length, listeners: last.snapshot.listeners.length, lastData: last.data };
}
