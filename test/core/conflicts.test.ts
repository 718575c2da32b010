import { describe, expect, it } from 'vitest';
import { classifyListeners } from '../../src/core/classify.js';
import { findConflicts, fixText, FreePortFinder, nextFreePort } from '../../src/core/conflicts.js';
import type { ProbeData, ResolvedService } from '../../src/core/types.js';
import { probeData, proc, sock, svc } from './snapshot-fixtures.js';

function conflictsOf(data: ProbeData, services: ResolvedService[], profile: string | null = null, allEntries = services) {
  return findConflicts({
    services,
    allEntries,
    listeners: classifyListeners(data, services, false),
    sockets: data.sockets,
    profile,
  });
}

const gateway = svc({ id: 'gateway', port: 8080, env: 'GATEWAY_PORT', process: ['gateway'] });
const redisCmd = svc({ id: 'redis-commander', port: 8081, process: ['redis-commander'] });

describe('nextFreePort', () => {
  it.each([
    [8080, [], 8081],
    [8080, [8081, 8082], 8083],
    [65534, [65535], null],
    [65535, [], null],
  ] as const)('after %s skipping %j -> %s', (after, taken, want) => expect(nextFreePort(after, new Set(taken))).toBe(want));
});

describe('FreePortFinder', () => {
  it.each([
    [8080, [], 8081],
    [8080, [8081, 8082], 8083],
    [65534, [65535], null],
    [65535, [], null],
    [0, [1, 2], 3],
  ] as const)('after %s skipping %j -> %s, as nextFreePort', (after, taken, want) => {
    expect(new FreePortFinder(taken).take(after)).toBe(want);
    expect(nextFreePort(after, new Set(taken))).toBe(want);
  });

  it('hands out every port once, in order, then null', () => {
    const f = new FreePortFinder([65533]);
    expect([f.take(65530), f.take(65530), f.take(65530), f.take(65530)]).toEqual([65531, 65532, 65534, 65535]);
    expect(f.take(65530)).toBeNull();
  });

  it('stays linear: 20,000 fixes above one busy port take a bounded number of steps, not 20,000²/2', () => {
    const taken = Array.from({ length: 5000 }, (_, i) => 10_000 + i * 2);
    const f = new FreePortFinder(taken);
    const got = Array.from({ length: 20_000 }, () => f.take(8080));
    expect(new Set(got).size).toBe(20_000);
    expect(got.every((p) => p !== null && !taken.includes(p) && p > 8080)).toBe(true);
    expect(f.steps).toBeLessThan(4 * 25_000);
  });
});

describe('a registry of thousands of entries on one port', () => {
  it('every entry gets its own fix port, each one above the port and unused', () => {
    const n = 5000;
    const services = Array.from({ length: n }, (_, i) => svc({ id: `s${i}`, port: 18080, env: `S${i}_PORT` }));
    const [c, ...rest] = conflictsOf(probeData([]), services);
    expect(rest).toEqual([]);
    expect(c?.services).toHaveLength(n);
    const ports = (c?.moves ?? []).map((m) => m.port);
    expect(ports).toHaveLength(n - 1);
    expect(new Set(ports).size).toBe(n - 1);
    expect(ports[0]).toBe(18081);
  });
});

describe('wrong-owner conflicts', () => {
  it('names the env var and the next port above the default no socket and no entry uses', () => {
    // 8081 is a catalogue port, 8082 is used by some socket: the fix must be 8083.
    const data = probeData(
      [sock({ port: 8080, pids: [20] }), sock({ port: 8082, state: 'ESTAB', remotePort: 1, pids: [21], inode: 3 })],
      [proc(20, 'java', 'java -jar jenkins.war'), proc(21, 'curl')],
    );
    const [c, ...rest] = conflictsOf(data, [gateway, redisCmd]);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      port: 8080,
      kind: 'wrong-owner',
      live: true,
      services: ['gateway'],
      holder: { pid: 20, process: 'java' },
      fix: 'set GATEWAY_PORT=8083, or stop PID 20 (java)',
      moves: [{ service: 'gateway', envVar: 'GATEWAY_PORT', port: 8083 }],
    });
  });

  it('an entry without env var: stop the holder or move the entry', () => {
    const data = probeData([sock({ port: 8081, pids: [1234] })], [proc(1234, 'java')]);
    const [c] = conflictsOf(data, [redisCmd]);
    expect(c?.fix).toBe('stop PID 1234 (java) or move redis-commander to another port in the registry (e.g. 8082, free now)');
  });

  it('the right owner, an unknown owner and a down service are not conflicts', () => {
    const data = probeData([sock({ port: 8080, pids: [10] }), sock({ port: 8081, inode: 5 })], [proc(10, 'gateway')]);
    expect(conflictsOf(data, [gateway, redisCmd])).toEqual([]);
  });

  it('IPv4 + IPv6 twins of the wrong program are one conflict naming it once', () => {
    const data = probeData([sock({ port: 8080, pids: [20] }), sock({ port: 8080, pids: [20], localAddress: '::', inode: 9 })], [proc(20, 'java')]);
    const cs = conflictsOf(data, [gateway]);
    expect(cs).toHaveLength(1);
    expect(cs[0]?.fix).toBe('set GATEWAY_PORT=8081, or stop PID 20 (java)');
  });

  it('wildcard + loopback of an unexpected port by different programs: one conflict, services []', () => {
    const data = probeData(
      [sock({ port: 7000, pids: [41], inode: 1 }), sock({ port: 7000, pids: [42], inode: 2, localAddress: '127.0.0.1' })],
      [proc(41, 'node'), proc(42, 'python3')],
    );
    const cs = conflictsOf(data, []);
    expect(cs).toHaveLength(1);
    expect(cs[0]).toMatchObject({
      port: 7000,
      kind: 'wrong-owner',
      services: [],
      live: true,
      holder: { pid: 42, process: 'python3' },
      fix: 'stop PID 42 (python3) or PID 41 (node): different programs answer on port 7000 (127.0.0.1 and 0.0.0.0)',
    });
  });
});

describe('catalogue conflicts', () => {
  const grafana = svc({ id: 'grafana', port: 3001, env: 'GRAFANA_PORT', process: ['grafana'], profiles: ['prod', 'dev'] });
  const attu = svc({ id: 'attu', port: 3001, env: 'ATTU_PORT', profiles: ['dev'] });
  const hmr = svc({ id: 'hmr', port: 3001, profiles: ['dev'] });
  const frontend = svc({ id: 'frontend', port: 3000, profiles: ['prod'] });
  const nextDev = svc({ id: 'next-dev', port: 3000, profiles: ['dev'] });
  const portal = svc({ id: 'portal', port: 3002, env: 'PORTAL_PORT' });

  it('entries sharing a port in one profile: latent when nothing listens; the entry without env var stays', () => {
    const cs = conflictsOf(probeData([]), [grafana, attu, hmr, portal]);
    expect(cs).toEqual([
      expect.objectContaining({
        port: 3001,
        kind: 'catalogue',
        live: false,
        services: ['grafana', 'attu', 'hmr'],
        holder: null,
        // 3002 is the portal's port: never proposed.
        fix: 'set GRAFANA_PORT=3003; set ATTU_PORT=3004',
      }),
    ]);
  });

  it('live when something listens; the running entry is the one that stays', () => {
    const data = probeData([sock({ port: 3001, pids: [7] })], [proc(7, 'node', 'node attu/server.js')]);
    const cs = conflictsOf(data, [grafana, attu]);
    expect(cs).toHaveLength(1);
    // attu accepts any owner, so the node process is attu: grafana moves.
    expect(cs[0]).toMatchObject({ kind: 'catalogue', live: true, holder: { pid: 7, process: 'node' }, fix: 'set GRAFANA_PORT=3002' });
  });

  it('entries whose profiles never meet do not collide (profile null)', () => {
    expect(conflictsOf(probeData([]), [frontend, nextDev])).toEqual([]);
  });

  it('null profiles meet every profile', () => {
    const any = svc({ id: 'any', port: 3000, env: 'ANY_PORT' });
    const cs = conflictsOf(probeData([]), [frontend, nextDev, any]);
    expect(cs[0]?.services).toEqual(['frontend', 'next-dev', 'any']);
    expect(cs[0]?.fix).toBe('set ANY_PORT=3001');
  });

  it('with a profile given, every entry of that profile on one port collides', () => {
    const cs = conflictsOf(probeData([]), [attu, hmr], 'dev', [grafana, attu, hmr]);
    expect(cs[0]).toMatchObject({ services: ['attu', 'hmr'], fix: 'set ATTU_PORT=3002' });
  });

  it('without env vars the first entry stays and the others must move in the registry', () => {
    const a = svc({ id: 'a', port: 3001 });
    const b = svc({ id: 'b', port: 3001 });
    expect(conflictsOf(probeData([]), [a, b])[0]?.fix).toBe('move b to another port in the registry (e.g. 3002, free now)');
  });

  it('entries sharing one env var move together: one "set VAR=N"', () => {
    const gw = svc({ id: 'gw', port: 8080, env: 'GATEWAY_PORT', process: ['gateway'], profiles: ['prod'] });
    const gwDev = svc({ id: 'gw-dev', port: 8080, env: 'GATEWAY_PORT', process: ['gateway'], profiles: ['dev'] });
    const data = probeData([sock({ port: 8080, pids: [3] })], [proc(3, 'java')]);
    const cs = conflictsOf(data, [gw, gwDev]);
    expect(cs).toHaveLength(1);
    expect(cs[0]).toMatchObject({ services: ['gw', 'gw-dev'], fix: 'set GATEWAY_PORT=8081, or stop PID 3 (java)' });
  });

  it('a service moved by both kinds of conflict gets one port', () => {
    const g = svc({ id: 'g', port: 3001, env: 'G_PORT', process: ['grafana'] });
    const a = svc({ id: 'a', port: 3001, env: 'A_PORT', process: ['attu'] });
    const data = probeData([sock({ port: 3001, pids: [9] })], [proc(9, 'nc')]);
    const cs = conflictsOf(data, [g, a]);
    expect(cs.map((c) => c.kind)).toEqual(['catalogue', 'wrong-owner']);
    expect(cs[0]?.fix).toBe('set A_PORT=3002');
    expect(cs[1]?.fix).toBe('set G_PORT=3003; set A_PORT=3002, or stop PID 9 (nc)');
  });
});

describe('fixText', () => {
  it('says when no port is left', () => {
    expect(fixText({ kind: 'catalogue', port: 65535, moves: [{ service: 's', envVar: 'S_PORT', port: null }], holders: [] })).toBe(
      'set S_PORT to a free port (none left above the default)',
    );
    expect(fixText({ kind: 'catalogue', port: 65535, moves: [{ service: 's', envVar: null, port: null }], holders: [] })).toBe(
      'move s to another port in the registry',
    );
  });
});
