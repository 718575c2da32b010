/** Options of {@link whenIdle}. */
export interface IdleOptions {
  /** Length of one probe timer. */
  readonly sliceMs?: number;
  /** A timer firing this much late means the loop is busy. */
  readonly slackMs?: number;
  /** Timers in a row that must fire on time. */
  readonly quiet?: number;
  /** Give up waiting after this long (a machine that is never idle still gets its health results). */
  readonly maxMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Resolves once the event loop runs timers on time again: start-up work (loading modules, the first
 * frames, the first probe pass) is done. A health probe's latency is the time until its answer is
 * *handled*; started while the first frame renders it measured that render (296–666 ms on a first
 * refresh against 5–12 ms from the CLI).
 */
export function whenIdle(options: IdleOptions = {}): Promise<void> {
  const slice = options.sliceMs ?? 20;
  const slack = options.slackMs ?? 8;
  const quiet = options.quiet ?? 3;
  const maxMs = options.maxMs ?? 3000;
  const start = performance.now();
  return new Promise((resolve) => {
    let calm = 0;
    const tick = (): void => {
      if (options.signal?.aborted) return resolve();
      const t0 = performance.now();
      const timer = setTimeout(() => {
        const now = performance.now();
        calm = now - t0 - slice <= slack ? calm + 1 : 0;
        if (calm >= quiet || now - start >= maxMs) resolve();
        else tick();
      }, slice);
      timer.unref?.();
    };
    tick();
  });
}
