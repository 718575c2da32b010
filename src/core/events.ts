import type { Listener, Snapshot } from './types.js';

/** Kinds of change worth telling a person about. */
export type ChangeKind = 'service-down' | 'service-up' | 'service-conflict' | 'unexpected-listener' | 'owner-changed';

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

/** Listeners by `protocol|port` (a port can have v4 and v6 sockets; the first one speaks for it). */
function byPort(listeners: readonly Listener[]): Map<string, Listener> {
  const map = new Map<string, Listener>();
  for (const l of listeners) {
    const k = `${l.protocol}|${l.port}`;
    if (!map.has(k)) map.set(k, l);
  }
  return map;
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
    const base = { at, port: s.port, service: s.id };
    if (s.status === 'down') {
      events.push({ ...base, kind: 'service-down', text: `${s.name} (${s.id}) went down on port ${s.port}` });
    } else if (s.status === 'up') {
      events.push({ ...base, kind: 'service-up', text: `${s.name} (${s.id}) is up on port ${s.port}` });
    } else {
      events.push({ ...base, kind: 'service-conflict', text: `port ${s.port} of ${s.name} (${s.id}) is held by ${owner(s.pid, s.process)}` });
    }
  }
  const oldPorts = byPort(prev.listeners);
  const newPorts = byPort(next.listeners);
  const changes = [...newPorts.entries()].sort((a, b) => a[1].port - b[1].port);
  for (const [k, l] of changes) {
    const old = oldPorts.get(k);
    if (!old) {
      if (l.status === 'unexpected') {
        events.push({ kind: 'unexpected-listener', at, port: l.port, service: null, text: `new unexpected listener on ${l.protocol} ${l.address}:${l.port}: ${owner(l.pid, l.process)}` });
      }
      continue;
    }
    // Same program restarting (new pid, same name) is not an owner change; a different program is.
    if (old.process !== l.process && (old.pid !== null || l.pid !== null)) {
      events.push({
        kind: 'owner-changed',
        at,
        port: l.port,
        service: l.service,
        text: `port ${l.port} changed owner: ${owner(old.pid, old.process)} -> ${owner(l.pid, l.process)}`,
      });
    }
  }
  return events;
}
