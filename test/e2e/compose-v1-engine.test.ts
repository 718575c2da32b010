/**
 * `vhtop why` with only docker-compose v1 (no `ps --format json`) against the real Docker engine: the
 * container state comes from `docker ps` filtered by the compose labels. The PATH holds a `docker`
 * that forwards everything to the real client except `compose` (which fails as a missing plugin
 * does) and a `docker-compose` stand-in that answers as v1 (there is no v1 package to install here).
 * Skips with a printed reason only when the engine cannot run here. Needs the built CLI.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, runBuiltCli } from '../helpers/built-cli.js';
import { BUSYBOX_IMAGE, composeProject, docker, dockerPath, engineReady, freePorts, type ComposeProject } from '../helpers/docker-engine.js';
import { tempDir } from '../helpers/temp-dir.js';

let PORT = 0;
let UNUSED = 0;

// `web` exits with code 7 when it is stopped (sh as PID 1 ends on its TERM trap), so "exited with its
// code" is the engine's own answer, not the 143/137 of a killed process.
const compose = () => `services:
  web:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "trap 'exit 7' TERM; httpd -p 8080 -h /www; while :; do sleep 1 & wait $$!; done"]
    ports: ["127.0.0.1:${PORT}:8080"]
  never:
    image: ${BUSYBOX_IMAGE}
    profiles: [never]
`;

// Another project with a running service of the same name: the project label keeps it apart.
const otherCompose = `services:
  web:
    image: ${BUSYBOX_IMAGE}
    init: true
    command: ["sleep", "3600"]
`;

const registry = () => `version: 1
services:
  - { id: web, name: Web, port: ${PORT}, group: app, docker: web }
  - { id: never, name: Never, port: ${UNUSED}, group: app, docker: never }
`;

/** `docker`: the real client, except that `compose` is missing, as on a machine with only v1. */
const dockerWrapper = (real: string) => `#!/bin/sh
printf '%s\\n' "docker $*" >> "$VHTOP_ARGV_LOG"
if [ "$1" = compose ]; then
  echo "docker: 'compose' is not a docker command." >&2
  echo "See 'docker --help'" >&2
  exit 1
fi
exec ${real} "$@"
`;

/** `docker-compose` as v1 answers: a 1.29 version line, and its usage text for the unknown --format. */
const composeV1 = `#!/bin/sh
printf '%s\\n' "docker-compose $*" >> "$VHTOP_ARGV_LOG"
if [ "$1" = version ]; then echo "docker-compose version 1.29.2, build unknown"; exit 0; fi
if [ "$1" = -f ]; then shift 2; fi
if [ "$1" = ps ]; then
  for a in "$@"; do
    if [ "$a" = --format ]; then
      printf 'List containers.\\n\\nUsage: ps [options] [--] [SERVICE...]\\n\\nOptions:\\n    -q, --quiet          Only display IDs\\n    --services           Display services\\n    --filter KEY=VAL     Filter services by a property\\n    -a, --all            Show all stopped containers\\n' >&2
      exit 1
    fi
  done
fi
echo "docker-compose 1.29 stand-in: $1 is not part of this test" >&2
exit 1
`;

let reason: string | null = 'not checked yet';
let project: ComposeProject | null = null;
let other: ComposeProject | null = null;
let scratch: ReturnType<typeof tempDir> | null = null;

beforeAll(async () => {
  reason = isBuilt() ? await engineReady() : 'the CLI is not built (npm run build)';
  if (reason !== null) {
    console.log(`skipping the compose v1 real-engine tests: ${reason}`);
    return;
  }
  [PORT, UNUSED] = (await freePorts(2)) as [number, number];
  scratch = tempDir('vhtop-v1-');
  const bin = path.join(scratch.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'docker'), dockerWrapper(dockerPath() as string));
  writeFileSync(path.join(bin, 'docker-compose'), composeV1);
  chmodSync(path.join(bin, 'docker'), 0o755);
  chmodSync(path.join(bin, 'docker-compose'), 0o755);
  project = composeProject('v1', { 'compose.yaml': compose(), 'registry.yaml': registry() });
  // How a v1 user names the project: COMPOSE_PROJECT_NAME in the .env beside the compose file.
  writeFileSync(path.join(project.dir, '.env'), `COMPOSE_PROJECT_NAME=${project.name}\n`);
  other = composeProject('v1other', { 'compose.yaml': otherCompose });
  const [up, otherUp] = await Promise.all([project.compose(['up', '-d']), other.compose(['up', '-d'])]);
  if (up.code !== 0) throw new Error(`docker compose up failed: ${up.stderr}`);
  if (otherUp.code !== 0) throw new Error(`docker compose up (other project) failed: ${otherUp.stderr}`);
}, 240_000);

afterAll(async () => {
  await Promise.all([project?.down(), other?.down()]);
  scratch?.remove();
}, 120_000);

const argvLog = () => path.join((scratch as { dir: string }).dir, 'argv.log');

/** vhtop in the project directory, with the v1-only PATH. */
function vhtop(args: readonly string[]) {
  const p = project as ComposeProject;
  const env = { PATH: path.join((scratch as { dir: string }).dir, 'bin'), HOME: p.dir, NO_COLOR: '1', COLUMNS: '200', VHTOP_ARGV_LOG: argvLog() };
  return runBuiltCli(args, { cwd: p.dir, env });
}

/** Polls the engine until the project's `service` container's status matches `want`. */
async function waitForStatus(service: string, want: RegExp): Promise<void> {
  const p = project as ComposeProject;
  const end = Date.now() + 90_000;
  let last = '';
  while (Date.now() < end) {
    const r = await docker(['ps', '--all', '--filter', `label=com.docker.compose.project=${p.name}`, '--filter', `label=com.docker.compose.service=${service}`, '--format', '{{.Status}}']);
    last = r.stdout;
    if (want.test(r.stdout)) return;
    await sleep(250);
  }
  throw new Error(`${service} never reached ${want}: ${last}`);
}

describe('vhtop why with only docker-compose v1 (real engine)', () => {
  it('running, then exited with its code, then never created: from docker ps by labels', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const p = project as ComposeProject;
    await waitForStatus('web', /^Up/);

    const running = await vhtop(['why', 'web']);
    expect(running.stderr).toBe('');
    expect(running.stdout).toMatch(/container \S*web\S* is running \(Up /);
    expect(running.code).toBe(0);
    const calls = readFileSync(argvLog(), 'utf8');
    // v1 was asked first and could not answer; the engine was asked by labels, project included.
    expect(calls).toContain(`docker-compose -f ${path.join(p.dir, 'compose.yaml')} ps --all --format json -- web`);
    expect(calls).toContain(`docker ps --all --no-trunc --filter label=com.docker.compose.service=web --filter label=com.docker.compose.project=${p.name} --format`);

    const stop = await p.compose(['stop', '-t', '20', 'web']);
    expect(stop.code).toBe(0);
    await waitForStatus('web', /^Exited \(7\)/);
    // The other project's web still runs: only the project label tells the two apart.
    const exited = await vhtop(['why', 'web']);
    expect(exited.stdout).toMatch(/container \S*web\S* exited with code 7 \(Exited \(7\)/);
    expect(exited.code).toBe(1);

    const json = JSON.parse((await vhtop(['why', 'web', '--json'])).stdout) as { container: { state: string; exitCode: number | null } | null };
    expect(json.container).toMatchObject({ state: 'exited', exitCode: 7 });

    const never = await vhtop(['why', 'never']);
    expect(never.stdout).toMatch(/no container for never: never started, or removed/);
  }, 240_000);
});
