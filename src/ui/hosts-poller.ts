import type { HostOutcome } from '../core/hosts.js';
import { mergeHostSnapshots } from '../core/merge-hosts.js';
import type { Snapshot } from '../core/types.js';

/** Options of {@link HostsPoller}. */
export interface HostsPollerOptions {
  readonly targets: readonly string[];
  /** One pass of one host; never throws (errors are outcomes). */
  readonly collect: (target: string) => Promise<HostOutcome<Snapshot>>;
  /** The merged snapshot, each time any host's pass ends. */
  readonly onSnapshot: (snapshot: Snapshot) => void;
  readonly intervalMs: number;
}

/**
 * Polls every host on its own: each host's pass starts again `intervalMs` after its last one ended,
 * so a slow or dead host (ssh waiting for ConnectTimeout) delays only its own row, never the others
 * or the keyboard. An unreachable host stays a row with its error and is tried again every interval.
 */
export class HostsPoller {
  private readonly latest = new Map<string, HostOutcome<Snapshot>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private paused = false;
  private stopped = false;

  constructor(private readonly o: HostsPollerOptions) {
    for (const target of o.targets) this.latest.set(target, { target, ok: false, error: 'connecting…', value: null });
  }

  /** The newest merged view (hosts not read yet show as "connecting..."). */
  merged(): Snapshot {
    return mergeHostSnapshots(this.o.targets.map((t) => this.latest.get(t) as HostOutcome<Snapshot>), new Date().toISOString());
  }

  /** The newest snapshot of one host, or null. */
  snapshotOf(target: string): Snapshot | null {
    return this.latest.get(target)?.value ?? null;
  }

  start(): void {
    this.stopped = false;
    this.paused = false;
    for (const t of this.o.targets) void this.pollHost(t);
  }

  /** Every host now (unless its pass is running); resolves when all have ended. */
  async poll(): Promise<void> {
    await Promise.all(this.o.targets.map((t) => this.pollHost(t)));
  }

  pause(): void {
    this.paused = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  resume(): void {
    if (this.stopped) return;
    this.paused = false;
    for (const t of this.o.targets) if (!this.running.has(t)) this.schedule(t);
  }

  stop(): void {
    this.stopped = true;
    this.pause();
  }

  private schedule(target: string): void {
    if (this.paused || this.stopped || this.timers.has(target)) return;
    const timer = setTimeout(() => {
      this.timers.delete(target);
      void this.pollHost(target);
    }, this.o.intervalMs);
    timer.unref?.();
    this.timers.set(target, timer);
  }

  private pollHost(target: string): Promise<void> {
    const busy = this.running.get(target);
    if (busy) return busy;
    const timer = this.timers.get(target);
    if (timer) clearTimeout(timer);
    this.timers.delete(target);
    const pass = (async () => {
      const outcome = await this.o.collect(target);
      if (this.stopped) return;
      this.latest.set(target, outcome);
      this.o.onSnapshot(this.merged());
    })().finally(() => {
      this.running.delete(target);
      this.schedule(target);
    });
    this.running.set(target, pass);
    return pass;
  }
}
