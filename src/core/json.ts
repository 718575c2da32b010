/**
 * The `--json` document (docs/json.md). Field names are fixed; fields are only ever added
 * (probe, profile, notices, pids, ...), never renamed or removed.
 *
 * Text read from other programs (process names, command lines) is the probe's cleaned text, the same
 * the tables show: JSON is data, but it reaches terminals too (`jq -r .process`, a pager), and
 * JSON.stringify escapes C0 controls but neither C1 nor bidi overrides. A control character shows
 * as U+FFFD, so tampering stays visible; the raw bytes remain in /proc/PID/cmdline for forensics.
 */
import { ByteText } from './json-bytes.js';
import { ListenerRuns, writeListeners } from './json-listeners.js';
import type { Conflict, HealthResult, Listener, ServiceView, Snapshot } from './types.js';

/** A listener as JSON. */
export interface ListenerJson {
  protocol: Listener['protocol'];
  family: Listener['family'];
  address: string;
  port: number;
  state: Listener['state'];
  pid: number | null;
  process: string | null;
  user: string | null;
  command: string | null;
  service: string | null;
  status: Listener['status'];
  exposed: boolean;
  connections: number;
  pids: number[];
  dockerProxy: boolean;
  ownerUnknown: string | null;
  verified: boolean;
  socketUid: number;
  socketUser: string | null;
  remoteAddress: string;
  remotePort: number;
}

/** A service as JSON. */
export interface ServiceJson {
  id: string;
  name: string;
  port: number;
  defaultPort: number;
  envVar: string | null;
  protocol: ServiceView['protocol'];
  status: ServiceView['status'];
  pid: number | null;
  process: string | null;
  health: HealthResult | null;
  portSource: ServiceView['portSource'];
  group: ServiceView['group'];
  exposed: boolean;
  exposedOn: string[];
  connections: number;
  docker: string | null;
  /** Container publishing the port when no host socket holds it (NAT only), else null. */
  publishedBy: string | null;
  usedBy: { service: string; profiles: string[] | null } | null;
  unseenOwner: { reason: string; uid: number; user: string | null } | null;
}

/** A conflict as JSON. */
export interface ConflictJson {
  port: number;
  services: string[];
  holder: { pid: number | null; process: string | null } | null;
  fix: string;
  protocol: Conflict['protocol'];
  kind: Conflict['kind'];
  live: boolean;
  moves: { service: string; envVar: string | null; port: number | null }[];
  holders: { pid: number | null; process: string | null; address: string }[];
}

/** The whole document. */
export interface SnapshotJson {
  version: 1;
  host: string;
  takenAt: string;
  probe: Snapshot['probe'];
  profile: string | null;
  notices: string[];
  listeners: ListenerJson[];
  services: ServiceJson[];
  conflicts: ConflictJson[];
}

function listenerJson(l: Listener): ListenerJson {
  return {
    protocol: l.protocol,
    family: l.family,
    address: l.address,
    port: l.port,
    state: l.state,
    pid: l.pid,
    process: l.process,
    user: l.user,
    command: l.command,
    service: l.service,
    status: l.status,
    exposed: l.exposed,
    connections: l.connections,
    pids: [...l.pids],
    dockerProxy: l.dockerProxy,
    ownerUnknown: l.ownerUnknown,
    verified: l.verified,
    socketUid: l.socketUid,
    socketUser: l.socketUser,
    remoteAddress: l.remoteAddress,
    remotePort: l.remotePort,
  };
}

function serviceJson(s: ServiceView): ServiceJson {
  return {
    id: s.id,
    name: s.name,
    port: s.port,
    defaultPort: s.defaultPort,
    envVar: s.envVar,
    protocol: s.protocol,
    status: s.status,
    pid: s.pid,
    process: s.process,
    health: s.health ? { ok: s.health.ok, latencyMs: s.health.latencyMs, detail: s.health.detail } : null,
    portSource: s.portSource,
    group: s.group,
    exposed: s.exposed,
    exposedOn: [...s.exposedOn],
    connections: s.connections,
    docker: s.docker,
    publishedBy: s.publishedBy ?? null,
    usedBy: s.usedBy ? { service: s.usedBy.service, profiles: s.usedBy.profiles ? [...s.usedBy.profiles] : null } : null,
    unseenOwner: s.unseenOwner ? { reason: s.unseenOwner.reason, uid: s.unseenOwner.uid, user: s.unseenOwner.user } : null,
  };
}

function conflictJson(c: Conflict): ConflictJson {
  return {
    port: c.port,
    services: [...c.services],
    holder: c.holder ? { pid: c.holder.pid, process: c.holder.process } : null,
    fix: c.fix,
    protocol: c.protocol,
    kind: c.kind,
    live: c.live,
    moves: (c.moves ?? []).map((m) => ({ service: m.service, envVar: m.envVar, port: m.port })),
    holders: (c.holders ?? []).map((h) => ({ pid: h.pid, process: h.process, address: h.address })),
  };
}

/** Snapshot -> the documented JSON value (plain data, ready for JSON.stringify). */
export function snapshotToJson(s: Snapshot): SnapshotJson {
  return {
    version: 1,
    host: s.host,
    takenAt: s.takenAt,
    probe: s.probe,
    profile: s.profile,
    notices: [...s.notices],
    listeners: s.listeners.map(listenerJson),
    services: s.services.map(serviceJson),
    conflicts: s.conflicts.map(conflictJson),
  };
}

/** The document as text: one JSON value, two-space indented, newline-terminated. */
export function formatJson(s: Snapshot): string {
  return `${JSON.stringify(snapshotToJson(s), null, 2)}\n`;
}

/** Listeners per chunk of {@link formatJsonBytes}: ~240 KB of text. */
const LISTENERS_PER_CHUNK = 400;

/** Where the listeners go in the document text: it cannot occur elsewhere, as quotes in values are escaped. */
const EMPTY_LISTENERS = '"listeners": []';

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of {@link formatJson} in pieces, for writing as they are made. With `--all` at
 * 15k sockets the document is ~9 MB; built whole it is one big string plus its UTF-8 copy, which
 * dominated peak memory. Here the listeners are written `perChunk` at a time by json-listeners.ts,
 * indented exactly as in the whole document, so the concatenation of the pieces is byte-for-byte
 * formatJson's text. The pieces of the listeners share one buffer: use each before asking for the next.
 */
export function* formatJsonBytes(s: Snapshot, perChunk = LISTENERS_PER_CHUNK): Generator<Uint8Array> {
  const text = formatJson({ ...s, listeners: [] });
  const at = text.indexOf(EMPTY_LISTENERS);
  if (s.listeners.length === 0 || at < 0) {
    yield encoder.encode(text);
    return;
  }
  const open = at + EMPTY_LISTENERS.length - 1; // just after '['
  yield encoder.encode(`${text.slice(0, open)}\n`);
  const out = new ByteText();
  const runs = new ListenerRuns();
  for (let i = 0; i < s.listeners.length; i += perChunk) {
    const end = Math.min(i + perChunk, s.listeners.length);
    out.clear();
    writeListeners(out, s.listeners, i, end, runs);
    if (end < s.listeners.length) out.text(',\n');
    yield out.bytes();
  }
  yield encoder.encode(`\n  ${text.slice(open)}`);
}

/** {@link formatJsonBytes} as strings (each piece holds whole characters). */
export function* formatJsonChunks(s: Snapshot, perChunk = LISTENERS_PER_CHUNK): Generator<string> {
  const decoder = new TextDecoder();
  for (const bytes of formatJsonBytes(s, perChunk)) yield decoder.decode(bytes);
}
