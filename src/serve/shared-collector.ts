/**
 * One probe pass shared by every scrape of an interval: ten scrapers (or a hundred concurrent
 * requests) cost one /proc walk, not ten. A failed pass is shared the same way, so a broken probe
 * is not retried by every request either.
 */
import { performance } from 'node:perf_hooks';
import type { Snapshot } from '../core/types.js';

/** What one collection produced. */
export type Outcome =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly durationSeconds: number; readonly startedAt: number }
  | { readonly ok: false; readonly error: string; readonly durationSeconds: number; readonly startedAt: number };

/** Options of {@link SharedCollector}. */
export interface SharedCollectorOptions {
  /** One probe pass classified against the catalogue. May reject; the rejection becomes a failed outcome. */
  readonly collect: () => Promise<Snapshot>;
  /** Longest age (from the start of its pass) of an outcome handed to a caller. */
  readonly maxAgeMs: number;
  /** Clock in ms, injectable for tests. */
  readonly now?: () => number;
}

/** Hands out the latest outcome while it is fresh; otherwise starts (or joins) one new collection. */
export class SharedCollector {
  private latest: Outcome | null = null;
  private pending: Promise<Outcome> | null = null;
  private count = 0;
  private readonly now: () => number;

  constructor(private readonly options: SharedCollectorOptions) {
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
  }

  /** How many collections were started so far (an observable count of /proc walks). */
  get collections(): number {
    return this.count;
  }

  /** The newest finished outcome, fresh or not (null before the first one ends). */
  get last(): Outcome | null {
    return this.latest;
  }

  /** A fresh outcome: the cached one, the one being collected, or a new collection. Never rejects. */
  get(): Promise<Outcome> {
    const latest = this.latest;
    if (latest !== null && this.now() - latest.startedAt < this.options.maxAgeMs) return Promise.resolve(latest);
    if (this.pending) return this.pending;
    this.count += 1;
    const startedAt = this.now();
    const t0 = performance.now();
    this.pending = this.options.collect().then(
      (snapshot): Outcome => ({ ok: true, snapshot, durationSeconds: (performance.now() - t0) / 1000, startedAt }),
      (e: unknown): Outcome => ({ ok: false, error: e instanceof Error ? e.message : String(e), durationSeconds: (performance.now() - t0) / 1000, startedAt }),
    ).then((outcome) => {
      this.latest = outcome;
      this.pending = null;
      return outcome;
    });
    return this.pending;
  }
}
