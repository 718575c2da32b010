/**
 * Established connections per listening socket. A server listening on 127.0.0.1:6379 and on
 * ::1:6379 has two sockets; a client that connects to one of them shows on that row only.
 */
import { isHoldingSocket, isWildcard } from './match.js';
import type { SocketEntry } from './types.js';

/** `protocol|family|address|port` of a socket's local end. */
function endKey(s: SocketEntry, address: string): string {
  return `${s.protocol}|${s.family}|${address}|${s.localPort}`;
}

/** The wildcard address of a family, as the probes report it. */
function wildcardOf(family: SocketEntry['family']): string {
  return family === 4 ? '0.0.0.0' : '::';
}

/**
 * The listening socket that accepted an established one: the kernel gives an accepted socket the
 * listener's family and the address the client dialled, so the match is that exact address, else the
 * wildcard of the family. Among several listeners on one end (SO_REUSEPORT workers, a socket shared
 * by a parent and its children) the one sharing an owner wins.
 */
function acceptingListener(conn: SocketEntry, byEnd: ReadonlyMap<string, readonly SocketEntry[]>): SocketEntry | undefined {
  const candidates = byEnd.get(endKey(conn, conn.localAddress)) ?? byEnd.get(endKey(conn, wildcardOf(conn.family)));
  if (!candidates || candidates.length === 0) return undefined;
  if (candidates.length === 1) return candidates[0];
  return candidates.find((l) => l.pids.some((p) => conn.pids.includes(p))) ?? candidates[0];
}

/** Results of {@link connectionsPerListener}; probe data is immutable, so the counts never change. */
const memo = new WeakMap<readonly SocketEntry[], ReadonlyMap<SocketEntry, number>>();

/**
 * Established sockets per holding socket (TCP listener or bound UDP socket). Memoised per socket
 * array. A connection whose port no socket listens on (an outgoing one) counts nowhere.
 */
export function connectionsPerListener(sockets: readonly SocketEntry[]): ReadonlyMap<SocketEntry, number> {
  const known = memo.get(sockets);
  if (known) return known;
  const byEnd = new Map<string, SocketEntry[]>();
  for (const s of sockets) {
    if (!isHoldingSocket(s)) continue;
    const address = isWildcard(s.localAddress) ? wildcardOf(s.family) : s.localAddress;
    const k = endKey(s, address);
    const list = byEnd.get(k);
    if (list) list.push(s);
    else byEnd.set(k, [s]);
  }
  const counts = new Map<SocketEntry, number>();
  if (byEnd.size > 0) {
    for (const s of sockets) {
      if (s.state !== 'ESTAB') continue;
      const l = acceptingListener(s, byEnd);
      if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
  }
  memo.set(sockets, counts);
  return counts;
}
