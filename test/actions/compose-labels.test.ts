import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  containerFromLabelled,
  dockerPsArgs,
  exitCodeFromStatus,
  healthFromStatus,
  parseLabelledContainers,
  psFormatUnsupported,
  type LabelledContainer,
} from '../../src/actions/compose-labels.js';
import { containerState } from '../../src/actions/compose-ps.js';
import { composeProjectName, normalizeProjectName } from '../../src/actions/compose-project.js';
import type { Exec, ExecResult } from '../../src/actions/exec.js';

/** One `docker ps` row in the fallback's tab-separated format. */
const row = (id: string, service: string, project: string, oneoff: string, state: string, status: string) => [id, service, project, oneoff, state, status].join('\t');

/** Records every call; compose answers like docker-compose v1 (no --format), docker ps with `psOut`. */
function v1Exec(psOut: Partial<ExecResult>): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  const exec: Exec = {
    async run(file, args) {
      calls.push([file, ...args]);
      const base = { exitCode: 0, stdout: '', stderr: '', notFound: false, cancelled: false };
      if (file === 'docker-compose') return { ...base, exitCode: 1, stderr: 'List containers.\n\nUsage: ps [options] [--] [SERVICE...]\n\nOptions:\n    -q, --quiet  Only display IDs\n' };
      return { ...base, ...psOut };
    },
    stream() {
      throw new Error('not used');
    },
  };
  return { exec, calls };
}

const v1 = { file: 'docker-compose', prefix: [] };

describe('dockerPsArgs', () => {
  it('selects by the service label, and by the project label when the project is known', () => {
    const args = dockerPsArgs('web', 'shop');
    expect(args.slice(0, 7)).toEqual(['ps', '--all', '--no-trunc', '--filter', 'label=com.docker.compose.service=web', '--filter', 'label=com.docker.compose.project=shop']);
    expect(args.at(-2)).toBe('--format');
    expect(dockerPsArgs('web', null)).not.toContain('label=com.docker.compose.project=shop');
    expect(dockerPsArgs('web', null).filter((a) => a === '--filter')).toHaveLength(1);
  });
});

describe('parseLabelledContainers', () => {
  it('reads the tab-separated rows and cleans them; output of another shape is unreadable, not "no container"', () => {
    const out = parseLabelledContainers(
      [row('abc', 'web', 'shop', 'False', 'running', 'Up 2 minutes (healthy)'), '', row('def', 'web', 'shop', 'True', 'exited', 'Exited (0) 1 minute ago\x1b[31m\u202e')].join('\n'),
    );
    expect(out).toHaveLength(2);
    expect(parseLabelledContainers(`${row('abc', 'web', 'shop', 'False', 'running', 'Up')}\nCONTAINER ID   IMAGE`)).toBeNull();
    expect(parseLabelledContainers('')).toEqual([]);
    expect(out?.[0]).toEqual({ id: 'abc', service: 'web', project: 'shop', oneoff: false, state: 'running', status: 'Up 2 minutes (healthy)' });
    expect(out?.[1]?.oneoff).toBe(true);
    expect(out?.[1]?.status).not.toMatch(/\x1b|\u202e/);
  });
});

describe('status words', () => {
  it('health from the status', () => {
    expect(healthFromStatus('Up 3 minutes (healthy)')).toBe('healthy');
    expect(healthFromStatus('Up 3 seconds (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatus('Up 1 second (health: starting)')).toBe('starting');
    expect(healthFromStatus('Up 3 minutes')).toBeNull();
  });
  it('exit code from exited and restarting', () => {
    expect(exitCodeFromStatus('Exited (137) 1 hour ago')).toBe(137);
    expect(exitCodeFromStatus('Restarting (1) 2 seconds ago')).toBe(1);
    expect(exitCodeFromStatus('Up 2 minutes')).toBeNull();
  });
});

describe('containerFromLabelled', () => {
  const c = (over: Partial<LabelledContainer>): LabelledContainer => ({ id: 'x', service: 'web', project: 'shop', oneoff: false, state: 'running', status: 'Up 1 minute', ...over });

  it('running, with docker health', () => {
    expect(containerFromLabelled('web', 'shop', [c({ status: 'Up 1 minute (unhealthy)' })])).toEqual({ name: 'web', state: 'running', detail: 'Up 1 minute (unhealthy)', health: 'unhealthy', exitCode: null, reason: null });
  });
  it('exited with its code; restarting with the last one', () => {
    expect(containerFromLabelled('web', 'shop', [c({ state: 'exited', status: 'Exited (3) 4 seconds ago' })])).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(containerFromLabelled('web', 'shop', [c({ state: 'restarting', status: 'Restarting (1) 1 second ago' })])).toMatchObject({ state: 'restarting', exitCode: 1 });
  });
  it('a running replica wins over stopped ones', () => {
    const rows = [c({ id: 'a', state: 'exited', status: 'Exited (1) 3 minutes ago' }), c({ id: 'b' })];
    expect(containerFromLabelled('web', 'shop', rows)).toMatchObject({ state: 'running', exitCode: null });
  });
  it('never created: no container carries the labels', () => {
    expect(containerFromLabelled('web', 'shop', [])).toMatchObject({ state: 'absent' });
  });
  it('selects by labels only: another project, another service and one-off run containers are not the service', () => {
    const rows = [c({ project: 'other' }), c({ service: 'db' }), c({ oneoff: true }), c({ state: 'exited', status: 'Exited (2) now' })];
    expect(containerFromLabelled('web', 'shop', rows)).toMatchObject({ state: 'exited', exitCode: 2 });
    expect(containerFromLabelled('web', 'shop', rows.slice(0, 3))).toMatchObject({ state: 'absent' });
    // Project unknown: any project's container of the service counts.
    expect(containerFromLabelled('web', null, rows.slice(0, 1))).toMatchObject({ state: 'running' });
  });
  it('an engine without .State: the state comes from the status words', () => {
    expect(containerFromLabelled('web', null, [c({ state: '', status: 'Exited (9) 1 second ago' })])).toMatchObject({ state: 'exited', exitCode: 9 });
    expect(containerFromLabelled('web', null, [c({ state: '', status: 'Up 2 seconds (Paused)' })])).toMatchObject({ state: 'paused' });
  });
  it('an unknown state is said to be unknown', () => {
    expect(containerFromLabelled('web', null, [c({ state: 'teleporting' })])).toMatchObject({ state: 'unknown', reason: 'error' });
  });
});

describe('psFormatUnsupported', () => {
  it('knows v1 usage and unknown-flag answers, not daemon or service failures', () => {
    expect(psFormatUnsupported('List containers.\n\nUsage: ps [options] [--] [SERVICE...]\n')).toBe(true);
    expect(psFormatUnsupported('unknown flag: --format')).toBe(true);
    expect(psFormatUnsupported('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')).toBe(false);
    expect(psFormatUnsupported('no such service: web')).toBe(false);
  });
});

describe('containerState with a compose that has no ps --format json', () => {
  it('asks docker ps by labels (project filter included) and reports the container', async () => {
    const { exec, calls } = v1Exec({ stdout: row('abc', 'web', 'shop', 'False', 'exited', 'Exited (4) 10 seconds ago') });
    const facts = await containerState({ exec, cli: v1, composeFile: '/srv/shop/docker-compose.yml', name: 'web', project: 'shop' });
    expect(facts).toEqual({ name: 'web', state: 'exited', detail: 'Exited (4) 10 seconds ago', health: null, exitCode: 4, reason: null });
    expect(calls[0]).toEqual(['docker-compose', '-f', '/srv/shop/docker-compose.yml', 'ps', '--all', '--format', 'json', '--', 'web']);
    expect(calls[1]).toEqual(['docker', ...dockerPsArgs('web', 'shop')]);
    expect(calls).toHaveLength(2);
  });

  it('no container: never created', async () => {
    const { exec } = v1Exec({ stdout: '' });
    expect(await containerState({ exec, cli: v1, composeFile: null, name: 'web', project: null })).toMatchObject({ state: 'absent' });
  });

  it('a compose that ignores --format (prints a table) also falls back', async () => {
    const calls: string[][] = [];
    const exec: Exec = {
      async run(file, args) {
        calls.push([file, ...args]);
        const stdout = file === 'docker' ? row('abc', 'web', 'shop', 'False', 'running', 'Up 1 second') : 'Name   Command   State   Ports\n-----\nshop_web_1  httpd  Up';
        return { exitCode: 0, stdout, stderr: '', notFound: false, cancelled: false };
      },
      stream() {
        throw new Error('not used');
      },
    };
    expect(await containerState({ exec, cli: v1, composeFile: null, name: 'web', project: 'shop' })).toMatchObject({ state: 'running' });
    expect(calls.map((c) => c[0])).toEqual(['docker-compose', 'docker']);
  });

  it('daemon down or no docker client: unknown, in words', async () => {
    const down = v1Exec({ exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' });
    expect(await containerState({ exec: down.exec, cli: v1, composeFile: null, name: 'web' })).toMatchObject({ state: 'unknown', reason: 'daemon-down' });
    const missing = v1Exec({ exitCode: null, notFound: true });
    const facts = await containerState({ exec: missing.exec, cli: v1, composeFile: null, name: 'web' });
    expect(facts).toMatchObject({ state: 'unknown', reason: 'no-docker' });
    expect(facts.detail).toContain('docker client is not on PATH');
  });

  it('a compose v2 failure that is not about --format is not hidden by the fallback', async () => {
    const calls: string[][] = [];
    const exec: Exec = {
      async run(file, args) {
        calls.push([file, ...args]);
        return { exitCode: 1, stdout: '', stderr: 'no such service: web', notFound: false, cancelled: false };
      },
      stream() {
        throw new Error('not used');
      },
    };
    expect(await containerState({ exec, cli: { file: 'docker', prefix: ['compose'] }, composeFile: null, name: 'web', project: 'shop' })).toMatchObject({ state: 'unknown' });
    expect(calls).toHaveLength(1);
  });
});

describe('composeProjectName', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    dir = '';
  });
  const project = (files: Record<string, string>) => {
    dir = mkdtempSync(path.join(tmpdir(), 'vhtop-project-'));
    const sub = path.join(dir, 'My.Shop');
    mkdirSync(sub);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(sub, name), text);
    return path.join(sub, 'compose.yaml');
  };

  it('follows compose: environment, then .env, then name:, then the directory', () => {
    const file = project({ 'compose.yaml': 'services: {}\n' });
    expect(composeProjectName(file, {})).toBe('myshop');
    expect(composeProjectName(file, { COMPOSE_PROJECT_NAME: 'Env_Name' })).toBe('env_name');
    writeFileSync(file, 'name: named\nservices: {}\n');
    expect(composeProjectName(file, {})).toBe('named');
    writeFileSync(path.join(path.dirname(file), '.env'), 'COMPOSE_PROJECT_NAME=fromdotenv\n');
    expect(composeProjectName(file, {})).toBe('fromdotenv');
    expect(composeProjectName(file, { COMPOSE_PROJECT_NAME: 'wins' })).toBe('wins');
  });

  it('unknown without a compose file, or when name: needs variables', () => {
    expect(composeProjectName(null, {})).toBeNull();
    const file = project({ 'compose.yaml': 'name: ${STACK}\nservices: {}\n' });
    expect(composeProjectName(file, {})).toBeNull();
  });

  it('normalises as compose does', () => {
    expect(normalizeProjectName('_My Project.2')).toBe('myproject2');
    expect(normalizeProjectName('...')).toBeNull();
  });
});
