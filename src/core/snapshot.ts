/**
 * buildSnapshot: the one truth every command and the TUI show. Pure function of
 * (probe data, catalogue, env, profile): resolve ports, classify sockets and services, find conflicts.
 */
import { classifyListeners } from './classify.js';
import { classifyServices } from './classify-services.js';
import { findConflicts } from './conflicts.js';
import { resolveServices } from './resolve.js';
import type { Catalogue, EnvSources, ProbeData, Snapshot } from './types.js';

/** Options of {@link buildSnapshot}. */
export interface SnapshotOptions {
  /** Active profile; null = every profile. */
  readonly profile: string | null;
  /** Include every socket (list --all), not only listeners. */
  readonly all: boolean;
}

/** Every local port any socket uses (one pass, no intermediate array). */
function localPorts(data: ProbeData): Set<number> {
  const ports = new Set<number>();
  for (const s of data.sockets) ports.add(s.localPort);
  return ports;
}

/**
 * Classifies one probe pass against the catalogue. Listeners are always classified from every
 * holding socket; `options.all` only widens what `listeners` shows. The result is frozen.
 */
export function buildSnapshot(data: ProbeData, catalogue: Catalogue, env: EnvSources, options: SnapshotOptions): Snapshot {
  const services = resolveServices(catalogue, env, options.profile);
  const allEntries = options.profile === null ? services : resolveServices(catalogue, env, null);
  const listeners = classifyListeners(data, services, options.all);
  const views = classifyServices(services, listeners, data);
  const conflicts = findConflicts({
    services,
    allEntries,
    listeners,
    usedPorts: localPorts(data),
    profile: options.profile,
  });
  return Object.freeze({
    version: 1 as const,
    host: data.host,
    takenAt: data.takenAt,
    probe: data.probe,
    profile: options.profile,
    listeners: Object.freeze(listeners),
    services: Object.freeze(views),
    conflicts: Object.freeze(conflicts),
    processes: data.processes,
    notices: data.notices,
  });
}
