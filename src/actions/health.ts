import type { HealthResult, HealthSpec } from '../core/types.js';

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

// PLACEHOLDER: replaced by the real probes.
export async function checkHealth(_targets: readonly HealthTarget[], _options: HealthOptions = {}): Promise<Map<string, HealthResult>> {
  throw new Error('health probes are not built yet');
}
