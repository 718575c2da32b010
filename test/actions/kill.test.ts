import dgram from 'node:dgram';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executeKill } from '../../src/actions/kill.js';
import { freezeTarget, refusalReason, type FrozenTarget } from '../../src/actions/kill-target.js';
import { groupMembers, selfGuard } from '../../src/actions/process-tree.js';
import { cleanupStarted, startListener, startZombie, stateOf } from './kill-helpers.js';
import { waitFor } from '../helpers/poll.js';
import { tempDir } from '../helpers/temp-dir.js';

const guard = selfGuard();
const fast = { timeoutMs: 1000, pollMs: 20, guard, tree: false } as const;

function freeze(pid: number, port: number): FrozenTarget {
  const t = freezeTarget(pid, { port });
  if (!t) throw new Error(`pid ${pid} vanished before the test could freeze it`);
  return t;
}

afterEach(() => cleanupStarted());

describe('executeKill against real processes', () => {
  it('kills a plain listener with TERM and reports the port free', async () => {
    const l = await startListener('plain');
    const out = await executeKill(freeze(l.pid, l.port), { ...fast, signal: 'TERM' });
    expect(out.kind).toBe('killed');
    expect(out.sent).toEqual(['TERM']);
    expect(out.message).toContain(`port ${l.port} is free`);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('sends KILL after the timeout to a process that ignores TERM', async () => {
    const l = await startListener('ignore-term');
    const out = await executeKill(freeze(l.pid, l.port), { ...fast, signal: 'TERM' });
    expect(out.kind).toBe('killed');
    expect(out.sent).toEqual(['TERM', 'KILL']);
    expect(out.message).toMatch(/SIGKILL after 1 s/);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('continues a stopped process so that TERM is acted on', async () => {
    const l = await startListener('plain');
    process.kill(l.pid, 'SIGSTOP');
    await waitFor(() => stateOf(l.pid) === 'T');
    const out = await executeKill(freeze(l.pid, l.port), { ...fast, timeoutMs: 5000, signal: 'TERM' });
    expect(out.kind).toBe('killed');
    expect(out.sent).toEqual(['TERM', 'CONT']);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('says another holder remains when a forked child shares the socket', async () => {
    const l = await startListener('fork');
    const out = await executeKill(freeze(l.pid, l.port), { ...fast, signal: 'TERM' });
    expect(out.kind).toBe('killed');
    expect(out.remainingHolders).toEqual([l.second]);
    expect(out.message).toContain(`port ${l.port} is still held by pid ${l.second} (another holder remains)`);
    expect(stateOf(l.second as number)).not.toBeNull();
  });

  it('says another holder remains when a SO_REUSEPORT sibling has its own socket on the port', async () => {
    // No reprobe here (as in the TUI): the port itself must be checked, not only the killed socket.
    const l = await startListener('reuseport');
    const t = freeze(l.pid, l.port);
    const out = await executeKill(t, { ...fast, signal: 'TERM' });
    expect(out.kind).toBe('killed');
    expect(out.remainingHolders).toEqual([l.second]);
    expect(out.message).toContain(`port ${l.port} is still held by pid ${l.second} (another holder remains)`);
    expect(out.message).not.toContain('is free');
    expect(stateOf(l.second as number)).not.toBeNull();
  });

  it('a listener of the other protocol on the same port number does not hold it', async () => {
    const l = await startListener('plain');
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(l.port, '127.0.0.1', resolve);
    });
    try {
      const t = freeze(l.pid, l.port);
      expect(t.protocol).toBe('tcp');
      const out = await executeKill(t, { ...fast, signal: 'TERM' });
      expect(out.message).toContain(`port ${l.port} is free`);
    } finally {
      udp.close();
    }
  });

  it('kills the whole group of a wrapper with tree, after checking the leader', async () => {
    const l = await startListener('wrapper');
    const t = freeze(l.pid, l.port);
    expect(t.chain[0]?.name).toBe('sh');
    expect(t.leader?.pid).toBe(l.child.pid);
    const out = await executeKill(t, { ...fast, signal: 'TERM', tree: true });
    expect(out.kind).toBe('killed');
    expect(out.message).toContain(`process group ${l.child.pid}`);
    await waitFor(() => stateOf(l.child.pid as number) === null);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('a group kill waits for the whole group: a wrapper that ignores TERM gets the KILL after the timeout', async () => {
    const l = await startListener('stubborn-wrapper');
    const leader = l.child.pid as number;
    const out = await executeKill(freeze(l.pid, l.port), { ...fast, signal: 'TERM', tree: true });
    expect(out.kind).toBe('killed');
    expect(out.sent).toEqual(['TERM', 'KILL']);
    expect(out.message).toMatch(new RegExp(`^killed process group ${leader} \\(leader sh\\) with SIGKILL after 1 s`));
    expect(groupMembers(leader)).toEqual([]);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('without tree, a wrapper loses only its child and sh lives on', async () => {
    // The stubborn wrapper goes on running (sleep) after its child: it must still be there.
    const l = await startListener('stubborn-wrapper');
    const out = await executeKill(freeze(l.pid, l.port), { ...fast, signal: 'INT' });
    expect(out.kind).toBe('killed');
    expect(out.sent).toEqual(['INT']);
    expect(stateOf(l.pid)).toBeNull();
    expect(stateOf(l.child.pid as number)).not.toBeNull();
  });

  it('does not signal a pid whose start time differs from the frozen one (pid reuse)', async () => {
    const l = await startListener('plain');
    const t = freeze(l.pid, l.port);
    const reused: FrozenTarget = { ...t, startTime: t.startTime - 1 };
    const out = await executeKill(reused, { ...fast, signal: 'KILL' });
    expect(out.kind).toBe('process changed');
    expect(out.message).toMatch(/^process changed — not killed/);
    expect(out.sent).toEqual([]);
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it('refuses a group kill when the group leader changed', async () => {
    const l = await startListener('wrapper');
    const t = freeze(l.pid, l.port);
    const out = await executeKill({ ...t, leader: { ...(t.leader as NonNullable<FrozenTarget['leader']>), startTime: 1 } }, { ...fast, signal: 'TERM', tree: true });
    expect(out.kind).toBe('process changed');
    expect(out.sent).toEqual([]);
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it('reports already exited for a process that is gone', async () => {
    const l = await startListener('plain');
    const t = freeze(l.pid, l.port);
    const reaped = new Promise((r) => l.child.once('exit', r));
    process.kill(l.pid, 'SIGKILL');
    await reaped;
    const out = await executeKill(t, { ...fast, signal: 'TERM' });
    expect(out.kind).toBe('already exited');
    expect(out.sent).toEqual([]);
  });
});

describe('a process that survives SIGKILL', () => {
  it('says still alive: a /proc copy that never changes stands in for a process stuck in the kernel', async () => {
    const l = await startListener('ignore-term');
    const { dir: procRoot, remove } = tempDir('vhtop-stuck-');
    try {
      mkdirSync(path.join(procRoot, String(l.pid)));
      // readFileSync, not copyFileSync: /proc files report size 0 and would copy empty.
      for (const f of ['stat', 'status', 'cmdline']) writeFileSync(path.join(procRoot, String(l.pid), f), readFileSync(`/proc/${l.pid}/${f}`));
      const t = freezeTarget(l.pid, { port: l.port, procRoot }) as FrozenTarget;
      const out = await executeKill(t, { ...fast, timeoutMs: 300, signal: 'TERM', procRoot });
      expect(out.kind).toBe('still alive');
      expect(out.sent).toEqual(['TERM', 'KILL']);
      expect(out.message).toBe(`pid ${l.pid} (python3) is still alive after SIGKILL (stuck in the kernel, state D?)`);
    } finally {
      remove();
    }
  });
});

describe('zombies', () => {
  it('names the parent that must reap a zombie and sends nothing', async () => {
    const z = await startZombie();
    const t = freezeTarget(z.zombie);
    expect(t?.state).toBe('Z');
    const out = await executeKill(t as FrozenTarget, { ...fast, signal: 'TERM' });
    expect(out.kind).toBe('zombie');
    expect(out.message).toBe(`pid ${z.zombie} (python3) is a zombie: it has exited and parent ${z.parent} must reap it`);
    expect(out.sent).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses pid 1, vhtop itself and its parent; not another member of its group', () => {
    expect(freezeTarget(1)).toBeNull();
    const self = freezeTarget(process.pid);
    expect(self && refusalReason(self, guard)).toMatch(/vhtop itself/);
    const parent = freezeTarget(process.ppid);
    expect(parent && refusalReason(parent, guard)).toMatch(/parent of vhtop/);
    if (self) expect(refusalReason({ ...self, pid: 999_999_0 }, guard)).toBeNull();
    // A group kill refuses vhtop's own group; when the test runner was started by a shell that has
    // exited since (its group leader is gone), it refuses for that reason first.
    if (self) expect(refusalReason({ ...self, pid: 999_999_0 }, guard, true)).toMatch(self.leader === null ? /leader is gone/ : /contains vhtop/);
  });

  it('refuses a group kill of a group that holds an ancestor of vhtop, even when that ancestor is not its leader', () => {
    const self = freezeTarget(process.pid) as FrozenTarget;
    const parent = freezeTarget(process.ppid) as FrozenTarget;
    expect(guard.ancestorGroups?.has(parent.pgid)).toBe(true);
    // A target in the parent's group whose leader is some other process.
    const t: FrozenTarget = { ...self, pid: 4242, pgid: 31337, leader: { pid: 31337, startTime: 1, name: 'npm' } };
    const g = { ...guard, pgid: 1_000_001, ancestors: new Set<number>(), ancestorGroups: new Set([31337]) };
    expect(refusalReason(t, g, true)).toBe('refusing group 31337: it contains vhtop or its shell');
    expect(refusalReason(t, g, false)).toBeNull();
  });

  it.runIf(readFileSync('/proc/2/comm', 'utf8').trim() === 'kthreadd')('refuses the real kthreadd and its children', () => {
    const kthreadd = freezeTarget(2) as FrozenTarget;
    expect(refusalReason(kthreadd, guard)).toBe('refusing pid 2 (kthreadd): it is a kernel thread');
    const child = readdirSync('/proc').map(Number).find((p) => p > 2 && freezeTarget(p)?.ppid === 2);
    if (child !== undefined) expect(refusalReason(freezeTarget(child) as FrozenTarget, guard, true)).toMatch(/it is a kernel thread$/);
  });

  it('refuses kernel threads and docker-proxy, offering the compose stop line', () => {
    const self = freezeTarget(process.pid) as FrozenTarget;
    const other = { ...self, pid: 4242, pgid: 4242 };
    expect(refusalReason({ ...other, ppid: 2, name: 'kworker/0:1' }, guard)).toMatch(/kernel thread/);
    const proxy = refusalReason({ ...other, name: 'docker-proxy', dockerProxy: true, port: 5432, service: 'postgres', dockerService: 'db' }, guard);
    expect(proxy).toContain('port 5432 is published by a container');
    expect(proxy).toContain('docker compose stop db');
  });

  it('executeKill refuses without sending anything', async () => {
    const self = freezeTarget(process.pid) as FrozenTarget;
    const out = await executeKill(self, { ...fast, signal: 'KILL' });
    expect(out.kind).toBe('refused');
    expect(out.sent).toEqual([]);
  });
});
