import type { HealthOptions, HealthTarget } from '../actions/health.js';
import { healthTargets } from '../actions/health-targets.js';
import type { Catalogue, HealthResult, Snapshot } from '../core/types.js';

/** Signature of checkHealth (src/actions/health.ts), injectable for tests. */
export type HealthChecker = (targets: readonly HealthTarget[], options?: HealthOptions) => Promise<Map<string, HealthResult>>;

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
    const targets = healthTargets(snap, snap.services, this.options.catalogue);
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
