import type { HealthOptions, HealthTarget } from './health.js';
import { healthTargets } from './health-targets.js';
import type { Catalogue, HealthResult, Snapshot } from '../core/types.js';

/** Signature of checkHealth (src/actions/health.ts), injectable for tests. */
export type HealthChecker = (targets: readonly HealthTarget[], options?: HealthOptions) => Promise<Map<string, HealthResult>>;

/** Options of {@link HealthRunner}. */
export interface HealthRunnerOptions {
  readonly check: HealthChecker;
  readonly catalogue: Catalogue;
  /** Latest snapshot (read at the start of each round). */
  readonly snapshot: () => Snapshot | null;
  /**
   * Every current result, complete (ids without one are not probed now: down, or held by another
   * program); replaces what was delivered before. Called as each probe of a round ends.
   */
  readonly onResults: (results: ReadonlyMap<string, HealthResult>) => void;
  readonly intervalMs: number;
}

/** Runs health probes on their own cadence, off the render path; rounds never overlap. */
export class HealthRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private abort = new AbortController();
  /** The results last handed to onResults (what the screen shows). */
  private last: ReadonlyMap<string, HealthResult> = new Map();

  constructor(private readonly options: HealthRunnerOptions) {}

  /** Ticks every interval (the first round waits for {@link run} or the first tick). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), this.options.intervalMs);
  }

  /**
   * One round now unless one is running. Probe failures become results, never exceptions. Each
   * result is shown as soon as its probe ends: a silent listener with a long timeout must not hold
   * back the health of every other service for the whole round.
   */
  run(): Promise<void> {
    if (this.running) return this.running;
    const snap = this.options.snapshot();
    if (!snap) return Promise.resolve();
    const targets = healthTargets(snap, snap.services, this.options.catalogue);
    // Results of services still probed stay on screen until their new ones arrive; the others
    // (gone down, or now held by another program) go at once.
    const ids = new Set(targets.map((t) => t.id));
    const round = new Map([...this.last].filter(([id]) => ids.has(id)));
    if (round.size !== this.last.size) this.deliver(round);
    if (targets.length === 0) return Promise.resolve();
    const signal = this.abort.signal;
    this.running = (async () => {
      try {
        await Promise.all(
          targets.map(async (t) => {
            const result = await this.probe(t, signal);
            if (signal.aborted) return;
            round.set(t.id, result);
            this.deliver(round);
          }),
        );
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** One target through the injected checker; a thrown error becomes that target's result. */
  private async probe(t: HealthTarget, signal: AbortSignal): Promise<HealthResult> {
    try {
      const result = (await this.options.check([t], { signal })).get(t.id);
      return result ?? { ok: false, latencyMs: null, detail: 'health probe gave no result' };
    } catch (e) {
      return { ok: false, latencyMs: null, detail: `health probe failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** Hands a copy to the store: the round's map keeps changing while probes end. */
  private deliver(results: ReadonlyMap<string, HealthResult>): void {
    this.last = new Map(results);
    this.options.onResults(this.last);
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
