import { connectHost, isHoldingSocket } from '../core/match.js';
import type { Catalogue, Listener, ServiceView, Snapshot } from '../core/types.js';
import type { HealthTarget } from './health.js';

/**
 * The address to probe a service at: 127.0.0.1 when it listens on an IPv4 wildcard or loopback
 * address, ::1 when only on IPv6 ones, else the address it is bound to (see connectHost).
 */
export function healthHost(listeners: readonly Pick<Listener, 'address' | 'family'>[]): string | null {
  if (listeners.length === 0) return null;
  const hosts = listeners.map((l) => connectHost(l.address, l.family));
  return hosts.find((h) => h === '127.0.0.1') ?? hosts.find((h) => h === '::1') ?? hosts[0] ?? null;
}

/**
 * Health targets for the `selected` services that are up and declare a probe. A service held by
 * another program is not probed: its answer would say nothing about the service. Shared by
 * `vhtop check --health` and the TUI's health column, so both probe the same address.
 */
export function healthTargets(snap: Snapshot, selected: readonly ServiceView[], catalogue: Catalogue): HealthTarget[] {
  const specs = new Map(catalogue.services.map((d) => [d.id, d.health]));
  const targets: HealthTarget[] = [];
  for (const s of selected) {
    const spec = specs.get(s.id) ?? null;
    if (s.status !== 'up' || spec === null) continue;
    const mine = snap.listeners.filter(
      (l) => isHoldingSocket(l) && l.protocol === s.protocol && l.port === s.port && (l.service === s.id || l.pid === null),
    );
    const host = healthHost(mine);
    if (host !== null) targets.push({ id: s.id, host, port: s.port, spec });
  }
  return targets;
}
