import { endianness } from 'node:os';

/**
 * Decoding of the hex addresses in /proc/net/{tcp,udp}{,6}.
 *
 * The kernel prints an IPv4 address as one `%08X` of the 32-bit value exactly as it sits in memory
 * (network byte order bytes read as a host-order integer), and an IPv6 address as four such words.
 * On a little-endian host "0100007F" is therefore 127.0.0.1. The text we produce is what `ss` prints
 * (glibc inet_ntop), except that IPv4-mapped IPv6 (::ffff:a.b.c.d) is reported as "a.b.c.d": see
 * SocketEntry.localAddress.
 */

const LITTLE_ENDIAN = endianness() === 'LE';

// Addresses repeat a lot (127.0.0.1, 0.0.0.0, the host's own address): decode each once. Bounded so a
// long-running TUI watching many peers cannot grow it without limit.
const CACHE_LIMIT = 20_000;
const v4Cache = new Map<number, string>();
const v6Cache = new Map<string, string>();

/** The four bytes of one printed 32-bit word, in memory (network) order. */
function wordBytes(word: number, out: number[], at: number): void {
  if (LITTLE_ENDIAN) {
    out[at] = word & 0xff;
    out[at + 1] = (word >>> 8) & 0xff;
    out[at + 2] = (word >>> 16) & 0xff;
    out[at + 3] = word >>> 24;
  } else {
    out[at] = word >>> 24;
    out[at + 1] = (word >>> 16) & 0xff;
    out[at + 2] = (word >>> 8) & 0xff;
    out[at + 3] = word & 0xff;
  }
}

const scratch: number[] = new Array<number>(16).fill(0);

/** Dotted quad of a /proc/net IPv4 word (the integer value of its 8 hex digits). */
export function ipv4FromWord(word: number): string {
  let text = v4Cache.get(word);
  if (text === undefined) {
    wordBytes(word, scratch, 0);
    text = `${scratch[0]}.${scratch[1]}.${scratch[2]}.${scratch[3]}`;
    if (v4Cache.size >= CACHE_LIMIT) v4Cache.clear();
    v4Cache.set(word, text);
  }
  return text;
}

/**
 * Text of a /proc/net IPv6 address given as its 32 hex digits. IPv4-mapped addresses come back as
 * the bare dotted quad; `null` when the text is not 32 hex digits.
 */
export function ipv6FromHex(hex: string): string | null {
  const cached = v6Cache.get(hex);
  if (cached !== undefined) return cached;
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null;
  for (let w = 0; w < 4; w++) wordBytes(Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16), scratch, w * 4);
  const text = formatIpv6(scratch);
  if (v6Cache.size >= CACHE_LIMIT) v6Cache.clear();
  v6Cache.set(hex, text);
  return text;
}

/**
 * Formats 16 address bytes like glibc's inet_ntop (what `ss` shows): the longest run (first on a
 * tie) of two or more zero groups becomes "::", hex in lower case, and the embedded-IPv4 forms
 * "::a.b.c.d" / "::ffff:a.b.c.d". The mapped form is then reduced to "a.b.c.d" (vhtop's convention).
 */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  const quad = `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  if (bestBase === 0 && bestLen === 5 && groups[5] === 0xffff) return quad; // ::ffff:a.b.c.d
  if (bestBase === 0 && bestLen === 6) return `::${quad}`;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (groups[i] ?? 0).toString(16);
  }
  return out;
}
