/**
 * The listeners of the `--json` document, written by hand as UTF-8 bytes. With `--all` at 15k
 * sockets they are nearly all of the ~9 MB document; JSON.stringify of them needed a copy of every
 * listener as a plain object and big strings, which cost more (allocation, garbage collection, an
 * encoding pass) than the text itself. The bytes here are exactly the UTF-8 of
 * `JSON.stringify(document, null, 2)` for the same values (test/core/json-listeners.test.ts
 * compares them, hostile strings included), so the document does not change.
 */
import { ByteText, utf8 } from './json-bytes.js';
import type { Listener } from './types.js';

/**
 * Characters JSON.stringify does not copy as they are: the quote, the backslash, C0 controls and
 * surrogates (a lone one is escaped; a pair is kept, but finding out is JSON.stringify's job).
 */
// eslint-disable-next-line no-control-regex -- the C0 controls are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as a JSON string literal: JSON.stringify's text, without calling it for plain text. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A line break plus the indentation of a listener's fields (the listeners array is at depth 1). */
const F = '\n      ';

/** The text between the values of one listener, in the field order of json.ts's ListenerJson. */
const OPEN = utf8(`    {${F}"protocol": `);
const FAMILY = utf8(`,${F}"family": `);
const ADDRESS = utf8(`,${F}"address": `);
const PORT = utf8(`,${F}"port": `);
const STATE = utf8(`,${F}"state": `);
const PID = utf8(`,${F}"pid": `);
const PROCESS = utf8(`,${F}"process": `);
const USER = utf8(`,${F}"user": `);
const COMMAND = utf8(`,${F}"command": `);
const SERVICE = utf8(`,${F}"service": `);
const STATUS = utf8(`,${F}"status": `);
const CONNECTIONS = utf8(`,${F}"connections": `);
const PIDS = utf8(`,${F}"pids": `);
const DOCKER_PROXY = utf8(`,${F}"dockerProxy": `);
const OWNER_UNKNOWN = utf8(`,${F}"ownerUnknown": `);
const VERIFIED = utf8(`,${F}"verified": `);
const SOCKET_UID = utf8(`,${F}"socketUid": `);
const SOCKET_USER = utf8(`,${F}"socketUser": `);
const REMOTE_ADDRESS = utf8(`,${F}"remoteAddress": `);
const REMOTE_PORT = utf8(`,${F}"remotePort": `);
const CLOSE = utf8('\n    }');
const BETWEEN = utf8(',\n');
const NULL = utf8('null');
const TRUE = utf8('true');
const FALSE = utf8('false');
const NO_PIDS = utf8('[]');
const PIDS_OPEN = utf8(`[${F}  `);
const PIDS_BETWEEN = utf8(`,${F}  `);
const PIDS_CLOSE = utf8(`${F}]`);

function putString(out: ByteText, s: string | null): void {
  if (s === null) out.raw(NULL);
  else if (!out.quotedAscii(s)) out.text(jsonString(s));
}

function putNumber(out: ByteText, n: number | null): void {
  if (n === null) out.raw(NULL);
  else out.number(n);
}

function putPids(out: ByteText, pids: readonly number[]): void {
  if (pids.length === 0) {
    out.raw(NO_PIDS);
    return;
  }
  out.raw(PIDS_OPEN);
  for (let i = 0; i < pids.length; i++) {
    if (i > 0) out.raw(PIDS_BETWEEN);
    out.number(pids[i] as number);
  }
  out.raw(PIDS_CLOSE);
}

/** Booleans with the field before them: one copy instead of two. */
const EXPOSED_TRUE = utf8(`,${F}"exposed": true`);
const EXPOSED_FALSE = utf8(`,${F}"exposed": false`);

/** One field of a remembered run: its key and how it is written (the text before the value, then the value). */
interface RunField {
  readonly key: keyof Listener;
  write(out: ByteText, l: Listener): void;
}

function field<K extends keyof Listener>(before: Uint8Array, key: K, put: (out: ByteText, value: Listener[K]) => void): RunField {
  return {
    key,
    write(out, l) {
      out.raw(before);
      put(out, l[key]);
    },
  };
}

function putBoolean(out: ByteText, b: boolean): void {
  out.raw(b ? TRUE : FALSE);
}

/** From `,"pid": ` to the value of "status": what the owner and the catalogue say about a socket. */
const OWNER_RUN: readonly RunField[] = [
  field(PID, 'pid', putNumber),
  field(PROCESS, 'process', putString),
  field(USER, 'user', putString),
  field(COMMAND, 'command', putString),
  field(SERVICE, 'service', putString),
  field(STATUS, 'status', putString),
];

/** From `,"pids": ` to the value of "socketUser": who holds the socket and who made it. */
const HOLDER_RUN: readonly RunField[] = [
  field(PIDS, 'pids', putPids),
  field(DOCKER_PROXY, 'dockerProxy', putBoolean),
  field(OWNER_UNKNOWN, 'ownerUnknown', putString),
  field(VERIFIED, 'verified', putBoolean),
  field(SOCKET_UID, 'socketUid', (out, n) => out.number(n)),
  field(SOCKET_USER, 'socketUser', putString),
];

/** One run of fields as last written for one `pids` array: its bytes and the values they came from. */
class Run {
  private bytes: Uint8Array | null = null;
  private readonly values: unknown[] = [];

  constructor(private readonly fields: readonly RunField[]) {}

  /** Writes the run for `l`: the remembered bytes when every value is the same (===), else afresh. */
  write(out: ByteText, l: Listener): void {
    const { fields, values } = this;
    let same = this.bytes !== null;
    for (let i = 0; same && i < fields.length; i++) same = values[i] === l[(fields[i] as RunField).key];
    if (same) {
      out.raw(this.bytes as Uint8Array);
      return;
    }
    const start = out.length;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as RunField;
      f.write(out, l);
      values[i] = l[f.key];
    }
    this.bytes = out.copyFrom(start);
  }
}

/** Owners remembered at most; then the memory starts again (a machine with that many owners gains little here). */
const MAX_OWNERS = 4096;

/**
 * The bytes of the two runs of fields that are the same for every socket of one owner (the owner's
 * process, user and command, the catalogue's verdict; the pids, the socket's creator), remembered
 * per `pids` array: the probe gives every socket of one process the same array. At 15k sockets of
 * one server, a listener is then 2 copies of remembered bytes and ~16 small writes instead of ~40.
 * A run is reused only when every value it was written from is the same (===), so the bytes are
 * always those the fields would be written as.
 */
export class ListenerRuns {
  private readonly byPids = new Map<readonly number[], { readonly owner: Run; readonly holder: Run }>();

  owner(out: ByteText, l: Listener): void {
    this.runs(l).owner.write(out, l);
  }

  holder(out: ByteText, l: Listener): void {
    this.runs(l).holder.write(out, l);
  }

  private runs(l: Listener): { readonly owner: Run; readonly holder: Run } {
    let r = this.byPids.get(l.pids);
    if (r === undefined) {
      if (this.byPids.size >= MAX_OWNERS) this.byPids.clear();
      r = { owner: new Run(OWNER_RUN), holder: new Run(HOLDER_RUN) };
      this.byPids.set(l.pids, r);
    }
    return r;
  }
}

/**
 * Appends `listeners[from..to)` to `out` as elements of the document's `listeners` array: each
 * object indented by four spaces, fields by six, separated by `,\n`, without the brackets. `runs`
 * may be shared by the calls for one document (see {@link ListenerRuns}).
 */
export function writeListeners(out: ByteText, listeners: readonly Listener[], from: number, to: number, runs = new ListenerRuns()): void {
  for (let i = from; i < to; i++) {
    const l = listeners[i] as Listener;
    if (i > from) out.raw(BETWEEN);
    out.raw(OPEN);
    putString(out, l.protocol);
    out.raw(FAMILY);
    out.number(l.family);
    out.raw(ADDRESS);
    putString(out, l.address);
    out.raw(PORT);
    out.number(l.port);
    out.raw(STATE);
    putString(out, l.state);
    runs.owner(out, l);
    out.raw(l.exposed ? EXPOSED_TRUE : EXPOSED_FALSE);
    out.raw(CONNECTIONS);
    out.number(l.connections);
    runs.holder(out, l);
    out.raw(REMOTE_ADDRESS);
    putString(out, l.remoteAddress);
    out.raw(REMOTE_PORT);
    out.number(l.remotePort);
    out.raw(CLOSE);
  }
}
