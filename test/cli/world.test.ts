/**
 * Where the registry and the .env file come from: `--registry`, else `$VHTOP_REGISTRY`, else
 * ./registry.yaml, else the bundled one; `--env`, else ./.env when present, else none.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { BUNDLED_REGISTRY, loadWorld, resolveEnvPath, resolveRegistryPath } from '../../src/cli/world.js';
import { captureContext } from '../helpers/cli-context.js';
import { tempDir } from '../helpers/temp-dir.js';

const scratch = tempDir('vhtop-world-');
afterAll(() => scratch.remove());

/** A fresh directory under the scratch one, with `files`. */
function dirWith(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch.dir, name);
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  return dir;
}

const REGISTRY = 'version: 1\nservices:\n  - { id: here, name: here, port: 4000, group: app }\n';

describe('resolveRegistryPath', () => {
  const cwd = dirWith('reg', { 'registry.yaml': REGISTRY });
  const empty = dirWith('empty', {});
  const at = (argv: string[], env: Record<string, string>, dir: string) => resolveRegistryPath(parseArgs(argv, {}), captureContext({ cwd: dir, env }));

  it('--registry wins over $VHTOP_REGISTRY and ./registry.yaml; relative paths are from the cwd', () => {
    expect(at(['--registry', 'x.yaml'], { VHTOP_REGISTRY: '/elsewhere.yaml' }, cwd)).toBe(path.join(cwd, 'x.yaml'));
  });

  it('$VHTOP_REGISTRY wins over ./registry.yaml', () => {
    expect(at([], { VHTOP_REGISTRY: 'y.yaml' }, cwd)).toBe(path.join(cwd, 'y.yaml'));
  });

  it('./registry.yaml when present, else the bundled registry', () => {
    expect(at([], {}, cwd)).toBe(path.join(cwd, 'registry.yaml'));
    expect(at([], {}, empty)).toBe(BUNDLED_REGISTRY);
    expect(at([], { VHTOP_REGISTRY: '' }, empty)).toBe(BUNDLED_REGISTRY);
  });
});

describe('resolveEnvPath', () => {
  const withEnv = dirWith('env', { '.env': 'A_PORT=1\n' });
  const without = dirWith('noenv', {});
  const at = (argv: string[], dir: string) => resolveEnvPath(parseArgs(argv, {}), captureContext({ cwd: dir, env: {} }));

  it('--env FILE, else ./.env when present, else none', () => {
    expect(at(['--env', 'other.env'], withEnv)).toBe(path.join(withEnv, 'other.env'));
    expect(at([], withEnv)).toBe(path.join(withEnv, '.env'));
    expect(at([], without)).toBeNull();
  });
});

describe('loadWorld', () => {
  it('loads ./registry.yaml and ./.env from the working directory', async () => {
    const cwd = dirWith('world', { 'registry.yaml': REGISTRY.replace('group: app }', 'group: app, env: HERE_PORT }'), '.env': 'HERE_PORT=4100\n' });
    const world = await loadWorld(parseArgs(['--probe', 'portable'], {}), captureContext({ cwd, env: {} }));
    expect(world.catalogue.services.map((s) => s.id)).toEqual(['here']);
    expect(world.env).toMatchObject({ fileName: path.join(cwd, '.env'), fileEnv: { HERE_PORT: '4100' } });
    expect(world.probe.kind).toBe('portable');
  });

  it('the bundled registry has the whole seed catalogue', async () => {
    const world = await loadWorld(parseArgs([], {}), captureContext({ cwd: dirWith('bundled', {}), env: {} }));
    expect(world.catalogue.services.length).toBe(34);
  });
});
