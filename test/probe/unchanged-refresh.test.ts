/**
 * A live probe (the TUI's) whose listener lines are byte for byte what it read last time hands out
 * the same socket array again, so classification can be skipped; anything that changes a listener,
 * an owner or a process must still show at that very refresh, exactly as a fresh probe sees it.
 * A /proc tree in a temp dir, changed between refreshes the way processes change the real one.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProbeData } from '../../src/core/types.js';
import { HoldingTables } from '../../src/probe/proc-net.js';
import { LinuxProbe } from '../../src/probe/linux.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** A /proc/net/tcp line: 127.0.0.1:port, listening (0A) or established (01) to 127.0.0.1:peer. */
function tcpLine(slot: number, port: number, inode: number, peer = 0): string {
  const state = peer === 0 ? '0A' : '01';
  const remote = peer === 0 ? '00000000:0000' : `0100007F:${hex4(peer)}`;
  return `${String(slot).padStart(4)}: 0100007F:${hex4(port)} ${remote} ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}

function statText(pid: number, name: string, start: number, cpu = 1): string {
  return `${pid} (${name}) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${cpu} 1 0 0 20 0 1 0 ${start} 1000000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;
}

interface Tree {
  readonly root: string;
  /** Writes net/tcp from listeners [port, inode] and connections [port, inode, peer]. */
  tcp(listeners: readonly [number, number][], connections?: readonly [number, number, number][]): void;
  process(pid: number, name: string, start: number, inodes: readonly number[], cpu?: number): void;
  removeProcess(pid: number): void;
}

function makeTree(): Tree {
  const root = mkdtempSync(path.join(tmpdir(), 'vhtop-unchanged-'));
  mkdirSync(path.join(root, 'net'));
  for (const f of ['tcp6', 'udp', 'udp6']) writeFileSync(path.join(root, 'net', f), HEADER);
  return {
    root,
    tcp(listeners, connections = []) {
      let slot = 0;
      const lines = listeners.map(([port, inode]) => tcpLine(slot++, port, inode)).concat(connections.map(([port, inode, peer]) => tcpLine(slot++, port, inode, peer)));
      writeFileSync(path.join(root, 'net', 'tcp'), HEADER + lines.join(''));
    },
    process(pid, name, start, inodes, cpu = 1) {
      const dir = path.join(root, String(pid));
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(path.join(dir, 'fd'), { recursive: true });
      writeFileSync(path.join(dir, 'stat'), statText(pid, name, start, cpu));
      writeFileSync(path.join(dir, 'cmdline'), `${name}\0--serve\0`);
      writeFileSync(path.join(dir, 'status'), 'Uid:\t0\t0\t0\t0\n');
      inodes.forEach((inode, i) => symlinkSync(`socket:[${inode}]`, path.join(dir, 'fd', String(3 + i))));
    },
    removeProcess(pid) {
      rmSync(path.join(root, String(pid)), { recursive: true, force: true });
    },
  };
}

/** What a fresh probe and the live one must agree on. */
function view(data: ProbeData): string[] {
  const procs = [...data.processes.values()].map((p) => `pid ${p.pid} ${p.name} ${p.startTime} ${p.cpuTicks}`);
  const socks = data.sockets.filter((s) => s.state === 'LISTEN').map((s) => `${s.localPort} #${s.inode} [${s.pids.join(',')}] ${s.ownerUnknown ?? ''}`);
  return [...socks, ...procs].sort();
}

describe('a listeners-only refresh that finds nothing changed', () => {
  let tree: Tree;
  let live: LinuxProbe;
  const fresh = (): Promise<ProbeData> => new LinuxProbe({ procRoot: tree.root, euid: 0, passwdFile: '/dev/null' }).collect();
  /** A live refresh that must agree with a fresh probe of the same moment. */
  const refresh = async (): Promise<ProbeData> => {
    const data = await live.collect();
    expect(view(data)).toEqual(view(await fresh()));
    return data;
  };

  beforeEach(() => {
    tree = makeTree();
    tree.tcp(
      [
        [8080, 501],
        [6379, 502],
      ],
      [[8080, 601, 40000]],
    );
    tree.process(100, 'gateway', 1000, [501, 601]);
    tree.process(200, 'redis-server', 2000, [502]);
    // Full reads every 4th collect, as the TUI's probe (every 5th) but shorter.
    live = new LinuxProbe({ procRoot: tree.root, euid: 0, passwdFile: '/dev/null', allSocketsEvery: 4 });
  });
  afterEach(() => rmSync(tree.root, { recursive: true, force: true }));

  it('hands out the same socket array, with fresh process details', async () => {
    const first = await refresh(); // full
    const second = await refresh(); // listeners only: a parse, the last read was full
    tree.process(100, 'gateway', 1000, [501, 601], 77); // more CPU time, same process
    const third = await refresh();
    expect(second.sockets).toBe(first.sockets);
    expect(third.sockets).toBe(first.sockets);
    expect(third.processes.get(100)?.cpuTicks).toBe(78);
    expect(third.takenAt >= second.takenAt).toBe(true);
  });

  it('reads again when a listener opens, and at the next full read when a connection does', async () => {
    const first = await refresh();
    tree.tcp(
      [
        [8080, 501],
        [6379, 502],
        [9090, 503],
      ],
      [
        [8080, 601, 40000],
        [8080, 602, 40001],
      ],
    );
    tree.process(200, 'redis-server', 2000, [502, 503]);
    const opened = await refresh();
    expect(opened.sockets).not.toBe(first.sockets);
    expect(opened.sockets.find((s) => s.localPort === 9090)?.pids).toEqual([200]);
    // Connections lag until the next full read (the fourth collect), then the new one is there.
    expect(opened.sockets.some((s) => s.inode === 602)).toBe(false);
    await refresh();
    await refresh();
    const full = await refresh();
    expect(full.sockets.some((s) => s.inode === 602)).toBe(true);
  });

  it('reads again when one holder of a shared socket exits, and when a pid names another process', async () => {
    // A forked worker shares the gateway's listener.
    tree.process(300, 'gateway', 1100, [501]);
    const first = await refresh();
    expect(first.sockets.find((s) => s.localPort === 8080)?.pids).toEqual([100, 300]);
    tree.removeProcess(100);
    const exited = await refresh();
    expect(exited.sockets).not.toBe(first.sockets);
    expect(exited.processes.has(100)).toBe(false);
    expect(exited.sockets.find((s) => s.localPort === 8080)?.pids).toEqual([300]);

    const same = await refresh();
    // The same pid with another start time is another process (here it got the socket passed to
    // it): never the old one's details, though not one listener line changed.
    tree.process(200, 'replaced', 9500, [502]);
    const replaced = await refresh();
    expect(replaced.sockets).not.toBe(same.sockets);
    expect(replaced.processes.get(200)?.name).toBe('replaced');
    expect(replaced.processes.get(200)?.startTime).toBe(9500);
    expect(replaced.sockets.find((s) => s.localPort === 6379)?.pids).toEqual([200]);
  });

  it('compares with the full read in between: a listener that comes and goes across it is seen', async () => {
    const first = await refresh(); // 0: full
    await refresh(); // 1
    await refresh(); // 2
    await refresh(); // 3
    tree.tcp([[8080, 501]], [[8080, 601, 40000]]);
    const full = await refresh(); // 4: full, 6379 closed
    expect(full.sockets.some((s) => s.localPort === 6379)).toBe(false);
    tree.tcp(
      [
        [8080, 501],
        [6379, 502],
      ],
      [[8080, 601, 40000]],
    );
    const reopened = await refresh(); // 5: listeners only, the same bytes as at read 3, not as at read 4
    expect(reopened.sockets).not.toBe(first.sockets);
    expect(reopened.sockets.find((s) => s.localPort === 6379)?.pids).toEqual([200]);
  });
});

describe('HoldingTables', () => {
  it('says unchanged only when every table is byte for byte the same, and parses what it read', () => {
    const tree = makeTree();
    try {
      tree.tcp([[8080, 501]], [[8080, 601, 40000]]);
      const tables = new HoldingTables();
      const first = tables.read(tree.root);
      expect(first.unchanged).toBe(false);
      expect(first.tables().sockets.map((s) => s.inode)).toEqual([501]);
      // Connections are not part of the listener prefix: a new one changes nothing here.
      tree.tcp([[8080, 501]], [[8080, 602, 40001]]);
      expect(tables.read(tree.root).unchanged).toBe(true);
      // One digit of one listener line differs.
      tree.tcp([[8081, 501]], [[8080, 602, 40001]]);
      const moved = tables.read(tree.root);
      expect(moved.unchanged).toBe(false);
      expect(moved.tables().sockets.map((s) => s.localPort)).toEqual([8081]);
      writeFileSync(path.join(tree.root, 'net', 'udp'), `${HEADER}${tcpLine(0, 53, 700).replace(' 0A ', ' 07 ')}`);
      expect(tables.read(tree.root).unchanged).toBe(false);
      expect(tables.read(tree.root).unchanged).toBe(true);
      // A full read of the same listeners parses only the connections, and hands out copies: owners
      // the probe fills in on one read's sockets never show up in another's.
      tree.tcp([[8081, 501]], [[8080, 602, 40001]]);
      const full1 = tables.readAll(tree.root);
      const full2 = tables.readAll(tree.root);
      expect(full2.sockets.map((s) => `${s.localPort} ${s.inode} ${s.state}`)).toEqual(['8081 501 LISTEN', '8080 602 ESTAB', '53 700 UNCONN']);
      expect(full2.sockets).toEqual(full1.sockets);
      expect(full2.sockets[0]).not.toBe(full1.sockets[0]);
      (full1.sockets[0] as { pids: readonly number[] }).pids = [42];
      expect(tables.readAll(tree.root).sockets[0]?.pids).toEqual([]);
      expect(tables.read(tree.root).tables().sockets[0]?.pids).toEqual([]);
      // A full read updates what the next comparison is made against.
      tree.tcp([], []);
      expect(tables.readAll(tree.root).sockets.filter((s) => s.protocol === 'tcp')).toEqual([]);
      expect(tables.read(tree.root).unchanged).toBe(true);
    } finally {
      rmSync(tree.root, { recursive: true, force: true });
    }
  });
});

describe('full reads spaced by their cost (fullReadShare)', () => {
  it('waits the refresh count and the time that keeps full reads within their share of a core', async () => {
    const tree = makeTree();
    try {
      tree.tcp([[8080, 501]], [[8080, 601, 40000]]);
      tree.process(100, 'gateway', 1000, [501, 601]);
      let clock = 0;
      let cpu = 0;
      // Each full read "costs" 20 ms of CPU (the probe reads the CPU clock before and after it): at a
      // share of 1 % the next full read is due 2,000 ms later, and never before 2 collects.
      const probe = new LinuxProbe({ procRoot: tree.root, euid: 0, passwdFile: '/dev/null', allSocketsEvery: 2, fullReadShare: 0.01, now: () => clock, cpuMs: () => (cpu += 20) });
      const fullAfter = async (ms: number): Promise<number> => {
        clock += ms;
        await probe.collect();
        return probe.fullReads;
      };
      expect(await fullAfter(0)).toBe(1); // the first collect is always full
      expect(await fullAfter(100)).toBe(1); // 1 collect since: too soon by count
      expect(await fullAfter(100)).toBe(1); // 2 collects, but 200 of 2,000 ms
      expect(await fullAfter(1700)).toBe(1); // 1,900 ms
      expect(await fullAfter(100)).toBe(2); // 2,000 ms: due
      expect(await fullAfter(5000)).toBe(2); // by time long due, but 1 collect since
      expect(await fullAfter(0)).toBe(3);
      // Without a share, every allSocketsEvery-th collect is full whatever it costs.
      const plain = new LinuxProbe({ procRoot: tree.root, euid: 0, passwdFile: '/dev/null', allSocketsEvery: 2, now: () => clock, cpuMs: () => (cpu += 1000) });
      for (let i = 0; i < 6; i++) await plain.collect();
      expect(plain.fullReads).toBe(3);
    } finally {
      rmSync(tree.root, { recursive: true, force: true });
    }
  });
});
