import { describe, expect, it } from 'vitest';
import { containerFromRows, containerState, lastLogLines, parsePsRows } from '../../src/actions/compose-ps.js';
import type { Exec, ExecResult } from '../../src/actions/exec.js';

/** Records every call and answers with the canned result for the subcommand. */
function recordingExec(answers: Record<string, Partial<ExecResult>>): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  const exec: Exec = {
    async run(file, args) {
      calls.push([file, ...args]);
      const sub = args.find((a) => a === 'ps' || a === 'logs') ?? '';
      return { exitCode: 0, stdout: '', stderr: '', notFound: false, cancelled: false, ...answers[sub] };
    },
    stream() {
      throw new Error('not used');
    },
  };
  return { exec, calls };
}

const plugin = { file: 'docker', prefix: ['compose'] };

describe('parsePsRows', () => {
  it('reads one object per line (compose >= 2.21) and a JSON array (older)', () => {
    const row = { Service: 'backend', State: 'running', Status: 'Up 2 minutes', Health: '', ExitCode: 0 };
    expect(parsePsRows(`${JSON.stringify(row)}\n${JSON.stringify({ ...row, Service: 'db' })}\n`)).toHaveLength(2);
    expect(parsePsRows(JSON.stringify([row]))).toHaveLength(1);
    expect(parsePsRows('')).toEqual([]);
    expect(parsePsRows('[]')).toEqual([]);
    expect(parsePsRows('NAME   IMAGE\nbackend  x')).toBeNull();
  });
});

describe('containerFromRows', () => {
  it('prefers a running replica and keeps docker health and exit code', () => {
    const rows = [
      { Service: 'backend', State: 'exited', Status: 'Exited (1) 3 minutes ago', ExitCode: 1 },
      { Service: 'backend', State: 'running', Status: 'Up 1 minute (healthy)', Health: 'healthy', ExitCode: 0 },
    ];
    expect(containerFromRows('backend', rows)).toEqual({ name: 'backend', state: 'running', detail: 'Up 1 minute (healthy)', health: 'healthy', exitCode: null, reason: null });
  });
  it('reports an exited container with its code', () => {
    expect(containerFromRows('backend', [{ Service: 'backend', State: 'exited', Status: 'Exited (137) 1 hour ago', ExitCode: 137 }])).toMatchObject({ state: 'exited', exitCode: 137 });
  });
  it('is absent when compose lists no container of the service', () => {
    expect(containerFromRows('backend', [{ Service: 'db', State: 'running' }])).toMatchObject({ state: 'absent' });
  });
  it('cleans docker words of control characters', () => {
    const c = containerFromRows('backend', [{ Service: 'backend', State: 'running', Status: 'Up\x1b[31m 2 minutes\u202e' }]);
    expect(c.detail).not.toMatch(/\x1b|\u202e/);
  });
  it('says an unknown state is unknown instead of guessing', () => {
    expect(containerFromRows('backend', [{ Service: 'backend', State: 'teleporting' }])).toMatchObject({ state: 'unknown', reason: 'error' });
  });
});

describe('containerState and lastLogLines', () => {
  it('runs the exact ps and logs command lines, with -f when a compose file is given', async () => {
    const { exec, calls } = recordingExec({
      ps: { stdout: '{"Service":"backend","State":"running","Status":"Up 3 seconds"}' },
      logs: { stdout: 'backend-1  | one\nbackend-1  | two\x1b[2J\n\n' },
    });
    const target = { exec, cli: plugin, composeFile: '/srv/app/compose.yaml', name: 'backend' };
    expect(await containerState(target)).toMatchObject({ state: 'running', detail: 'Up 3 seconds' });
    expect(await lastLogLines(target)).toEqual({ lines: ['backend-1  | one', 'backend-1  | two'] });
    expect(calls).toEqual([
      ['docker', 'compose', '-f', '/srv/app/compose.yaml', 'ps', '--all', '--format', 'json', '--', 'backend'],
      ['docker', 'compose', '-f', '/srv/app/compose.yaml', 'logs', '--no-color', '--tail', '10', '--', 'backend'],
    ]);
  });

  it('uses the standalone docker-compose without a file', async () => {
    const { exec, calls } = recordingExec({ ps: { stdout: '[]' } });
    expect(await containerState({ exec, cli: { file: 'docker-compose', prefix: [] }, composeFile: null, name: 'web' })).toMatchObject({ state: 'absent' });
    expect(calls).toEqual([['docker-compose', 'ps', '--all', '--format', 'json', '--', 'web']]);
  });

  it('docker not installed: unknown, and nothing is run', async () => {
    const { exec, calls } = recordingExec({});
    const cli = { error: 'docker not installed (neither `docker` nor `docker-compose` is on PATH)' };
    expect(await containerState({ exec, cli, composeFile: null, name: 'backend' })).toEqual({
      name: 'backend',
      state: 'unknown',
      detail: 'docker not installed: container state unknown',
      health: null,
      exitCode: null,
      reason: 'no-docker',
    });
    expect(calls).toEqual([]);
  });

  it('daemon down: says so', async () => {
    const { exec } = recordingExec({
      ps: { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' },
      logs: { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' },
    });
    const target = { exec, cli: plugin, composeFile: null, name: 'backend' };
    expect(await containerState(target)).toMatchObject({ state: 'unknown', reason: 'daemon-down', detail: 'the Docker daemon is not running: container state unknown' });
    expect(await lastLogLines(target)).toEqual({ unavailable: 'the Docker daemon is not running (cannot connect to the Docker daemon)' });
  });

  it('unreadable ps output is unknown, not a crash', async () => {
    const { exec } = recordingExec({ ps: { stdout: 'NAME  STATUS\nbackend-1  Up' } });
    expect(await containerState({ exec, cli: plugin, composeFile: null, name: 'backend' })).toMatchObject({ state: 'unknown', reason: 'error' });
  });
});
