import type { HealthResult, Listener, ProcessInfo, ServiceView, Snapshot } from '../core/types.js';
import { listenerTone, serviceTone, type Tone } from '../presentation/tones.js';
import { cleanText } from '../core/sanitize.js';
import { listenerProblem, serviceProblem, severity } from '../core/problems.js';
import { formatBytes, formatCpu, formatHealth } from './format.js';
import type { Cell } from '../presentation/cells.js';
import type { ViewName } from './columns.js';



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
  /** One line about the row for the detail line under the table (shown when columns were dropped). */
  readonly detail?: string;
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

// Problems first: the status sort puts what needs attention at the top, most severe first
// (see core/problems.ts); rows without a problem come after them, up before the rest.
const LISTENER_RANK = { conflict: 0, unverified: 1, unexpected: 2, expected: 3 } as const;
const FINE_RANK = 10;

/** Addresses a service listens on, the exposed (wildcard) ones first: "0.0.0.0 +1". */
function addressText(addresses: readonly string[] | undefined): string {
  if (!addresses || addresses.length === 0) return '-';
  const wild = (a: string) => (a === '0.0.0.0' || a === '::' || a === '*' ? 0 : 1);
  const sorted = [...addresses].sort((a, b) => wild(a) - wild(b));
  return sorted.length > 1 ? `${sorted[0]} +${sorted.length - 1}` : (sorted[0] as string);
}

/** The HOST cell, present only when the row carries a host (several hosts shown). */
function hostCell(host: string | undefined): Cell[] {
  return host === undefined ? [] : [plain(cleanText(host))];
}

function serviceRow(s: ServiceView, result: HealthResult | null, addresses: readonly string[] | undefined): Row {
  const name = cleanText(s.name);
  const status: string = s.status;
  // A result describes the service only while it is up: once it is down (or its port is held by
  // another program) an earlier "ok" would be stale until the next health round, up to 10 s later.
  const health = status === 'up' ? result : null;
  const moved = s.portSource !== 'default' && s.envVar ? `${s.envVar}=${s.port}` : '';
  const healthTone: Tone = health ? (health.ok ? 'good' : 'bad') : 'muted';
  const problem = serviceProblem(s, health);
  const address = addressText(addresses);
  const owner = s.pid !== null ? ` · pid ${s.pid} ${s.process ?? ''}` : '';
  return {
    id: s.id,
    cells: [
      ...hostCell(s.host),
      { text: s.status, tone: serviceTone(s.status) },
      plain(s.id),
      plain(name),
      address === '-' ? muted('-') : plain(address),
      plain(String(s.port)),
      s.exposed ? { text: 'exposed', tone: 'warn' } : muted('-'),
      moved ? { text: moved, tone: 'info' } : muted('-'),
      plain(orDash(s.pid)),
      plain(orDash(s.process)),
      plain(s.connections > 0 ? String(s.connections) : '-'),
      { text: formatHealth(health), tone: healthTone },
    ],
    search: [s.id, name, s.port, s.process ?? '', s.docker ?? '', s.envVar ?? ''].join(' ').toLowerCase(),
    ports: [s.port],
    sort: [s.port, problem !== null ? severity(problem) : FINE_RANK + (status === 'up' ? 0 : 1), name.toLowerCase()],
    pid: s.pid,
    port: s.port,
    service: s.id,
    ...(s.host !== undefined ? { host: s.host } : {}),
    detail: `id ${s.id} · ${name} · ${address === '-' ? '' : address}:${s.port}${moved ? ` · ${moved}` : ''}${owner}${s.exposed ? ' · exposed' : ''}`,
  };
}

/** An unexpected listener as a row of the problems-only Services table. */
function unexpectedRow(l: Listener): Row {
  const process = l.process ?? (l.ownerUnknown ? '?' : '-');
  return {
    id: `listener:${l.key}`,
    ...(l.host !== undefined ? { host: l.host } : {}),
    cells: [
      ...hostCell(l.host),
      { text: 'unexpected', tone: listenerTone(l.status, l.exposed) },
      muted('-'),
      plain(`${l.protocol} ${process}`),
      plain(l.address),
      plain(String(l.port)),
      l.exposed ? { text: 'exposed', tone: 'warn' } : muted('-'),
      muted('-'),
      plain(orDash(l.pid)),
      l.process ? plain(l.process) : muted(process),
      plain(l.connections > 0 ? String(l.connections) : '-'),
      muted('-'),
    ],
    search: [l.port, l.address, l.process ?? '', l.command ?? '', l.user ?? ''].join(' ').toLowerCase(),
    ports: [l.port],
    sort: [l.port, severity('unexpected'), process.toLowerCase()],
    pid: l.pid,
    port: l.port,
    service: null,
    detail: `unexpected ${l.protocol} ${l.address}:${l.port} · ${l.pid !== null ? `pid ${l.pid} ` : ''}${process}${l.user ? ` · user ${l.user}` : ''}`,
  };
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
  readonly host?: string;
  private cellsMemo: readonly Cell[] | null = null;
  private searchMemo: string | null = null;

  constructor(readonly listener: Listener) {
    this.id = listener.key;
    this.pid = listener.pid;
    this.port = listener.port;
    this.service = listener.service;
    if (listener.host !== undefined) this.host = listener.host;
  }

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

/**
 * Listening addresses of each service: every listening socket on its port (and host). Keyed by the
 * port, not by which entry a socket was matched to: entries of two profiles sharing a port (algo and
 * algo-dev on 8000) listen on the same address, and an exposed wildcard shows on each of them.
 */
function serviceAddresses(snapshot: Snapshot): Map<string, string[]> {
  // Only the catalogue's ports: a busy server's thousands of other listeners cost a number lookup each.
  const ports = new Set<number>();
  for (const s of snapshot.services) ports.add(s.port);
  const byPort = new Map<string, string[]>();
  for (const l of snapshot.listeners) {
    if (!ports.has(l.port) || (l.state !== 'LISTEN' && l.state !== 'UNCONN')) continue;
    const key = `${l.host ?? ''}|${l.protocol}/${l.port}`;
    const list = byPort.get(key) ?? [];
    if (!list.includes(l.address)) list.push(l.address);
    byPort.set(key, list);
  }
  const out = new Map<string, string[]>();
  for (const s of snapshot.services) {
    const list = byPort.get(`${s.host ?? ''}|${s.protocol}/${s.port}`);
    if (list) out.set(s.id, list);
  }
  return out;
}

/**
 * Rows of the problems-only Services table: services that need attention, then listeners nobody
 * expected (the Listeners view shows the rest of their story).
 */
export function problemRows(snapshot: Snapshot, extras: ViewExtras): Row[] {
  const addresses = serviceAddresses(snapshot);
  const rows: Row[] = [];
  for (const s of snapshot.services) {
    const health = extras.health.get(s.id) ?? s.health;
    if (serviceProblem(s, s.status === 'up' ? health : null) !== null) rows.push(serviceRow(s, health, addresses.get(s.id)));
  }
  for (const l of snapshot.listeners) if (listenerProblem(l) !== null) rows.push(unexpectedRow(l));
  return rows;
}

/** Listeners that need attention: unexpected, conflicting or exposed. */
export function isProblemListener(l: Listener): boolean {
  return l.status !== 'expected' || l.exposed;
}

/** All rows of `view` for one snapshot, unfiltered and unsorted. */
export function buildRows(view: ViewName, snapshot: Snapshot, extras: ViewExtras): Row[] {
  switch (view) {
    case 'services': {
      const addresses = serviceAddresses(snapshot);
      return snapshot.services.map((s) => serviceRow(s, extras.health.get(s.id) ?? s.health, addresses.get(s.id)));
    }
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

