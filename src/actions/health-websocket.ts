import { createHash, randomBytes } from 'node:crypto';
import type { HealthResult } from '../core/types.js';
import { exchange } from './health-wire.js';
import { failedOutcome, roundLatency } from './health-text.js';
import { badPathResult, hasFullHead, hostHeader, isSafePath, parseHead, unjudgeableHead } from './health-http.js';

/**
 * `{ websocket: PATH }` probe: the VoiceHelper port document's `curl -H "Upgrade: websocket"` check done properly. A real
 * handshake (RFC 6455 section 4): a random 16-byte key, and the server must answer 101 with the
 * matching Sec-WebSocket-Accept. The socket is destroyed right after, no frames are exchanged.
 */

/** The GUID every WebSocket server appends to the key (RFC 6455). */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept value a server must send back for `key`. */
export function expectedAccept(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** Options of {@link probeWebSocket}. */
export interface WebSocketProbe {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Attempts the upgrade and judges the answer. Never rejects. */
export async function probeWebSocket(p: WebSocketProbe): Promise<HealthResult> {
  if (!isSafePath(p.path)) return badPathResult(p.path);
  const key = randomBytes(16).toString('base64');
  const request =
    `GET ${p.path} HTTP/1.1\r\nHost: ${hostHeader(p.host, p.port)}\r\n` +
    'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: vhtop-health\r\n\r\n`;
  const outcome = await exchange({ host: p.host, port: p.port, timeoutMs: p.timeoutMs, signal: p.signal, tls: false, request, enough: hasFullHead });
  if (outcome.kind === 'connected') return { ok: false, latencyMs: null, detail: 'no handshake sent' };
  if (outcome.kind !== 'answered') return failedOutcome(outcome, p.timeoutMs);
  const latencyMs = roundLatency(outcome.elapsedMs);
  const head = parseHead(outcome.data);
  if (head.kind !== 'http') return unjudgeableHead(head, latencyMs);
  if (head.status !== 101) return { ok: false, latencyMs, detail: `WebSocket upgrade refused: HTTP ${head.status}` };
  if (head.headers.get('sec-websocket-accept') !== expectedAccept(key)) {
    return { ok: false, latencyMs, detail: 'WebSocket upgrade answered 101 with a wrong Sec-WebSocket-Accept' };
  }
  return { ok: true, latencyMs, detail: 'upgraded (101)' };
}
