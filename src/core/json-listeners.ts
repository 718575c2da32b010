/**
 * The listeners of the `--json` document as text, written by hand. With `--all` at 15k sockets they
 * are nearly all of the ~9 MB document; JSON.stringify of them needed a copy of every listener as a
 * plain object first and one big string per batch, which cost more time (allocation, garbage
 * collection) than the text itself. The text here is byte-for-byte what
 * `JSON.stringify(document, null, 2)` gives for the same values (test/core/json-listeners.test.ts
 * compares them, hostile strings included), so the document does not change.
 */
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

/** A number as JSON.stringify writes it (NaN and the infinities become null). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

function jsonNullableString(s: string | null): string {
  return s === null ? 'null' : jsonString(s);
}

function jsonNullableNumber(n: number | null): string {
  return n === null ? 'null' : jsonNumber(n);
}

/**
 * The last string given and its literal. Thousands of sockets of one server share its command line,
 * user name and address: the same text is checked and quoted once per run of equal values.
 */
function lastQuoted(): (s: string | null) => string {
  let last: string | null = null;
  let text = 'null';
  return (s) => {
    if (s !== last) {
      last = s;
      text = jsonNullableString(s);
    }
    return text;
  };
}

/** A line break plus the indentation of a listener's fields (the listeners array is at depth 1). */
const F = '\n      ';

function pidsText(pids: readonly number[]): string {
  if (pids.length === 0) return '[]';
  if (pids.length === 1) return `[${F}  ${jsonNumber(pids[0] as number)}${F}]`;
  return `[${F}  ${pids.map(jsonNumber).join(`,${F}  `)}${F}]`;
}

/**
 * Writes listeners as the elements of the document's `listeners` array: each object indented by
 * four spaces, fields by six, separated by `,\n`, without the brackets. Field order and values are
 * those of json.ts's ListenerJson. One writer per document: it remembers the last strings it quoted.
 */
export function listenerTextWriter(): (listeners: readonly Listener[], from: number, to: number) => string {
  const command = lastQuoted();
  const processName = lastQuoted();
  const user = lastQuoted();
  const address = lastQuoted();
  const remoteAddress = lastQuoted();
  const socketUser = lastQuoted();
  return (listeners, from, to) => {
    let text = '';
    for (let i = from; i < to; i++) {
      const l = listeners[i] as Listener;
      text +=
        `${i === from ? '' : ',\n'}    {${F}"protocol": ${jsonString(l.protocol)},${F}"family": ${jsonNumber(l.family)},` +
        `${F}"address": ${address(l.address)},${F}"port": ${jsonNumber(l.port)},${F}"state": ${jsonString(l.state)},` +
        `${F}"pid": ${jsonNullableNumber(l.pid)},${F}"process": ${processName(l.process)},${F}"user": ${user(l.user)},` +
        `${F}"command": ${command(l.command)},${F}"service": ${jsonNullableString(l.service)},` +
        `${F}"status": ${jsonString(l.status)},${F}"exposed": ${l.exposed},${F}"connections": ${jsonNumber(l.connections)},` +
        `${F}"pids": ${pidsText(l.pids)},${F}"dockerProxy": ${l.dockerProxy},` +
        `${F}"ownerUnknown": ${jsonNullableString(l.ownerUnknown)},${F}"verified": ${l.verified},` +
        `${F}"socketUid": ${jsonNumber(l.socketUid)},${F}"socketUser": ${socketUser(l.socketUser)},` +
        `${F}"remoteAddress": ${remoteAddress(l.remoteAddress)},${F}"remotePort": ${jsonNumber(l.remotePort)}\n    }`;
    }
    return text;
  };
}
