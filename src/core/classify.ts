/**
 * Classification: sockets -> Listener[] and catalogue entries -> ServiceView[].
 * Pure functions of (ProbeData, resolved catalogue); table-driven tests live in test/core/classify.test.ts.
 */
import { listenerKey, uniqueKeys } from './classify-keys.js';
import { connectionsPerListener } from './connections.js';
import { isDockerProxy, isHoldingSocket, isLoopback, isWildcard, ownerMatches, processNames, programOf } from './match.js';
import type { Listener, ListenerStatus, ProbeData, ProcessInfo, PublishedContainer, ResolvedService, SocketEntry } from './types.js';

/**
 * Sockets and entries meet on (protocol, port). As one number (udp above 65535), so that the
 * per-socket lookups at 15k sockets build no string.
 */
export function portKey(protocol: string, port: number): number {
  return protocol === 'udp' ? port + 65536 : port;
}

/**
 * Established sockets per {@link portKey}, indexed by the key (a server's accepted connections share
 * its local port). An array of all 2 x 65536 keys: one increment per socket instead of a hash-map
 * update. Memoised per socket array: classifyListeners and classifyServices of one snapshot share one pass.
 */
export function countConnections(sockets: readonly SocketEntry[]): Readonly<Uint32Array> {
  let counts = connectionCounts.get(sockets);
  if (counts) return counts;
  counts = new Uint32Array(2 * 65536);
  // Indexed loops over every socket: unoptimised (a one-shot command), a for-of makes an object per socket.
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i] as SocketEntry;
    if (s.state !== 'ESTAB') continue;
    const k = portKey(s.protocol, s.localPort);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  connectionCounts.set(sockets, counts);
  return counts;
}

/** Results of {@link countConnections}; probe data is immutable, so a socket array's counts never change. */
const connectionCounts = new WeakMap<readonly SocketEntry[], Uint32Array>();

/** Catalogue entries by the port key of their effective port, in catalogue order. */
export function entriesByPort(services: readonly ResolvedService[]): Map<number, ResolvedService[]> {
  const map = new Map<number, ResolvedService[]>();
  for (const s of services) {
    const k = portKey(s.protocol, s.effectivePort);
    const list = map.get(k);
    if (list) list.push(s);
    else map.set(k, [s]);
  }
  return map;
}

/** How strongly an owner matches an entry: 2 by name (or docker-proxy), 1 only because the entry accepts anyone. */
export function matchStrength(def: ResolvedService, owners: readonly ProcessInfo[], publishers: ReadonlySet<string> | null = null): number {
  // With the engine's answer, a docker-proxy belongs to the compose service whose container publishes
  // this port (labels and port mapping), not to whichever entry names some compose service.
  const foreignProxy = (o: ProcessInfo) => publishers !== null && def.docker !== null && isDockerProxy(o) && !publishers.has(def.docker);
  // Without the userland proxy ("userland-proxy": false) dockerd itself may hold the published port
  // (a reservation; traffic goes through NAT): it is the entry's when the engine says so.
  const reservation = (o: ProcessInfo) => publishers !== null && def.docker !== null && publishers.has(def.docker) && processNames(o).includes('dockerd');
  if (owners.some(reservation)) return 2;
  const matching = owners.filter((o) => ownerMatches(def, o) && !foreignProxy(o));
  if (matching.length === 0) return 0;
  if (def.process === null && !(def.docker !== null && matching.some((o) => isDockerProxy(o)))) return 1;
  return 2;
}

interface Attribution {
  readonly service: string | null;
  readonly status: ListenerStatus;
  /** Matched by name (not only because the entry accepts any owner). */
  readonly byName: boolean;
}

/** The attribution of a socket on no catalogue port (nearly every socket at scale): one object for all of them. */
const UNEXPECTED: Attribution = Object.freeze({ service: null, status: 'unexpected', byName: false });

/**
 * Which catalogue entry a socket belongs to, and its status. A holder we cannot see (or whose
 * attribution the probe cannot confirm) on a catalogue port is `unverified`: something holds the
 * port, and nobody can say it is the expected program.
 */
function attribute(socket: SocketEntry, owners: readonly ProcessInfo[], entries: readonly ResolvedService[] | undefined, publishers: ReadonlySet<string> | null): Attribution {
  const first = entries?.[0];
  if (!entries || !first) return UNEXPECTED;
  if (owners.length === 0) {
    return isHoldingSocket(socket) ? { service: first.id, status: 'unverified', byName: false } : UNEXPECTED;
  }
  let best: ResolvedService | null = null;
  let bestStrength = 0;
  for (const e of entries) {
    const strength = matchStrength(e, owners, publishers);
    if (strength > bestStrength) {
      best = e;
      bestStrength = strength;
    }
  }
  if (best) return { service: best.id, status: 'expected', byName: bestStrength === 2 };
  // A non-holding socket (a connection) on a catalogue port is not a holder of that port.
  if (!isHoldingSocket(socket)) return UNEXPECTED;
  return { service: first.id, status: 'conflict', byName: false };
}

/** Lower-case names of every visible owner of a socket (a socket can be shared by a parent and its children). */
function ownerPrograms(owners: readonly ProcessInfo[]): Set<string> {
  const out = new Set<string>();
  for (const o of owners) {
    const p = programOf(o);
    if (p !== null) out.add(p);
  }
  return out;
}

/** Items grouped by {@link portKey}, in input order. */
export function groupByPort<T extends Pick<SocketEntry, 'protocol'>>(items: readonly T[], port: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = portKey(item.protocol, port(item));
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Marker in overlappingSockets(): this port has more than one holding socket. */
const SHARED = Object.freeze({}) as SocketEntry;

/**
 * Sockets of one port that overlap with a socket of a DIFFERENT program: one of the two binds the
 * wildcard address, so local clients reach one or the other depending on the address family or
 * address they use. Same program (IPv4 + IPv6 pair, forked workers, SO_REUSEPORT) never overlaps;
 * sockets whose owner we cannot see are never counted (we do not guess).
 */
export function overlappingSockets(holding: readonly SocketEntry[], ownersOf: (s: SocketEntry) => readonly ProcessInfo[]): Set<SocketEntry> {
  const out = new Set<SocketEntry>();
  // Only ports with two or more holding sockets can overlap: find those first, without an array per port.
  const first = new Map<number, SocketEntry>();
  const shared: SocketEntry[] = [];
  for (let i = 0; i < holding.length; i++) {
    const s = holding[i] as SocketEntry;
    const k = portKey(s.protocol, s.localPort);
    const earlier = first.get(k);
    if (earlier === undefined) first.set(k, s);
    else {
      if (earlier !== SHARED) shared.push(earlier);
      shared.push(s);
      first.set(k, SHARED);
    }
  }
  for (const group of groupByPort(shared, (s) => s.localPort).values()) {
    // Almost every port has one socket: the pairwise check (and its name sets) only runs on shared ports.
    if (group.length < 2 || !group.some((s) => isWildcard(s.localAddress))) continue;
    const programs = group.map((s) => ownerPrograms(ownersOf(s)));
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] as SocketEntry;
        const b = group[j] as SocketEntry;
        if (!isWildcard(a.localAddress) && !isWildcard(b.localAddress)) continue;
        const pa = programs[i] as Set<string>;
        const pb = programs[j] as Set<string>;
        if (pa.size === 0 || pb.size === 0) continue;
        if ([...pa].some((p) => pb.has(p))) continue;
        out.add(a);
        out.add(b);
      }
    }
  }
  return out;
}

/** Sort order of listeners: protocol, port, family, address, pid, then the remote end. */
function compareListeners(a: Listener, b: Listener): number {
  // Cheap numeric fields first: at 15k sockets the sort makes ~200k comparisons.
  if (a.protocol !== b.protocol) return a.protocol < b.protocol ? -1 : 1;
  return (
    a.port - b.port ||
    a.family - b.family ||
    (a.address === b.address ? 0 : a.address.localeCompare(b.address)) ||
    (a.pid ?? -1) - (b.pid ?? -1) ||
    a.remotePort - b.remotePort ||
    (a.remoteAddress === b.remoteAddress ? 0 : a.remoteAddress.localeCompare(b.remoteAddress))
  );
}

/** What classification needs to know about the owners of one socket. */
interface OwnerFacts {
  /** Visible owners, in pid order. */
  readonly owners: readonly ProcessInfo[];
  /** Lowest visible pid's process (undefined when the first pid is not visible). */
  readonly primary: ProcessInfo | undefined;
  readonly dockerProxy: boolean;
}

const NO_OWNERS: OwnerFacts = Object.freeze({ owners: Object.freeze([]), primary: undefined, dockerProxy: false });

/**
 * Owner facts per `pids` array. The Linux probe hands every socket of one single-owner process the same
 * frozen `[pid]` array, so a server with thousands of sockets costs one lookup (and one
 * docker-proxy check of its command line) instead of thousands.
 */
function ownerFactsCache(processes: ReadonlyMap<number, ProcessInfo>): (pids: readonly number[]) => OwnerFacts {
  const cache = new Map<readonly number[], OwnerFacts>();
  return (pids) => {
    if (pids.length === 0) return NO_OWNERS;
    let facts = cache.get(pids);
    if (facts) return facts;
    const owners: ProcessInfo[] = [];
    for (const pid of pids) {
      const p = processes.get(pid);
      if (p !== undefined) owners.push(p);
    }
    const first = pids[0] as number;
    facts = { owners, primary: processes.get(first), dockerProxy: owners.some((o) => isDockerProxy(o)) };
    cache.set(pids, facts);
    return facts;
  };
}

const EMPTY: ReadonlySet<string> = new Set();

/** Compose services publishing each host port ({@link portKey}), from the engine's container list. */
export function publishersByPort(containers: readonly PublishedContainer[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const c of containers) {
    if (c.service === null) continue;
    for (const p of c.ports) {
      const k = portKey(p.protocol, p.port);
      const set = out.get(k) ?? new Set<string>();
      set.add(c.service);
      out.set(k, set);
    }
  }
  return out;
}

/**
 * Classifies sockets: listening TCP and bound UDP sockets, or with `all` every socket.
 * `services` are the resolved entries of the active profile. Linear in the number of sockets:
 * entries, connection counts and owners are looked up by key, never searched.
 */
export function classifyListeners(data: ProbeData, services: readonly ResolvedService[], all: boolean): Listener[] {
  const byPort = entriesByPort(services);
  const byId = new Map(services.map((s) => [s.id, s]));
  const facts = ownerFactsCache(data.processes);
  const engine = data.containers === undefined ? null : publishersByPort(data.containers);
  // Owners the probe could not tie to the socket are shown, never matched: they may be a decoy.
  const ownersOf = (s: SocketEntry): readonly ProcessInfo[] => (s.ownerUnconfirmed ? NO_OWNERS.owners : facts(s.pids).owners);
  const connections = connectionsPerListener(data.sockets);
  const holding = data.sockets.filter(isHoldingSocket);
  const overlaps = overlappingSockets(holding, ownersOf);
  const chosen = all ? data.sockets : holding;
  const out: Listener[] = new Array(chosen.length);
  for (let i = 0; i < chosen.length; i++) {
    const s = chosen[i] as SocketEntry;
    const { primary, dockerProxy } = facts(s.pids);
    const k = portKey(s.protocol, s.localPort);
    const attributed = attribute(s, ownersOf(s), byPort.get(k), engine === null ? null : (engine.get(k) ?? EMPTY));
    const { service, byName } = attributed;
    let status = attributed.status;
    // An overlap turns every side that is not clearly the catalogue's own program into a conflict.
    if (overlaps.has(s) && !(status === 'expected' && byName)) status = 'conflict';
    const def = service === null ? undefined : byId.get(service);
    out[i] = {
      key: listenerKey(s),
      protocol: s.protocol,
      family: s.family,
      address: s.localAddress,
      port: s.localPort,
      state: s.state,
      pid: s.pids[0] ?? null,
      pids: s.pids,
      process: primary?.name ?? null,
      user: primary?.user ?? null,
      command: primary?.command ?? null,
      service,
      status,
      exposed: status === 'expected' && def?.bind === 'local' && !isLoopback(s.localAddress),
      connections: connections.get(s) ?? 0,
      dockerProxy: dockerProxy && !s.ownerUnconfirmed,
      ownerUnknown: s.pids.length === 0 ? (s.ownerUnknown ?? 'owner not visible') : null,
      verified: s.pids.length > 0 && !s.ownerUnconfirmed,
      socketUid: s.uid,
      socketUser: s.uidUser ?? null,
      inode: s.inode,
      remoteAddress: s.remoteAddress,
      remotePort: s.remotePort,
    };
  }
  return uniqueKeys(out.sort(compareListeners));
}

