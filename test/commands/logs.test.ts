import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { captureContext } from '../helpers/cli-context.js';
import { fakeEnv, type FakeEnv } from '../actions/logs-helpers.js';

const REGISTRY = `version: 1
services:
  - { id: web, name: Web, port: 18080, group: app, docker: web-app }
  - { id: plain, name: Plain, port: 18081, group: app }
`;

let f: FakeEnv;
let registry: string;

beforeEach(() => {
  f = fakeEnv();
  registry = path.join(f.dir, 'registry.yaml');
  writeFileSync(registry, REGISTRY);
});
afterEach(() => f.cleanup());

const ctx = (env: Record<string, string>, cwd = f.dir) => captureContext({ env, cwd });

describe('vhtop logs', () => {
  it('runs docker compose logs with the registry docker name after -- and prints cleaned lines', async () => {
    const c = ctx(f.env());
    expect(await run(['logs', 'web', '--registry', registry, '--no-follow', '--tail', '25'], c)).toBe(0);
    expect(f.calls()).toEqual([
      ['docker', 'compose', 'version'],
      ['docker', 'compose', 'logs', '--no-color', '--tail', '25', '--', 'web-app'],
    ]);
    expect(c.out()).toBe('web-app-1  | first line from web-app\nweb-app-1  | red alert done\nweb-app-1  | last line\n');
    expect(c.out()).not.toContain('\x1b');
  });

  it('defaults to --tail 100 and --follow; finds docker-compose.yml in the working directory', async () => {
    const cwd = path.join(f.dir, 'project');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'docker-compose.yml'), 'services: {}\n');
    const c = ctx(f.env(), cwd);
    const running = run(['logs', 'web', '--registry', registry], c);
    // Following: wait for the stand-in to say so, then end it the way Ctrl-C does.
    await waitUntil(() => c.out().includes('following'));
    process.emit('SIGINT');
    expect(await running).toBe(0);
    expect(f.calls()[1]).toEqual(['docker', 'compose', '-f', path.join(cwd, 'docker-compose.yml'), 'logs', '--no-color', '--tail', '100', '--follow', '--', 'web-app']);
  });

  it('uses --compose-file, and a missing one is a configuration error (exit 2)', async () => {
    writeFileSync(path.join(f.dir, 'other.yaml'), 'services: {}\n');
    const c = ctx(f.env());
    expect(await run(['logs', 'web', '--registry', registry, '--no-follow', '--compose-file', 'other.yaml'], c)).toBe(0);
    expect(f.calls()[1]?.slice(0, 4)).toEqual(['docker', 'compose', '-f', path.join(f.dir, 'other.yaml')]);
    const bad = ctx(f.env());
    expect(await run(['logs', 'web', '--registry', registry, '--compose-file', 'nope.yaml'], bad)).toBe(2);
    expect(bad.err()).toBe(`vhtop: ${path.join(f.dir, 'nope.yaml')}: --compose-file: file not found\n`);
  });

  it('falls back to docker-compose', async () => {
    const c = ctx(f.env({ VHTOP_FAKE_DOCKER: 'no-compose' }));
    expect(await run(['logs', 'web', '--registry', registry, '--no-follow'], c)).toBe(0);
    expect(f.calls().at(-1)).toEqual(['docker-compose', 'logs', '--no-color', '--tail', '100', '--', 'web-app']);
  });

  it('without docker: one line, exit 1', async () => {
    const c = ctx(f.env({}, [f.binWith(['journalctl'])]));
    expect(await run(['logs', 'web', '--registry', registry, '--no-follow'], c)).toBe(1);
    expect(c.err()).toBe('vhtop: docker not installed (neither `docker` nor `docker-compose` is on PATH)\n');
  });

  it('daemon down and unknown compose service: one line each, exit 1', async () => {
    const down = ctx(f.env({ VHTOP_FAKE_DOCKER: 'daemon-down' }));
    expect(await run(['logs', 'web', '--registry', registry, '--no-follow'], down)).toBe(1);
    expect(down.err()).toBe('vhtop: the Docker daemon is not running (cannot connect to the Docker daemon)\n');
    const unknown = ctx(f.env({ VHTOP_FAKE_DOCKER: 'unknown-service' }));
    expect(await run(['logs', 'web', '--registry', registry, '--no-follow'], unknown)).toBe(1);
    expect(unknown.err()).toBe('vhtop: unknown compose service web-app\n');
  });

  it('a service id the registry does not know: a usage error (exit 2) with the close matches', async () => {
    const c = ctx(f.env());
    expect(await run(['logs', 'nope', '--registry', registry], c)).toBe(2);
    expect(c.err()).toBe(`vhtop: unknown service "nope" in ${registry} (vhtop list shows every service)\n`);
    const typo = ctx(f.env());
    expect(await run(['logs', 'webb', '--registry', registry], typo)).toBe(2);
    expect(typo.err()).toContain('unknown service "webb" in ');
    expect(typo.err()).toContain('; did you mean web?');
    expect(f.calls()).toEqual([]);
  });

  it('a service that is not a container and not in a systemd unit: it names the sources it tried, exit 1', async () => {
    const c = ctx(f.env());
    expect(await run(['logs', 'plain', '--registry', registry], c)).toBe(1);
    expect(c.err()).toMatch(/^vhtop: no log source for plain; tried docker compose: no docker: name in the registry; journald( and its stdout\/stderr: no process of it that vhtop can see listens on its port|: pid \d+ is not in a systemd system unit; its stdout\/stderr: .*)\n$/);
    expect(f.calls()).toEqual([]);
  });

  it('usage: exactly one service, a whole-number tail', async () => {
    expect(await run(['logs', '--registry', registry], ctx(f.env()))).toBe(2);
    expect(await run(['logs', 'web', '--tail', 'ten', '--registry', registry], ctx(f.env()))).toBe(2);
  });
});

async function waitUntil(cond: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
