import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { cleanText } from './sanitize.js';

/** Largest registry or .env file vhtop reads (1 MiB): a real one is a few KiB; anything bigger is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Human wording of a byte count ("1 MiB", "1.5 MiB", "300 KiB"). */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** The ConfigError for a text that is over {@link MAX_CONFIG_BYTES}. */
export function tooLarge(file: string, bytes: number): ConfigError {
  return new ConfigError(file, null, null, `file is ${sizeText(bytes)}, larger than the ${sizeText(MAX_CONFIG_BYTES)} limit`);
}

/**
 * Reads a small UTF-8 configuration file. Every failure (missing, a directory, no permission, too
 * large, not UTF-8) is a ConfigError naming the file, so the CLI prints one line and exits 2.
 */
export async function readConfigText(file: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    // stat first: a huge file must be refused before it is read into memory. A regular file of at
    // most 1 MiB is read synchronously: it cannot block, and node:fs/promises would cost a one-shot
    // command several milliseconds of start-up just to load.
    const info = statSync(file);
    if (info.isDirectory()) throw new ConfigError(file, null, null, `cannot read the ${what}: it is a directory`);
    if (info.isFile() && info.size > MAX_CONFIG_BYTES) throw tooLarge(file, info.size);
    bytes = info.isFile() ? readFileSync(file) : await readCapped(file);
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

/**
 * Reads what is not a regular file (a pipe: `--env <(sops -d .env)`, /dev/stdin, a device) up to one
 * byte past the cap. Its size is unknown beforehand, and /dev/zero or `yes |` never end: reading
 * them whole would fill the memory.
 */
async function readCapped(file: string): Promise<Buffer> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, MAX_CONFIG_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_CONFIG_BYTES) throw new ConfigError(file, null, null, `more than the ${sizeText(MAX_CONFIG_BYTES)} limit (it is not a regular file and did not end)`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
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
 * Text from a config file made safe and short for an error message: every control character becomes
 * U+FFFD (shown, not silently removed, so the reader sees something is there), cut at `max` characters.
 */
export function visible(text: string, max = 40): string {
  const clean = cleanText(text.replace(CONTROL, '\ufffd'));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
