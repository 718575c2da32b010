/**
 * Classification of catalogue entries (ServiceView) from the classified listeners.
 */
import { countConnections, groupByPort, portKey } from './classify.js';
import { isHoldingSocket } from './match.js';
import type { Listener, ProbeData, ResolvedService, ServiceView } from './types.js';

/** Name of a running container of `def`'s compose service that publishes its port, or null. */
function containerPublishing(def: ResolvedService, data: ProbeData): string | null {
  if (def.docker === null || data.containers === undefined) return null;
  const c = data.containers.find((x) => x.service === def.docker && x.ports.some((p) => p.port === def.effectivePort && p.protocol === def.protocol));
  return c === undefined ? null : c.name;
}

/**
 * Live state of each catalogue entry from the classified listeners:
 * conflict when a program that is not the entry's holds its port, up when the entry's own program
 * (or an owner we cannot see) listens, down otherwise.
 */
export function classifyServices(services: readonly ResolvedService[], listeners: readonly Listener[], data: ProbeData): ServiceView[] {
  const connections = countConnections(data.sockets);
  // One pass over the listeners, keeping only the catalogue's ports; each entry then looks only at
  // the sockets of its own port.
  const ports = new Set(services.map((d) => portKey(d.protocol, d.effectivePort)));
  const holdingByPort = groupByPort(
    listeners.filter((l) => ports.has(portKey(l.protocol, l.port)) && isHoldingSocket(l)),
    (l) => l.port,
  );
  return services.map((def): ServiceView => {
    const onPort = holdingByPort.get(portKey(def.protocol, def.effectivePort)) ?? [];
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
    // No host socket at all, yet the engine says its container publishes the port: with
    // `"userland-proxy": false` there is no docker-proxy, only NAT, and the service is reachable.
    const publisher = status === 'down' && onPort.length === 0 ? containerPublishing(def, data) : null;
    if (publisher !== null) status = 'up';
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
      connections: connections[portKey(def.protocol, def.effectivePort)] ?? 0,
      docker: def.docker,
      health: null,
      publishedBy: publisher,
    };
  });
}
