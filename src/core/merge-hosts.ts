import type { HostOutcome } from './hosts.js';
import { LOCAL_TARGET } from './hosts.js';
import type { ProcessInfo, ServiceView, Snapshot } from './types.js';

/** Id of a merged row: `local` keeps the plain id (health results and logs key on it), others `TARGET/id`. */
export function hostScopedId(target: string, id: string): string {
  return target === LOCAL_TARGET ? id : `${target}/${id}`;
}

/** The row that stands for a host that could not be read: its error, until the next try succeeds. */
function unreachableRow(target: string, error: string): ServiceView {
  return {
    id: `${target}/!unreachable`,
    name: `unreachable: ${error}`,
    group: 'app',
    port: 0,
    defaultPort: 0,
    envVar: null,
    portSource: 'default',
    protocol: 'tcp',
    status: 'down',
    pid: null,
    process: null,
    exposed: false,
    connections: 0,
    docker: null,
    health: null,
    exposedOn: [],
    usedBy: null,
    unseenOwner: null,
    host: target,
  };
}

/**
 * Several hosts' snapshots as one, for the TUI: every listener and service carries its host, ids and
 * keys are scoped by host so rows stay distinct, an unreachable host is a row with its error, and
 * notices name their host. Processes of remote hosts are left out: their pids mean nothing here,
 * and the Processes view (and kill from it) must only show this machine's.
 */
export function mergeHostSnapshots(outcomes: readonly HostOutcome<Snapshot>[], takenAt: string): Snapshot {
  const listeners: Snapshot['listeners'][number][] = [];
  const services: ServiceView[] = [];
  const conflicts: Snapshot['conflicts'][number][] = [];
  const notices: string[] = [];
  let processes: ReadonlyMap<number, ProcessInfo> = new Map();
  let profile: string | null = null;
  let probe: Snapshot['probe'] = 'linux';
  for (const o of outcomes) {
    const s = o.value;
    if (s === null) {
      services.push(unreachableRow(o.target, o.error ?? 'not read yet'));
      notices.push(`${o.target}: unreachable: ${o.error ?? 'not read yet'}`);
      continue;
    }
    profile = s.profile;
    if (o.target === LOCAL_TARGET) {
      processes = s.processes;
      probe = s.probe;
    }
    for (const l of s.listeners) listeners.push({ ...l, key: `${o.target}|${l.key}`, host: o.target });
    for (const v of s.services) services.push({ ...v, id: hostScopedId(o.target, v.id), host: o.target });
    conflicts.push(...s.conflicts);
    for (const n of s.notices) notices.push(`${o.target}: ${n}`);
  }
  return {
    version: 1,
    host: outcomes.map((o) => o.target).join(', '),
    takenAt,
    probe,
    profile,
    listeners,
    services,
    conflicts,
    processes,
    notices,
    hosts: outcomes.map((o) => o.target),
  };
}
