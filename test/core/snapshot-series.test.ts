/**
 * A live view classifies one pass after another: a pass whose sockets are the very array of the last
 * one and whose owners are the same processes keeps the last classification (the same arrays); any
 * change in what classification reads gives exactly what a fresh classification gives.
 */
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/core/snapshot.js';
import { SnapshotSeries } from '../../src/core/snapshot-series.js';
import type { ProbeData, ProcessInfo, Snapshot } from '../../src/core/types.js';
import { catalogue, def, env, probeData, proc, sock } from './snapshot-fixtures.js';

const cat = catalogue(def({ id: 'gateway', port: 8080, process: ['gateway'] }), def({ id: 'redis', port: 6379, process: ['redis-server'] }));
const environment = env();
const how = { profile: null, all: false };

const sockets = Object.freeze([sock({ port: 8080, pids: [10] }), sock({ port: 6379, pids: [20] }), sock({ port: 8080, state: 'ESTAB', localAddress: '127.0.0.1', remotePort: 40000, pids: [10] })]);
const gateway = proc(10, 'gateway');
const redis = proc(20, 'redis-server');

function pass(procs: ProcessInfo[], takenAt = '2026-11-29T10:00:00.000Z', socketArray = sockets): ProbeData {
  return { ...probeData([...socketArray], procs), sockets: socketArray, takenAt };
}

/** The classification without the fields that come straight from the pass. */
function classified(s: Snapshot): unknown {
  return { listeners: s.listeners, services: s.services, conflicts: s.conflicts, profile: s.profile };
}

describe('SnapshotSeries', () => {
  it('reuses the classification of an unchanged pass and takes its time and process details', () => {
    const series = new SnapshotSeries();
    const first = series.build(pass([gateway, redis]), cat, environment, how);
    const busier = { ...redis, cpuTicks: 500, rssBytes: 1 << 20, state: 'R' };
    const data = pass([gateway, busier], '2026-11-29T10:00:02.000Z');
    const second = series.build(data, cat, environment, how);
    expect(series.reused).toBe(1);
    expect(second.listeners).toBe(first.listeners);
    expect(second.services).toBe(first.services);
    expect(second.conflicts).toBe(first.conflicts);
    expect(second.takenAt).toBe('2026-11-29T10:00:02.000Z');
    expect(second.processes.get(20)?.cpuTicks).toBe(500);
    expect(Object.isFrozen(second)).toBe(true);
    expect(classified(second)).toEqual(classified(buildSnapshot(data, cat, environment, how)));
  });

  it('classifies afresh when an owner is another process, the sockets, the profile or the engine differ', () => {
    const series = new SnapshotSeries();
    const first = series.build(pass([gateway, redis]), cat, environment, how);
    const cases: [string, ProbeData, typeof how][] = [
      // Same pid, another program: the port is held by the wrong program now.
      ['another program', pass([gateway, { ...redis, name: 'nc', command: 'nc -l 6379', startTime: 999 }]), how],
      ['another command line', pass([gateway, { ...redis, command: 'redis-server --port 6379 --protected-mode no' }]), how],
      ['another user', pass([gateway, { ...redis, user: 'nobody', uid: 65534 }]), how],
      ['a process gone', pass([gateway]), how],
      ['new sockets', pass([gateway, redis], undefined, Object.freeze([...sockets])), how],
      ['all sockets', pass([gateway, redis]), { profile: null, all: true }],
      ['engine answer', { ...pass([gateway, redis]), containers: [{ name: 'vh-redis-1', service: 'redis', project: 'vh', ports: [{ hostIp: '0.0.0.0', port: 6379, protocol: 'tcp' as const }] }] }, how],
    ];
    let last = first;
    for (const [what, data, options] of cases) {
      const before = series.reused;
      const snap = series.build(data, cat, environment, options);
      expect(series.reused, what).toBe(before);
      expect(snap.listeners, what).not.toBe(last.listeners);
      expect(classified(snap), what).toEqual(classified(buildSnapshot(data, cat, environment, options)));
      last = snap;
    }
    const wrong = series.build(pass([gateway, { ...redis, name: 'nc', command: 'nc -l 6379', startTime: 999 }]), cat, environment, how);
    expect(wrong.services.find((s) => s.id === 'redis')?.status).toBe('conflict');
  });

  it('keeps the classified listeners when only connections changed, and counts them again', () => {
    const series = new SnapshotSeries();
    const first = series.build(pass([gateway, redis]), cat, environment, how);
    // The next full read: the same holders (new objects with the same fields), one more client of
    // the gateway and one of redis, and a client process that holds only a connection.
    const client = proc(30, 'curl');
    const copies = sockets.map((s) => ({ ...s }));
    const more = Object.freeze([
      ...copies,
      sock({ port: 8080, state: 'ESTAB', localAddress: '127.0.0.1', remotePort: 40001, inode: 7001, pids: [10] }),
      sock({ port: 6379, state: 'ESTAB', localAddress: '127.0.0.1', remotePort: 40002, inode: 7002, pids: [20] }),
      sock({ port: 40002, state: 'ESTAB', localAddress: '127.0.0.1', remotePort: 6379, inode: 7003, pids: [30] }),
    ]);
    const data = pass([gateway, redis, client], '2026-11-29T10:00:10.000Z', more);
    const second = series.build(data, cat, environment, how);
    expect(series.recounted).toBe(1);
    expect(classified(second)).toEqual(classified(buildSnapshot(data, cat, environment, how)));
    expect(second.listeners.find((l) => l.port === 8080)?.connections).toBe(2);
    expect(second.services.find((s) => s.id === 'redis')?.connections).toBe(1);
    expect(second.listeners).not.toBe(first.listeners);

    // The holder of 6379 is now another program under the same pid: classified afresh, a conflict.
    const swapped = pass([gateway, { ...redis, name: 'nc', command: 'nc -l 6379', startTime: 999 }, client], undefined, more);
    const third = series.build(swapped, cat, environment, how);
    expect(series.recounted).toBe(1);
    expect(third.services.find((s) => s.id === 'redis')?.status).toBe('conflict');
    expect(classified(third)).toEqual(classified(buildSnapshot(swapped, cat, environment, how)));

    // A listener more: classified afresh.
    const opened = Object.freeze([...more, sock({ port: 9090, pids: [10], inode: 7009 })]);
    const fourth = series.build(pass([gateway, redis, client], undefined, opened), cat, environment, how);
    expect(series.recounted).toBe(1);
    expect(fourth.listeners.some((l) => l.port === 9090)).toBe(true);
  });
});
