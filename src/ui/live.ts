import type { HealthResult, Listener, Snapshot } from '../core/types.js';
import { diffSnapshots, type ChangeEvent } from '../core/events.js';
import { cleanText } from '../core/sanitize.js';
import type { CpuSample } from './cpu.js';

/** Everything the UI shows that comes from the machine. Immutable; replaced as a whole on each change. */
export interface LiveData {
  readonly snapshot: Snapshot | null;
  /**
   * The time and processes of the snapshot before, for CPU% deltas. Only those: keeping the whole
   * snapshot would keep its thousands of listeners alive one refresh longer, long enough for the
   * garbage collector to copy them into the old generation on a busy server.
   */
  readonly previous: CpuSample | null;
  /** Changes seen this session, oldest first (capped). */
  readonly events: readonly ChangeEvent[];
  readonly health: ReadonlyMap<string, HealthResult>;
  /** Epoch ms of the last successful refresh. */
  readonly refreshedAt: number | null;
  /** Last probe failure in one line, cleared by the next success. */
  readonly error: string | null;
}

/**
 * Same listeners in the same order with the same owner and status: nothing a listener event is made
 * of can differ. One tight pass with no allocation, so that an unchanged 15k-socket tick does not pay
 * for the two port maps and the sort that the full diff builds.
 */
export function sameListeners(a: readonly Listener[], b: readonly Listener[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Listener;
    const y = b[i] as Listener;
    if (x !== y && (x.key !== y.key || x.pid !== y.pid || x.process !== y.process || x.status !== y.status)) return false;
  }
  return true;
}

/** {@link diffSnapshots}, skipping the listener half when {@link sameListeners} says it cannot find anything. */
export function changesBetween(prev: Snapshot, next: Snapshot): ChangeEvent[] {
  if (!sameListeners(prev.listeners, next.listeners)) return diffSnapshots(prev, next);
  return diffSnapshots({ ...prev, listeners: [] }, { ...next, listeners: [] });
}

/** Events kept for the session; older ones fall off so a long session does not grow without bound. */
export const MAX_EVENTS = 500;

/** A tiny external store (for React's useSyncExternalStore): the only way data enters the UI. */
export class LiveStore {
  private data: LiveData = { snapshot: null, previous: null, events: [], health: new Map(), refreshedAt: null, error: null };
  private readonly listeners = new Set<() => void>();

  /** Current data (stable identity until the next change). */
  readonly get = (): LiveData => this.data;

  /** Registers a change listener; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: LiveData): void {
    this.data = next;
    for (const l of this.listeners) l();
  }

  /** A new snapshot arrived: keep the previous one and append what changed. */
  pushSnapshot(snapshot: Snapshot, at: number): void {
    const prev = this.data.snapshot;
    const fresh = prev ? changesBetween(prev, snapshot) : [];
    const events = fresh.length > 0 ? [...this.data.events, ...fresh].slice(-MAX_EVENTS) : this.data.events;
    const previous = prev === null ? null : { takenAt: prev.takenAt, processes: prev.processes };
    this.set({ ...this.data, snapshot, previous, events, refreshedAt: at, error: null });
  }

  /** A probe pass failed; the old snapshot stays on screen. */
  pushError(error: unknown): void {
    const msg = error instanceof Error ? error.message : String(error);
    this.set({ ...this.data, error: cleanText(msg).split('\n')[0] ?? '' });
  }

  /**
   * The health runner's current results, complete, replace the previous ones as a whole: a service
   * it no longer probes (it went down, or lost its listener) must not keep showing an old "ok".
   */
  pushHealth(results: ReadonlyMap<string, HealthResult>): void {
    const health = new Map<string, HealthResult>();
    for (const [id, r] of results) health.set(id, { ...r, detail: cleanText(r.detail) });
    this.set({ ...this.data, health });
  }
}

/** Options of {@link Poller}. */
export interface PollerOptions {
  /** One pass; may be slow. */
  readonly collect: () => Promise<Snapshot>;
  readonly onSnapshot: (snapshot: Snapshot) => void;
  readonly onError: (error: unknown) => void;
  readonly intervalMs: number;
}

/**
 * Calls `collect` every `intervalMs`. Passes never overlap: a tick that finds the previous pass still
 * running is skipped instead of queued, so a slow probe cannot pile up work.
 */
export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Ticks skipped because a pass was still running (visible for tests and the curious). */
  skipped = 0;

  constructor(private readonly options: PollerOptions) {}

  /** Polls now, then every interval. */
  start(): void {
    this.stopped = false;
    void this.poll();
    this.resume();
  }

  /** Stops ticking (space): the last snapshot stays. */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Starts ticking again without an immediate pass. */
  resume(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
  }

  /** One pass now unless one is running; resolves when the running (or new) pass ends. */
  poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.skipped++;
      return this.running;
    }
    this.running = (async () => {
      try {
        const snap = await this.options.collect();
        if (!this.stopped) this.options.onSnapshot(snap);
      } catch (e) {
        if (!this.stopped) this.options.onError(e);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops for good; a pass in flight finishes but its result is dropped. */
  stop(): void {
    this.stopped = true;
    this.pause();
  }
}
