/**
 * The built CLI (`npx tsc -p .` first) with stand-in docker / journalctl on PATH.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeEnv, type FakeEnv } from '../actions/logs-helpers.js';
import { stateOf } from '../actions/kill-helpers.js';
import { waitFor } from '../helpers/poll.js';
import { BIN } from '../helpers/built-cli.js';


let f: FakeEnv;
let registry: string;
beforeEach(() => {
  f = fakeEnv();
  registry = path.join(f.dir, 'registry.yaml');
  writeFileSync(registry, 'version: 1\nservices:\n  - { id: web, name: Web, port: 18080, group: app, docker: web }\n');
});
afterEach(() => f.cleanup());

function start(argv: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd: f.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, out: () => out, err: () => err };
}

describe('vhtop logs, built CLI', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s ends vhtop and the followed docker compose logs with its group', async (sig) => {
    const run = start(['logs', 'web', '--registry', registry, '--tail', '3'], f.env());
    try {
      await waitFor(() => run.out().includes('web-1  | following') && f.followerPids().length === 2);
      const [sh, sleeper] = f.followerPids() as [number, number];
      run.child.kill(sig);
      expect(await run.exit).toBe(0);
      await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
      expect(run.out()).toContain('web-1  | red alert done\n');
      expect(run.out()).not.toContain('\x1b');
      expect(f.calls()[1]).toEqual(['docker', 'compose', 'logs', '--no-color', '--tail', '3', '--follow', '--', 'web']);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('without docker on PATH: one line on stderr, exit 1', async () => {
    const run = start(['logs', 'web', '--registry', registry], f.env({}, [f.binWith(['journalctl'])]));
    expect(await run.exit).toBe(1);
    expect(run.err()).toBe('vhtop: docker not installed (neither `docker` nor `docker-compose` is on PATH)\n');
  });
});
