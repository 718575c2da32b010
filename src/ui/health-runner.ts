import type { HealthOptions, HealthTarget } from '../actions/health.js';
import type { Catalogue, HealthResult, Listener, Snapshot } from '../core/types.js';

/** Signature of checkHealth (src/actions/health.ts), injectable for tests. */
export type HealthChecker = (targets: readonly HealthTarget[], options?: HealthOptions) => Promise<Map<string, HealthResult>>;

const LOOPBACK_V4 = /^127\./;

/**
 * Address to probe a port on: loopback of a family the listeners accept. A wildcard or loopback IPv4
 * socket answers on 127.0.0.1; when only IPv6 sockets listen, ::1; a socket bound to one specific
 * address only answers there.
 */
export function healthHost(listeners: readonly Listener[]): string {
  const v4 = listeners.filter((l) => l.family === 4);
  if (v4.some((l) => l.address === '0.0.0.0' || LOOPBACK_V4.test(l.address))) return '127.0.0.1';
  const v6 = listeners.filter((l) => l.family === 6);
  if (v6.some((l) => l.address === '::' || l.address === '::1')) return v4.length === 0 ? '::1' : '127.0.0.1';
  if (v6.some((l) => LOOPBACK_V4.test(l.address) || l.address === '0.0.0.0')) return '127.0.0.1';
  return (v4[0] ?? v6[0])?.address ?? '127.0.0.1';
}

/** Targets for every service of the snapshot that has a health spec and something listening on its port. */
export function healthTargets(snapshot: Snapshot, catalogue: Catalogue): HealthTarget[] {
  const specs = new Map(catalogue.services.map((s) => [s.id, s.health]));
  const targets: HealthTarget[] = [];
  for (const s of snapshot.services) {
    const spec = specs.get(s.id);
    if (!spec || s.status === 'down') continue;
    const on = snapshot.listeners.filter((l) => l.port === s.port && l.protocol === s.protocol && l.state !== 'ESTAB');
    targets.push({ id: s.id, host: healthHost(on), port: s.port, spec });
  }
  return targets;
}

/** Options of {@link HealthRunner}. */
export interface HealthRunnerOptions {
  readonly check: HealthChecker;
  readonly catalogue: Catalogue;
  /** Latest snapshot (read at the start of each round). */
  readonly snapshot: () => Snapshot | null;
  readonly onResults: (results: ReadonlyMap<string, HealthResult>) => void;
  readonly intervalMs: number;
}

/** Runs health probes on their own cadence, off the render path; rounds never overlap. */
export class HealthRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private abort = new AbortController();

  constructor(private readonly options: HealthRunnerOptions) {}

  /** Ticks every interval (the first round waits for {@link run} or the first tick). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), this.options.intervalMs);
  }

  /** One round now unless one is running. Probe failures become results, never exceptions. */
  run(): Promise<void> {
    if (this.running) return this.running;
    const snap = this.options.snapshot();
    if (!snap) return Promise.resolve();
    const targets = healthTargets(snap, this.options.catalogue);
    if (targets.length === 0) return Promise.resolve();
    this.running = (async () => {
      try {
        const results = await this.options.check(targets, { signal: this.abort.signal });
        if (!this.abort.signal.aborted) this.options.onResults(results);
      } catch (e) {
        if (this.abort.signal.aborted) return;
        const detail = `health probe failed: ${e instanceof Error ? e.message : String(e)}`;
        this.options.onResults(new Map(targets.map((t) => [t.id, { ok: false, latencyMs: null, detail }])));
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops ticking (space pauses all refreshing); {@link start} resumes. A round in flight finishes. */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops ticking and cancels probes in flight. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
  }
}
