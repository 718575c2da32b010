/**
 * buildSnapshot: the one truth every command and the TUI show. Pure function of
 * (probe data, catalogue, env, profile): resolve ports, classify sockets and services, find conflicts.
 */
import { classifyListeners } from './classify.js';
import { classifyServices } from './classify-services.js';
import { findConflicts } from './conflicts.js';
import { resolveServices } from './resolve.js';
import type { Catalogue, EnvSources, Listener, ProbeData, ResolvedService, Snapshot } from './types.js';

/** Options of {@link buildSnapshot}. */
export interface SnapshotOptions {
  /** Active profile; null = every profile. */
  readonly profile: string | null;
  /** Include every socket (list --all), not only listeners. */
  readonly all: boolean;
}

/**
 * Classifies one probe pass against the catalogue. Listeners are always classified from every
 * holding socket; `options.all` only widens what `listeners` shows. The result is frozen.
 */
export function buildSnapshot(data: ProbeData, catalogue: Catalogue, env: EnvSources, options: SnapshotOptions): Snapshot {
  const services = resolveServices(catalogue, env, options.profile);
  return assemble(data, catalogue, env, options, services, classifyListeners(data, services, options.all));
}

/**
 * The snapshot of `data` around `listeners` that were classified already (by {@link buildSnapshot}
 * of an earlier pass whose holding sockets and their owners were the same): services and conflicts
 * are made afresh from them.
 */
export function snapshotWithListeners(data: ProbeData, catalogue: Catalogue, env: EnvSources, options: SnapshotOptions, listeners: readonly Listener[]): Snapshot {
  return assemble(data, catalogue, env, options, resolveServices(catalogue, env, options.profile), listeners);
}

function assemble(data: ProbeData, catalogue: Catalogue, env: EnvSources, options: SnapshotOptions, services: ResolvedService[], listeners: readonly Listener[]): Snapshot {
  const allEntries = options.profile === null ? services : resolveServices(catalogue, env, null);
  const views = classifyServices(services, listeners, data);
  const conflicts = findConflicts({
    services,
    allEntries,
    listeners,
    sockets: data.sockets,
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
