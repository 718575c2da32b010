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

/**
 * Warms `probe` with {@link WARMUP_TICKS} ticks (not counted), then measures `ticks` further ticks.
 * process.cpuUsage() counts every thread, so work pushed to the libuv pool (async fs) is included.
 */
export async function measureTicks(probe: Probe, catalogue: Catalogue, env: EnvSources, ticks: number, series?: SnapshotSeries): Promise<TickCosts> {
  let last = await tick(probe, catalogue, env, series);
  for (let i = 1; i < WARMUP_TICKS; i++) last = await tick(probe, catalogue, env, series);
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    last = await tick(probe, catalogue, env, series);
    wallMs.push(performance.now() - t0);
    cpuMs.push(cpuMsSince(cpu0));
  }
  return { cpuMs, wallMs, sockets: last.data.sockets.length, listeners: last.snapshot.listeners.length, lastData: last.data };
}
