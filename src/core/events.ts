import { inactiveText, socketOwnerText } from './status-text.js';
import type { Listener, ServiceView, Snapshot } from './types.js';

/** Kinds of change worth telling a person about. */
export type ChangeKind = 'service-down' | 'service-up' | 'service-conflict' | 'service-unverified' | 'port-freed' | 'unexpected-listener' | 'owner-changed';

/** One change between two snapshots. `text` is a sentence built from already-clean snapshot strings. */
export interface ChangeEvent {
  readonly kind: ChangeKind;
  /** ISO time of the snapshot that showed the change. */
  readonly at: string;
  readonly port: number;
  /** Service id, when the change concerns a catalogue entry. */
  readonly service: string | null;
  readonly text: string;
}

function owner(pid: number | null, process: string | null): string {
  if (pid === null) return process ?? 'an unknown owner';
  return `${process ?? '?'} (pid ${pid})`;
}

/** Listeners by port (UDP above 65535; a port can have v4 and v6 sockets: the first one speaks for it). */
function byPort(listeners: readonly Listener[]): Map<number, Listener> {
  const map = new Map<number, Listener>();
  for (const l of listeners) {
    const k = l.protocol === 'udp' ? l.port + 65536 : l.port;
    if (!map.has(k)) map.set(k, l);
  }
  return map;
}

/**
 * The event for one service whose status changed, or null when the change is told elsewhere (an
 * alternative entry of another profile reports its own start and stop). "went down" is only for a
 * service that was up; a wrong program leaving frees the port, it does not take the service down.
 */
function serviceEvent(old: ServiceView, s: ServiceView): { kind: ChangeKind; text: string } | null {
  const name = `${s.name} (${s.id})`;
  switch (s.status) {
    case 'up':
      return { kind: 'service-up', text: `${name} is up on port ${s.port}` };
    case 'conflict':
      return { kind: 'service-conflict', text: `port ${s.port} of ${name} is held by ${owner(s.pid, s.process)}` };
    case 'unverified': {
      const who = s.unseenOwner ? socketOwnerText(s.unseenOwner) : 'an unknown owner';
      return { kind: 'service-unverified', text: `port ${s.port} of ${name} is held by ${who} whose process vhtop cannot see` };
    }
    case 'inactive':
    case 'down':
      break;
  }
  if (old.status === 'up') {
    const now = s.status === 'inactive' && s.usedBy ? `; ${inactiveText(s.usedBy)}` : '';
    return { kind: 'service-down', text: `${name} went down on port ${s.port}${now}` };
  }
  if (s.status !== 'down') return null;
  if (old.status === 'conflict') {
    const was = old.pid !== null ? `${old.process ?? '?'} pid ${old.pid}` : (old.process ?? 'another program');
    return { kind: 'port-freed', text: `port ${s.port} freed (was ${was}, not ${s.id}'s program)` };
  }
  if (old.status === 'unverified') return { kind: 'port-freed', text: `port ${s.port} freed (its holder could not be seen)` };
  return null;
}

/**
 * What changed from `prev` to `next`: services that went down or came up (or into conflict), listeners
 * that are new and unexpected, and ports whose owning program changed. Pure; order is services first,
 * then listeners by port.
 */
export function diffSnapshots(prev: Snapshot, next: Snapshot): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  const at = next.takenAt;
  const before = new Map(prev.services.map((s) => [s.id, s]));
  for (const s of next.services) {
    const old = before.get(s.id);
    if (!old || old.status === s.status) continue;
    const event = serviceEvent(old, s);
    if (event === null) continue;
    // Alternatives sharing a port (gateway and gateway-dev) free it once: one line naming both.
    const same = event.kind === 'port-freed' ? events.find((e) => e.kind === 'port-freed' && e.port === s.port) : undefined;
    if (same) Object.assign(same, { text: same.text.replace(/, not (.*)'s program\)$/, `, not $1's or ${s.id}'s program)`) });
    else events.push({ at, port: s.port, service: s.id, ...event });
  }
  const oldPorts = byPort(prev.listeners);
  const newPorts = byPort(next.listeners);
  // Listener events in port order. Events are few, listeners may be thousands: sort the events, not the ports.
  const listenerEvents: ChangeEvent[] = [];
  for (const [k, l] of newPorts) {
    const old = oldPorts.get(k);
    if (!old) {
      if (l.status === 'unexpected') {
        listenerEvents.push({ kind: 'unexpected-listener', at, port: l.port, service: null, text: `new unexpected listener on ${l.protocol} ${l.address}:${l.port}: ${owner(l.pid, l.process)}` });
      }
      continue;
    }
    // Same program restarting (new pid, same name) is not an owner change; a different program is.
    if (old.process !== l.process && (old.pid !== null || l.pid !== null)) {
      listenerEvents.push({
        kind: 'owner-changed',
        at,
        port: l.port,
        service: l.service,
        text: `port ${l.port} changed owner: ${owner(old.pid, old.process)} -> ${owner(l.pid, l.process)}`,
      });
    }
  }
  // A stable sort by port of events made in the maps' order: the order of sorting the ports first.
  return events.concat(listenerEvents.sort((a, b) => a.port - b.port));
}
