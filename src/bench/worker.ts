/**
 * Child process of the bench: one long-lived probe ticking like the TUI does, then frame timing
 * over the snapshot it produced. Separate from the bench process so that its peak RSS (VmHWM) is
 * the probe's own, and so a crash here cannot take the socket farm's owner down with it.
 *
 * Usage: node dist/bench/worker.js TICKS FRAMES   (prints one JSON line: {@link WorkerResult})
 */
import { loadCatalogue } from '../core/catalogue-load.js';
import { loadEnvSources } from '../core/env.js';
import { buildSnapshot } from '../core/snapshot.js';
import { BUNDLED_REGISTRY, LIVE_ALL_SOCKETS_EVERY, LIVE_PROBE } from '../cli/world.js';
import { createProbe } from '../probe/index.js';
import { LinuxProbe } from '../probe/linux.js';
import { DEFAULT_INTERVAL_MS } from '../ui/App.js';
import { measureFrames, uniqueRows, type FrameTimes } from './frame.js';
import { readPeakRssKb } from './proc.js';
import { attempt, failed, type Measured } from './stats.js';
import { measureScrapes, type ScrapeCosts } from './scrape.js';
import { measureTicks, type TickCosts } from './tick.js';
import { SnapshotSeries } from '../core/snapshot-series.js';
import { mountListenerView } from './ui-subject.js';

/** What the worker prints. */
export interface WorkerResult {
  readonly ticks: Measured<Omit<TickCosts, 'lastData'>>;
  /** VmHWM after the ticks, before frame timing allocates anything, KiB. */
  readonly peakRssKb: number | null;
  readonly frames: Measured<FrameTimes>;
  /** `vhtop serve` scrapes that each walk /proc (measured after the ticks, with the same warm probe). */
  readonly scrapes: Measured<ScrapeCosts>;
}

async function main(ticks: number, frames: number): Promise<WorkerResult> {
  const setup = await attempt(async () => {
    const catalogue = await loadCatalogue(BUNDLED_REGISTRY);
    const env = await loadEnvSources(null, process.env);
    // Configured as the TUI's (LIVE_PROBE): listeners every tick, all sockets every few, on a clock
    // that moves one default refresh interval per tick (the ticks themselves run back to back).
    const clock = { now: Date.now() };
    const probe = new LinuxProbe({ ...LIVE_PROBE, now: () => clock.now });
    return { catalogue, env, probe, clock };
  });
  if (!setup.ok) return { ticks: setup, peakRssKb: null, frames: failed('no snapshot: ' + setup.reason), scrapes: setup };
  const { catalogue, env, probe, clock } = setup.value;
  // Whole cycles of full and listeners-only ticks, at least two, so that their mean is what a TUI pays.
  const counted = Math.max(2, Math.ceil(ticks / LIVE_ALL_SOCKETS_EVERY)) * LIVE_ALL_SOCKETS_EVERY;
  const costs = await attempt(() =>
    measureTicks(probe, catalogue, env, counted, {
      series: new SnapshotSeries(),
      fullReads: () => probe.fullReads,
      beforeTick: () => (clock.now += DEFAULT_INTERVAL_MS),
    }),
  );
  const peakRssKb = readPeakRssKb('self');
  if (!costs.ok) return { ticks: costs, peakRssKb, frames: failed('no snapshot: ' + costs.reason), scrapes: costs };
  const { lastData, ...tickCosts } = costs.value;
  const frameResult = await attempt(async () => {
    // Every socket as a row (list --all): the largest table the UI can be asked to hold.
    return measureFrames(mountListenerView, uniqueRows(buildSnapshot(lastData, catalogue, env, { profile: null, all: true })), frames);
  });
  // A probe as `vhtop serve` has it: every pass reads all sockets.
  const scrapes = await attempt(() => measureScrapes(createProbe('linux'), catalogue, env, ticks));
  return { ticks: { ok: true, value: tickCosts }, peakRssKb, frames: frameResult, scrapes };
}

const [ticksArg, framesArg] = process.argv.slice(2);
main(Number(ticksArg ?? 7), Number(framesArg ?? 7)).then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    // Ink or a probe may leave handles open; the result is out, so leave now.
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`bench worker: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
