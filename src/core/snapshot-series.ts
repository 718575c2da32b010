/**
 * Classification of a sequence of probe passes (the TUI's refreshes). A pass in which nothing that
 * classification reads has changed gets the last pass's listeners, services and conflicts, the very
 * same arrays, so the views downstream can see at a glance that there is nothing new to draw. A pass
 * in which only connections changed (the periodic full read of a server left alone) keeps the
 * classified listeners and only counts their connections again.
 */
import { connectionsPerListener } from './connections.js';
import { isHoldingSocket } from './match.js';
import { buildSnapshot, snapshotWithListeners, type SnapshotOptions } from './snapshot.js';
import type { Catalogue, EnvSources, Listener, ProbeData, ProcessInfo, PublishedContainer, Snapshot, SocketEntry } from './types.js';

/**
 * The same processes as far as classification can tell: the same incarnations (pid and start time)
 * under the same names, command lines, users and docker-proxy verdicts. CPU time, memory and state
 * may differ; no listener, service or conflict is made of them.
 */
function sameOwners(a: ReadonlyMap<number, ProcessInfo>, b: ReadonlyMap<number, ProcessInfo>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [pid, p] of a) if (!sameProcess(p, b.get(pid))) return false;
  return true;
}

function sameProcess(p: ProcessInfo | undefined, q: ProcessInfo | undefined): boolean {
  if (p === q) return true;
  if (p === undefined || q === undefined) return false;
  return q.startTime === p.startTime && q.name === p.name && q.command === p.command && q.uid === p.uid && q.user === p.user && q.dockerProxy === p.dockerProxy;
}

function samePids(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same socket as far as classifying a holder goes: its ends, state, identity and owners. */
function sameSocket(a: SocketEntry, b: SocketEntry): boolean {
  return (
    a.inode === b.inode &&
    a.localPort === b.localPort &&
    a.state === b.state &&
    a.protocol === b.protocol &&
    a.family === b.family &&
    a.localAddress === b.localAddress &&
    a.remotePort === b.remotePort &&
    a.remoteAddress === b.remoteAddress &&
    a.uid === b.uid &&
    samePids(a.pids, b.pids) &&
    a.ownerUnknown === b.ownerUnknown &&
    a.ownerUnconfirmed === b.ownerUnconfirmed &&
    a.uidUser === b.uidUser
  );
}

/**
 * The holding sockets of two passes are the same sockets in the same order, held by the same
 * processes: every listener classified from the first is what classifying the second would give,
 * but for its connection count. Unique non-zero inodes are required, as the counts are matched back
 * to the listeners by inode.
 */
function sameHolders(a: readonly SocketEntry[], b: readonly SocketEntry[], procsA: ReadonlyMap<number, ProcessInfo>, procsB: ReadonlyMap<number, ProcessInfo>): boolean {
  if (a.length !== b.length) return false;
  const inodes = new Set<number>();
  const checked = new Set<number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as SocketEntry;
    const y = b[i] as SocketEntry;
    if (x !== y && !sameSocket(x, y)) return false;
    if (y.inode === 0 || inodes.has(y.inode)) return false;
    inodes.add(y.inode);
    for (const pid of y.pids) {
      if (checked.has(pid)) continue;
      if (!sameProcess(procsA.get(pid), procsB.get(pid))) return false;
      checked.add(pid);
    }
  }
  return true;
}

/** `listeners` (holding sockets only) with the connection counts of `data`, objects reused where the count is the same. */
function recount(listeners: readonly Listener[], holding: readonly SocketEntry[], data: ProbeData): readonly Listener[] {
  const perSocket = connectionsPerListener(data.sockets);
  const byInode = new Map<number, number>();
  for (const s of holding) byInode.set(s.inode, perSocket.get(s) ?? 0);
  let changed = false;
  const out = listeners.map((l) => {
    const n = byInode.get(l.inode) ?? 0;
    if (n === l.connections) return l;
    changed = true;
    return { ...l, connections: n };
  });
  return changed ? out : listeners;
}

function sameContainers(a: readonly PublishedContainer[] | undefined, b: readonly PublishedContainer[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  // A handful of containers: comparing their text is simplest and exact.
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Built {
  readonly data: ProbeData;
  /** The holding sockets of `data`, in order. */
  readonly holding: readonly SocketEntry[];
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
  /** Passes whose classified listeners were kept, their connections counted again. */
  recounted = 0;

  build(data: ProbeData, catalogue: Catalogue, env: EnvSources, options: SnapshotOptions): Snapshot {
    const last = this.last;
    const sameSettings = last !== null && last.catalogue === catalogue && last.env === env && last.options.profile === options.profile && last.options.all === options.all;
    let snapshot: Snapshot;
    let holding: readonly SocketEntry[] | null = null;
    if (
      last !== null &&
      sameSettings &&
      // The probe hands out the same frozen socket array only when it read nothing new.
      last.data.sockets === data.sockets &&
      sameOwners(last.data.processes, data.processes) &&
      sameContainers(last.data.containers, data.containers)
    ) {
      this.reused++;
      holding = last.holding;
      // Only what comes straight from the pass is new: its time, host, process details and notices.
      snapshot = Object.freeze({ ...last.snapshot, host: data.host, takenAt: data.takenAt, probe: data.probe, processes: data.processes, notices: data.notices });
    } else if (
      last !== null &&
      sameSettings &&
      // With --all the listeners are every socket: connections are rows of their own there.
      !options.all &&
      sameContainers(last.data.containers, data.containers) &&
      sameHolders(last.holding, (holding = data.sockets.filter(isHoldingSocket)), last.data.processes, data.processes)
    ) {
      this.recounted++;
      snapshot = snapshotWithListeners(data, catalogue, env, options, recount(last.snapshot.listeners, holding, data));
    } else {
      snapshot = buildSnapshot(data, catalogue, env, options);
    }
    holding ??= data.sockets.filter(isHoldingSocket);
    this.last = { data, holding, catalogue, env, options, snapshot };
    return snapshot;
  }
}
