import { describe, expect, it } from 'vitest';
import { argv0Base, connectHost, isDockerProxy, isLoopback, isWildcard, ownerMatches } from '../../src/core/match.js';
import { proc, svc } from './snapshot-fixtures.js';

describe('address kinds', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['::ffff:192.168.1.5', false],
    ['fe80::1', false],
    ['128.0.0.1', false],
  ])('isLoopback(%s) = %s', (addr, want) => expect(isLoopback(addr)).toBe(want));

  it.each([
    ['0.0.0.0', true],
    ['::', true],
    ['*', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['10.0.0.1', false],
  ])('isWildcard(%s) = %s', (addr, want) => expect(isWildcard(addr)).toBe(want));

  it.each([
    ['0.0.0.0', 4, '127.0.0.1'],
    ['127.0.0.1', 4, '127.0.0.1'],
    ['::', 6, '::1'],
    ['::1', 6, '::1'],
    ['127.0.0.1', 6, '127.0.0.1'], // IPv4-mapped loopback on an IPv6 socket
    ['10.1.2.3', 4, '10.1.2.3'],
    ['fd00::5', 6, 'fd00::5'],
    ['::ffff:10.0.0.5', 6, '10.0.0.5'],
    ['192.168.1.20', 4, '192.168.1.20'],
    ['127.0.0.5', 4, '127.0.0.5'], // bound to one loopback address: 127.0.0.1 would be refused
    ['::ffff:0.0.0.0', 6, '127.0.0.1'],
    ['', 4, '127.0.0.1'],
    ['', 6, '::1'],
  ] as const)('connectHost(%s, %s) = %s', (addr, fam, want) => expect(connectHost(addr, fam)).toBe(want));
});

describe('owner names', () => {
  it.each([
    ['/usr/bin/python3 -m http.server', 'python3'],
    ['java -jar x.war', 'java'],
    ['[kworker/0:1]', ''],
    ['', ''],
  ])('argv0Base(%j) = %j', (cmd, want) => expect(argv0Base(cmd)).toBe(want));

  const pg = svc({ id: 'postgres', port: 5432, process: ['postgres'], docker: 'postgres' });
  const anyone = svc({ id: 'x', port: 1, process: null });
  const longName = svc({ id: 'rc', port: 8081, process: ['redis-commander-server'] });
  it.each([
    ['comm equal', pg, proc(1, 'postgres'), true],
    ['case-insensitive', pg, proc(1, 'Postgres'), true],
    ['argv0 basename', pg, proc(1, 'postmaster', '/usr/lib/postgresql/16/bin/postgres -D /data'), true],
    ['other program', pg, proc(1, 'nc', 'nc -l 5432'), false],
    ['verified docker-proxy for a docker entry', pg, { ...proc(1, 'docker-proxy', '/usr/bin/docker-proxy -proto tcp'), dockerProxy: true }, true],
    ['verified docker-proxy for a non-docker entry', svc({ id: 'a', port: 1, process: ['a'] }), { ...proc(1, 'docker-proxy'), dockerProxy: true }, false],
    ['a process only named docker-proxy for a docker entry', pg, proc(1, 'docker-proxy', '/usr/bin/docker-proxy -proto tcp'), false],
    ['no process list accepts anyone', anyone, proc(1, 'whatever'), true],
    ['comm cut to 15 bytes', longName, proc(1, 'redis-commander', 'node /app/server.js'), true],
    ['a prefix that is not a cut comm', longName, proc(1, 'redis', 'redis'), false],
  ])('%s', (_label, entry, p, want) => expect(ownerMatches(entry, p)).toBe(want));

  it('recognises docker-proxy only as the probe verified it, never by comm or argv[0]', () => {
    expect(isDockerProxy(proc(1, 'docker-proxy', '/usr/bin/docker-proxy -host-port 80'))).toBe(false);
    expect(isDockerProxy({ ...proc(1, 'docker-proxy'), dockerProxy: true })).toBe(true);
    expect(isDockerProxy(undefined)).toBe(false);
  });
});
