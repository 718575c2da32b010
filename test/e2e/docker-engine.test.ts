/**
 * vhtop against the real Docker engine: a compose project of busybox containers publishing loopback
 * ports (docker-proxy on the host), matched to compose services by the engine's labels and port
 * mappings; health through the published port; real logs; why for exited, restarting, unhealthy and
 * never-created containers and for a daemon that does not answer; kill refusing docker-proxy.
 * Skips with a printed reason only when the engine cannot run here. Needs the built CLI.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, runBuiltCli } from '../helpers/built-cli.js';
import { composeProject, dockerPathDir, engineReady, freePorts, httpService, type ComposeProject } from '../helpers/docker-engine.js';
import { tempDir } from '../helpers/temp-dir.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeStop } from '../../src/actions/compose-stop.js';

// Loopback ports the kernel picks: other test files (and other runs of this one) run at the same time.
let WEB = 0;
let OTHER = 0;
let SICK = 0;
let UNUSED: number[] = [];

const compose = () => `services:
  web:
    image: vhtop-test/busybox:1
    init: true
    command: ["sh", "-c", "echo hello from web; echo second line; exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:${WEB}:8080"]
  other:
${httpService(8080, `    ports: ["127.0.0.1:${OTHER}:8080"]\n`)}  done:
    image: vhtop-test/busybox:1
    command: ["sh", "-c", "echo bye; exit 3"]
  flaky:
    image: vhtop-test/busybox:1
    command: ["sh", "-c", "exit 1"]
    restart: always
  sick:
${httpService(8080, `    ports: ["127.0.0.1:${SICK}:8080"]\n    healthcheck:\n      test: ["CMD", "false"]\n      interval: 1s\n      retries: 1\n`)}  never:
    image: vhtop-test/busybox:1
    profiles: [never]
`;

const registry = () => `version: 1
services:
  - { id: web, name: Web, port: ${WEB}, group: app, docker: web, health: { http: /health } }
  - { id: imposter, name: Imposter, port: ${OTHER}, group: app, docker: web }
  - { id: done, name: Done, port: ${UNUSED[0]}, group: app, docker: done }
  - { id: flaky, name: Flaky, port: ${UNUSED[1]}, group: app, docker: flaky }
  - { id: sick, name: Sick, port: ${SICK}, group: app, docker: sick }
  - { id: never, name: Never, port: ${UNUSED[2]}, group: app, docker: never }
`;

let reason: string | null = 'not checked yet';
let project: ComposeProject | null = null;
let scratch: ReturnType<typeof tempDir> | null = null;

beforeAll(async () => {
  if (!isBuilt()) {
    reason = 'the CLI is not built (npm run build)';
  } else {
    reason = await engineReady();
  }
  if (reason !== null) {
    console.log(`skipping the real-engine tests: ${reason}`);
    return;
  }
  [WEB, OTHER, SICK, ...UNUSED] = (await freePorts(6)) as [number, number, number, ...number[]];
  project = composeProject('engine', { 'compose.yaml': compose(), 'registry.yaml': registry() });
  const up = await project.compose(['up', '-d']);
  if (up.code !== 0) throw new Error(`docker compose up failed: ${up.stderr}`);
  scratch = tempDir('vhtop-engine-');
}, 240_000);

afterAll(async () => {
  await project?.down();
  scratch?.remove();
}, 120_000);

/** vhtop in the project directory with a PATH that holds only the real docker client. */
function vhtop(args: readonly string[], extraEnv: Record<string, string> = {}) {
  const p = project as ComposeProject;
  const env = { PATH: dockerPathDir((scratch as { dir: string }).dir), HOME: p.dir, NO_COLOR: '1', COLUMNS: '200', COMPOSE_PROJECT_NAME: p.name, ...extraEnv };
  return runBuiltCli(args, { cwd: p.dir, env });
}

/** Polls `docker compose ps` until `service` is in `state` (and health, when given). */
async function waitForState(service: string, want: RegExp): Promise<void> {
  const p = project as ComposeProject;
  const end = Date.now() + 90_000;
  let last = '';
  while (Date.now() < end) {
    const r = await p.compose(['ps', '--all', '--format', '{{.Service}} {{.State}} {{.Status}}']);
    last = r.stdout;
    if (r.stdout.split('\n').some((l) => l.startsWith(`${service} `) && want.test(l))) return;
    await sleep(250);
  }
  throw new Error(`${service} never reached ${want}: ${last}`);
}

describe('vhtop against the real Docker engine', () => {
  it('matches the docker-proxy port to its compose service by labels and port mapping, and probes health through it', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const r = await vhtop(['check', '--health', '--only', 'web', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const web = (JSON.parse(r.stdout) as { services: { id: string; status: string; process: string | null; health: { ok: boolean } | null }[] }).services.find((s) => s.id === 'web');
    expect(web).toMatchObject({ status: 'up', process: 'docker-proxy', health: { ok: true } });

    const list = JSON.parse((await vhtop(['list', '--json'])).stdout) as { listeners: { port: number; dockerProxy: boolean; service: string | null; status: string }[] };
    const sockets = list.listeners.filter((l) => l.port === WEB);
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((l) => l.dockerProxy && l.service === 'web' && l.status === 'expected')).toBe(true);
  });

  it('a docker-proxy publishing another service\'s container is not the entry\'s program', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const r = await vhtop(['check', '--only', 'imposter', '--json']);
    const s = (JSON.parse(r.stdout) as { services: { id: string; status: string }[] }).services[0];
    expect(s).toMatchObject({ id: 'imposter', status: 'conflict' });
    expect(r.code).toBe(1);
  });

  it('logs shows the container\'s real lines, cleaned', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const r = await vhtop(['logs', 'web', '--no-follow', '--tail', '20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hello from web');
    expect(r.stdout).toContain('second line');
    expect(r.stdout).not.toMatch(/\u001b/);
  });

  it('why: exited with its code, restarting, unhealthy, never created', async (ctx) => {
    if (reason !== null) return ctx.skip();
    await waitForState('done', /exited/);
    const done = await vhtop(['why', 'done']);
    expect(done.stdout).toMatch(/container \S*done\S* exited with code 3/);

    await waitForState('flaky', /restarting/);
    const flaky = await vhtop(['why', 'flaky']);
    // docker may catch it between two restarts; either word is the truth at that moment.
    expect(flaky.stdout).toMatch(/keeps restarting|exited with code 1|is running/);

    await waitForState('sick', /unhealthy/);
    const sick = await vhtop(['why', 'sick']);
    expect(sick.stdout).toMatch(/unhealthy/);

    const never = await vhtop(['why', 'never']);
    expect(never.stdout).toMatch(/no container for never: never started, or removed/);
  }, 240_000);

  it('why names a daemon that does not answer, in words', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const socket = path.join((scratch as { dir: string }).dir, 'no-daemon.sock');
    const r = await vhtop(['why', 'web'], { DOCKER_HOST: `unix://${socket}` });
    expect(r.stdout).toMatch(/Docker daemon is not running/i);
  });

  it('kill on a docker-proxy port refuses and names docker compose stop SERVICE', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const r = await vhtop(['kill', String(WEB), '--yes']);
    expect(`${r.stdout}${r.stderr}`).toContain('docker compose stop web');
    expect(r.code).not.toBe(0);
    // Still served: nothing was killed.
    const again = await vhtop(['check', '--only', 'web']);
    expect(again.code).toBe(0);
  });

  it('the TUI\'s compose stop action stops the container (no shell) and says so', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const p = project as ComposeProject;
    const env = { PATH: dockerPathDir((scratch as { dir: string }).dir), HOME: p.dir, COMPOSE_PROJECT_NAME: p.name };
    const r = await composeStop('other', p.dir, undefined, env);
    expect(r).toEqual({ ok: true, message: 'docker compose stop other: stopped' });
    await waitForState('other', /exited/);
    // A name that could be read as an option never reaches compose.
    expect(await composeStop('--all', p.dir, undefined, env)).toEqual({ ok: false, message: 'not a compose service name: "--all"' });
  }, 120_000);
});
