import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ConfigError } from './errors.js';
import { cleanText } from './sanitize.js';

/** Largest registry or .env file vhtop reads (1 MiB): a real one is a few KiB; anything bigger is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Human wording of a byte count ("1 MiB", "1.5 MiB", "300 KiB"). */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * The ConfigError for a text that is over {@link MAX_CONFIG_BYTES}. Near the limit a rounded size
 * would read "1 MiB, larger than the 1 MiB limit", so the exact byte counts are given there.
 */
export function tooLarge(file: string, bytes: number): ConfigError {
  const size = sizeText(bytes) === sizeText(MAX_CONFIG_BYTES) ? `${bytes} bytes` : sizeText(bytes);
  const limit = size.endsWith('bytes') ? `${sizeText(MAX_CONFIG_BYTES)} (${MAX_CONFIG_BYTES} bytes)` : sizeText(MAX_CONFIG_BYTES);
  return new ConfigError(file, null, null, `file is ${size}, larger than the ${limit} limit`);
}

/**
 * Reads a small UTF-8 configuration file. Every failure (missing, a directory, no permission, too
 * large, not UTF-8) is a ConfigError naming the file, so the CLI prints one line and exits 2.
 */
export async function readConfigText(file: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    // Opened without blocking: opening a FIFO with no writer would wait forever. The type and size
    // are then taken from the open descriptor, so a file swapped after a stat cannot slip through.
    // Synchronous: only a regular file of at most 1 MiB is read, which cannot block, and loading
    // node:fs/promises would cost a one-shot command several milliseconds of start-up.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    try {
      const info = fstatSync(fd);
      if (info.isDirectory()) throw new ConfigError(file, null, null, `cannot read the ${what}: it is a directory`);
      if (!info.isFile()) throw new ConfigError(file, null, null, `cannot read the ${what}: it is ${kindOf(info)}, not a regular file`);
      // A huge file must be refused before it is read into memory.
      if (info.size > MAX_CONFIG_BYTES) throw tooLarge(file, info.size);
      bytes = readCapped(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(file, null, null, `cannot read the ${what}: ${reason(e)}`);
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw tooLarge(file, bytes.length);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(file, firstBadLine(bytes), null, `the ${what} is not valid UTF-8 text (saved as Latin-1 or another legacy encoding?)`);
  }
}

/**
 * 1-based line of the first byte sequence that is not UTF-8, so the reader can find it. Lines are
 * split at byte 0x0A, which never occurs inside a multi-byte UTF-8 character.
 */
export function firstBadLine(bytes: Uint8Array): number | null {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  return null;
}

/** "a named pipe (FIFO)", "a device", "a socket": what a path is when it is not a regular file. */
function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Reads a regular file up to one byte past the cap: it may grow between the size check and the read
 * (a log someone pointed --env at), and the memory stays bounded either way.
 */
function readCapped(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, MAX_CONFIG_BYTES + 1 - total));
    if (chunk.length === 0) break;
    const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

/** Short reason for a failed file access, without the path (the caller already names it). */
function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EISDIR') return 'it is a directory';
  return typeof code === 'string' ? code : 'unknown error';
}

// C0, DEL, C1 and bidi controls (the set cleanText() guards against).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A key from a file that may not be a registry at all, for an error message: cut before the first
 * ":", "=" or space (in `root:$y$j9T$...` what follows is a value, maybe a secret) and at 24
 * characters. Never more than a name.
 */
export function keyText(key: string): string {
  const name = /^[^:=\s]*/.exec(key)?.[0] ?? '';
  const cut = name.length > 24 ? name.slice(0, 24) : name;
  return `${visible(cut, 24)}${cut.length < key.length ? '…' : ''}`;
}

/**
 * Text from a config file made safe and short for an error message: every control character becomes
 * U+FFFD (shown, not silently removed, so the reader sees something is there), cut at `max` characters.
 */
export function visible(text: string, max = 40): string {
  const clean = cleanText(text.replace(CONTROL, '\ufffd'));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
