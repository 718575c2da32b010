/**
 * Established connections per listening socket. A server listening on 127.0.0.1:6379 and on
 * ::1:6379 has two sockets; a client that connects to one of them shows on that row only.
 */
import { isHoldingSocket, isWildcard } from './match.js';
import type { SocketEntry } from './types.js';

/** The wildcard address of a family, as the probes report it. */
function wildcardOf(family: SocketEntry['family']): string {
  return family === 4 ? '0.0.0.0' : '::';
}

/** A holding socket's local address as connections are matched to it: any wildcard spelling as its family's. */
function boundAddress(s: SocketEntry): string {
  return isWildcard(s.localAddress) ? wildcardOf(s.family) : s.localAddress;
}

/** Local port and protocol as one number (udp above 65535): the lookups build no string. */
function portKey(s: SocketEntry): number {
  return s.protocol === 'udp' ? s.localPort + 65536 : s.localPort;
}

/**
 * Among the holding sockets of a connection's port, those of its family bound to `address`: the first
 * one, or when there are several (SO_REUSEPORT workers, a socket shared by a parent and its
 * children) the first sharing an owner with the connection. Undefined when none is bound there.
 */
function boundTo(conn: SocketEntry, holders: readonly SocketEntry[], address: string): SocketEntry | undefined {
  let first: SocketEntry | undefined;
  let several = false;
  for (let i = 0; i < holders.length; i++) {
    const h = holders[i] as SocketEntry;
    if (h.family !== conn.family || boundAddress(h) !== address) continue;
    if (first === undefined) first = h;
    else several = true;
  }
  if (!several) return first;
  return holders.find((h) => h.family === conn.family && boundAddress(h) === address && h.pids.some((p) => conn.pids.includes(p))) ?? first;
}

/**
 * The listening socket that accepted an established one: the kernel gives an accepted socket the
 * listener's family and the address the client dialled, so the match is that exact address, else the
 * wildcard of the family.
 */
function acceptingListener(conn: SocketEntry, holders: readonly SocketEntry[]): SocketEntry | undefined {
  return boundTo(conn, holders, conn.localAddress) ?? boundTo(conn, holders, wildcardOf(conn.family));
}

/** Results of {@link connectionsPerListener}; probe data is immutable, so the counts never change. */
const memo = new WeakMap<readonly SocketEntry[], ReadonlyMap<SocketEntry, number>>();

/**
 * Established sockets per holding socket (TCP listener or bound UDP socket). Memoised per socket
 * array. A connection whose port no socket listens on (an outgoing one) counts nowhere. Holding
 * sockets are found by port number; a port has one or a few, so comparing addresses there is cheaper
 * than a string key per socket.
 */
export function connectionsPerListener(sockets: readonly SocketEntry[]): ReadonlyMap<SocketEntry, number> {
  const known = memo.get(sockets);
  if (known) return known;
  const byPort = new Map<number, SocketEntry[]>();
  // Indexed loops: unoptimised (a one-shot command), a for-of makes an object per socket.
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i] as SocketEntry;
    if (!isHoldingSocket(s)) continue;
    const k = portKey(s);
    const list = byPort.get(k);
    if (list) list.push(s);
    else byPort.set(k, [s]);
  }
  const counts = new Map<SocketEntry, number>();
  if (byPort.size > 0) {
    for (let i = 0; i < sockets.length; i++) {
      const s = sockets[i] as SocketEntry;
      if (s.state !== 'ESTAB') continue;
      const holders = byPort.get(portKey(s));
      const l = holders === undefined ? undefined : acceptingListener(s, holders);
      if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
  }
  memo.set(sockets, counts);
  return counts;
}
