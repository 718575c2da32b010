import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeArgs, describeComposeFailure, findComposeFile, resolveComposeCli, validateDockerName } from '../../src/actions/compose.js';
import { realExec } from '../../src/actions/exec.js';
import { ConfigError } from '../../src/core/errors.js';
import { fakeEnv, type FakeEnv } from './logs-helpers.js';

let f: FakeEnv;
beforeEach(() => {
  f = fakeEnv();
});
afterEach(() => f.cleanup());

describe('findComposeFile', () => {
  it('prefers an explicit file and rejects a missing one with ConfigError', () => {
    const file = path.join(f.dir, 'mine.yml');
    writeFileSync(file, 'services: {}\n');
    expect(findComposeFile({ explicit: 'mine.yml', cwd: f.dir, registryFile: '/nowhere/registry.yaml' })).toBe(file);
    expect(() => findComposeFile({ explicit: 'gone.yml', cwd: f.dir, registryFile: '/x' })).toThrow(ConfigError);
    expect(() => findComposeFile({ explicit: 'gone.yml', cwd: f.dir, registryFile: '/x' })).toThrow(/gone\.yml: --compose-file: file not found/);
  });

  it('takes compose.yaml before docker-compose.yml in cwd, else one beside the registry, else null', () => {
    const cwd = path.join(f.dir, 'cwd');
    const reg = path.join(f.dir, 'reg');
    mkdirSync(cwd);
    mkdirSync(reg);
    expect(findComposeFile({ explicit: null, cwd, registryFile: path.join(reg, 'registry.yaml') })).toBeNull();
    writeFileSync(path.join(reg, 'docker-compose.yaml'), '');
    expect(findComposeFile({ explicit: null, cwd, registryFile: path.join(reg, 'registry.yaml') })).toBe(path.join(reg, 'docker-compose.yaml'));
    writeFileSync(path.join(cwd, 'docker-compose.yml'), '');
    expect(findComposeFile({ explicit: null, cwd, registryFile: path.join(reg, 'registry.yaml') })).toBe(path.join(cwd, 'docker-compose.yml'));
    writeFileSync(path.join(cwd, 'compose.yaml'), '');
    expect(findComposeFile({ explicit: null, cwd, registryFile: path.join(reg, 'registry.yaml') })).toBe(path.join(cwd, 'compose.yaml'));
  });
});

describe('resolveComposeCli (stand-ins on PATH)', () => {
  it('uses docker compose when `docker compose version` works', async () => {
    expect(await resolveComposeCli(realExec, f.env())).toEqual({ file: 'docker', prefix: ['compose'] });
    expect(f.calls()).toEqual([['docker', 'compose', 'version']]);
  });

  it('falls back to docker-compose when the plugin is missing', async () => {
    expect(await resolveComposeCli(realExec, f.env({ VHTOP_FAKE_DOCKER: 'no-compose' }))).toEqual({ file: 'docker-compose', prefix: [] });
    expect(f.calls()).toEqual([['docker', 'compose', 'version'], ['docker-compose', 'version']]);
  });

  it('says docker is not installed when neither is on PATH', async () => {
    const r = await resolveComposeCli(realExec, f.env({}, [f.binWith(['journalctl'])]));
    expect(r).toEqual({ error: 'docker not installed (neither `docker` nor `docker-compose` is on PATH)' });
  });

  it('says compose is missing when docker exists without the plugin', async () => {
    const r = await resolveComposeCli(realExec, f.env({ VHTOP_FAKE_DOCKER: 'no-compose' }, [f.binWith(['docker'])]));
    expect(r).toEqual({ error: expect.stringMatching(/^docker compose not available/) });
  });
});

describe('small helpers', () => {
  it('composeArgs puts -f FILE first', () => {
    expect(composeArgs('/a/compose.yaml', ['logs', '--', 'web'])).toEqual(['-f', '/a/compose.yaml', 'logs', '--', 'web']);
    expect(composeArgs(null, ['ps'])).toEqual(['ps']);
  });

  it.each([
    ['web', true],
    ['algo-service', true],
    ['a.b_c-1', true],
    ['-f', false],
    ['--follow', false],
    ['', false],
    ['we b', false],
    ['web;rm', false],
    ['.hidden', false],
  ])('validateDockerName(%j) = %s', (name, ok) => {
    expect(validateDockerName(name)).toBe(ok);
  });

  it('names the daemon being down and an unknown service', () => {
    expect(describeComposeFailure('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'web')).toMatch(/^the Docker daemon is not running/);
    expect(describeComposeFailure('no such service: web', 'web')).toBe('unknown compose service web');
    expect(describeComposeFailure('permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock', 'web')).toMatch(/^no permission to talk to the Docker daemon/);
    expect(describeComposeFailure('\n  something odd\nmore', 'web')).toBe('something odd');
  });
});
