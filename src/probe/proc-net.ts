import { closeSync, openSync, readSync } from 'node:fs';
import type { Family, Protocol, SocketEntry, SocketState } from '../core/types.js';
import { ipv4FromWord, ipv6FromHex } from './inet-address.js';
import { lineFields, scanLine } from './proc-net-line.js';

/** A SocketEntry while the probe is still filling in its owners. */
export type MutableSocket = { -readonly [K in keyof SocketEntry]: SocketEntry[K] };

/** The four tables, in the order `ss` lists them. */
export const NET_TABLES: ReadonlyArray<{ readonly file: string; readonly protocol: Protocol; readonly family: Family }> = [
  { file: 'tcp', protocol: 'tcp', family: 4 },
  { file: 'tcp6', protocol: 'tcp', family: 6 },
  { file: 'udp', protocol: 'udp', family: 4 },
  { file: 'udp6', protocol: 'udp', family: 6 },
];

/**
 * Kernel state numbers (include/net/tcp_states.h) as `ss` names them. 07 (TCP_CLOSE) is what a
 * bound, unconnected UDP socket reports and `ss` calls UNCONN; 0C (NEW_SYN_RECV) is a request
 * socket that `ss` shows as SYN-RECV.
 */
const STATES: readonly SocketState[] = [
  'UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT',
  'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'SYN-RECV',
];

/** No owners yet: one shared frozen array instead of one per socket. */
export const NO_PIDS: readonly number[] = Object.freeze([]);

// One line of the table, anchored at the line start (sticky). Fields: sl, local ADDR:PORT, remote
// ADDR:PORT, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode. A regular expression beats a
// character loop here because V8 compiles it to native code at once, while a one-shot CLI never
// runs long enough for a JS loop over megabytes of text to get optimised (measured: ~17 vs ~30 ms
// CPU for 15,000 lines).
const LINE_V4 = / *\d+: ([0-9A-Fa-f]{8}):([0-9A-Fa-f]{4}) ([0-9A-Fa-f]{8}):([0-9A-Fa-f]{4}) ([0-9A-Fa-f]{2}) [^ \n]+ [^ \n]+ [^ \n]+ +(\d+) +-?\d+ +(\d+)(?: |$)/my;
const LINE_V6 = / *\d+: ([0-9A-Fa-f]{32}):([0-9A-Fa-f]{4}) ([0-9A-Fa-f]{32}):([0-9A-Fa-f]{4}) ([0-9A-Fa-f]{2}) [^ \n]+ [^ \n]+ [^ \n]+ +(\d+) +-?\d+ +(\d+)(?: |$)/my;
const HEADER = / *sl /y;

/** Address text for a hex token of `family`, or null. */
function address(hex: string, family: Family): string | null {
  return family === 4 ? ipv4FromWord(Number.parseInt(hex, 16)) : ipv6FromHex(hex);
}

/**
 * Parses one /proc/net/{tcp,udp}{,6} text into `out`. Lines that do not have the expected shape are
 * skipped and counted; the header and blank lines are not counted. `fastPath: false` (for tests)
 * parses every line with the regular expression alone.
 */
export function parseNetTable(text: string, protocol: Protocol, family: Family, out: MutableSocket[], options: { readonly fastPath?: boolean } = {}): number {
  const fastPath = options.fastPath ?? true;
  const line = family === 4 ? LINE_V4 : LINE_V6;
  const hexWords = family === 4 ? 1 : 4;
  let malformed = 0;
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    if (fastPath && scanLine(text, pos, eol, hexWords, fields)) {
      // The common case: a line in the kernel's exact shape (see proc-net-line.ts).
      const local = family === 4 ? ipv4FromWord(fields.localWord) : ipv6FromHex(text.slice(fields.localHexAt, fields.localHexAt + 32));
      const remote = family === 4 ? ipv4FromWord(fields.remoteWord) : ipv6FromHex(text.slice(fields.remoteHexAt, fields.remoteHexAt + 32));
      pos = eol + 1;
      if (local === null || remote === null) {
        malformed++;
        continue;
      }
      out.push(socket(protocol, family, local, fields.localPort, remote, fields.remotePort, fields.state, fields.inode, fields.uid));
      continue;
    }
    line.lastIndex = pos;
    const m = line.exec(text);
    if (m === null) {
      HEADER.lastIndex = pos;
      if (eol > pos && !HEADER.test(text) && text.slice(pos, eol).trim() !== '') malformed++;
      pos = eol + 1;
      continue;
    }
    pos = eol + 1;
    const local = address(m[1] as string, family);
    const remote = address(m[3] as string, family);
    const uid = Number(m[6]);
    const inode = Number(m[7]);
    if (local === null || remote === null || !Number.isSafeInteger(uid) || !Number.isSafeInteger(inode)) {
      malformed++;
      continue;
    }
    const port = (i: number): number => Number.parseInt(m[i] as string, 16);
    out.push(socket(protocol, family, local, port(2), remote, port(4), port(5), inode, uid));
  }
  return malformed;
}

/** Fields of the line being parsed (one object for every line of every table). */
const fields = lineFields();

/** One socket, before its owners are known. Every socket has the same shape (one hidden class). */
function socket(protocol: Protocol, family: Family, local: string, localPort: number, remote: string, remotePort: number, state: number, inode: number, uid: number): MutableSocket {
  return {
    protocol,
    family,
    localAddress: local,
    localPort,
    remoteAddress: remote,
    remotePort,
    state: STATES[state] ?? 'UNKNOWN',
    inode,
    uid,
    pids: NO_PIDS,
    ownerUnknown: null,
  };
}

/** Result of reading the four tables. */
export interface NetTables {
  readonly sockets: MutableSocket[];
  /** Malformed line counts by file name, only files with any. */
  readonly malformed: ReadonlyMap<string, number>;
  /** How many of the four files could be read. */
  readonly filesRead: number;
}

let buffer = Buffer.allocUnsafe(1 << 20);

/** Grows the reused buffer, keeping its first `used` bytes, until `room` bytes are free after them. */
function ensureRoom(used: number, room: number): void {
  if (buffer.length - used >= room) return;
  let size = buffer.length * 2;
  while (size - used < room) size *= 2;
  const bigger = Buffer.allocUnsafe(size);
  buffer.copy(bigger, 0, 0, used);
  buffer = bigger;
}

/**
 * Opens a /proc file and hands its descriptor to `read`, which fills the reused buffer; returns what
 * `read` returns, or null when the file cannot be opened or read. Always closes it.
 */
function withProcFile(file: string, read: (fd: number) => number): number | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return read(fd);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a /proc file in one pass into the reused buffer; returns the byte count, or null when it
 * cannot be read. procfs reports size 0 and hands out about a page per read(), so the buffer grows
 * by doubling instead of being sized from stat.
 */
function readProcBytes(file: string): number | null {
  return withProcFile(file, (fd) => {
    let used = 0;
    for (;;) {
      ensureRoom(used, 1);
      const n = readSync(fd, buffer, used, buffer.length - used, null);
      if (n === 0) return used;
      used += n;
    }
  });
}

/** Reads a /proc file as text (latin1: the tables are ASCII); null when it cannot be read. */
export function readProcText(file: string): string | null {
  const used = readProcBytes(file);
  return used === null ? null : buffer.toString('latin1', 0, used);
}

/**
 * Bytes of table text turned into one string at a time. Node makes a string of more than ~1 MB an
 * external string that lives outside the heap until a full GC; at 15k sockets /proc/net/tcp is
 * 2.2 MB, so a TUI ticking every 2 s piled up tens of MB of them. Below V8's large-object limit
 * (128 KiB) a string is an ordinary young-generation allocation: decoding the 2.2 MB in 64 KiB pieces
 * measured ~1.5 ms here, in 256 KiB pieces (each one a large object) ~14 ms.
 */
const TEXT_CHUNK = 64 * 1024;

/** Parses `bytes[from, to)` in chunks cut at line ends; returns the malformed line count. */
function parseBufferedTable(bytes: Buffer, from: number, to: number, protocol: Protocol, family: Family, out: MutableSocket[], options: { readonly fastPath?: boolean }): number {
  let malformed = 0;
  let start = from;
  while (start < to) {
    let end = to;
    if (to - start > TEXT_CHUNK) {
      const cut = bytes.lastIndexOf(10, start + TEXT_CHUNK - 1);
      // A single line longer than a chunk is not a kernel line; cut anyway, it is counted malformed.
      end = cut >= start ? cut + 1 : start + TEXT_CHUNK;
    }
    malformed += parseNetTable(bytes.toString('latin1', start, end), protocol, family, out, options);
    start = end;
  }
  return malformed;
}

/** Bytes asked for per read() while looking for the end of the listeners: the kernel formats only what is asked for. */
const PREFIX_STEP = 64 * 1024;

/**
 * Offset just past the last LISTEN line of the complete lines in `buffer[from, to)`, or -1 when every
 * complete line there is the header or a listener. `hexLen` is 8 (IPv4) or 32 (IPv6): the state
 * field sits at a fixed distance after the slot number's colon.
 */
function listenersEnd(bytes: Buffer, from: number, to: number, hexLen: number): number {
  let pos = from;
  for (;;) {
    const eol = bytes.indexOf(10, pos);
    if (eol < 0 || eol >= to) return -1;
    const colon = bytes.indexOf(58, pos);
    if (colon > 0 && colon < eol && bytes[colon + 1] === 32 && bytes[pos + 2] !== 0x73 /* not the "  sl" header */) {
      const state = colon + 2 + (hexLen + 6) * 2;
      // "0A" is TCP_LISTEN; a line too short to have a state ends the prefix too (the full parser judges it).
      if (state + 1 >= eol || bytes[state] !== 48 || bytes[state + 1] !== 65) return pos;
    }
    pos = eol + 1;
  }
}

/**
 * Reads a /proc/net/tcp{,6} file only up to its last listener and returns that many bytes in
 * `buffer`, or null when it cannot be read. The kernel prints the listening sockets first and then
 * every other one (it walks its listening hash before the established one), and formats lines only
 * as they are read: on a server with 20k connections and a few listeners this reads kilobytes
 * instead of megabytes.
 */
function readListenerPrefix(file: string, hexLen: number): number | null {
  return withProcFile(file, (fd) => {
    let used = 0;
    let scanned = 0;
    for (;;) {
      ensureRoom(used, PREFIX_STEP);
      const n = readSync(fd, buffer, used, PREFIX_STEP, null);
      if (n === 0) return used;
      used += n;
      const end = listenersEnd(buffer, scanned, used, hexLen);
      if (end >= 0) return end;
      const lastEol = buffer.lastIndexOf(10, used - 1);
      if (lastEol >= scanned) scanned = lastEol + 1;
    }
  });
}

type Options = { readonly fastPath?: boolean };

/** One listeners-only read of {@link HoldingTables}: whether it differs from the last, and its sockets. */
export interface HoldingRead {
  /** Every table's holding part is byte for byte what the previous read (or full read) saw. */
  readonly unchanged: boolean;
  /** The sockets of this read, made on first call. */
  tables(): NetTables;
}

/**
 * The holding part of one table as last read: its bytes, and the sockets parsed from them (parsed on
 * first use). Those sockets are templates, never handed out: the probe fills in owners on the
 * sockets it returns, and a later read must not see them changed, so every read gets copies.
 */
class HoldingPart {
  private parsed: { readonly sockets: MutableSocket[]; readonly malformed: number } | null = null;
  constructor(
    readonly bytes: Buffer,
    private readonly table: (typeof NET_TABLES)[number],
  ) {}

  /** Copies of this part's sockets appended to `out`; returns the malformed line count. */
  copyInto(out: MutableSocket[], options: Options): number {
    if (this.parsed === null) {
      const sockets: MutableSocket[] = [];
      const malformed = parseBufferedTable(this.bytes, 0, this.bytes.length, this.table.protocol, this.table.family, sockets, options);
      this.parsed = { sockets, malformed };
    }
    for (const s of this.parsed.sockets) out.push({ ...s });
    return this.parsed.malformed;
  }
}

/**
 * Listeners-only reads that remember what the kernel printed last time. On a server left alone the
 * listener lines do not change between refreshes (same slots, addresses, states, inodes; a listener's
 * queue fields move only while connections wait to be accepted), so a refresh whose bytes equal the
 * last ones can reuse everything made from them instead of parsing and classifying thousands of lines
 * again. A full read ({@link readAll}) compares and remembers the same part, parsing only the rest
 * when it is unchanged; "unchanged" always means "as at the last read of either kind".
 */
export class HoldingTables {
  private parts: (HoldingPart | null)[] = NET_TABLES.map(() => null);
  private readAny = false;

  /**
   * Reads only the holding sockets of the four tables: TCP listeners (each TCP file read up to its
   * last LISTEN line, see {@link readListenerPrefix}) and the UDP tables whole (a bound UDP socket is
   * UNCONN, and UDP tables are small). For refreshes between full reads; the caller keeps the other
   * sockets of its last full read.
   */
  read(procRoot: string, options: Options = {}): HoldingRead {
    let unchanged = this.readAny;
    const parts = NET_TABLES.map((table, index) => {
      const file = `${procRoot}/net/${table.file}`;
      const used = table.protocol === 'tcp' ? readListenerPrefix(file, table.family === 4 ? 8 : 32) : readProcBytes(file);
      const part = used === null ? null : this.keep(index, used);
      if (part !== this.parts[index]) unchanged = false;
      return part;
    });
    this.parts = parts;
    this.readAny = true;
    let made: NetTables | null = null;
    return {
      unchanged,
      tables: () => {
        if (made !== null) return made;
        const sockets: MutableSocket[] = [];
        const malformed = new Map<string, number>();
        let filesRead = 0;
        parts.forEach((part, index) => {
          if (part === null) return;
          filesRead++;
          const bad = part.copyInto(sockets, options);
          if (bad > 0) malformed.set((NET_TABLES[index] as (typeof NET_TABLES)[number]).file, bad);
        });
        return (made = { sockets, malformed, filesRead });
      },
    };
  }

  /** {@link readNetTables}, remembering the holding part of what it read for the next {@link read}. */
  readAll(procRoot: string, options: Options = {}): NetTables {
    const parts: (HoldingPart | null)[] = NET_TABLES.map(() => null);
    const tables = readTables(procRoot, options, (index, used, out) => {
      const table = NET_TABLES[index] as (typeof NET_TABLES)[number];
      const holding = table.protocol === 'tcp' ? holdingPrefix(buffer, used, table.family === 4 ? 8 : 32) : used;
      const part = this.keep(index, holding);
      parts[index] = part;
      return { bad: part.copyInto(out, options), from: holding };
    });
    this.parts = parts;
    this.readAny = true;
    return tables;
  }

  /** The first `used` bytes of the shared buffer as table `index`'s part: the last one when they are equal. */
  private keep(index: number, used: number): HoldingPart {
    const before = this.parts[index];
    if (before && before.bytes.length === used && buffer.compare(before.bytes, 0, used, 0, used) === 0) return before;
    return new HoldingPart(Buffer.from(buffer.subarray(0, used)), NET_TABLES[index] as (typeof NET_TABLES)[number]);
  }
}

/** Length of the holding part of a whole TCP table in `bytes[0, used)`: up to its last listener line. */
function holdingPrefix(bytes: Buffer, used: number, hexLen: number): number {
  const end = listenersEnd(bytes, 0, used, hexLen);
  if (end >= 0) return end;
  // Every complete line is a listener (or the header); a last line without a newline is part of it.
  return used;
}

/**
 * Reads and parses `${procRoot}/net/{tcp,tcp6,udp,udp6}`, one pass over each; missing files are empty.
 * `fastPath` as for {@link parseNetTable}: worth it only once V8 has compiled it (measured at 15k
 * lines: ~40 ms the first time, ~4 ms warm, against ~25 / ~11 ms for the regular expression), so the
 * probe uses it from its second collect on, i.e. for the TUI's refreshes and not for a one-shot command.
 */
export function readNetTables(procRoot: string, options: { readonly fastPath?: boolean } = {}): NetTables {
  return readTables(procRoot, options);
}

/**
 * The loop of {@link readNetTables}. `onRead` sees each file's bytes in the shared buffer first and
 * may put the sockets of its beginning into `out` itself: it returns their malformed line count and
 * the offset where parsing goes on.
 */
function readTables(procRoot: string, options: Options, onRead?: (index: number, used: number, out: MutableSocket[]) => { bad: number; from: number }): NetTables {
  const sockets: MutableSocket[] = [];
  const malformed = new Map<string, number>();
  let filesRead = 0;
  NET_TABLES.forEach((table, index) => {
    const file = `${procRoot}/net/${table.file}`;
    let bad: number;
    if (onRead === undefined) {
      const streamed = streamTable(file, table, sockets, options);
      if (streamed === null) return;
      bad = streamed;
    } else {
      const used = readProcBytes(file);
      if (used === null) return;
      const head = onRead(index, used, sockets);
      bad = head.bad + parseBufferedTable(buffer, head.from, used, table.protocol, table.family, sockets, options);
    }
    filesRead++;
    if (bad > 0) malformed.set(table.file, bad);
  });
  return { sockets, malformed, filesRead };
}

/**
 * Bytes gathered before they are parsed when a table is streamed. Twice this is all the buffer a
 * stream needs, whatever the table's size.
 */
const STREAM_CHUNK = 64 * 1024;

/**
 * Reads and parses one table a piece at a time, appending its sockets to `out`; returns the
 * malformed line count, or null (and `out` as it was) when the file cannot be read. The whole 2.2 MB
 * of a 15k-socket table is never in memory at once: on this machine kind every page a process
 * touches for the first time costs ~14 us, so the buffer growing to 4 MB (and copying itself on the
 * way) was ~1,300 page faults, about 18 ms of a one-shot `list --all`.
 */
function streamTable(file: string, table: (typeof NET_TABLES)[number], out: MutableSocket[], options: Options): number | null {
  const before = out.length;
  const bad = withProcFile(file, (fd) => {
    ensureRoom(0, 2 * STREAM_CHUNK);
    let malformed = 0;
    let used = 0;
    for (;;) {
      const n = readSync(fd, buffer, used, 2 * STREAM_CHUNK - used, null);
      used += n;
      if (n > 0 && used < STREAM_CHUNK) continue;
      // Parse up to the last complete line and keep the rest for the next read. All of it at the end
      // of the file, or when the rest would be a chunk long (not a kernel line; the parser counts it):
      // so every read has at least a chunk of room.
      const lastEol = n === 0 ? used - 1 : buffer.lastIndexOf(10, used - 1);
      const end = lastEol >= 0 && used - lastEol - 1 < STREAM_CHUNK ? lastEol + 1 : used;
      malformed += parseBufferedTable(buffer, 0, end, table.protocol, table.family, out, options);
      buffer.copyWithin(0, end, used);
      used -= end;
      if (n === 0) return malformed;
    }
  });
  if (bad === null) out.length = before;
  return bad;
}
