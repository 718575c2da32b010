import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, runBuiltCli } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loopbackServers } from '../helpers/loopback-server.js';

/** `vhtop status` end to end (`npx tsc -p .` first), against sockets this test opens itself. */

const servers = loopbackServers();
const listen = () => servers.listen();
let dirs: { remove(): void }[] = [];
beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/cli.js missing: run `npx tsc -p .` first');
});
afterEach(async () => {
  await servers.closeAll();
  for (const d of dirs) d.remove();
  dirs = [];
});


function setup(ports: readonly number[]): { dir: string; registry: string } {
  const t = tempDir('vhtop-status-');
  dirs.push(t);
  const registry = path.join(t.dir, 'registry.yaml');
  writeFileSync(registry, `version: 1\nservices:\n${ports.map((p, i) => `  - id: s${i}\n    name: s${i}\n    port: ${p}\n`).join('')}`);
  return { dir: t.dir, registry };
}

const cli = (dir: string, ...args: string[]) => runBuiltCli(['status', ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, VHTOP_CACHE_DIR: 'off' } });

describe('vhtop status', () => {
  it('prints one line and exits 0 when every service is up, 1 when one goes down (as check)', async () => {
    const [a, b] = [await listen(), await listen()];
    const { dir, registry } = setup([a.port, b.port]);
    let r = await cli(dir, '--registry', registry);
    expect(r.stdout).toMatch(/^vhtop 2↑ 0↓ 0⚠ \d+!\n$/);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const check = await runBuiltCli(['check', '--registry', registry], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, VHTOP_CACHE_DIR: 'off' } });
    expect(check.code).toBe(r.code);

    await new Promise((done) => b.server.close(done));
    r = await cli(dir, '--registry', registry, '--tmux');
    expect(r.stdout).toMatch(/^vhtop #\[fg=green\]1↑#\[default\] #\[fg=red\]1↓#\[default\] 0⚠ /);
    expect(r.code).toBe(1);
  });

  it('--format picks the fields; a bad field or an argument is a usage error (exit 2, one line)', async () => {
    const a = await listen();
    const { dir, registry } = setup([a.port]);
    const r = await cli(dir, '--registry', registry, '--format', 'up={up} down={down} of {total}');
    expect(r.stdout).toBe('up=1 down=0 of 1\n');
    const bad = await cli(dir, '--registry', registry, '--format', '{bogus}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^vhtop: option --format: unknown field \{bogus\}.*\n$/);
    expect(bad.stdout).toBe('');
    const extra = await cli(dir, '--registry', registry, 'now');
    expect(extra.code).toBe(2);
  });
});
