import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeData, SocketEntry } from '../../src/core/types.js';
import { LinuxProbe } from '../../src/probe/linux.js';
import { type SocketChild, ss, type SsSocket, startChild, stopChildren, trackForked } from './children.js';

// Real sockets held by real python3 processes, compared with what `ss` reports for the same
// sockets (matched by inode). Other test files and other programs open and close sockets at the
// same time, so whole-machine comparisons only judge sockets ss shows alike before and after.

const HAS_PROC = existsSync('/proc/net/tcp');

function sameAddress(ssAddress: string, ours: string): boolean {
  return ssAddress === '*' ? ours === '::' || ours === '0.0.0.0' : ssAddress === ours;
}

function expectSame(ssSocket: SsSocket, ours: SocketEntry | undefined): void {
  const label = `${ssSocket.protocol} ${ssSocket.state} ${ssSocket.address}:${ssSocket.port} ino ${ssSocket.inode}`;
  expect(ours, `${label} is missing from the probe`).toBeDefined();
  expect({ label, protocol: ours?.protocol, state: ours?.state, port: ours?.localPort, pids: ours?.pids }).toEqual({
    label,
    protocol: ssSocket.protocol,
    state: ssSocket.state,
    port: ssSocket.port,
    pids: ssSocket.pids,
  });
  expect(sameAddress(ssSocket.address, ours?.localAddress ?? ''), `${label}: address ${ours?.localAddress}`).toBe(true);
}

describe.runIf(HAS_PROC)('linux probe against ss on real sockets', () => {
  let tcp4: SocketChild;
  let tcp6: SocketChild;
  let mapped: SocketChild;
  let udp4: SocketChild;
  let udp6: SocketChild;
  let forked: SocketChild;
  let reuseA: SocketChild;
  let reuseB: SocketChild;
  let cachedProbe: LinuxProbe;
  let ports: Set<number>;

  beforeAll(async () => {
    // Created before the children start: its later collects exercise the owner cache for real.
    cachedProbe = new LinuxProbe();
    await cachedProbe.collect();
    tcp4 = await startChild(`
s = tcp(socket.AF_INET, '127.0.0.1')
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
done(s.getsockname()[1], c.getsockname()[1])`);
    tcp6 = await startChild(`s = tcp(socket.AF_INET6, '::1'); done(s.getsockname()[1])`);
    mapped = await startChild(`s = tcp(socket.AF_INET6, '::ffff:127.0.0.1'); done(s.getsockname()[1])`);
    udp4 = await startChild(`
u = udp(socket.AF_INET, '127.0.0.1')
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.connect(u.getsockname())
done(u.getsockname()[1], c.getsockname()[1])`);
    udp6 = await startChild(`u = udp(socket.AF_INET6, '::1'); done(u.getsockname()[1])`);
    forked = await startChild(`
s = tcp(socket.AF_INET, '127.0.0.1')
pid = os.fork()
if pid == 0:
    sys.stdin.read(); os._exit(0)
done(s.getsockname()[1], pid)`);
    trackForked(forked.values[1] as number);
    reuseA = await startChild(`s = tcp(socket.AF_INET, '127.0.0.1', 0, True); done(s.getsockname()[1])`);
    reuseB = await startChild(`s = tcp(socket.AF_INET, '127.0.0.1', int(sys.argv[2]), True); done(s.getsockname()[1])`, [String(reuseA.values[0])]);
    ports = new Set([tcp4, tcp6, mapped, udp4, udp6, forked, reuseA].flatMap((c) => [c.values[0] as number]));
    ports.add(tcp4.values[1] as number);
    ports.add(udp4.values[1] as number);
  });
  afterAll(stopChildren);

  const ours = (data: ProbeData, s: SsSocket): SocketEntry | undefined => data.sockets.find((x) => x.inode === s.inode && x.inode !== 0);

  it('shows every socket ss shows on the test ports, with the same owners (fresh and cached probe)', async () => {
    const fresh = await new LinuxProbe().collect();
    const cached = await cachedProbe.collect();
    // Only sockets of our children: another program may use one of these port numbers meanwhile.
    const children = new Set([tcp4, tcp6, mapped, udp4, udp6, forked, reuseA, reuseB].map((c) => c.pid));
    children.add(forked.values[1] as number);
    const seen = ss('-tuanpe').filter((s) => ports.has(s.port) && s.pids.some((pid) => children.has(pid)));
    // 2 tcp4 listener+pair (3), tcp6, mapped, udp4 bound+connected (2), udp6, forked, two reuseport.
    expect(seen.length).toBeGreaterThanOrEqual(11);
    for (const s of seen) {
      expectSame(s, ours(fresh, s));
      expectSame(s, ours(cached, s));
    }
  });

  it('reports each kind with the right family, address and owners', async () => {
    const data = await new LinuxProbe().collect();
    // Only sockets of our children: on a busy machine (the bench's socket farm) another program may
    // hold a socket on one of these port numbers too, e.g. a listener on the client's ephemeral port.
    const children = new Set([tcp4, tcp6, mapped, udp4, udp6, forked, reuseA, reuseB].map((c) => c.pid));
    children.add(forked.values[1] as number);
    const ours = (s: SocketEntry): boolean => s.pids.length === 0 || s.pids.some((pid) => children.has(pid));
    const at = (port: number, state: string): SocketEntry[] => data.sockets.filter((s) => s.localPort === port && s.state === state && ours(s));
    expect(at(tcp4.values[0] as number, 'LISTEN')).toMatchObject([{ protocol: 'tcp', family: 4, localAddress: '127.0.0.1', pids: [tcp4.pid] }]);
    expect(at(tcp4.values[1] as number, 'ESTAB')).toMatchObject([{ remotePort: tcp4.values[0], pids: [tcp4.pid] }]);
    expect(at(tcp6.values[0] as number, 'LISTEN')).toMatchObject([{ protocol: 'tcp', family: 6, localAddress: '::1', pids: [tcp6.pid] }]);
    expect(at(mapped.values[0] as number, 'LISTEN')).toMatchObject([{ family: 6, localAddress: '127.0.0.1', pids: [mapped.pid] }]);
    expect(at(udp4.values[0] as number, 'UNCONN')).toMatchObject([{ protocol: 'udp', family: 4, pids: [udp4.pid] }]);
    expect(at(udp4.values[1] as number, 'ESTAB')).toMatchObject([{ protocol: 'udp', remotePort: udp4.values[0], pids: [udp4.pid] }]);
    expect(at(udp6.values[0] as number, 'UNCONN')).toMatchObject([{ protocol: 'udp', family: 6, localAddress: '::1', pids: [udp6.pid] }]);
    const forkedPids = [forked.pid, forked.values[1] as number].sort((a, b) => a - b);
    expect(at(forked.values[0] as number, 'LISTEN')).toMatchObject([{ pids: forkedPids }]);
    const reuse = at(reuseA.values[0] as number, 'LISTEN').map((s) => s.pids);
    expect(reuse.sort()).toEqual([[reuseA.pid], [reuseB.pid]].sort());
    for (const pid of [tcp4.pid, ...forkedPids, reuseB.pid]) {
      expect(data.processes.get(pid)).toMatchObject({ pid, name: 'python3' });
      expect(data.processes.get(pid)?.command).toMatch(/python3(\.\d+)? -c /);
    }
  });

  it('shows every listening socket of the machine that ss -tulpn shows, with the same pids', async () => {
    const before = ss('-tulpne');
    const data = await new LinuxProbe().collect();
    const after = new Map(ss('-tulpne').map((s) => [s.inode, s]));
    // Judge only sockets that did not change while we looked.
    const stable = before.filter((s) => s.inode !== 0 && JSON.stringify(after.get(s.inode)) === JSON.stringify(s));
    expect(stable.length).toBeGreaterThan(0);
    for (const s of stable) expectSame(s, ours(data, s));
    const unowned = stable.filter((s) => s.pids.length === 0);
    for (const s of unowned) expect(ours(data, s)?.ownerUnknown).toMatch(/^owner not visible/);
  });

  it('reads the right pid and parent of a process that names itself like a stat line', async () => {
    const child = await startChild(`
import ctypes
ctypes.CDLL(None).prctl(15, b'x) R 1 1 \\x1b[2J', 0, 0, 0)
s = tcp(socket.AF_INET, '127.0.0.1'); done(s.getsockname()[1])`);
    const data = await new LinuxProbe().collect();
    const socket = data.sockets.find((s) => s.localPort === child.values[0] && s.state === 'LISTEN');
    expect(socket?.pids).toEqual([child.pid]);
    expect(data.processes.get(child.pid)).toMatchObject({ name: 'x) R 1 1 ', ppid: process.pid, state: 'S' });
  });

  it('drops an owner that exits, on the next cached collect', async () => {
    const probe = new LinuxProbe();
    const child = await startChild(`s = tcp(socket.AF_INET, '127.0.0.1'); done(s.getsockname()[1])`);
    const port = child.values[0] as number;
    expect((await probe.collect()).sockets.find((s) => s.localPort === port && s.state === 'LISTEN')?.pids).toEqual([child.pid]);
    child.process.stdin?.end();
    await new Promise((resolve) => child.process.once('exit', resolve));
    expect((await probe.collect()).sockets.some((s) => s.localPort === port && s.state === 'LISTEN')).toBe(false);
  });
});
