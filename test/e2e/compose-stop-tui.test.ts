/**
 * The TUI's compose stop action against the real Docker engine, in a real tmux pane: the catalogue
 * entry's port is published by a compose service (docker-proxy holds it on the host); `x` on its row
 * refuses to kill docker-proxy and offers `S`, which runs `docker compose stop SERVICE` in vhtop's
 * working directory (the compose project's); the outcome shows, the container has exited and the port
 * is free. Skips with a printed reason only when the engine or tmux cannot run here. Needs the built CLI.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, isBuilt } from '../helpers/built-cli.js';
import { composeProject, docker, dockerPathDir, engineReady, freePorts, httpService, type ComposeProject } from '../helpers/docker-engine.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../helpers/temp-dir.js';
import { hasTmux, shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';

let PORT = 0;
let reason: string | null = 'not checked yet';
let project: ComposeProject | null = null;
let scratch: ReturnType<typeof tempDir> | null = null;
let session: TmuxSession | null = null;

beforeAll(async () => {
  if (!isBuilt()) reason = 'the CLI is not built (npm run build)';
  else if (!(await hasTmux())) reason = 'tmux is not installed';
  else reason = await engineReady();
  if (reason !== null) {
    console.log(`skipping the TUI compose stop test: ${reason}`);
    return;
  }
  [PORT] = (await freePorts(1)) as [number];
  scratch = tempDir('vhtop-stop-tui-');
  project = composeProject('stoptui', {
    'compose.yaml': `services:\n  web:\n${httpService(8080, `    ports: ["127.0.0.1:${PORT}:8080"]\n`)}`,
    'registry.yaml': `version: 1\nservices:\n  - { id: web, name: Web, port: ${PORT}, group: app, docker: web }\n`,
  });
  // compose stop in this directory must find the project the test started under its own name.
  writeFileSync(path.join(project.dir, '.env'), `COMPOSE_PROJECT_NAME=${project.name}\n`);
  const up = await project.compose(['up', '-d']);
  if (up.code !== 0) throw new Error(`docker compose up failed: ${up.stderr}`);
}, 240_000);

afterEach(async () => {
  await session?.kill();
  session = null;
});

afterAll(async () => {
  await project?.down();
  scratch?.remove();
}, 120_000);

/** The engine's Status words of the project's web container ("Up 3 seconds", "Exited (143) ..."). */
async function webStatus(): Promise<string> {
  const p = project as ComposeProject;
  const r = await docker(['ps', '--all', '--filter', `label=com.docker.compose.project=${p.name}`, '--filter', 'label=com.docker.compose.service=web', '--format', '{{.Status}}']);
  return r.stdout.trim();
}

/** Polls an async condition until it holds or `limitMs` passes (a limit, not a timing assertion). */
async function until(cond: () => Promise<boolean>, limitMs = 60_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > end) return false;
    await sleep(250);
  }
}

/** True when 127.0.0.1:`port` can be bound (nothing holds it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('compose stop from the TUI (real engine, tmux)', () => {
  it('x on a docker-proxy row refuses and offers S; S stops the compose service and says so', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const p = project as ComposeProject;
    expect(await portFree(PORT)).toBe(false);
    // vhtop sees only the real docker client (its compose plugin is found by docker itself).
    const bin = dockerPathDir((scratch as { dir: string }).dir);
    const cmd = [process.execPath, BIN, '--registry', path.join(p.dir, 'registry.yaml'), '--interval', '1'].map(shellQuote).join(' ');
    const s = await startTmux({ command: `PATH=${shellQuote(bin)} HOME=${shellQuote(p.dir)} ${cmd}; echo "exit=$?"; sleep 60`, width: 140, height: 30, cwd: p.dir });
    session = s;

    await s.waitFor(new RegExp(`> up\\s+(?:[\\w-]+\\s+)?Web.*${PORT}.*docker-proxy`), 60_000);
    await s.send('x');
    const dialog = await s.waitFor('S runs docker compose stop web instead', 30_000);
    expect(dialog).toMatch(/docker-proxy/);
    // Refused: nothing was signalled, the container still serves.
    expect(await webStatus()).toMatch(/^Up/);

    await s.send('S');
    const outcome = await s.waitFor('docker compose stop web: stopped', 90_000);
    expect(outcome).not.toMatch(/failed/);

    // The engine's word: the container has exited and docker-proxy let go of the port.
    expect(await until(async () => /^Exited/.test(await webStatus()))).toBe(true);
    expect(await until(() => portFree(PORT))).toBe(true);
    await s.waitFor(/down\s+(?:[\w-]+\s+)?Web/, 30_000);

    await s.send('q');
    await s.waitFor('exit=0', 30_000);
  }, 300_000);
});
