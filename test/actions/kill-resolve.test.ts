import { describe, expect, it } from 'vitest';
import { otherListenerPids, parseKillTarget, resolveKillTarget } from '../../src/actions/kill-resolve.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import { catalogue, def, env, probeData, proc, sock } from '../core/snapshot-fixtures.js';

/**
 * Resolving kill targets against a hand-built snapshot (list --all, so that established sockets are
 * in it too): only sockets that hold the port (TCP LISTEN, UDP UNCONN) name a process to kill.
 */
const data = probeData(
  [
    sock({ port: 8080, pids: [300, 301], inode: 80 }),
    sock({ port: 8080, localAddress: '::', pids: [302], inode: 81 }),
    sock({ port: 8080, state: 'ESTAB', remoteAddress: '10.0.0.9', remotePort: 5000, pids: [200], inode: 82 }),
    sock({ port: 5353, protocol: 'udp', pids: [400], inode: 53 }),
    sock({ port: 9000, state: 'ESTAB', remoteAddress: '10.0.0.9', remotePort: 5001, pids: [500], inode: 90 }),
  ],
  [proc(200, 'curl'), proc(300, 'nginx'), proc(301, 'nginx'), proc(302, 'nginx'), proc(400, 'avahi'), proc(500, 'ssh')],
);
const snapshot = buildSnapshot(
  data,
  catalogue(def({ id: 'web', port: 8080, docker: 'web-app' }), def({ id: 'mdns', port: 5353, protocol: 'udp' }), def({ id: 'api', port: 9000 })),
  env(),
  { profile: null, all: true },
);

describe('resolveKillTarget', () => {
  it('a port resolves to the lowest-pid holder of its listening socket, never to a client connection', () => {
    expect(resolveKillTarget(parseKillTarget(':8080'), snapshot)).toEqual({
      target: ':8080',
      candidates: [{ target: ':8080', pid: 300, port: 8080, inode: 80, service: 'web', dockerService: 'web-app' }],
    });
  });

  it('a UDP service resolves through its unconnected socket', () => {
    const r = resolveKillTarget(parseKillTarget('mdns'), snapshot);
    expect(r).toEqual({ target: 'mdns', candidates: [{ target: 'mdns', pid: 400, port: 5353, inode: 53, service: 'mdns', dockerService: null }] });
  });

  it('a port with only established sockets has nothing listening', () => {
    expect(resolveKillTarget(parseKillTarget('9000'), snapshot)).toEqual({ target: '9000', problem: 'nothing listens on port 9000' });
    expect(resolveKillTarget(parseKillTarget('api'), snapshot)).toEqual({ target: 'api', problem: 'service api: nothing listens on port 9000' });
  });
});

describe('otherListenerPids', () => {
  it('lists the other holders of the port (forked workers, the IPv6 twin), not its clients', () => {
    expect(otherListenerPids(snapshot, 8080, 300)).toEqual([301, 302]);
    expect(otherListenerPids(snapshot, 9000, 1)).toEqual([]);
  });
});
