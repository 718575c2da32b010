import { endianness } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { ProbeData, SocketEntry } from '../../src/core/types.js';
import { LinuxProbe } from '../../src/probe/linux.js';
import { createProbe } from '../../src/probe/index.js';
import { fixturePasswd, procTree, type ProcTree } from './proc-tree.js';

// The fixture tables hold addresses as a little-endian kernel prints them.
describe.runIf(endianness() === 'LE')('linux probe on the "mixed" /proc fixture', () => {
  let tree: ProcTree;
  let data: ProbeData;

  beforeAll(async () => {
    tree = procTree('mixed');
    data = await new LinuxProbe({ procRoot: tree.root, passwdFile: fixturePasswd('mixed'), euid: 0 }).collect();
  });
  afterAll(() => tree.cleanup());

  const find = (protocol: string, address: string, port: number, inode: number): SocketEntry => {
    const hit = data.sockets.filter(
      (s) => s.protocol === protocol && s.localAddress === address && s.localPort === port && s.inode === inode,
    );
    expect(hit, `${protocol} ${address}:${port} inode ${inode}`).toHaveLength(1);
    return hit[0] as SocketEntry;
  };

  it.each([
    // protocol, family, address, port, inode, state, pids, remote address, remote port
    ['tcp', 4, '0.0.0.0', 8080, 1001, 'LISTEN', [100], '0.0.0.0', 0],
    ['tcp', 4, '127.0.0.1', 5432, 1002, 'LISTEN', [200], '0.0.0.0', 0],
    ['tcp', 4, '0.0.0.0', 7000, 1040, 'LISTEN', [400], '0.0.0.0', 0], // SO_REUSEPORT, first
    ['tcp', 4, '0.0.0.0', 7000, 1041, 'LISTEN', [401], '0.0.0.0', 0], // SO_REUSEPORT, second
    ['tcp', 4, '0.0.0.0', 9090, 1030, 'LISTEN', [300, 301], '0.0.0.0', 0], // forked server, one socket
    ['tcp', 4, '0.0.0.0', 2024, 1020, 'LISTEN', [], '0.0.0.0', 0], // no visible owner
    ['tcp', 4, '127.0.0.1', 8080, 0, 'TIME-WAIT', [], '127.0.0.1', 51000],
    ['tcp', 4, '192.168.1.20', 8080, 1060, 'ESTAB', [100], '10.0.0.7', 40000],
    ['tcp', 4, '0.0.0.0', 6000, 1050, 'LISTEN', [], '0.0.0.0', 0], // holder's stat is gone
    ['tcp', 6, '::', 8080, 1003, 'LISTEN', [100], '::', 0],
    ['tcp', 6, '::1', 6379, 1004, 'LISTEN', [600], '::', 0],
    ['tcp', 6, '127.0.0.1', 9000, 1005, 'LISTEN', [600], '::', 0], // ::ffff:127.0.0.1
    ['tcp', 6, '2001:db8::1', 443, 1006, 'ESTAB', [600], '2001:db8:0:1::5', 50123],
    ['tcp', 6, 'fe80::1:0:0:2', 22, 1007, 'LISTEN', [600], '::', 0],
    ['udp', 4, '0.0.0.0', 53, 1010, 'UNCONN', [700], '0.0.0.0', 0],
    ['udp', 4, '127.0.0.1', 40000, 1011, 'ESTAB', [700], '127.0.0.1', 53],
    ['udp', 6, '::', 5353, 1012, 'UNCONN', [700], '::', 0],
  ] as const)('%s%s %s:%s (inode %s) is %s owned by %j', (protocol, family, address, port, inode, state, pids, ra, rp) => {
    const s = find(protocol, address, port, inode);
    expect(s.family).toBe(family);
    expect(s.state).toBe(state);
    expect(s.pids).toEqual(pids);
    expect(s.remoteAddress).toBe(ra);
    expect(s.remotePort).toBe(rp);
    expect(s.ownerUnknown === null).toBe(pids.length > 0);
  });

  it('lists exactly the well-formed lines and reports the malformed ones', () => {
    expect(data.sockets).toHaveLength(17);
    expect(data.notices).toContain(`skipped 3 malformed lines in ${tree.root}/net/tcp`);
    expect(data.probe).toBe('linux');
  });

  it('gives reasons for sockets without owner', () => {
    expect(find('tcp', '127.0.0.1', 8080, 0).ownerUnknown).toMatch(/TIME-WAIT/);
    expect(find('tcp', '0.0.0.0', 2024, 1020).ownerUnknown).toMatch(/^owner not visible/);
    expect(find('tcp', '0.0.0.0', 6000, 1050).ownerUnknown).toBe('owner exited during the scan');
  });

  it('reads uids from /proc/net', () => {
    expect(find('tcp', '127.0.0.1', 5432, 1002).uid).toBe(1001);
    expect(find('udp', '0.0.0.0', 53, 1010).uid).toBe(0);
  });

  it('has details for every holder and for no other process', () => {
    expect([...data.processes.keys()].sort((a, b) => a - b)).toEqual([100, 200, 300, 301, 400, 401, 600, 700]);
    const nginx = data.processes.get(100);
    expect(nginx).toMatchObject({ name: 'nginx', command: 'nginx: master process -g daemon off;', uid: 1000, user: 'nginx', ppid: 1, startTime: 1000, cpuTicks: 8, rssBytes: 250 * 4096 });
    expect(data.processes.get(301)).toMatchObject({ ppid: 300, startTime: 1005 });
    expect(data.processes.get(600)?.name).toBe('日本語');
    expect(data.processes.get(700)?.user).toBe('root');
  });

  it('parses stat after the last ")" and cleans hostile names and command lines', () => {
    const evil = data.processes.get(200);
    expect(evil).toMatchObject({ name: 'x) S 1 1 ', state: 'S', ppid: 1, pgid: 200, uid: 1001, user: '1001' });
    expect(evil?.command).toBe('evil --flag');
    expect(evil?.command).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('adds no notice for root without hidepid', () => {
    expect(data.notices.filter((n) => /root|hidepid/.test(n))).toEqual([]);
  });

  it('says so when not root and explains unknown owners by uid', async () => {
    const asUser = await new LinuxProbe({ procRoot: tree.root, euid: 1000 }).collect();
    expect(asUser.notices.some((n) => n.startsWith('not root'))).toBe(true);
    const owned = asUser.sockets.find((s) => s.inode === 1020);
    expect(owned?.ownerUnknown).toBe('owner not visible: socket of uid 0 and vhtop is not root');
  });

  it('is what createProbe picks for a tree with net/tcp', async () => {
    const probe = createProbe('auto', { procRoot: tree.root });
    expect(probe.kind).toBe('linux');
    expect((await probe.collect()).sockets).toHaveLength(17);
  });
});

describe.runIf(endianness() === 'LE')('linux probe on the "hidepid" fixture', () => {
  let tree: ProcTree;
  beforeAll(() => {
    tree = procTree('hidepid');
  });
  afterAll(() => tree.cleanup());

  it('keeps the socket, without owner, and explains hidepid', async () => {
    const data = await new LinuxProbe({ procRoot: tree.root, euid: 0 }).collect();
    expect(data.sockets).toHaveLength(1);
    expect(data.sockets[0]).toMatchObject({ localPort: 3306, pids: [], uid: 27 });
    expect(data.sockets[0]?.ownerUnknown).toBe('owner not visible: /proc is mounted with hidepid=invisible');
    expect(data.notices).toContain('/proc is mounted with hidepid=invisible: processes of other users are hidden');
    expect(data.processes.size).toBe(0);
  });
});

describe('linux probe without /proc/net', () => {
  it('throws when no table can be read, and auto falls back to portable', async () => {
    const tree = procTree('hidepid');
    try {
      tree.remove('net');
      await expect(new LinuxProbe({ procRoot: tree.root }).collect()).rejects.toThrow(/cannot read any of/);
      // An expected error (exit 2, one line), not an internal one (exit 70).
      await expect(new LinuxProbe({ procRoot: tree.root }).collect()).rejects.toBeInstanceOf(UsageError);
      await expect(new LinuxProbe({ procRoot: tree.root }).collect()).rejects.toThrow(/try --probe portable/);
      expect(createProbe('auto', { procRoot: tree.root }).kind).toBe('portable');
      expect(createProbe('linux', { procRoot: tree.root }).kind).toBe('linux');
    } finally {
      tree.cleanup();
    }
  });
});
