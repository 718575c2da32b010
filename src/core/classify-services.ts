/**
 * Classification of catalogue entries (ServiceView) from the classified listeners.
 */
import { countConnections, groupByPort, matchStrength, portKey } from './classify.js';
import { isHoldingSocket, isLoopback } from './match.js';
import { profilesOverlap } from './resolve.js';
import type { Listener, ProbeData, ProcessInfo, ResolvedService, ServiceView, UnseenOwner } from './types.js';

/** Name of a running container of `def`'s compose service that publishes its port, or null. */
function containerPublishing(def: ResolvedService, data: ProbeData): string | null {
  if (def.docker === null || data.containers === undefined) return null;
  const c = data.containers.find((x) => x.service === def.docker && x.ports.some((p) => p.port === def.effectivePort && p.protocol === def.protocol));
  return c === undefined ? null : c.name;
}

/** What is known of a holder whose owner cannot be seen or confirmed. */
function unseenOwner(l: Listener): UnseenOwner {
  const reason = l.ownerUnknown ?? 'the probe cannot confirm which process holds the socket';
  return { reason, uid: l.socketUid, user: l.socketUser };
}

/**
 * Live state of each catalogue entry from the classified listeners:
 * - conflict: a program that is not the entry's holds its port;
 * - up: the entry's own program holds it;
 * - unverified: something holds it, but its owner cannot be seen or confirmed;
 * - inactive: a same-port entry of another profile holds it with its own program. Entries whose
 *   profiles never meet are alternatives (algo in prod, the FastAPI dev server in dev, both 8000),
 *   not rivals; an alternative whose own program list matches the holder as well is up too;
 * - down: nothing holds it.
 */
export function classifyServices(services: readonly ResolvedService[], listeners: readonly Listener[], data: ProbeData): ServiceView[] {
  const connections = countConnections(data.sockets);
  const byId = new Map(services.map((s) => [s.id, s]));
  // One pass over the listeners, keeping only the catalogue's ports; each entry then looks only at
  // the sockets of its own port.
  const ports = new Set(services.map((d) => portKey(d.protocol, d.effectivePort)));
  const holdingByPort = groupByPort(
    listeners.filter((l) => ports.has(portKey(l.protocol, l.port)) && isHoldingSocket(l)),
    (l) => l.port,
  );
  const ownersOf = (l: Listener): ProcessInfo[] => l.pids.flatMap((pid) => data.processes.get(pid) ?? []);
  /** The entry `l` is attributed to, when it is an alternative of `def` (another profile) holding the port with its own program. */
  const alternativeOf = (def: ResolvedService, l: Listener): ResolvedService | undefined => {
    if (l.status !== 'expected' || l.service === null || l.service === def.id) return undefined;
    const alt = byId.get(l.service);
    return alt !== undefined && !profilesOverlap(def, alt) ? alt : undefined;
  };
  return services.map((def): ServiceView => {
    const onPort = holdingByPort.get(portKey(def.protocol, def.effectivePort)) ?? [];
    const seen = onPort.filter((l) => l.verified);
    const unseen = onPort.filter((l) => !l.verified);
    const wrong = seen.filter((l) => l.status === 'conflict');
    // The holder is this entry's program: attributed to it, or to an alternative that this entry's
    // program list matches just as well (the same python3 is what both expect).
    const own = seen.filter((l) => {
      if (l.status !== 'expected') return false;
      if (l.service === def.id) return true;
      const alt = alternativeOf(def, l);
      if (alt === undefined) return false;
      const owners = ownersOf(l);
      return matchStrength(def, owners) >= matchStrength(alt, owners);
    });
    const others = seen.filter((l) => l.service !== def.id && !own.includes(l));
    let status: ServiceView['status'] = 'down';
    let holder: Listener | undefined;
    let usedBy: ServiceView['usedBy'] = null;
    if (wrong.length > 0) [status, holder] = ['conflict', wrong[0]];
    else if (own.length > 0) [status, holder] = ['up', own[0]];
    else if (unseen.length > 0) [status, holder] = ['unverified', unseen[0]];
    else if (others.length > 0) {
      const alternative = others.find((l) => alternativeOf(def, l) !== undefined);
      const alt = alternative ? alternativeOf(def, alternative) : undefined;
      if (alternative && alt) {
        [status, holder] = ['inactive', alternative];
        usedBy = { service: alt.id, profiles: alt.profiles };
      } else [status, holder] = ['conflict', others[0]];
    }
    // No host socket at all, yet the engine says its container publishes the port: with
    // `"userland-proxy": false` there is no docker-proxy, only NAT, and the service is reachable.
    const natOnly = (status === 'down' && onPort.length === 0) || (status === 'up' && holder?.process === 'dockerd');
    const publisher = natOnly ? containerPublishing(def, data) : null;
    if (publisher !== null) status = 'up';
    const mine = status === 'up' ? own : [];
    // A bind: local entry's own program on a non-loopback address is exposed, whichever entry the socket was attributed to.
    const exposedOn = def.bind === 'local' ? [...new Set(mine.filter((l) => !isLoopback(l.address)).map((l) => l.address))] : [];
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
      exposed: exposedOn.length > 0,
      exposedOn,
      connections: connections[portKey(def.protocol, def.effectivePort)] ?? 0,
      docker: def.docker,
      health: null,
      usedBy,
      publishedBy: publisher,
      unseenOwner: status === 'unverified' && holder ? unseenOwner(holder) : null,
    };
  });
}
