/**
 * The README's first command makes `vhtop` a command on PATH (`npm link`). The same install into a
 * private prefix proves it without touching the machine's global one: the bin entry, its shebang and
 * the bundle it loads all work when run by name from another directory.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { isBuilt, ROOT } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const prefix = tempDir('vhtop-prefix-');
afterAll(() => prefix.remove());

describe.skipIf(!isBuilt())('vhtop as a command', () => {
  it('the README sets it up with npm link, and every example then runs by name', () => {
    const setup = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n## ')[0] ?? '';
    expect(setup).toMatch(/npm ci && npm link && vhtop/);
  });

  it('an npm global install of the checkout puts a working `vhtop` on PATH', async () => {
    await run('npm', ['install', '--global', '--prefix', prefix.dir, '--no-audit', '--no-fund', '--ignore-scripts', ROOT], { timeout: 120_000 });
    const env = { ...process.env, PATH: `${path.join(prefix.dir, 'bin')}:${process.env.PATH ?? ''}` };
    const version = await run('vhtop', ['--version'], { env, cwd: prefix.dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const list = await run('vhtop', ['list', '--json', '--registry', path.join(ROOT, 'registry.yaml')], { env, cwd: prefix.dir, maxBuffer: 64 * 1024 * 1024 });
    expect(JSON.parse(list.stdout)).toMatchObject({ version: 1 });
  });
});
