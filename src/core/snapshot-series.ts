/**
 * Classification of a sequence of probe passes (the TUI's refreshes): a pass in which nothing that
 * classification reads has changed gets the last pass's listeners, services and conflicts, the very
 * same arrays, so the views downstream can see at a glance that there is nothing new to draw.
 */
import { buildSnapshot, type SnapshotOptions } from './snapshot.js';
import type { Catalogue, EnvSources, ProbeData, ProcessInfo, PublishedContainer, Snapshot } from './types.js';

/**
 * The same processes as far as classification can tell: the same incarnations (pid and start time)
 * under the same names, command lines, users and docker-proxy verdicts. CPU time, memory and state
 * may differ; no listener, service or conflict is made of them.
 */
function sameOwners(a: ReadonlyMap<number, ProcessInfo>, b: ReadonlyMap<number, ProcessInfo>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [pid, p] of a) {
    const q = b.get(pid);
    if (q === undefined) return false;
    if (q === p) continue;
    if (q.startTime !== p.startTime || q.name !== p.name || q.command !== p.command || q.uid !== p.uid || q.user !== p.user || q.dockerProxy !== p.dockerProxy) return false;
  }
  return true;
}

function sameContainers(a: readonly PublishedContainer[] | undefined, b: readonly PublishedContainer[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  // A handful of containers: comparing their text is simplest and exact.
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Built {
  readonly data: ProbeData;
  readonly catalogue: Catalogue;
  readonly env: EnvSources;
  readonly options: SnapshotOptions;
  readonly snapshot: Snapshot;
}

/** {@link buildSnapshot} for one pass after another, reusing the last classification when its inputs are the same. */
export class SnapshotSeries {
  private last: Built | null = null;
  /** Passes whose classification was reused (for tests and the bench). */
  reused = 0;

  build(data: ProbeData, catalogue: Catalogue, env: EnvSources, options: SnapshotOptions): Snapshot {
    const last = this.last;
    let snapshot: Snapshot;
    if (
      last !== null &&
      // The probe hands out the same frozen socket array only when it read nothing new.
      last.data.sockets === data.sockets &&
      last.catalogue === catalogue &&
      last.env === env &&
      last.options.profile === options.profile &&
      last.options.all === options.all &&
      sameOwners(last.data.processes, data.processes) &&
      sameContainers(last.data.containers, data.containers)
    ) {
      this.reused++;
      // Only what comes straight from the pass is new: its time, host, process details and notices.
      snapshot = Object.freeze({ ...last.snapshot, host: data.host, takenAt: data.takenAt, probe: data.probe, processes: data.processes, notices: data.notices });
    } else {
      snapshot = buildSnapshot(data, catalogue, env, options);
    }
    this.last = { data, catalogue, env, options, snapshot };
    return snapshot;
  }
}
