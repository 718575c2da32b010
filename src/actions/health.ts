import type { HealthResult, HealthSpec } from '../core/types.js';
import { probeHttp } from './health-http.js';
import { probeTcp } from './health-tcp.js';
import { probeWebSocket } from './health-websocket.js';

/** One service to probe. */
export interface HealthTarget {
  readonly id: string;
  /** Address to connect to: "127.0.0.1" for wildcard/loopback listeners, or the listener's address. */
  readonly host: string;
  readonly port: number;
  readonly spec: HealthSpec;
}

/** Options of {@link checkHealth}. */
export interface HealthOptions {
  /** Per-probe timeout when the spec sets none (default 2000 ms). */
  readonly defaultTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Per-probe timeout when neither the spec nor the caller sets one. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;

/** Runs one target's probe. Never rejects. */
export function probeOne(target: HealthTarget, defaultTimeoutMs: number, signal?: AbortSignal): Promise<HealthResult> {
  const spec = target.spec;
  const timeoutMs = spec.timeoutMs ?? defaultTimeoutMs;
  const base = { host: target.host, port: target.port, timeoutMs, signal };
  switch (spec.kind) {
    case 'http':
      return probeHttp({ ...base, path: spec.path, expect: spec.expect, https: spec.https });
    case 'tcp':
      return probeTcp(base);
    case 'websocket':
      return probeWebSocket({ ...base, path: spec.path });
  }
}

/**
 * Probes every target at once, each with its own timeout, so a whole catalogue takes about one
 * timeout rather than the sum. Never rejects: every target gets a result (an aborted `signal` ends
 * all open probes with "cancelled"). Keyed by target id.
 */
export async function checkHealth(targets: readonly HealthTarget[], options: HealthOptions = {}): Promise<Map<string, HealthResult>> {
  const timeout = options.defaultTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const results = await Promise.all(targets.map((t) => probeOne(t, timeout, options.signal)));
  return new Map(targets.map((t, i) => [t.id, results[i] as HealthResult]));
}
