import type { HealthResult } from '../core/types.js';
import { cleanText } from '../core/sanitize.js';
import { exchange, MAX_HEAD_BYTES } from './health-wire.js';
import { failedOutcome, roundLatency } from './health-text.js';

/**
 * `{ http: PATH }` probe: one GET over a raw socket. A raw socket rather than node:http because the
 * probe must tell "not HTTP at all (12 bytes of something else)" from "HTTP 500", and count the bytes;
 * node:http only reports a parse error.
 */

/** The judged start of an answer. */
export type HttpHead =
  | { readonly kind: 'http'; readonly status: number; readonly headers: ReadonlyMap<string, string> }
  | { readonly kind: 'not-http'; readonly bytes: number }
  | { readonly kind: 'incomplete'; readonly bytes: number };

const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/;

/** True when `data` cannot be the start of an HTTP answer (so reading more is pointless). */
export function clearlyNotHttp(data: Buffer): boolean {
  const start = data.subarray(0, 5).toString('latin1');
  return !'HTTP/'.startsWith(start);
}

/** True once `data` holds a full status line (or is clearly not HTTP). */
export function hasStatusLine(data: Buffer): boolean {
  return clearlyNotHttp(data) || data.includes('\r\n') || data.includes('\n');
}

/** True once `data` holds the full head (status line and headers) or is clearly not HTTP. */
export function hasFullHead(data: Buffer): boolean {
  return clearlyNotHttp(data) || data.includes('\r\n\r\n') || data.includes('\n\n');
}

/**
 * Judges the bytes a server sent. Header names are lower-cased; values are cleaned of control
 * characters because a header may end up in a message.
 */
export function parseHead(data: Buffer): HttpHead {
  if (data.length > 0 && clearlyNotHttp(data)) return { kind: 'not-http', bytes: data.length };
  const text = data.toString('latin1');
  const lineEnd = text.search(/\r?\n/);
  if (lineEnd === -1) return { kind: 'incomplete', bytes: data.length };
  const match = STATUS_LINE.exec(text.slice(0, lineEnd));
  if (!match) return { kind: 'not-http', bytes: data.length };
  const headers = new Map<string, string>();
  const headEnd = text.search(/\r?\n\r?\n/);
  const block = headEnd === -1 ? text.slice(lineEnd) : text.slice(lineEnd, headEnd);
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), cleanText(line.slice(colon + 1).trim()));
  }
  return { kind: 'http', status: Number(match[1]), headers };
}

/** `Host:` header value; IPv6 literals need brackets. */
export function hostHeader(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * True for a request target that is safe to put on the request line: starts with '/', printable
 * ASCII only. Anything else (spaces, CR/LF) could split the request, so the probe refuses it.
 */
export function isSafePath(path: string): boolean {
  return /^\/[\x21-\x7e]*$/.test(path);
}

/** Options of {@link probeHttp}. */
export interface HttpProbe {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** Exact status that counts as healthy; null = any 2xx or 3xx. */
  readonly expect: number | null;
  readonly https: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** The result for a request target the probes refuse to send (see {@link isSafePath}). */
export function badPathResult(path: string): HealthResult {
  return { ok: false, latencyMs: null, detail: `bad health path ${JSON.stringify(cleanText(path))}: must start with / and have no spaces` };
}

/**
 * The result for an answer that cannot be judged as HTTP (something else, or closed before the
 * status line): the http and websocket probes word these alike.
 */
export function unjudgeableHead(head: Exclude<HttpHead, { kind: 'http' }>, latencyMs: number): HealthResult {
  if (head.kind === 'not-http') return { ok: false, latencyMs, detail: `not HTTP (got ${head.bytes} bytes of something else)` };
  // Reading stops at the cap; the server has not closed anything then.
  if (head.bytes >= MAX_HEAD_BYTES) return { ok: false, latencyMs, detail: `answer head larger than ${MAX_HEAD_BYTES / 1024} KiB without a complete status line` };
  return { ok: false, latencyMs, detail: head.bytes === 0 ? 'connection closed without an answer' : `connection closed mid-answer (got ${head.bytes} bytes)` };
}

/** GETs `path` and judges the status. Never rejects. */
export async function probeHttp(p: HttpProbe): Promise<HealthResult> {
  if (!isSafePath(p.path)) return badPathResult(p.path);
  const request =
    `GET ${p.path} HTTP/1.1\r\nHost: ${hostHeader(p.host, p.port)}\r\n` +
    'User-Agent: vhtop-health\r\nAccept: */*\r\nConnection: close\r\n\r\n';
  const outcome = await exchange({ host: p.host, port: p.port, timeoutMs: p.timeoutMs, signal: p.signal, tls: p.https, request, enough: hasStatusLine });
  if (outcome.kind === 'connected') return { ok: true, latencyMs: roundLatency(outcome.elapsedMs), detail: 'connected' };
  if (outcome.kind !== 'answered') return failedOutcome(outcome, p.timeoutMs);
  const latencyMs = roundLatency(outcome.elapsedMs);
  const head = parseHead(outcome.data);
  if (head.kind !== 'http') return unjudgeableHead(head, latencyMs);
  const ok = p.expect !== null ? head.status === p.expect : head.status >= 200 && head.status < 400;
  const expected = !ok && p.expect !== null ? ` (expected ${p.expect})` : '';
  return { ok, latencyMs, detail: `HTTP ${head.status} from ${cleanText(p.path)}${expected}` };
}
