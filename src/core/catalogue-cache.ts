/**
 * A content-addressed cache of validated registries. Importing the yaml package and parsing a
 * registry with it costs a one-shot command ~60 ms of CPU (most of it cold JIT), about an eighth of a
 * `vhtop list` at 15k sockets; the validated result is plain data, so it is kept as JSON and the next
 * run with the same registry text skips yaml entirely.
 *
 * Safe by construction: an entry holds the registry text and the identity of the code that
 * validated it, and is used only when both equal the current ones, so an edited registry or a
 * rebuilt vhtop never sees an old entry. The file name is only a quick hash of the two (not
 * node:crypto: loading it costs a one-shot command about a tenth of Node's own start-up); a
 * collision just means a miss. Only registries that validated are stored: every error still comes
 * from a real parse. Any problem with the cache (no HOME, read-only disk, a damaged file) means
 * "parse again".
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalogue, ServiceDef } from './types.js';

/** Entries kept: one per registry text in use; test suites write many short-lived registries, which must not push out the real one. */
export const MAX_CACHE_ENTRIES = 64;

/** Bump when the stored shape changes. */
const FORMAT = 'vhtop-catalogue-2';

/** Set by the bundler (scripts/bundle.mjs) to a hash of the sources; absent when running tsc output or the sources. */
declare const __VHTOP_BUILD_ID__: string | undefined;

/** The modules whose code decides what a registry text means. */
const VALIDATORS = ['catalogue', 'catalogue-entry', 'catalogue-yaml'];

/**
 * Directory of the cache: `$VHTOP_CACHE_DIR`, else `$XDG_CACHE_HOME/vhtop`, else `~/.cache/vhtop`;
 * null (no caching) when VHTOP_CACHE_DIR is "off" or no base directory is known.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const own = env.VHTOP_CACHE_DIR;
  if (own === 'off') return null;
  if (own) return own;
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'vhtop');
  return env.HOME ? path.join(env.HOME, '.cache', 'vhtop') : null;
}

let stamp: string | null = null;

/** Identity of the validating code: the bundle's build id, else one stat per module, once per process. */
function codeStamp(): string {
  if (stamp === null && typeof __VHTOP_BUILD_ID__ === 'string') stamp = `build:${__VHTOP_BUILD_ID__}`;
  if (stamp === null) {
    const self = fileURLToPath(import.meta.url);
    // .js when built, .ts when the tests run the sources: stat the siblings of this very module.
    const ext = path.extname(self);
    stamp = VALIDATORS.map((f) => {
      try {
        return String(statSync(path.join(path.dirname(self), f + ext)).mtimeMs);
      } catch {
        return 'none';
      }
    }).join(',');
  }
  return stamp;
}

/** Characters of the text that go into its file name: a fixed number, so naming costs no more for a big registry. */
const NAME_SAMPLES = 256;

/**
 * A file name for `text`: its length and an FNV-1a hash of up to {@link NAME_SAMPLES} characters
 * spread over it (all of a short text). Not a proof of identity: the entry holds the whole text,
 * compared on read, so two texts with one name only overwrite each other's entry. A JavaScript loop
 * over every character of a 16 KB registry ran cold in the interpreter and cost more than the
 * cache saved.
 */
export function quickHash(text: string): string {
  const step = Math.max(1, Math.floor(text.length / NAME_SAMPLES));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += step) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length.toString(16)}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * File name of the entry for `text` validated by the code `stamp`. The stamp is hashed whole, apart
 * from the sampled text: two builds of vhtop (a global and a project-local install, or the two sides of
 * a benchmark) differ in a few characters of their stamp, which a sample of the joined string missed,
 * so they overwrote each other's entry and every other run parsed the registry again.
 */
export function entryName(stamp: string, text: string): string {
  return `catalogue-${quickHash(`${FORMAT}\n${stamp}`)}-${quickHash(text)}.json`;
}

/** Cache file for a registry text. */
function entryPath(dir: string, text: string): string {
  return path.join(dir, entryName(codeStamp(), text));
}

/** Freezes a parsed JSON value all the way down, as the parser's own result is read-only. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The catalogue stored for exactly this registry text, or null. `file` is set to the path given now. */
export function readCachedCatalogue(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Catalogue | null {
  const dir = cacheDir(env);
  if (dir === null) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(entryPath(dir, text), 'utf8'));
  } catch {
    return null;
  }
  if (typeof stored !== 'object' || stored === null) return null;
  const { format, code, source, services } = stored as { format?: unknown; code?: unknown; source?: unknown; services?: unknown };
  // The name is a short hash: only an entry for exactly this text and this code counts.
  if (format !== FORMAT || code !== codeStamp() || source !== text || !Array.isArray(services) || services.length === 0) return null;
  return Object.freeze({ file, services: deepFreeze(services as ServiceDef[]) });
}

/** Stores a validated catalogue for `text`. Never throws: a cache that cannot be written is no cache. */
export function writeCachedCatalogue(text: string, catalogue: Catalogue, env: NodeJS.ProcessEnv = process.env): void {
  const dir = cacheDir(env);
  if (dir === null) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const target = entryPath(dir, text);
    // Write then rename: a concurrent reader sees the whole file or none.
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, code: codeStamp(), services: catalogue.services, source: text }), { mode: 0o600 });
    renameSync(tmp, target);
    prune(dir);
  } catch {
    // Read-only home, full disk, ...: the next run parses again.
  }
}

/** Deletes the least recently written entries beyond {@link MAX_CACHE_ENTRIES} (only on a miss, so rarely). */
function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.startsWith('catalogue-') && f.endsWith('.json'))
    .map((f) => {
      try {
        return { f, t: statSync(path.join(dir, f)).mtimeMs };
      } catch {
        return { f, t: 0 };
      }
    })
    .sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(MAX_CACHE_ENTRIES)) {
    try {
      unlinkSync(path.join(dir, f));
    } catch {
      // Another vhtop pruned it first.
    }
  }
}
