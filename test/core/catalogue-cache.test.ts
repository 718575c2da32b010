/**
 * The registry cache: a second load of the same text comes from the cache file, anything else
 * (edited text, invalid text, a damaged file, caching off) goes through the real parser.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/core/catalogue-load.js';
import { cacheDir, entryName, MAX_CACHE_ENTRIES } from '../../src/core/catalogue-cache.js';
import { ConfigError } from '../../src/core/errors.js';

let work: string;
let cache: string;
const saved = process.env.VHTOP_CACHE_DIR;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'vhtop-cache-test-'));
  cache = path.join(work, 'cache');
  process.env.VHTOP_CACHE_DIR = cache;
});

afterEach(() => {
  if (saved === undefined) delete process.env.VHTOP_CACHE_DIR;
  else process.env.VHTOP_CACHE_DIR = saved;
  rmSync(work, { recursive: true, force: true });
});

function registry(name: string, port = 8080): string {
  const file = path.join(work, 'registry.yaml');
  writeFileSync(file, `version: 1\nservices:\n  - id: gateway\n    name: ${name}\n    port: ${port}\n    group: app\n    health: { http: /health }\n`);
  return file;
}

function cacheFiles(): string[] {
  try {
    return readdirSync(cache).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

describe('registry cache', () => {
  it('stores a validated registry and serves the same catalogue from the cache file', async () => {
    const file = registry('API网关');
    const parsed = await loadCatalogue(file);
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    // Mark the stored entry: if the second load returns the mark, it came from the cache file.
    const entry = path.join(cache, files[0] as string);
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('API网关', 'from-cache'));
    const again = await loadCatalogue(file);
    expect(again.services[0]?.name).toBe('from-cache');
    expect({ ...again.services[0], name: 'API网关' }).toEqual(parsed.services[0]);
    expect(again.file).toBe(file);
    expect(Object.isFrozen(again.services[0]?.health)).toBe(true);
  });

  it('an edited registry is parsed again', async () => {
    const file = registry('gw', 8080);
    await loadCatalogue(file);
    registry('gw', 9090);
    expect((await loadCatalogue(file)).services[0]?.port).toBe(9090);
    expect(cacheFiles()).toHaveLength(2);
  });

  it('an invalid registry is never stored and still fails with its line', async () => {
    const file = registry('gw', 70000);
    await expect(loadCatalogue(file)).rejects.toThrow(ConfigError);
    await expect(loadCatalogue(file)).rejects.toThrow(/registry\.yaml:5: services\[0\]\.port/);
    expect(cacheFiles()).toHaveLength(0);
  });

  it('a damaged cache file means parse again', async () => {
    const file = registry('gw');
    await loadCatalogue(file);
    writeFileSync(path.join(cache, cacheFiles()[0] as string), '{"format": "vhtop-catalogue-1", "services": 3}');
    expect((await loadCatalogue(file)).services[0]?.id).toBe('gateway');
  });

  it('VHTOP_CACHE_DIR=off writes nothing', async () => {
    process.env.VHTOP_CACHE_DIR = 'off';
    expect(cacheDir()).toBeNull();
    await loadCatalogue(registry('gw'));
    expect(cacheFiles()).toHaveLength(0);
  });

  it(`keeps at most ${MAX_CACHE_ENTRIES} entries`, async () => {
    for (let i = 0; i < MAX_CACHE_ENTRIES + 3; i++) await loadCatalogue(registry('gw', 1000 + i));
    expect(cacheFiles()).toHaveLength(MAX_CACHE_ENTRIES);
  });

  it('two builds of vhtop keep an entry each for the same registry text', () => {
    // Build stamps differ in a few characters; a long registry text is only sampled for the name.
    const text = readFileSync(new URL('../../registry.yaml', import.meta.url), 'utf8');
    expect(text.length).toBeGreaterThan(4096);
    const names = new Set(['0123456789abcdef', '0123456789abcdee', '1123456789abcdef'].map((id) => entryName(`build:${id}`, text)));
    expect(names.size).toBe(3);
  });

  it('picks XDG_CACHE_HOME, then HOME', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe(path.join('/x', 'vhtop'));
    expect(cacheDir({ HOME: '/h' })).toBe(path.join('/h', '.cache', 'vhtop'));
    expect(cacheDir({})).toBeNull();
  });
});
