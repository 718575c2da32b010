import { describe, expect, it } from 'vitest';
import { whenIdle } from '../../src/ui/idle.js';

/** Keeps the event loop busy for `ms` (what rendering the first frame and loading modules do). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('whenIdle (the first health round waits for start-up work)', () => {
  it('does not resolve while the loop is blocked: it resolves after the busy work, not during it', async () => {
    const order: string[] = [];
    const idle = whenIdle({ maxMs: 30_000 }).then(() => order.push('idle'));
    // Start-up work in several chunks, each one blocking the loop.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1));
      busy(60);
      order.push(`busy ${i}`);
    }
    await idle;
    expect(order).toEqual(['busy 0', 'busy 1', 'busy 2', 'busy 3', 'busy 4', 'idle']);
  });

  it('gives up waiting after maxMs on a loop that is never calm, and resolves on abort', async () => {
    const stop = setInterval(() => busy(30), 5);
    try {
      await whenIdle({ maxMs: 300 });
    } finally {
      clearInterval(stop);
    }
    const abort = new AbortController();
    abort.abort();
    await whenIdle({ signal: abort.signal, maxMs: 60_000 });
  });
});
