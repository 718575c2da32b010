import type { HealthResult, Listener, ProcessInfo, ServiceView, Snapshot } from '../core/types.js';
import { listenerTone, serviceTone, type Tone } from '../presentation/tones.js';
import { cleanText } from '../core/sanitize.js';
import { formatBytes, formatCpu, formatHealth } from './format.js';
import type { ViewName } from './columns.js';

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
  /** `--host` target of the row when several hosts are shown (the `/host:NAME` filter). */
  readonly host?: string;
  /** Sort key `k` alone, for rows that build {@link Row.sort} lazily (a port sort then touches no strings). */
  key?(k: number): string | number;
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

function serviceRow(s: ServiceView, result: HealthResult | null): Row {
  const name = cleanText(s.name);
  // A result describes the service only while it is up: once it is down (or its port is held by
  // another program) an earlier "ok" would be stale until the next health round, up to 10 s later.
  const health = s.status === 'up' ? result : null;
  const moved = s.portSource !== 'default' && s.envVar ? `${s.envVar}=${s.port}` : '';
  const healthTone: Tone = health ? (health.ok ? 'good' : 'bad') : 'muted';
  const row: Row = {
    id: s.id,
    cells: [
      ...hostCell(s.host),
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
  return s.host === undefined ? row : { ...row, host: s.host };
}

/** The HOST cell, present only when the row carries a host (several hosts shown). */
function hostCell(host: string | undefined): Cell[] {
  return host === undefined ? [] : [plain(cleanText(host))];
}

/**
 * A Listeners row that builds its cells, search text and sort keys on first use. The Listeners view
 * can hold every socket of the machine (15k rows and more) while only a screenful is drawn: building
 * all cells on every refresh made the frame cost grow with the socket count.
 */
export class ListenerRow implements Row {
  readonly id: string;
  readonly pid: number | null;
  readonly port: number;
  readonly service: string | null;
  private cellsMemo: readonly Cell[] | null = null;
  private searchMemo: string | null = null;

  constructor(readonly listener: Listener) {
    this.id = listener.key;
    this.pid = listener.pid;
    this.port = listener.port;
    this.service = listener.service;
    if (listener.host !== undefined) this.host = listener.host;
  }

  readonly host?: string;

  get ports(): readonly number[] {
    return [this.port];
  }

  get cells(): readonly Cell[] {
    return (this.cellsMemo ??= listenerCells(this.listener));
  }

  get search(): string {
    const l = this.listener;
    return (this.searchMemo ??= [l.port, l.address, l.process ?? '', l.command ?? '', l.service ?? '', l.user ?? ''].join(' ').toLowerCase());
  }

  get sort(): readonly (string | number)[] {
    return [0, 1, 2].map((k) => this.key(k));
  }

  /** Sort key `k` alone, so a port sort touches no strings. */
  key(k: number): string | number {
    return listenerSortKey(this.listener, k);
  }
}

/** Sort key `k` of a listener (port, status rank, process), parallel to the Listeners view's sort choices. */
export function listenerSortKey(l: Listener, k: number): string | number {
  if (k === 0) return l.port;
  if (k === 1) return LISTENER_RANK[l.status];
  return (l.process ?? '').toLowerCase();
}

function listenerCells(l: Listener): Cell[] {
  const flags = [l.exposed ? 'exposed' : '', l.dockerProxy ? 'docker' : ''].filter(Boolean).join(',');
  const owner = l.process ?? (l.ownerUnknown ? '?' : '-');
  return [
    ...hostCell(l.host),
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
  ];
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
      return snapshot.listeners.map((l) => new ListenerRow(l));
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

/** Does `row` match `filter` (already trimmed and lower-case)? `:8080` is an exact port, anything else a substring. */
export function matchesFilter(row: Row, filter: string): boolean {
  if (filter.startsWith('host:')) return row.host !== undefined && row.host.toLowerCase() === filter.slice(5);
  const port = /^:(\d{1,5})$/.exec(filter);
  return port ? row.ports.includes(Number(port[1])) : row.search.includes(filter);
}

/** Rows matching `filter`: `:8080` is an exact port, anything else a case-insensitive substring. */
export function filterRows(rows: readonly Row[], filter: string): readonly Row[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return rows;
  return rows.filter((r) => matchesFilter(r, f));
}

export { sortRows, sortKey } from './row-sort.js';
