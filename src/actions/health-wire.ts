import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';

/**
 * The one socket exchange every health probe is built on: connect, optionally send a request, read
 * until the caller has seen enough. It always ends (timeout, abort, close, error) and always destroys
 * the socket, so a listener that accepts and never answers cannot hang vhtop.
 */

/** Answers larger than this are cut: a probe only needs the status line and the headers. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** What to do on one connection. */
export interface WireRequest {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Wrap the connection in TLS (https probes). Certificates are not verified: this is a liveness probe, like `curl -k`. */
  readonly tls: boolean;
  /** Bytes to send once connected; null = only connect. */
  readonly request: string | null;
  /** True once `received` holds enough to judge the answer; reading stops there. */
  readonly enough: (received: Buffer) => boolean;
}

/** How one exchange ended. `elapsedMs` is fractional milliseconds from the start of the connect. */
export type WireOutcome =
  | { readonly kind: 'connected'; readonly elapsedMs: number }
  | { readonly kind: 'answered'; readonly data: Buffer; readonly closedByPeer: boolean; readonly elapsedMs: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly elapsedMs: number };

/** Runs one exchange. Never rejects. */
export function exchange(req: WireRequest): Promise<WireOutcome> {
  return new Promise((resolve) => {
    if (req.signal?.aborted) {
      resolve({ kind: 'cancelled' });
      return;
    }
    const start = performance.now();
    const elapsed = (): number => performance.now() - start;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const socket: net.Socket = req.tls
      ? tls.connect({
          host: req.host,
          port: req.port,
          rejectUnauthorized: false,
          // SNI only takes host names; sending an IP address there is an error in Node.
          ...(net.isIP(req.host) === 0 ? { servername: req.host } : {}),
        })
      : net.connect({ host: req.host, port: req.port });

    const finish = (outcome: WireOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const received = (): Buffer => Buffer.concat(chunks, size);
    const onAbort = (): void => finish({ kind: 'cancelled' });
    const timer = setTimeout(() => finish({ kind: 'timeout' }), req.timeoutMs);
    req.signal?.addEventListener('abort', onAbort, { once: true });

    socket.once(req.tls ? 'secureConnect' : 'connect', () => {
      if (req.request === null) {
        finish({ kind: 'connected', elapsedMs: elapsed() });
        return;
      }
      socket.write(req.request);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const all = received();
      if (size >= MAX_HEAD_BYTES || req.enough(all)) finish({ kind: 'answered', data: all, closedByPeer: false, elapsedMs: elapsed() });
    });
    const onClosed = (): void => finish({ kind: 'answered', data: received(), closedByPeer: true, elapsedMs: elapsed() });
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A reset after some bytes arrived still leaves something to judge.
      if (size > 0) onClosed();
      else finish({ kind: 'error', code: e.code ?? '', message: e.message, elapsedMs: elapsed() });
    });
  });
}
