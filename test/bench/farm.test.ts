import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanups, trackedChildren } from '../../src/bench/cleanup.js';
import { FARM_SCRIPT, listenersFor, MAX_FARM_SOCKETS, startFarm, type SocketFarm } from '../../src/bench/farm.js';

/** Socket inodes held by `pid` (its /proc/PID/fd links "socket:[INODE]"). */
function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      // fd closed meanwhile
    }
  }
  return out;
}

/** Rows of /proc/net/tcp: ports, state (hex, 0A = LISTEN, 01 = ESTABLISHED, 06 = TIME_WAIT), inode. */
function tcpRows(): { port: number; remotePort: number; state: string; inode: number }[] {
  return readFileSync('/proc/net/tcp', 'latin1')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      const port = (field: string | undefined): number => parseInt((field ?? ':0').split(':')[1] ?? '0', 16);
      return { port: port(f[1]), remotePort: port(f[2]), state: f[3] ?? '', inode: Number(f[9]) };
    });
}

/** Gone, or a zombie waiting for a reaper that is not us. */
function isGone(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return true;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let farm: SocketFarm | null = null;
afterEach(async () => {
  await farm?.stop();
  farm = null;
  runCleanups();
});

describe('socket farm', () => {
  it('opens N/3 listeners, each with a client and an accepted side, and closes them all on stop', async () => {
    farm = await startFarm(90);
    expect(farm.sockets).toBe(90);
    // Node's stdio pipes are unix socketpairs too: count only the TCP ones.
    const inodes = socketInodes(farm.pid);
    const mine = tcpRows().filter((r) => inodes.has(r.inode));
    expect(mine).toHaveLength(90);
    expect(mine.filter((r) => r.state === '0A')).toHaveLength(30);
    expect(mine.filter((r) => r.state === '01')).toHaveLength(60);
    // Connections by their port pair: other programs may reuse an ephemeral port towards another peer.
    const pairs = new Set(mine.filter((r) => r.state === '01').map((r) => `${r.port}>${r.remotePort}`));
    expect(pairs.size).toBe(60);
    const pid = farm.pid;
    await farm.stop();
    expect(isGone(pid)).toBe(true);
    const left = tcpRows().filter((r) => inodes.has(r.inode));
    expect(left).toEqual([]);
    // SO_LINGER 0: no TIME-WAIT leftovers that would inflate the next run's socket count.
    expect(tcpRows().filter((r) => r.state === '06' && pairs.has(`${r.port}>${r.remotePort}`))).toEqual([]);
    expect(trackedChildren()).toBe(0);
  });

  it('leaves TIME-WAIT sockets (no owner, inode 0) on request, and keeps its own sockets', async () => {
    farm = await startFarm(30);
    const inodes = socketInodes(farm.pid);
    const before = new Set(tcpRows().filter((r) => r.state === '06').map((r) => `${r.port}>${r.remotePort}`));
    expect(await farm.timeWait(25)).toBe(25);
    const fresh = tcpRows().filter((r) => r.state === '06' && !before.has(`${r.port}>${r.remotePort}`));
    // The client side closed first: its end waits; each towards the one extra listener's port.
    expect(fresh.length).toBeGreaterThanOrEqual(25);
    expect(new Set(fresh.map((r) => r.inode))).toEqual(new Set([0]));
    expect(new Set(fresh.map((r) => r.remotePort)).size).toBe(1);
    expect(tcpRows().filter((r) => inodes.has(r.inode))).toHaveLength(30);
  });

  it('is killed by runCleanups (what the signal and exit handlers call)', async () => {
    farm = await startFarm(9);
    const pid = farm.pid;
    runCleanups();
    await until(() => isGone(pid), 'the farm to die');
  });

  it('exits by itself when its parent dies (stdin closes), so a crashed bench cannot leak it', async () => {
    // A stand-in parent that starts the farm the same way and prints its pid, then gets SIGKILLed.
    const parentCode = `
      const { spawn } = require('node:child_process');
      const c = spawn('python3', ['-c', process.env.FARM, '3'], { stdio: ['pipe', 'pipe', 'inherit'] });
      c.stdout.on('data', (d) => process.stdout.write(d));`;
    const parent = spawn(process.execPath, ['-e', parentCode], { env: { ...process.env, FARM: FARM_SCRIPT }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString())));
      const m = /^ready 9 (\d+)/.exec(line);
      expect(m).not.toBeNull();
      const farmPid = Number(m?.[1]);
      expect(isGone(farmPid)).toBe(false);
      parent.kill('SIGKILL');
      await until(() => isGone(farmPid), 'the orphaned farm to exit');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('raises its own fd limit when N sockets would not fit under the soft limit', async () => {
    // Soft limit 64 fds, 40 listeners = 120 sockets: only works if the farm lifts the limit itself.
    const child = spawn('sh', ['-c', 'ulimit -Sn 64 && exec python3 -c "$FARM" 40'], { env: { ...process.env, FARM: FARM_SCRIPT }, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString()));
        child.once('exit', () => reject(new Error(`farm exited: ${err}`)));
      });
      expect(line).toMatch(/^ready 120 \d+/);
      const pid = Number(/^ready 120 (\d+)/.exec(line)?.[1]);
      const limits = readFileSync(`/proc/${pid}/limits`, 'latin1');
      expect(Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1])).toBeGreaterThanOrEqual(120);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses counts outside 3..MAX', () => {
    expect(listenersFor(15_000)).toBe(5_000);
    expect(() => listenersFor(2)).toThrow(/from 3/);
    expect(() => listenersFor(MAX_FARM_SOCKETS + 3)).toThrow(RangeError);
    expect(() => listenersFor(10.5)).toThrow(RangeError);
  });
});
