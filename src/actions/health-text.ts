import type { HealthResult } from '../core/types.js';
import type { WireOutcome } from './health-wire.js';

/**
 * Shared wording of health results, so the three probes say the same thing for the same failure.
 */

/** "2 s", "1.5 s", "500 ms": a timeout as a person says it. */
export function formatWait(ms: number): string {
  if (ms >= 1000) return `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
  return `${ms} ms`;
}

/** Latency as reported: fractional milliseconds, one decimal (12.5), never negative. */
export function roundLatency(ms: number): number {
  return Math.max(0, Math.round(ms * 10) / 10);
}

const ERROR_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EADDRNOTAVAIL: 'address not available',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
};

/** Result for an outcome that never produced an answer to judge (timeout, cancel, socket error). */
export function failedOutcome(outcome: Exclude<WireOutcome, { kind: 'answered' } | { kind: 'connected' }>, timeoutMs: number): HealthResult {
  switch (outcome.kind) {
    case 'timeout':
      return { ok: false, latencyMs: null, detail: `no answer within ${formatWait(timeoutMs)}` };
    case 'cancelled':
      return { ok: false, latencyMs: null, detail: 'cancelled' };
    case 'error': {
      const words =
        ERROR_WORDS[outcome.code] ??
        (/SSL|TLS|CERT/i.test(outcome.code) || /SSL|TLS/i.test(outcome.message)
          ? 'TLS handshake failed (does it really speak https?)'
          : `connection failed (${outcome.code || 'unknown error'})`);
      return { ok: false, latencyMs: roundLatency(outcome.elapsedMs), detail: words };
    }
  }
}
