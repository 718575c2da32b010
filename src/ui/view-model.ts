import type { HealthResult, Listener, ProcessInfo, ServiceView, Snapshot } from '../core/types.js';
import { listenerTone, serviceTone, type Tone } from '../presentation/tones.js';
import { cleanText } from '../core/sanitize.js';
import { formatBytes, formatCpu, formatHealth } from './format.js';
import { SORTS, type ViewName } from './columns.js';

export { COLUMNS, SORTS, VIEWS, VIEW_TITLES, type Column, type SortSpec, type ViewName } from './columns.js';

/** One cell: text (already clean) and a tone. */
export interface Cell {
  readonly text: string;
  readonly tone: Tone;
}

/** One table row with everything filtering and sorting need. */
export interface Row {
  /** Identity across refreshes: service id, Listener.key or pid. */
  readonly id: string;
  readonly cells: readonly Cell[];
  /** Lower-case text the filter searches (name, port, process, command). */
  readonly search: string;
  readonly ports: readonly number[];
  /** Sort keys, parallel to the view's {@link SortSpec} list. */
  readonly sort: readonly (string | number)[];
  /** pid to act on (kill), or null. */
  readonly pid: number | null;
  /** Port of the row (kill dialog), or null. */
  readonly port: number | null;
  /** Service id (logs), or null. */
  readonly service: string | null;
}

/** Extra data the views show beside the snapshot. */
export interface ViewExtras {
  readonly health: ReadonlyMap<string, HealthResult>;
  readonly cpu: ReadonlyMap<number, number>;
}

const plain = (text: string): Cell => ({ text, tone: 'plain' });
const muted = (text: string): Cell => ({ text, tone: 'muted' });
const orDash = (v: string | number | null | undefined): string => (v === null || v === undefined || v === '' ? '-' : String(v));

// Problems first: the status sort puts what needs attention at the top.
const SERVICE_RANK = { conflict: 0, down: 1, up: 2 } as const;
const LISTENER_RANK = { conflict: 0, unexpected: 1, expected: 2 } as const;

function serviceRow(s: ServiceView, health: HealthResult | null): Row {
  const name = cleanText(s.name);
  const moved = s.portSource !== 'default' && s.envVar ? `${s.envVar}=${s.port}` : '';
  const healthTone: Tone = health ? (health.ok ? 'good' : 'bad') : 'muted';
  return {
    id: s.id,
    cells: [
      { text: s.status, tone: serviceTone(s.status) },
      plain(name),
      plain(String(s.port)),
      moved ? { text: moved, tone: 'info' } : muted('-'),
      plain(orDash(s.pid)),
      plain(orDash(s.process)),
      plain(s.connections > 0 ? String(s.connections) : '-'),
      { text: formatHealth(health), tone: healthTone },
    ],
    search: [s.id, name, s.port, s.process ?? '', s.docker ?? '', s.envVar ?? ''].join(' ').toLowerCase(),
    ports: [s.port],
    sort: [s.port, SERVICE_RANK[s.status], name.toLowerCase()],
    pid: s.pid,
    port: s.port,
    service: s.id,
  };
}

function listenerRow(l: Listener): Row {
  const flags = [l.exposed ? 'exposed' : '', l.dockerProxy ? 'docker' : ''].filter(Boolean).join(',');
  const owner = l.process ?? (l.ownerUnknown ? '?' : '-');
  return {
    id: l.key,
    cells: [
      { text: l.status, tone: listenerTone(l.status, l.exposed) },
      plain(`${l.protocol}${l.family}`),
      plain(l.address),
      plain(String(l.port)),
      plain(orDash(l.pid)),
      l.process ? plain(l.process) : muted(owner),
      plain(orDash(l.user)),
      l.service ? plain(l.service) : muted('-'),
      flags ? { text: flags, tone: l.exposed ? 'warn' : 'info' } : muted('-'),
      plain(orDash(l.command)),
    ],
    search: [l.port, l.address, l.process ?? '', l.command ?? '', l.service ?? '', l.user ?? ''].join(' ').toLowerCase(),
    ports: [l.port],
    sort: [l.port, LISTENER_RANK[l.status], (l.process ?? '').toLowerCase()],
    pid: l.pid,
    port: l.port,
    service: l.service,
  };
}

function processRow(p: ProcessInfo, ports: readonly number[], cpu: number | undefined): Row {
  const portText = ports.length > 0 ? ports.join(',') : '-';
  return {
    id: String(p.pid),
    cells: [
      plain(String(p.pid)),
      plain(p.user),
      plain(formatCpu(cpu)),
      plain(formatBytes(p.rssBytes)),
      plain(portText),
      plain(p.name),
      plain(p.command),
    ],
    search: [p.pid, p.name, p.command, p.user, ...ports].join(' ').toLowerCase(),
    ports,
    sort: [cpu ?? -1, p.rssBytes, p.pid, p.name.toLowerCase()],
    pid: p.pid,
    port: ports[0] ?? null,
    service: null,
  };
}

/** All rows of `view` for one snapshot, unfiltered and unsorted. */
export function buildRows(view: ViewName, snapshot: Snapshot, extras: ViewExtras): Row[] {
  switch (view) {
    case 'services':
      return snapshot.services.map((s) => serviceRow(s, extras.health.get(s.id) ?? s.health));
    case 'listeners':
      return snapshot.listeners.map(listenerRow);
    case 'processes': {
      const ports = new Map<number, Set<number>>();
      for (const l of snapshot.listeners) {
        for (const pid of l.pids) {
          let set = ports.get(pid);
          if (!set) ports.set(pid, (set = new Set()));
          set.add(l.port);
        }
      }
      return [...snapshot.processes.values()].map((p) =>
        processRow(p, [...(ports.get(p.pid) ?? [])].sort((a, b) => a - b), extras.cpu.get(p.pid)),
      );
    }
  }
}

/** Rows matching `filter`: `:8080` is an exact port, anything else a case-insensitive substring. */
export function filterRows(rows: readonly Row[], filter: string): readonly Row[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return rows;
  const port = /^:(\d{1,5})$/.exec(f);
  if (port) {
    const n = Number(port[1]);
    return rows.filter((r) => r.ports.includes(n));
  }
  return rows.filter((r) => r.search.includes(f));
}

/** Rows ordered by sort choice `index` of `view`; ties keep identity order so rows do not jitter. */
export function sortRows(rows: readonly Row[], view: ViewName, index: number): Row[] {
  const specs = SORTS[view];
  const spec = specs[index % specs.length] ?? specs[0];
  const k = index % specs.length;
  const sign = spec?.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.sort[k] ?? 0;
    const y = b.sort[k] ?? 0;
    if (x < y) return -sign;
    if (x > y) return sign;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
