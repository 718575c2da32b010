import type { HealthResult } from '../core/types.js';
import { exchange } from './health-wire.js';
import { failedOutcome, roundLatency } from './health-text.js';

/** Options of {@link probeTcp}. */
export interface TcpProbe {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** `{ tcp: true }` probe, the VoiceHelper port document's `nc -z`: healthy when a connection is accepted. Never rejects. */
export async function probeTcp(p: TcpProbe): Promise<HealthResult> {
  const outcome = await exchange({ host: p.host, port: p.port, timeoutMs: p.timeoutMs, signal: p.signal, tls: false, request: null, enough: () => true });
  if (outcome.kind === 'connected') return { ok: true, latencyMs: roundLatency(outcome.elapsedMs), detail: 'connection accepted' };
  // With no request sent, a peer that closes at once still accepted the connection first.
  if (outcome.kind === 'answered') return { ok: true, latencyMs: roundLatency(outcome.elapsedMs), detail: 'connection accepted' };
  return failedOutcome(outcome, p.timeoutMs);
}
