/**
 * A probe with `allSocketsEvery` (the TUI's): between full reads it reads the TCP tables only up to
 * their last listener and keeps the connections of the last full read. Real listeners and
 * connections held by real python3 processes: a new listener (IPv4 and IPv6) and its owner show at
 * the very next refresh, a closed one is gone at the next refresh, and connections are counted from
 * the full reads.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProbeData, SocketEntry } from '../../src/core/types.js';
import { LinuxProbe } from '../../src/probe/linux.js';
import { startChild, stopChildren } from './children.js';

const HAS_PROC = existsSync('/proc/net/tcp');

// By family too: a port number of this test's IPv6 listener may be in use by an IPv4 socket of another program.
const onPort = (d: ProbeData, port: number, state: string, family?: 4 | 6): SocketEntry[] =>
  d.sockets.filter((s) => s.protocol === 'tcp' && s.localPort === port && s.state === state && (family === undefined || s.family === family));

afterAll(async () => {
  await stopChildren();
});

describe.runIf(HAS_PROC)('listener refreshes between full reads', () => {
  it('sees a new listener and its owner at once, counts its connections at the next full read, and drops it when closed', async () => {
    const probe = new LinuxProbe({ allSocketsEvery: 3 });
    const read0 = await probe.collect(); // 0: full
    const child = await startChild(`
s = tcp(socket.AF_INET, '127.0.0.1')
s6 = tcp(socket.AF_INET6, '::1')
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
done(s.getsockname()[1], s6.getsockname()[1])`);
    const [port, port6] = child.values as [number, number];

    const first = await probe.collect(); // 1: listeners only
    expect(onPort(first, port, 'LISTEN', 4).map((s) => ({ pids: s.pids, family: s.family }))).toEqual([{ pids: [child.pid], family: 4 }]);
    expect(onPort(first, port6, 'LISTEN', 6).map((s) => ({ pids: s.pids, family: s.family }))).toEqual([{ pids: [child.pid], family: 6 }]);
    expect(first.processes.get(child.pid)?.name).toMatch(/python/);
    // The connection opened after the last full read is not there yet: connections lag until the next one.
    expect(onPort(first, port, 'ESTAB', 4)).toEqual([]);
    // The other TCP sockets are exactly those of the last full read: the table does not shrink to listeners.
    const others = (d: ProbeData): number[] => d.sockets.filter((s) => s.protocol === 'tcp' && s.state !== 'LISTEN').map((s) => s.inode).sort((a, b) => a - b);
    expect(others(first)).toEqual(others(read0));

    await probe.collect(); // 2: listeners only
    const full = await probe.collect(); // 3: full
    const accepted = onPort(full, port, 'ESTAB', 4).filter((s) => s.pids.includes(child.pid));
    expect(accepted.map((s) => s.pids)).toEqual([[child.pid]]);
    expect(onPort(full, port, 'LISTEN', 4)).toHaveLength(1);

    const kept = await probe.collect(); // 4: listeners only, connections from read 3
    expect(onPort(kept, port, 'ESTAB', 4).filter((s) => s.pids.includes(child.pid)).map((s) => s.inode)).toEqual(accepted.map((s) => s.inode));

    child.process.stdin?.end();
    await new Promise<void>((resolve) => (child.process.exitCode !== null ? resolve() : child.process.once('exit', () => resolve())));
    const after = await probe.collect(); // 5: listeners only
    expect(onPort(after, port, 'LISTEN', 4)).toEqual([]);
    expect(onPort(after, port6, 'LISTEN', 6)).toEqual([]);
  });

  it('a listeners-only refresh shows the same listeners and owners as a full read of the same moment', async () => {
    const child = await startChild(`
ls = [tcp(socket.AF_INET, '127.0.0.1') for _ in range(500)] + [tcp(socket.AF_INET6, '::1') for _ in range(40)]
cs = [socket.create_connection(l.getsockname()[:2]) for l in ls[:20]]
done(*[l.getsockname()[1] for l in ls])`);
    // The first 500 ports are IPv4, the last 40 IPv6 (a port number may be another family's too).
    const ports = new Set(child.values.map((p, i) => `${i < 500 ? 4 : 6}:${p}`));
    const probe = new LinuxProbe({ allSocketsEvery: 1000 });
    await probe.collect();
    const mine = (d: ProbeData): string[] =>
      d.sockets
        .filter((s) => s.protocol === 'tcp' && s.state === 'LISTEN' && ports.has(`${s.family}:${s.localPort}`))
        .map((s) => `${s.family} ${s.localAddress}:${s.localPort} ${s.inode} ${s.pids.join(',')}`)
        .sort();
    // /proc/net/tcp comes a page per read(), and the kernel resumes each page by position: while
    // other tests open and close listeners, any read (full or not) can miss a line. A few attempts
    // find a pair read undisturbed; a refresh that misses listeners every time still fails.
    let partial: string[] = [];
    let fresh: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      partial = mine(await probe.collect());
      fresh = mine(await new LinuxProbe().collect());
      if (partial.length === 540 && fresh.length === 540 && partial.join('\n') === fresh.join('\n')) break;
    }
    // 500 IPv4 listeners are more than one 64 KiB read of /proc/net/tcp: the prefix spans reads.
    expect(partial).toHaveLength(540);
    expect(partial).toEqual(fresh);
  });
});
