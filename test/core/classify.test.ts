import { describe, expect, it } from 'vitest';
import { classifyListeners } from '../../src/core/classify.js';
import { classifyServices } from '../../src/core/classify-services.js';
import type { Listener, ProbeData, ResolvedService } from '../../src/core/types.js';
import { probeData, proc, sock, svc } from './snapshot-fixtures.js';

const gateway = svc({ id: 'gateway', port: 8080, process: ['gateway', 'server'], env: 'GATEWAY_PORT' });
const postgres = svc({ id: 'postgres', port: 5432, process: ['postgres'], docker: 'postgres', bind: 'local' });
const dns = svc({ id: 'dns', port: 53, protocol: 'udp', process: ['dnsmasq'] });
const anyOwner = svc({ id: 'admin', port: 5001 });
const algo = svc({ id: 'algo', port: 8000, process: ['python3', 'python', 'uvicorn'], profiles: ['prod'] });
const algoDev = svc({ id: 'algo-dev', port: 8000, process: ['uvicorn', 'python3', 'python'], profiles: ['dev'] });
const gatewayProd = svc({ id: 'gateway', port: 8080, process: ['gateway', 'server'], profiles: ['prod'] });
const gatewayDev = svc({ id: 'gateway-dev', port: 8080, process: ['main', 'go', 'server'], profiles: ['dev'] });

interface Case {
  label: string;
  data: ProbeData;
  services: ResolvedService[];
  all?: boolean;
  /** port -> expected [status, service] of every listener on it */
  listeners: Record<string, [Listener['status'], string | null, boolean?]>;
  /** service id -> expected [status, pid] */
  views: Record<string, [string, number | null]>;
}

const cases: Case[] = [
  {
    label: 'expected owner on its port; the other entry is down',
    data: probeData([sock({ port: 8080, pids: [10] })], [proc(10, 'server', './server --port 8080')]),
    services: [gateway, postgres],
    listeners: { 'tcp|0.0.0.0|8080': ['expected', 'gateway'] },
    views: { gateway: ['up', 10], postgres: ['down', null] },
  },
  {
    label: 'another program on a catalogue port is a conflict',
    data: probeData([sock({ port: 8080, pids: [20] })], [proc(20, 'java', 'java -jar jenkins.war')]),
    services: [gateway],
    listeners: { 'tcp|0.0.0.0|8080': ['conflict', 'gateway'] },
    views: { gateway: ['conflict', 20] },
  },
  {
    label: 'unknown owner on a catalogue port: unverified, never "up" (nobody saw the expected program)',
    data: probeData([sock({ port: 8080 })]),
    services: [gateway],
    listeners: { 'tcp|0.0.0.0|8080': ['unverified', 'gateway'] },
    views: { gateway: ['unverified', null] },
  },
  {
    label: 'an attribution the probe cannot confirm (portable netstat text) is unverified, even when the name matches',
    data: probeData([sock({ port: 8080, pids: [10], ownerUnconfirmed: 'named from netstat text' })], [proc(10, 'gateway')]),
    services: [gateway],
    listeners: { 'tcp|0.0.0.0|8080': ['unverified', 'gateway'] },
    views: { gateway: ['unverified', 10] },
  },
  {
    label: 'profiles: a program both alternatives expect makes both up (python3 on 8000: algo and algo-dev)',
    data: probeData([sock({ port: 8000, pids: [10] })], [proc(10, 'python3', 'python3 -m http.server 8000')]),
    services: [algo, algoDev],
    listeners: { 'tcp|0.0.0.0|8000': ['expected', 'algo'] },
    views: { algo: ['up', 10], 'algo-dev': ['up', 10] },
  },
  {
    label: 'profiles: the dev program on 8080 makes gateway-dev up and gateway inactive, never a conflict',
    data: probeData([sock({ port: 8080, pids: [11] })], [proc(11, 'main', '/tmp/go-build1/exe/main')]),
    services: [gatewayProd, gatewayDev],
    listeners: { 'tcp|0.0.0.0|8080': ['expected', 'gateway-dev'] },
    views: { gateway: ['inactive', 11], 'gateway-dev': ['up', 11] },
  },
  {
    label: 'profiles: a program neither alternative expects is a conflict for both',
    data: probeData([sock({ port: 8080, pids: [12] })], [proc(12, 'java', 'java -jar jenkins.war')]),
    services: [gatewayProd, gatewayDev],
    listeners: { 'tcp|0.0.0.0|8080': ['conflict', 'gateway'] },
    views: { gateway: ['conflict', 12], 'gateway-dev': ['conflict', 12] },
  },
  {
    label: 'profiles: an unseen owner on an alternatives port leaves both unverified',
    data: probeData([sock({ port: 8080 })]),
    services: [gatewayProd, gatewayDev],
    listeners: { 'tcp|0.0.0.0|8080': ['unverified', 'gateway'] },
    views: { gateway: ['unverified', null], 'gateway-dev': ['unverified', null] },
  },
  {
    label: 'same profile, same port (a catalogue collision) stays a conflict, not inactive',
    data: probeData([sock({ port: 3001, pids: [5] })], [proc(5, 'grafana')]),
    services: [svc({ id: 'grafana', port: 3001, process: ['grafana'], profiles: ['dev'] }), svc({ id: 'attu', port: 3001, process: ['attu'], profiles: ['dev'] })],
    listeners: { 'tcp|0.0.0.0|3001': ['expected', 'grafana'] },
    views: { grafana: ['up', 5], attu: ['conflict', 5] },
  },
  {
    label: 'no catalogue entry: unexpected',
    data: probeData([sock({ port: 9999, pids: [30] })], [proc(30, 'nc')]),
    services: [gateway],
    listeners: { 'tcp|0.0.0.0|9999': ['unexpected', null] },
    views: { gateway: ['down', null] },
  },
  {
    label: 'IPv4 + IPv6 of one process: one group, both expected, no conflict',
    data: probeData(
      [sock({ port: 8080, pids: [10] }), sock({ port: 8080, pids: [10], localAddress: '::', inode: 77 })],
      [proc(10, 'gateway')],
    ),
    services: [gateway],
    listeners: { 'tcp|0.0.0.0|8080': ['expected', 'gateway'], 'tcp|::|8080': ['expected', 'gateway'] },
    views: { gateway: ['up', 10] },
  },
  {
    label: 'SO_REUSEPORT workers of one program on an unexpected port: no conflict',
    data: probeData(
      [sock({ port: 7000, pids: [41], inode: 1 }), sock({ port: 7000, pids: [42], inode: 2 })],
      [proc(41, 'nginx'), proc(42, 'nginx')],
    ),
    services: [],
    listeners: { 'tcp|0.0.0.0|7000': ['unexpected', null] },
    views: {},
  },
  {
    label: 'wildcard and loopback of one unexpected port by different programs: conflict',
    data: probeData(
      [sock({ port: 7000, pids: [41], inode: 1 }), sock({ port: 7000, pids: [42], inode: 2, localAddress: '127.0.0.1' })],
      [proc(41, 'node'), proc(42, 'python3')],
    ),
    services: [],
    listeners: { 'tcp|0.0.0.0|7000': ['conflict', null], 'tcp|127.0.0.1|7000': ['conflict', null] },
    views: {},
  },
  {
    label: 'expected program on :: and a stranger on 127.0.0.1: the stranger is the conflict',
    data: probeData(
      [sock({ port: 8080, pids: [10], localAddress: '::', inode: 1 }), sock({ port: 8080, pids: [50], localAddress: '127.0.0.1', inode: 2 })],
      [proc(10, 'gateway'), proc(50, 'nc')],
    ),
    services: [gateway],
    listeners: { 'tcp|::|8080': ['expected', 'gateway'], 'tcp|127.0.0.1|8080': ['conflict', 'gateway'] },
    views: { gateway: ['conflict', 50] },
  },
  {
    label: 'two specific addresses by different programs are not an overlap',
    data: probeData(
      [sock({ port: 7000, pids: [41], inode: 1, localAddress: '10.0.0.2' }), sock({ port: 7000, pids: [42], inode: 2, localAddress: '127.0.0.1' })],
      [proc(41, 'node'), proc(42, 'python3')],
    ),
    services: [],
    listeners: { 'tcp|10.0.0.2|7000': ['unexpected', null], 'tcp|127.0.0.1|7000': ['unexpected', null] },
    views: {},
  },
  {
    label: 'an unseen owner next to a wildcard bind is not guessed to be a conflict',
    data: probeData([sock({ port: 7000, pids: [41], inode: 1 }), sock({ port: 7000, inode: 2, localAddress: '127.0.0.1' })], [proc(41, 'node')]),
    services: [],
    listeners: { 'tcp|0.0.0.0|7000': ['unexpected', null], 'tcp|127.0.0.1|7000': ['unexpected', null] },
    views: {},
  },
  {
    label: 'docker-proxy publishing a docker entry: expected, labelled; bind local + 0.0.0.0 = exposed',
    data: probeData([sock({ port: 5432, pids: [60] })], [{ ...proc(60, 'docker-proxy', '/usr/bin/docker-proxy -proto tcp -host-port 5432'), dockerProxy: true }]),
    services: [postgres],
    listeners: { 'tcp|0.0.0.0|5432': ['expected', 'postgres', true] },
    views: { postgres: ['up', 60] },
  },
  {
    label: 'a process only named docker-proxy (not verified by the probe) is an ordinary owner: a conflict',
    data: probeData([sock({ port: 5432, pids: [62] })], [proc(62, 'docker-proxy', '/usr/bin/docker-proxy -proto tcp -host-port 5432')]),
    services: [postgres],
    listeners: { 'tcp|0.0.0.0|5432': ['conflict', 'postgres', false] },
    views: { postgres: ['conflict', 62] },
  },
  {
    label: 'bind local on loopback is not exposed',
    data: probeData([sock({ port: 5432, pids: [61], localAddress: '127.0.0.1' })], [proc(61, 'postgres')]),
    services: [postgres],
    listeners: { 'tcp|127.0.0.1|5432': ['expected', 'postgres', false] },
    views: { postgres: ['up', 61] },
  },
  {
    label: 'UDP bound socket matches a udp entry; a TCP socket on that port does not',
    data: probeData(
      [sock({ port: 53, protocol: 'udp', pids: [70] }), sock({ port: 53, pids: [71], inode: 5 })],
      [proc(70, 'dnsmasq'), proc(71, 'named')],
    ),
    services: [dns],
    listeners: { 'udp|0.0.0.0|53': ['expected', 'dns'], 'tcp|0.0.0.0|53': ['unexpected', null] },
    views: { dns: ['up', 70] },
  },
  {
    label: 'entry without process list accepts any owner',
    data: probeData([sock({ port: 5001, pids: [80] })], [proc(80, 'python3')]),
    services: [anyOwner],
    listeners: { 'tcp|0.0.0.0|5001': ['expected', 'admin'] },
    views: { admin: ['up', 80] },
  },
  {
    label: 'env override: the service is looked for on its effective port only',
    data: probeData([sock({ port: 8080, pids: [10] })], [proc(10, 'gateway')]),
    services: [{ ...gateway, effectivePort: 9090, portSource: 'environment' }],
    listeners: { 'tcp|0.0.0.0|8080': ['unexpected', null] },
    views: { gateway: ['down', null] },
  },
  {
    label: 'a socket shared by systemd and the service (socket activation) matches through any owner',
    data: probeData([sock({ port: 8080, pids: [1, 10] })], [proc(1, 'systemd'), proc(10, 'gateway')]),
    services: [gateway],
    listeners: { 'tcp|0.0.0.0|8080': ['expected', 'gateway'] },
    views: { gateway: ['up', 1] },
  },
];

describe('classification table', () => {
  it.each(cases)('$label', (c) => {
    const listeners = classifyListeners(c.data, c.services, c.all ?? false);
    const got: Record<string, [string, string | null, boolean?]> = {};
    for (const l of listeners) {
      const k = `${l.protocol}|${l.address}|${l.port}`;
      const want = c.listeners[k];
      got[k] = want && want.length === 3 ? [l.status, l.service, l.exposed] : [l.status, l.service];
    }
    expect(got).toEqual(c.listeners);
    const views = classifyServices(c.services, listeners, c.data);
    expect(Object.fromEntries(views.map((v) => [v.id, [v.status, v.pid]]))).toEqual(c.views);
  });
});

describe('listener details', () => {
  it('counts established connections on the port and lists every owner', () => {
    const data = probeData(
      [
        sock({ port: 8080, pids: [10, 11] }),
        sock({ port: 8080, state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 40000, pids: [11], inode: 3 }),
        sock({ port: 8080, state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 40001, pids: [11], inode: 4 }),
        sock({ port: 40000, state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 8080, pids: [99], inode: 5 }),
      ],
      [proc(10, 'gateway'), proc(11, 'gateway'), proc(99, 'curl')],
    );
    const [l, ...rest] = classifyListeners(data, [gateway], false);
    expect(rest).toHaveLength(0);
    expect(l).toMatchObject({ pid: 10, pids: [10, 11], connections: 2, process: 'gateway', user: 'dev', status: 'expected' });
    const [view] = classifyServices([gateway], classifyListeners(data, [gateway], false), data);
    expect(view?.connections).toBe(2);
  });

  it('--all keeps every socket; connections never make a service conflict', () => {
    const data = probeData(
      [sock({ port: 8080, pids: [10] }), sock({ port: 8080, state: 'ESTAB', remotePort: 5, pids: [99], inode: 9 }), sock({ port: 1234, state: 'TIME-WAIT', inode: 0 })],
      [proc(10, 'gateway'), proc(99, 'curl')],
    );
    const all = classifyListeners(data, [gateway], true);
    expect(all).toHaveLength(3);
    expect(all.find((l) => l.state === 'ESTAB')?.status).toBe('unexpected');
    expect(classifyServices([gateway], all, data)[0]?.status).toBe('up');
    expect(classifyListeners(data, [gateway], false)).toHaveLength(1);
  });

  it('two catalogue entries on one port: the named owner wins, the other entry is held by it', () => {
    const grafana = svc({ id: 'grafana', port: 3001, process: ['grafana', 'grafana-server'] });
    const attu = svc({ id: 'attu', port: 3001 });
    const data = probeData([sock({ port: 3001, pids: [5] })], [proc(5, 'grafana-server')]);
    const listeners = classifyListeners(data, [attu, grafana], false);
    expect(listeners[0]).toMatchObject({ service: 'grafana', status: 'expected' });
    const views = classifyServices([attu, grafana], listeners, data);
    expect(views.map((v) => [v.id, v.status])).toEqual([['attu', 'conflict'], ['grafana', 'up']]);
  });

  it('inactive names the alternative that holds the port and its profiles', () => {
    const data = probeData([sock({ port: 8080, pids: [11] })], [proc(11, 'main')]);
    const views = classifyServices([gatewayProd, gatewayDev], classifyListeners(data, [gatewayProd, gatewayDev], false), data);
    expect(views[0]).toMatchObject({ id: 'gateway', status: 'inactive', usedBy: { service: 'gateway-dev', profiles: ['dev'] } });
    expect(views[1]).toMatchObject({ id: 'gateway-dev', status: 'up', usedBy: null });
  });

  it('unverified keeps what /proc/net tells: the socket uid and its user name', () => {
    const data = probeData([sock({ port: 8080, uid: 0, uidUser: 'root', ownerUnknown: 'owner not visible: socket of uid 0 and vhtop is not root' })]);
    const listeners = classifyListeners(data, [gateway], false);
    expect(listeners[0]).toMatchObject({ status: 'unverified', verified: false, socketUid: 0, socketUser: 'root', pid: null });
    expect(classifyServices([gateway], listeners, data)[0]).toMatchObject({
      status: 'unverified',
      unseenOwner: { uid: 0, user: 'root', reason: 'owner not visible: socket of uid 0 and vhtop is not root' },
    });
  });

  it('a bind: local entry up on the wildcard lists the exposed addresses', () => {
    const redis = svc({ id: 'redis', port: 6379, process: ['redis-server'], bind: 'local' });
    const data = probeData(
      [sock({ port: 6379, pids: [7], inode: 1 }), sock({ port: 6379, pids: [7], localAddress: '::', inode: 2 }), sock({ port: 6379, pids: [7], localAddress: '127.0.0.1', inode: 3 })],
      [proc(7, 'redis-server')],
    );
    const [view] = classifyServices([redis], classifyListeners(data, [redis], false), data);
    expect(view).toMatchObject({ status: 'up', exposed: true, exposedOn: ['0.0.0.0', '::'] });
  });

  it('connections count per listening socket: 127.0.0.1 and ::1 rows each show their own', () => {
    const redis = svc({ id: 'redis', port: 6379, process: ['redis-server'] });
    const data = probeData(
      [
        sock({ port: 6379, pids: [7], localAddress: '127.0.0.1', inode: 1 }),
        sock({ port: 6379, pids: [7], localAddress: '::1', inode: 2 }),
        // One client on 127.0.0.1: the server's accepted socket, and the client's own end.
        sock({ port: 6379, pids: [7], localAddress: '127.0.0.1', state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 50000, inode: 3 }),
        sock({ port: 50000, pids: [8], localAddress: '127.0.0.1', state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 6379, inode: 4 }),
      ],
      [proc(7, 'redis-server'), proc(8, 'redis-cli')],
    );
    const rows = classifyListeners(data, [redis], false);
    expect(rows.map((l) => [l.address, l.connections])).toEqual([['127.0.0.1', 1], ['::1', 0]]);
  });

  it('connections to a dual-stack :: listener from IPv4 clients count on the :: row, not on 0.0.0.0 of another program', () => {
    const data = probeData(
      [
        sock({ port: 7000, pids: [1], inode: 1 }),
        sock({ port: 7000, pids: [2], localAddress: '::', inode: 2 }),
        sock({ port: 7000, pids: [2], family: 6, localAddress: '127.0.0.1', state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 1, inode: 3 }),
        sock({ port: 7000, pids: [1], localAddress: '10.0.0.2', state: 'ESTAB', remoteAddress: '10.0.0.9', remotePort: 2, inode: 4 }),
      ],
      [proc(1, 'a'), proc(2, 'b')],
    );
    const rows = classifyListeners(data, [], false);
    expect(rows.map((l) => [l.address, l.connections])).toEqual([['0.0.0.0', 1], ['::', 1]]);
  });

  it('several listeners on one end: a connection counts on the one sharing its owner, else the first; an exact address beats the wildcard', () => {
    const data = probeData(
      [
        sock({ port: 7100, pids: [1], inode: 1 }),
        sock({ port: 7100, pids: [2], inode: 2 }),
        sock({ port: 7100, pids: [3], localAddress: '10.0.0.2', inode: 3 }),
        sock({ port: 7100, protocol: 'udp', pids: [2], inode: 4 }),
        // Accepted by pid 2's socket, then by nobody's we know, then on the exact address.
        sock({ port: 7100, pids: [2], localAddress: '127.0.0.1', state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 1, inode: 5 }),
        sock({ port: 7100, pids: [9], localAddress: '127.0.0.1', state: 'ESTAB', remoteAddress: '127.0.0.1', remotePort: 2, inode: 6 }),
        sock({ port: 7100, pids: [2], localAddress: '10.0.0.2', state: 'ESTAB', remoteAddress: '10.0.0.9', remotePort: 3, inode: 7 }),
      ],
      [proc(1, 'a'), proc(2, 'b'), proc(3, 'c')],
    );
    const rows = classifyListeners(data, [], false);
    expect(rows.map((l) => [l.protocol, l.address, l.pid, l.connections])).toEqual([
      ['tcp', '0.0.0.0', 1, 1],
      ['tcp', '0.0.0.0', 2, 1],
      ['tcp', '10.0.0.2', 3, 1],
      ['udp', '0.0.0.0', 2, 0],
    ]);
  });

  it('unknown owner keeps its reason; key has protocol, address, port and inode', () => {
    const [l] = classifyListeners(probeData([sock({ port: 22, ownerUnknown: 'owner not visible: not root' })]), [], false);
    expect(l).toMatchObject({ pid: null, process: null, ownerUnknown: 'owner not visible: not root', key: 'tcp|0.0.0.0|22|1022' });
  });
});

describe('listener keys', () => {
  it('--all: TIME-WAIT sockets (inode 0) of one local port get distinct keys from their remote ends', () => {
    const data = probeData([
      sock({ port: 8080, pids: [10] }),
      sock({ port: 8080, state: 'TIME-WAIT', inode: 0, remoteAddress: '10.0.0.1', remotePort: 40000 }),
      sock({ port: 8080, state: 'TIME-WAIT', inode: 0, remoteAddress: '10.0.0.1', remotePort: 40001 }),
      sock({ port: 8080, state: 'TIME-WAIT', inode: 0, remoteAddress: '10.0.0.2', remotePort: 40000 }),
    ], [proc(10, 'gateway')]);
    const keys = classifyListeners(data, [gateway], true).map((l) => l.key);
    expect(new Set(keys).size).toBe(4);
    expect(keys).toContain('tcp|0.0.0.0|8080|9080');
    expect(keys).toContain('tcp|0.0.0.0|8080|0|10.0.0.1|40001');
  });

  it('two sockets that print alike (IPv4 and IPv4-mapped IPv6) keep both rows with unique keys', () => {
    const twin = { port: 8080, state: 'TIME-WAIT' as const, inode: 0, localAddress: '127.0.0.1', remoteAddress: '127.0.0.1', remotePort: 5 };
    const data = probeData([sock({ ...twin, family: 4 }), sock({ ...twin, family: 6 })]);
    const keys = classifyListeners(data, [], true).map((l) => l.key);
    expect(keys).toEqual(['tcp|127.0.0.1|8080|0|127.0.0.1|5', 'tcp|127.0.0.1|8080|0|127.0.0.1|5#2']);
  });

  it('a busy port with many connections still gets unique keys', () => {
    const conns = Array.from({ length: 40 }, (_, i) => sock({ port: 443, state: 'TIME-WAIT', inode: 0, remoteAddress: '10.0.0.9', remotePort: 1000 + (i % 20) }));
    const keys = classifyListeners(probeData(conns), [], true).map((l) => l.key);
    expect(new Set(keys).size).toBe(40);
    expect(keys.filter((k) => k.endsWith('#2'))).toHaveLength(20);
  });
});
