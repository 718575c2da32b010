/**
 * Published ports without docker-proxy (`"userland-proxy": false`): a second dockerd with its own
 * data root, socket and config runs one container; vhtop shows the port as published by that
 * container (from the engine), not as down and not as a conflict with dockerd's port reservation.
 * Skips with a printed reason only when a second engine cannot start here. Needs the built CLI.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, runBuiltCli } from '../helpers/built-cli.js';
import { BUSYBOX_IMAGE, docker, dockerPathDir, engineReady, freePorts, startTimeOf } from '../helpers/docker-engine.js';

let PORT = 0;
const PROJECT = `vhtopnat${process.pid}`;

let reason: string | null = 'not checked yet';
let dir = '';
let daemon: { pid: number; start: number | null } | null = null;
let env: Record<string, string> = {};

const inSecond = (args: readonly string[], timeoutMs = 180_000) => docker(args, { cwd: dir, env, timeoutMs });

beforeAll(async () => {
  reason = isBuilt() ? await engineReady() : 'the CLI is not built (npm run build)';
  if (reason === null && process.getuid?.() !== 0) reason = 'a second dockerd needs root';
  if (reason !== null) {
    console.log(`skipping the userland-proxy test: ${reason}`);
    return;
  }
  [PORT] = (await freePorts(1)) as [number];
  dir = mkdtempSync(path.join(tmpdir(), 'vhtop-nat-'));
  writeFileSync(path.join(dir, 'daemon.json'), '{"userland-proxy": false}\n');
  const sock = path.join(dir, 'docker.sock');
  env = { DOCKER_HOST: `unix://${sock}` };
  // Its own bridge-less setup: the first engine owns docker0; compose makes the project's network.
  const child = spawn(
    '/usr/sbin/dockerd',
    ['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'pid'), '-H', env.DOCKER_HOST as string,
      '--config-file', path.join(dir, 'daemon.json'), '--bridge=none', '--iptables=false', '--ip-forward=false', '--ip-masq=false'],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  if (child.pid !== undefined) daemon = { pid: child.pid, start: startTimeOf(child.pid) };
  const end = Date.now() + 90_000;
  while (Date.now() < end && (await inSecond(['info'], 20_000)).code !== 0) await sleep(250);
  if ((await inSecond(['info'], 20_000)).code !== 0) {
    reason = 'a second dockerd (own data root and socket) did not start here';
    console.log(`skipping the userland-proxy test: ${reason}`);
    return;
  }
  const image = path.join(dir, 'image.tar');
  const saved = await docker(['save', '-o', image, BUSYBOX_IMAGE]);
  const loaded = saved.code === 0 ? await inSecond(['load', '-i', image]) : saved;
  if (loaded.code !== 0) throw new Error(`cannot copy the test image: ${loaded.stderr}`);
  writeFileSync(
    path.join(dir, 'compose.yaml'),
    `services:\n  nat:\n    image: ${BUSYBOX_IMAGE}\n    init: true\n    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]\n    ports: ["127.0.0.1:${PORT}:8080"]\n`,
  );
  writeFileSync(path.join(dir, 'registry.yaml'), `version: 1\nservices:\n  - { id: nat, name: NAT, port: ${PORT}, group: app, docker: nat }\n`);
  const up = await inSecond(['compose', '-p', PROJECT, 'up', '-d']);
  if (up.code !== 0) throw new Error(`docker compose up failed: ${up.stderr}`);
}, 300_000);

afterAll(async () => {
  if (dir === '') return;
  if (daemon !== null) {
    await inSecond(['compose', '-p', PROJECT, 'down', '-t', '1']);
    if (startTimeOf(daemon.pid) === daemon.start) process.kill(daemon.pid, 'SIGTERM');
    const end = Date.now() + 60_000;
    while (Date.now() < end && startTimeOf(daemon.pid) === daemon.start) await sleep(100);
  }
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('published ports without docker-proxy', () => {
  it('shows the port as published by the container, from the engine', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const run = (args: string[]) => runBuiltCli(args, { cwd: dir, env: { PATH: dockerPathDir(dir), HOME: dir, NO_COLOR: '1', COLUMNS: '200', ...env } });
    const r = await run(['check', '--json']);
    const nat = (JSON.parse(r.stdout) as { services: { id: string; status: string; publishedBy: string | null }[] }).services[0];
    expect(nat).toMatchObject({ id: 'nat', status: 'up', publishedBy: `${PROJECT}-nat-1` });
    expect(r.code).toBe(0);
    const table = await run(['check']);
    expect(table.stdout).toContain(`published by container ${PROJECT}-nat-1`);
  });
});
