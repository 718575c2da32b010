import { describe, expect, it } from 'vitest';
import { parseContainers, parsePorts, withContainers } from '../../src/probe/containers.js';
import { engineMayAnswer } from '../../src/probe/engine-socket.js';
import type { Exec, ExecResult } from '../../src/actions/exec.js';
import type { Probe, ProbeData } from '../../src/core/types.js';

const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '', notFound: false, cancelled: false });

/** An exec that records every call and answers `docker ps` with one compose container. */
function recordingExec() {
  const calls: string[][] = [];
  const exec: Exec = {
    run: async (file, args) => {
      calls.push([file, ...args]);
      return ok('vh-web-1\tweb\tvh\t127.0.0.1:18080->80/tcp\n');
    },
    stream: () => {
      throw new Error('not used');
    },
  };
  return { exec, calls };
}

const emptyProbe: Probe = { kind: 'linux', collect: async () => ({ sockets: [], processes: new Map() }) as unknown as ProbeData };

describe('the Docker engine view of published ports', () => {
  it.each([
    ['127.0.0.1:8080->80/tcp', [{ hostIp: '127.0.0.1', port: 8080, protocol: 'tcp' }]],
    ['0.0.0.0:53->53/udp, :::53->53/udp', [{ hostIp: '0.0.0.0', port: 53, protocol: 'udp' }, { hostIp: '::', port: 53, protocol: 'udp' }]],
    ['9000/tcp', []],
    ['127.0.0.1:9000-9001->8000-8001/tcp', [{ hostIp: '127.0.0.1', port: 9000, protocol: 'tcp' }, { hostIp: '127.0.0.1', port: 9001, protocol: 'tcp' }]],
  ])('parses the published ports of %j', (text, expected) => {
    expect(parsePorts(text)).toEqual(expected);
  });

  it('cleans container names and labels (they are untrusted text)', () => {
    const [c] = parseContainers('evil\x1b[2Jname\tsvc\tproj\t127.0.0.1:1->1/tcp\n');
    expect(c?.name).not.toContain('\x1b');
    expect(c?.service).toBe('svc');
  });

  it.each([
    [{}, [], false],
    [{}, ['/var/run/docker.sock'], true],
    [{}, ['/run/docker.sock'], true],
    [{ XDG_RUNTIME_DIR: '/run/user/1000' }, ['/run/user/1000/docker.sock'], true],
    [{ DOCKER_HOST: 'unix:///tmp/missing.sock' }, ['/var/run/docker.sock'], false],
    [{ DOCKER_HOST: 'unix:///tmp/d.sock' }, ['/tmp/d.sock'], true],
    [{ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, [], true],
    [{ DOCKER_CONTEXT: 'remote' }, [], true],
  ] as const)('engine may answer with env %j and sockets %j: %s', (env, sockets, expected) => {
    expect(engineMayAnswer(env, (f) => (sockets as readonly string[]).includes(f))).toBe(expected);
  });

  it('runs no docker client when no engine can answer, and one docker ps per pass when one can', async () => {
    const none = recordingExec();
    const data = await withContainers(emptyProbe, none.exec, () => false).collect();
    expect(none.calls).toEqual([]);
    expect(data.containers).toBeUndefined();

    const some = recordingExec();
    const probe = withContainers(emptyProbe, some.exec, () => true);
    const first = await probe.collect();
    await probe.collect();
    expect(some.calls).toHaveLength(2);
    expect(some.calls[0]?.slice(0, 2)).toEqual(['docker', 'ps']);
    expect(first.containers?.[0]).toMatchObject({ name: 'vh-web-1', service: 'web', project: 'vh' });
  });
});
