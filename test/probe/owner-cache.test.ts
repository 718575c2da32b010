import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProbeData } from '../../src/core/types.js';
import { LinuxProbe } from '../../src/probe/linux.js';
import { procTree, type ProcTree } from './proc-tree.js';

// One TUI probe instance across ticks must always agree with a fresh probe, while doing full
// /proc/*/fd scans only when it has to. The fixture tree is changed between ticks the way
// processes change the real /proc.

/** inode -> owners, plus the process list: what a fresh and a cached probe must agree on. */
function view(data: ProbeData): { sockets: string[]; processes: number[] } {
  return {
    sockets: data.sockets.map((s) => `${s.protocol}${s.family} ${s.localPort} #${s.inode} ${s.state} [${s.pids.join(',')}]`).sort(),
    processes: [...data.processes.keys()].sort((a, b) => a - b),
  };
}

function tcpLine(port: number, inode: number, uid = 1000): string {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return `  99: 00000000:${hexPort} 00000000:0000 0A 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)}        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}

function statText(pid: number, name: string, start: number): string {
  return `${pid} (${name}) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 1 1 0 0 20 0 1 0 ${start} 1000000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;
}

describe('owner cache across collects (fixture tree "mixed")', () => {
  let tree: ProcTree;
  let clock: number;
  let cached: LinuxProbe;

  const tcp = (): string => path.join(tree.root, 'net', 'tcp');
  const addSocket = (port: number, inode: number, uid = 1000): void => appendFileSync(tcp(), tcpLine(port, inode, uid));
  const dropSocket = (inode: number): void => {
    const kept = readFileSync(tcp(), 'utf8').split('\n').filter((l) => !new RegExp(` ${inode} \\d+ [0-9A-F]{16} `).test(l));
    writeFileSync(tcp(), kept.join('\n'));
  };
  const addProcess = (pid: number, name: string, start: number): void => {
    tree.link(pid, 0, '/dev/null');
    writeFileSync(path.join(tree.root, String(pid), 'stat'), statText(pid, name, start));
    writeFileSync(path.join(tree.root, String(pid), 'cmdline'), `${name}\0`);
    writeFileSync(path.join(tree.root, String(pid), 'status'), 'Uid:\t1000\t1000\t1000\t1000\n');
  };
  /** Collects with the cached probe and a fresh one; they must agree. */
  const tickAgrees = async (): Promise<ProbeData> => {
    const now = await cached.collect();
    const fresh = await new LinuxProbe({ procRoot: tree.root, euid: 0 }).collect();
    expect(view(now)).toEqual(view(fresh));
    return now;
  };

  beforeEach(async () => {
    tree = procTree('mixed');
    clock = 0;
    cached = new LinuxProbe({ procRoot: tree.root, euid: 0, now: () => clock, fullRescanMs: 60_000 });
    await tickAgrees();
    expect(cached.fullScans).toBe(1);
  });
  afterEach(() => tree.cleanup());

  it('does no full scan when nothing changed', async () => {
    for (let i = 0; i < 5; i++) await tickAgrees();
    expect(cached.fullScans).toBe(1);
  });

  it('finds a socket of a new process by scanning only that process', async () => {
    addProcess(900, 'newcomer', 5000);
    tree.link(900, 3, 'socket:[2000]');
    addSocket(4000, 2000);
    const data = await tickAgrees();
    expect(data.sockets.find((s) => s.inode === 2000)?.pids).toEqual([900]);
    expect(data.processes.get(900)?.name).toBe('newcomer');
    expect(cached.fullScans).toBe(1);
  });

  it('finds a new socket of a known process at a new fd number without a full scan', async () => {
    tree.link(100, 9, 'socket:[2001]');
    addSocket(4001, 2001);
    expect((await tickAgrees()).sockets.find((s) => s.inode === 2001)?.pids).toEqual([100]);
    expect(cached.fullScans).toBe(1);
  });

  it('re-reads an fd number whose socket closed and was reused for a new socket', async () => {
    dropSocket(1001);
    await tickAgrees();
    tree.link(100, 3, 'socket:[2002]');
    addSocket(4002, 2002);
    expect((await tickAgrees()).sockets.find((s) => s.inode === 2002)?.pids).toEqual([100]);
    expect(cached.fullScans).toBe(1);
  });

  it('drops a forked holder that closed its copy of a shared socket at once', async () => {
    tree.remove('300/fd/3');
    expect((await tickAgrees()).sockets.find((s) => s.inode === 1030)?.pids).toEqual([301]);
  });

  it('notices a pid reused by another process', async () => {
    dropSocket(1041);
    tree.remove('401');
    addProcess(401, 'impostor', 9999);
    tree.link(401, 3, 'socket:[2003]');
    addSocket(4003, 2003);
    const data = await tickAgrees();
    expect(data.processes.get(401)).toMatchObject({ name: 'impostor', startTime: 9999 });
    expect(data.sockets.find((s) => s.inode === 2003)?.pids).toEqual([401]);
  });

  it('keeps the sockets of a process that vanished, without owner', async () => {
    tree.remove('700');
    const data = await tickAgrees();
    expect(data.sockets.filter((s) => [1010, 1011, 1012].includes(s.inode)).map((s) => s.pids)).toEqual([[], [], []]);
    expect(data.processes.has(700)).toBe(false);
  });

  it('searches fully once for a new socket nobody visible holds, not every tick', async () => {
    addSocket(4004, 2004);
    await tickAgrees();
    expect(cached.fullScans).toBe(2);
    for (let i = 0; i < 3; i++) await tickAgrees();
    expect(cached.fullScans).toBe(2);
  });

  it('as a non-root user, does not search for new sockets of other users', async () => {
    const probe = new LinuxProbe({ procRoot: tree.root, euid: 1000, now: () => clock });
    await probe.collect();
    addSocket(4005, 2005, 0);
    await probe.collect();
    expect(probe.fullScans).toBe(1);
    addSocket(4006, 2006, 1000);
    await probe.collect();
    expect(probe.fullScans).toBe(2);
  });

  it('rescans fully after fullRescanMs', async () => {
    clock += 60_000;
    await tickAgrees();
    expect(cached.fullScans).toBe(2);
  });

  it('catches a socket handed to another process within verifyEvery ticks', async () => {
    const every = 4;
    const probe = new LinuxProbe({ procRoot: tree.root, euid: 0, verifyEvery: every, now: () => clock });
    await probe.collect();
    // pid 200 passes its listener to pid 800 (SCM_RIGHTS) and closes it; 800 gets it at fd 0.
    tree.remove('200/fd/3');
    tree.link(800, 0, 'socket:[1002]');
    let owners: readonly number[] = [];
    for (let i = 0; i < every; i++) owners = (await probe.collect()).sockets.find((s) => s.inode === 1002)?.pids ?? [];
    expect(owners).toEqual([800]);
  });

  it('with verifyEvery 1 sees a hand-over on the next tick', async () => {
    const probe = new LinuxProbe({ procRoot: tree.root, euid: 0, verifyEvery: 1, now: () => clock });
    await probe.collect();
    tree.remove('200/fd/3');
    tree.link(800, 0, 'socket:[1002]');
    expect((await probe.collect()).sockets.find((s) => s.inode === 1002)?.pids).toEqual([800]);
  });

  it('with verifyEvery 0 (a live view) leaves a hand-over to the full rescan, and re-reads no single holder before it', async () => {
    const probe = new LinuxProbe({ procRoot: tree.root, euid: 0, verifyEvery: 0, now: () => clock });
    await probe.collect();
    tree.remove('200/fd/3');
    tree.link(800, 0, 'socket:[1002]');
    for (let i = 0; i < 10; i++) expect((await probe.collect()).sockets.find((s) => s.inode === 1002)?.pids).toEqual([200]);
    clock += 60_000;
    expect((await probe.collect()).sockets.find((s) => s.inode === 1002)?.pids).toEqual([800]);
  });

  it('reads a process with many fds from inside its fd directory, and leaves the working directory as it was', async () => {
    const cwd = process.cwd();
    addProcess(950, 'busy', 6000);
    for (let i = 0; i < 100; i++) {
      tree.link(950, 10 + i, `socket:[${3000 + i}]`);
      addSocket(5000 + i, 3000 + i);
    }
    tree.link(950, 200, 'pipe:[77]');
    const data = await tickAgrees();
    const owned = data.sockets.filter((s) => s.inode >= 3000 && s.inode < 3100);
    expect(owned).toHaveLength(100);
    expect(owned.every((s) => s.pids.length === 1 && s.pids[0] === 950)).toBe(true);
    expect(process.cwd()).toBe(cwd);
  });
});
