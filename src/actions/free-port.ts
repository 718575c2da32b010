/**
 * "Is this port free?" answered by binding it, never by connecting: a connect test misses a socket
 * bound on another address, a UDP socket, and a server that does not accept yet.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Protocol } from '../core/types.js';

/** Errors that mean "this family is not available here", not "the port is taken". */
const NO_FAMILY = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT']);

type BindResult = 'ok' | 'taken' | 'no-family';

function classify(e: NodeJS.ErrnoException): BindResult {
  return e.code !== undefined && NO_FAMILY.has(e.code) ? 'no-family' : 'taken';
}

function bindTcp(port: number, host: string): Promise<{ result: BindResult; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve({ result: classify(e), close: async () => undefined }));
    // ipv6Only: test the IPv6 wildcard on its own, the IPv4 one is tested separately.
    server.listen({ port, host, ipv6Only: host === '::', exclusive: true }, () =>
      resolve({ result: 'ok', close: () => new Promise((done) => server.close(() => done())) }),
    );
  });
}

function bindUdp(port: number, host: string): Promise<{ result: BindResult; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: host === '::' ? 'udp6' : 'udp4', ipv6Only: host === '::' });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.close();
      resolve({ result: classify(e), close: async () => undefined });
    });
    socket.bind({ port, address: host, exclusive: true }, () =>
      resolve({ result: 'ok', close: () => new Promise((done) => socket.close(() => done())) }),
    );
  });
}

/**
 * True when `port` can be bound right now on 0.0.0.0 and on :: (IPv6 only counts where the host
 * has IPv6). Both binds are held at the same time, then released.
 */
export async function canBind(port: number, protocol: Protocol = 'tcp'): Promise<boolean> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return false;
  const bind = protocol === 'tcp' ? bindTcp : bindUdp;
  const v4 = await bind(port, '0.0.0.0');
  if (v4.result !== 'ok') return false;
  try {
    const v6 = await bind(port, '::');
    await v6.close();
    return v6.result !== 'taken';
  } finally {
    await v4.close();
  }
}

/** Options of {@link findFreePorts}. */
export interface FreePortOptions {
  readonly protocol?: Protocol;
  /** Ports never returned even when bindable (e.g. catalogue ports of stopped services). */
  readonly skip?: ReadonlySet<number>;
}

/** Up to `count` ports >= `from` that can be bound now, ascending. Fewer when the range runs out. */
export async function findFreePorts(from: number, count: number, options: FreePortOptions = {}): Promise<number[]> {
  const out: number[] = [];
  for (let p = Math.max(1, from); p <= 65535 && out.length < count; p++) {
    if (options.skip?.has(p)) continue;
    if (await canBind(p, options.protocol ?? 'tcp')) out.push(p);
  }
  return out;
}
