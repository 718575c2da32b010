/**
 * Polling for a condition instead of sleeping a fixed time. The limits are limits, never timing
 * assertions: a slow, shared machine only makes a passing test take longer.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `cond` every 20 ms until it holds or `limitMs` passes; resolves to whether it held. */
export async function pollUntil(cond: () => boolean, limitMs = 5000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

/** Like {@link pollUntil}, but throws "condition not reached" when the limit passes. */
export async function waitFor(cond: () => boolean, limitMs = 10_000): Promise<void> {
  if (!(await pollUntil(cond, limitMs))) throw new Error('condition not reached');
}
