/**
 * Listener keys: identity of a socket across refreshes, unique within one snapshot.
 */
import { isHoldingSocket } from './match.js';
import type { Listener, SocketEntry } from './types.js';

/**
 * Identity of a socket across refreshes. A holding socket is `${protocol}|${address}|${port}|${inode}`;
 * a connection adds its remote end, because TIME-WAIT sockets all have inode 0 and an accepted
 * connection shares its listener's local address and port.
 */
export function listenerKey(s: SocketEntry): string {
  // join() makes one flat string. A template literal leaves a tree of partial strings (~400 bytes a
  // key, more than the Listener itself), kept as long as the snapshot: at 15k sockets ~5 MB more for
  // the garbage collector to copy while the snapshot is built.
  return isHoldingSocket(s)
    ? [s.protocol, s.localAddress, s.localPort, s.inode].join('|')
    : [s.protocol, s.localAddress, s.localPort, s.inode, s.remoteAddress, s.remotePort].join('|');
}

/** Listeners whose {@link listenerKey}s are equal (compared field by field: no string hashing). */
function sameKey(a: Listener, b: Listener): boolean {
  if (a.inode !== b.inode || a.address !== b.address || a.port !== b.port || a.protocol !== b.protocol) return false;
  const ha = isHoldingSocket(a);
  if (ha !== isHoldingSocket(b)) return false;
  return ha || (a.remotePort === b.remotePort && a.remoteAddress === b.remoteAddress);
}

/**
 * Guarantees that keys are unique (the UI and the bench rely on it). {@link listenerKey} already is for
 * anything the kernel reports at one time, except an IPv4 and an IPv4-mapped IPv6 socket with the same
 * ends (both show the IPv4 address) or a 4-tuple reused while the tables were read. Such a later
 * twin gets a `#n` suffix instead of hiding a row. Equal keys share protocol and port, so only runs
 * of one port of the sorted list are compared; a hash set only for long runs (a busy port).
 */
export function uniqueKeys(sorted: Listener[]): Listener[] {
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    const a = sorted[start] as Listener;
    const b = sorted[i];
    if (b !== undefined && b.port === a.port && b.protocol === a.protocol) continue;
    if (i - start > 1) renameTwins(sorted, start, i);
    start = i;
  }
  return sorted;
}

/** Gives `#n` suffixes to repeated keys in `list[from..to)`. */
function renameTwins(list: Listener[], from: number, to: number): void {
  let twins = false;
  if (to - from <= 16) {
    for (let i = from + 1; i < to && !twins; i++) {
      for (let j = from; j < i; j++) if (sameKey(list[i] as Listener, list[j] as Listener)) twins = true;
    }
    if (!twins) return;
  }
  const seen = new Set<string>();
  for (let i = from; i < to; i++) {
    const l = list[i] as Listener;
    let key = l.key;
    for (let n = 2; seen.has(key); n++) key = `${l.key}#${n}`;
    seen.add(key);
    if (key !== l.key) list[i] = { ...l, key };
  }
}
