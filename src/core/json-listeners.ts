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
const EXPOSED = utf8(`,${F}"exposed": `);
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

/**
 * Appends `listeners[from..to)` to `out` as elements of the document's `listeners` array: each
 * object indented by four spaces, fields by six, separated by `,\n`, without the brackets.
 */
export function writeListeners(out: ByteText, listeners: readonly Listener[], from: number, to: number): void {
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
    out.raw(PID);
    putNumber(out, l.pid);
    out.raw(PROCESS);
    putString(out, l.process);
    out.raw(USER);
    putString(out, l.user);
    out.raw(COMMAND);
    putString(out, l.command);
    out.raw(SERVICE);
    putString(out, l.service);
    out.raw(STATUS);
    putString(out, l.status);
    out.raw(EXPOSED);
    out.raw(l.exposed ? TRUE : FALSE);
    out.raw(CONNECTIONS);
    out.number(l.connections);
    out.raw(PIDS);
    putPids(out, l.pids);
    out.raw(DOCKER_PROXY);
    out.raw(l.dockerProxy ? TRUE : FALSE);
    out.raw(OWNER_UNKNOWN);
    putString(out, l.ownerUnknown);
    out.raw(VERIFIED);
    out.raw(l.verified ? TRUE : FALSE);
    out.raw(SOCKET_UID);
    out.number(l.socketUid);
    out.raw(SOCKET_USER);
    putString(out, l.socketUser);
    out.raw(REMOTE_ADDRESS);
    putString(out, l.remoteAddress);
    out.raw(REMOTE_PORT);
    out.number(l.remotePort);
    out.raw(CLOSE);
  }
}
