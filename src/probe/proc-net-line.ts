/**
 * Fast path of the /proc/net/{tcp,udp}{,6} parser: reads the fields of one kernel line at their
 * fixed offsets without a regular expression, substrings or a match array. The kernel prints
 * `%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu ...` (IPv6: four %08X per
 * address), so after the slot number everything up to the state sits at fixed columns; uid,
 * timeout and inode are found by skipping spaces. At 15k sockets this halves the parse time of a
 * refresh and allocates nothing per line but the socket itself.
 *
 * It is strict: any line it does not fully recognise returns false and goes to the regular
 * expression in proc-net.ts, which decides whether it is valid and counts it if not.
 */

/** Hex digit values by char code; -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

const SPACE = 32;
const COLON = 58;

/** Fields of one line, written by {@link scanLine}; reused between lines. */
export interface LineFields {
  /** IPv4: the word value; IPv6: unused (see localHexAt). */
  localWord: number;
  remoteWord: number;
  /** Offset of the local / remote address hex in the text (for IPv6 decoding). */
  localHexAt: number;
  remoteHexAt: number;
  localPort: number;
  remotePort: number;
  state: number;
  uid: number;
  inode: number;
}

/** Creates a reusable {@link LineFields}. */
export function lineFields(): LineFields {
  return { localWord: 0, remoteWord: 0, localHexAt: 0, remoteHexAt: 0, localPort: 0, remotePort: 0, state: 0, uid: 0, inode: 0 };
}

/** Value of `count` hex digits at `at`, or -1 when one is not a hex digit. */
function hexAt(text: string, at: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const c = text.charCodeAt(at + i);
    const d = c < 128 ? (HEX[c] as number) : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** True when `count` hex digits start at `at`. */
function isHexRun(text: string, at: number, count: number): boolean {
  for (let i = 0; i < count; i++) {
    const c = text.charCodeAt(at + i);
    if (c >= 128 || (HEX[c] as number) < 0) return false;
  }
  return true;
}

/**
 * Reads the line `text[pos, eol)` into `out`. `hexWords` is 1 (IPv4) or 4 (IPv6). Returns false when
 * the line is not exactly in the kernel's shape (the caller then uses the general parser).
 */
export function scanLine(text: string, pos: number, eol: number, hexWords: 1 | 4, out: LineFields): boolean {
  let p = pos;
  while (p < eol && text.charCodeAt(p) === SPACE) p++;
  const digits = p;
  while (p < eol && text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) p++;
  if (p === digits || text.charCodeAt(p) !== COLON || text.charCodeAt(p + 1) !== SPACE) return false;
  const hexLen = hexWords * 8;
  // local ADDR:PORT remote ADDR:PORT state, then a space.
  const local = p + 2;
  const remote = local + hexLen + 6;
  const state = remote + hexLen + 6;
  if (state + 3 > eol) return false;
  if (text.charCodeAt(local + hexLen) !== COLON || text.charCodeAt(local + hexLen + 5) !== SPACE) return false;
  if (text.charCodeAt(remote + hexLen) !== COLON || text.charCodeAt(remote + hexLen + 5) !== SPACE) return false;
  if (text.charCodeAt(state + 2) !== SPACE) return false;
  if (hexWords === 1) {
    out.localWord = hexAt(text, local, 8);
    out.remoteWord = hexAt(text, remote, 8);
    if (out.localWord < 0 || out.remoteWord < 0) return false;
  } else if (!isHexRun(text, local, hexLen) || !isHexRun(text, remote, hexLen)) {
    return false;
  }
  out.localHexAt = local;
  out.remoteHexAt = remote;
  out.localPort = hexAt(text, local + hexLen + 1, 4);
  out.remotePort = hexAt(text, remote + hexLen + 1, 4);
  out.state = hexAt(text, state, 2);
  if (out.localPort < 0 || out.remotePort < 0 || out.state < 0) return false;
  // Three single-space separated tokens (tx:rx, tr:when, retrnsmt), then uid, timeout, inode.
  p = state + 3;
  for (let token = 0; token < 3; token++) {
    const start = p;
    while (p < eol && text.charCodeAt(p) !== SPACE) p++;
    if (p === start || p >= eol) return false;
    p++;
  }
  p = skipSpaces(text, p - 1, eol);
  const uid = readUnsigned(text, p, eol);
  if (uid === null) return false;
  // readUnsigned reuses its result object: keep the value before the next read.
  out.uid = uid.value;
  p = skipSpaces(text, uid.end, eol);
  if (text.charCodeAt(p) === 45 /* - */) p++;
  const timeout = readUnsigned(text, p, eol);
  if (timeout === null) return false;
  p = skipSpaces(text, timeout.end, eol);
  const inode = readUnsigned(text, p, eol);
  if (inode === null || (inode.end < eol && text.charCodeAt(inode.end) !== SPACE)) return false;
  out.inode = inode.value;
  return true;
}

/** Index after one or more spaces starting at `p`; `p` itself when there is none (then a read fails). */
function skipSpaces(text: string, p: number, eol: number): number {
  if (text.charCodeAt(p) !== SPACE) return -1;
  while (p < eol && text.charCodeAt(p) === SPACE) p++;
  return p;
}

const scratch = { value: 0, end: 0 };

/** Decimal digits at `p` (at least one, a safe integer); the returned object is reused. */
function readUnsigned(text: string, p: number, eol: number): { value: number; end: number } | null {
  if (p < 0) return null;
  let v = 0;
  const start = p;
  while (p < eol) {
    const d = text.charCodeAt(p) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    p++;
  }
  if (p === start || !Number.isSafeInteger(v)) return null;
  scratch.value = v;
  scratch.end = p;
  return scratch;
}
