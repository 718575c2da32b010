import { performance } from 'node:perf_hooks';
import { startExporter } from '../serve/exporter.js';
import type { Catalogue, EnvSources, Probe } from '../core/types.js';
import { tick, WARMUP_TICKS } from './tick.js';

/** Cost of `/metrics` scrapes that each need a fresh probe pass (the cache-miss case). */
export interface ScrapeCosts {
  /** CPU (user + system, every thread of this process, the HTTP client included) per scrape, ms. */
  readonly cpuMs: readonly number[];
  readonly wallMs: readonly number[];
}

/**
 * Runs the real exporter in this process with a zero interval, so that every scrape walks /proc,
 * classifies and renders the exposition, and times `scrapes` GET /metrics after a warm-up as long as
 * the ticks' (V8 compiles the HTTP path on the first few). `probe` is configured as `vhtop serve`'s
 * (every pass reads all sockets); the warm-up fills its caches as a running exporter has them.
 */
export async function measureScrapes(probe: Probe, catalogue: Catalogue, env: EnvSources, scrapes: number): Promise<ScrapeCosts> {
  const exporter = await startExporter({
    listen: { host: '127.0.0.1', port: 0 },
    intervalMs: 0,
    health: false,
    webConfig: null,
    unexpectedDetails: 0,
    version: 'bench',
    catalogue,
    collect: async () => (await tick(probe, catalogue, env)).snapshot,
    log: () => undefined,
  });
  try {
    const scrape = async (): Promise<void> => {
      const res = await fetch(`${exporter.url}metrics`);
      if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
      await res.text();
    };
    for (let i = 0; i < WARMUP_TICKS; i++) await scrape();
    const cpuMs: number[] = [];
    const wallMs: number[] = [];
    for (let i = 0; i < scrapes; i++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await scrape();
      wallMs.push(performance.now() - t0);
      const d = process.cpuUsage(cpu0);
      cpuMs.push((d.user + d.system) / 1000);
    }
    return { cpuMs, wallMs };
  } finally {
    await exporter.close();
  }
}
