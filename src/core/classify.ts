/**
 * Classification: sockets -> Listener[] and catalogue entries -> ServiceView[].
 * Pure functions of (ProbeData, resolved catalogue); table-driven tests live in test/core/classify.test.ts.
 */
import { isDockerProxy, isHoldingSocket, isLoopback, isWildcard, ownerMatches, programOf } from './match.js';
import type { Listener, ListenerStatus, ProbeData, ProcessInfo, ResolvedService, ServiceView, SocketEntry } from './types.js';

/** `${protocol}|${port}`: sockets and entries meet on this key. */
export function portKey(protocol: string, port: number): string {
  return `${protocol}|${port}`;
}

/** Established sockets per port key (a server's accepted connections share its local port). */
export function countConnections(sockets: readonly SocketEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sockets) {
    if (s.state !== 'ESTAB') continue;
    const k = portKey(s.protocol, s.localPort);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** Catalogue entries by the port key of their effective port, in catalogue order. */
export function entriesByPort(services: readonly ResolvedService[]): Map<string, ResolvedService[]> {
  const map = new Map<string, ResolvedService[]>();
  for (const s of services) {
    const k = portKey(s.protocol, s.effectivePort);
    map.set(k, [...(map.get(k) ?? []), s]);
  }
  return map;
}

/** How strongly an owner matches an entry: 2 by name (or docker-proxy), 1 only because the entry accepts anyone. */
function matchStrength(def: ResolvedService, owners: readonly ProcessInfo[]): number {
  const matching = owners.filter((o) => ownerMatches(def, o));
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

/**
 * Which catalogue entry a socket belongs to, and its status. An owner we cannot see on a catalogue
 * port is attributed to the entry (the port is up) without claiming who it is.
 */
function attribute(socket: SocketEntry, owners: readonly ProcessInfo[], entries: readonly ResolvedService[] | undefined): Attribution {
  const first = entries?.[0];
  if (!entries || !first) return { service: null, status: 'unexpected', byName: false };
  if (owners.length === 0) return { service: first.id, status: 'expected', byName: false };
  let best: ResolvedService | null = null;
  let bestStrength = 0;
  for (const e of entries) {
    const strength = matchStrength(e, owners);
    if (strength > bestStrength) {
      best = e;
      bestStrength = strength;
    }
  }
  if (best) return { service: best.id, status: 'expected', byName: bestStrength === 2 };
  // A non-holding socket (a connection) on a catalogue port is not a holder of that port.
  if (!isHoldingSocket(socket)) return { service: null, status: 'unexpected', byName: false };
  return { service: first.id, status: 'conflict', byName: false };
}

/** Lower-case names of every visible owner of a socket (a socket can be shared by a parent and its children). */
function ownerPrograms(owners: readonly ProcessInfo[]): Set<string> {
  return new Set(owners.map((o) => programOf(o)).filter((p): p is string => p !== null));
}

/**
 * Sockets of one port that overlap with a socket of a DIFFERENT program: one of the two binds the
 * wildcard address, so local clients reach one or the other depending on the address family or
 * address they use. Same program (IPv4 + IPv6 pair, forked workers, SO_REUSEPORT) never overlaps;
 * sockets whose owner we cannot see are never counted (we do not guess).
 */
export function overlappingSockets(holding: readonly SocketEntry[], ownersOf: (s: SocketEntry) => readonly ProcessInfo[]): Set<SocketEntry> {
  const groups = new Map<string, SocketEntry[]>();
  for (const s of holding) {
    const k = portKey(s.protocol, s.localPort);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const out = new Set<SocketEntry>();
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] as SocketEntry;
        const b = group[j] as SocketEntry;
        if (!isWildcard(a.localAddress) && !isWildcard(b.localAddress)) continue;
        const pa = ownerPrograms(ownersOf(a));
        const pb = ownerPrograms(ownersOf(b));
        if (pa.size === 0 || pb.size === 0) continue;
        if ([...pa].some((p) => pb.has(p))) continue;
        out.add(a);
        out.add(b);
      }
    }
  }
  return out;
}

/** Sort order of listeners: protocol, port, family, address, pid. */
function compareListeners(a: Listener, b: Listener): number {
  return (
    a.protocol.localeCompare(b.protocol) ||
    a.port - b.port ||
    a.family - b.family ||
    a.address.localeCompare(b.address) ||
    (a.pid ?? -1) - (b.pid ?? -1) ||
    a.remotePort - b.remotePort
  );
}

/**
 * Classifies sockets: listening TCP and bound UDP sockets, or with `all` every socket.
 * `services` are the resolved entries of the active profile.
 */
export function classifyListeners(data: ProbeData, services: readonly ResolvedService[], all: boolean): Listener[] {
  const byPort = entriesByPort(services);
  const byId = new Map(services.map((s) => [s.id, s]));
  const connections = countConnections(data.sockets);
  const ownersOf = (s: SocketEntry): ProcessInfo[] =>
    s.pids.map((p) => data.processes.get(p)).filter((p): p is ProcessInfo => p !== undefined);
  const holding = data.sockets.filter(isHoldingSocket);
  const overlaps = overlappingSockets(holding, ownersOf);
  const chosen = all ? data.sockets : holding;
  return chosen
    .map((s): Listener => {
      const owners = ownersOf(s);
      let { service, status, byName } = attribute(s, owners, byPort.get(portKey(s.protocol, s.localPort)));
      // An overlap turns every side that is not clearly the catalogue's own program into a conflict.
      if (overlaps.has(s) && !(status === 'expected' && byName)) status = 'conflict';
      const pid = s.pids[0] ?? null;
      const primary = pid === null ? undefined : data.processes.get(pid);
      const def = service === null ? undefined : byId.get(service);
      const exposed = status === 'expected' && def?.bind === 'local' && !isLoopback(s.localAddress);
      return {
        key: `${s.protocol}|${s.localAddress}|${s.localPort}|${s.inode}`,
        protocol: s.protocol,
        family: s.family,
        address: s.localAddress,
        port: s.localPort,
        state: s.state,
        pid,
        pids: s.pids,
        process: primary?.name ?? null,
        user: primary?.user ?? null,
        command: primary?.command ?? null,
        service,
        status,
        exposed,
        connections: connections.get(portKey(s.protocol, s.localPort)) ?? 0,
        dockerProxy: owners.some((o) => isDockerProxy(o)),
        ownerUnknown: s.pids.length === 0 ? (s.ownerUnknown ?? 'owner not visible') : null,
        inode: s.inode,
        remoteAddress: s.remoteAddress,
        remotePort: s.remotePort,
      };
    })
    .sort(compareListeners);
}

/**
 * Live state of each catalogue entry from the classified listeners:
 * conflict when a program that is not the entry's holds its port, up when the entry's own program
 * (or an owner we cannot see) listens, down otherwise.
 */
export function classifyServices(services: readonly ResolvedService[], listeners: readonly Listener[], data: ProbeData): ServiceView[] {
  const connections = countConnections(data.sockets);
  return services.map((def): ServiceView => {
    const onPort = listeners.filter((l) => l.protocol === def.protocol && l.port === def.effectivePort && isHoldingSocket(l));
    const own = onPort.filter((l) => l.status === 'expected' && l.service === def.id && l.pid !== null);
    const unknown = onPort.filter((l) => l.pid === null);
    const wrong = onPort.filter((l) => l.pid !== null && l.status === 'conflict');
    const others = onPort.filter((l) => l.pid !== null && l.service !== def.id);
    let status: ServiceView['status'] = 'down';
    let holder: Listener | undefined;
    if (wrong.length > 0) [status, holder] = ['conflict', wrong[0]];
    else if (own.length > 0) [status, holder] = ['up', own[0]];
    else if (unknown.length > 0) [status, holder] = ['up', unknown[0]];
    else if (others.length > 0) [status, holder] = ['conflict', others[0]];
    const mine = [...own, ...unknown];
    return {
      id: def.id,
      name: def.name,
      group: def.group,
      port: def.effectivePort,
      defaultPort: def.port,
      envVar: def.env,
      portSource: def.portSource,
      protocol: def.protocol,
      status,
      pid: holder?.pid ?? null,
      process: holder?.process ?? null,
      exposed: mine.some((l) => l.exposed),
      connections: connections.get(portKey(def.protocol, def.effectivePort)) ?? 0,
      docker: def.docker,
      health: null,
    };
  });
}
