import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveStore, MAX_EVENTS, Poller } from '../../src/ui/live.js';
import { HealthRunner } from '../../src/actions/health-runner.js';
import { healthHost, healthTargets } from '../../src/actions/health-targets.js';
import { checkHealth } from '../../src/actions/health.js';
import type { Catalogue, ServiceDef, Snapshot } from '../../src/core/types.js';
import { listener, seedScene, service, snapshot } from './fixtures.js';
import { silentServer } from '../fixtures/why/servers.js';

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('Poller', () => {
  it('never overlaps passes: ticks during a slow pass are skipped, not queued', async () => {
    let started = 0;
    let release: (() => void) | null = null;
    const got: Snapshot[] = [];
    const poller = new Poller({
      collect: () => {
        started++;
        return new Promise<Snapshot>((resolve) => {
          release = () => resolve(seedScene());
        });
      },
      onSnapshot: (s) => got.push(s),
      onError: () => undefined,
      intervalMs: 5,
    });
    cleanups.push(() => poller.stop());
    poller.start();
    await until(() => poller.skipped >= 3, 'ticks skipped while the first pass hangs');
    expect(started).toBe(1);
    (release as unknown as () => void)();
    await until(() => got.length === 1, 'first snapshot delivered');
    await until(() => started >= 2, 'polling resumes after the slow pass');
  });

  it('stops ticking while paused and ticks again on resume', async () => {
    let started = 0;
    const poller = new Poller({ collect: async () => (started++, seedScene()), onSnapshot: () => undefined, onError: () => undefined, intervalMs: 5 });
    cleanups.push(() => poller.stop());
    poller.start();
    await until(() => started >= 2, 'ticking');
    poller.pause();
    await poller.poll(); // 'r' still works while paused (and lets a pass in flight finish)
    const atPause = started;
    await new Promise((r) => setTimeout(r, 60)); // a dozen intervals
    expect(started).toBe(atPause);
    poller.resume();
    await until(() => started > atPause, 'ticking after resume');
  });

  it('reports a failing pass as an error and keeps going', async () => {
    const store = new LiveStore();
    store.pushSnapshot(seedScene(), 1);
    let n = 0;
    const poller = new Poller({
      collect: async () => {
        n++;
        if (n === 1) throw new Error('cannot read /proc/net/tcp\x1b[2J');
        return seedScene();
      },
      onSnapshot: (s) => store.pushSnapshot(s, 2),
      onError: (e) => store.pushError(e),
      intervalMs: 60_000,
    });
    await poller.poll();
    expect(store.get().error).toBe('cannot read /proc/net/tcp');
    expect(store.get().snapshot).not.toBeNull();
    await poller.poll();
    expect(store.get().error).toBeNull();
  });
});

describe('LiveStore', () => {
  it('keeps the previous snapshot and appends change events, capped', () => {
    const store = new LiveStore();
    const up = snapshot({ services: [service({ id: 'a', status: 'up' })] });
    const down = snapshot({ services: [service({ id: 'a', status: 'down' })] });
    store.pushSnapshot(up, 1);
    expect(store.get().events).toEqual([]);
    for (let i = 0; i < MAX_EVENTS + 10; i++) store.pushSnapshot(i % 2 === 0 ? down : up, 2 + i);
    expect(store.get().events.length).toBe(MAX_EVENTS);
    expect(store.get().previous).not.toBeNull();
  });

  it('cleans health details (they can come from an HTTP body)', () => {
    const store = new LiveStore();
    store.pushHealth(new Map([['a', { ok: false, latencyMs: 1, detail: 'HTTP 500: \x1b]0;pwned\x07boom' }]]));
    expect(store.get().health.get('a')?.detail).toBe('HTTP 500: boom');
  });
});

describe('health targets', () => {
  it('probes loopback of a family the socket accepts', () => {
    expect(healthHost([listener({ port: 1, address: '0.0.0.0' })])).toBe('127.0.0.1');
    expect(healthHost([listener({ port: 1, address: '::', family: 6 })])).toBe('::1');
    expect(healthHost([listener({ port: 1, address: '::1', family: 6 })])).toBe('::1');
    expect(healthHost([listener({ port: 1, address: '::', family: 6 }), listener({ port: 1, address: '127.0.0.1' })])).toBe('127.0.0.1');
    expect(healthHost([listener({ port: 1, address: '10.1.2.3' })])).toBe('10.1.2.3');
  });

  it('skips services that are down or have no health spec', () => {
    const snap = seedScene();
    const cat = catalogue([def('grafana', 3000), def('order-svc', 8082), { ...def('user-svc', 8081), health: null }]);
    expect(healthTargets(snap, snap.services, cat).map((t) => t.id)).toEqual(['grafana']);
  });

  it('runs real TCP probes against a real listener, off the render path', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const port = (server.address() as net.AddressInfo).port;
    const snap = snapshot({
      services: [service({ id: 'live', port, status: 'up' })],
      listeners: [listener({ port, address: '127.0.0.1', status: 'expected', service: 'live' })],
    });
    const store = new LiveStore();
    const runner = new HealthRunner({
      check: checkHealth,
      catalogue: catalogue([def('live', port)]),
      snapshot: () => snap,
      onResults: (r) => store.pushHealth(r),
      intervalMs: 60_000,
    });
    cleanups.push(() => runner.stop());
    await runner.run();
    expect(store.get().health.get('live')?.ok).toBe(true);
  });
});

describe('health runner rounds', () => {
  async function realListener(): Promise<number> {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    return (server.address() as net.AddressInfo).port;
  }
  const up = (id: string, port: number) => ({
    services: [service({ id, port, status: 'up' as const })],
    listeners: [listener({ port, address: '127.0.0.1', status: 'expected' as const, service: id })],
  });

  it('a service that went down loses its old result instead of showing a stale "ok"', async () => {
    const [a, b] = [await realListener(), await realListener()];
    const both = snapshot({ services: [...up('a', a).services, ...up('b', b).services], listeners: [...up('a', a).listeners, ...up('b', b).listeners] });
    const bDown = snapshot({ services: [...up('a', a).services, service({ id: 'b', port: b, status: 'down' })], listeners: up('a', a).listeners });
    const allDown = snapshot({ services: [service({ id: 'a', port: a, status: 'down' }), service({ id: 'b', port: b, status: 'down' })], listeners: [] });
    let current = both;
    const store = new LiveStore();
    let rounds = 0;
    const runner = new HealthRunner({
      check: checkHealth,
      catalogue: catalogue([def('a', a), def('b', b)]),
      snapshot: () => current,
      onResults: (r) => (rounds++, store.pushHealth(r)),
      intervalMs: 60_000,
    });
    cleanups.push(() => runner.stop());
    await runner.run();
    expect([...store.get().health.keys()].sort()).toEqual(['a', 'b']);
    current = bDown;
    await runner.run();
    expect(store.get().health.get('a')?.ok).toBe(true);
    expect(store.get().health.has('b')).toBe(false);
    // Nothing left to probe: the last results still go.
    current = allDown;
    await runner.run();
    expect(store.get().health.size).toBe(0);
    // ...and once cleared, idle rounds deliver nothing (no redraw every health tick).
    const before = rounds;
    await runner.run();
    expect(rounds).toBe(before);
  });

  it('shows each result as its probe ends: a silent listener does not hold back the others', async () => {
    const fast = await realListener();
    const silent = await silentServer();
    cleanups.push(() => void silent.close());
    const store = new LiveStore();
    const [a, b] = [up('fast', fast), up('hang', silent.port)];
    const snap = snapshot({ services: [...a.services, ...b.services], listeners: [...a.listeners, ...b.listeners] });
    const hang: ServiceDef = { ...def('hang', silent.port), health: { kind: 'http', path: '/health', expect: null, timeoutMs: 60_000, https: false } };
    const runner = new HealthRunner({
      check: checkHealth,
      catalogue: catalogue([def('fast', fast), hang]),
      snapshot: () => snap,
      onResults: (r) => store.pushHealth(r),
      intervalMs: 60_000,
    });
    cleanups.push(() => runner.stop());
    const round = runner.run();
    await until(() => store.get().health.get('fast')?.ok === true, 'the fast result while the silent probe is still open');
    expect(silent.openSockets()).toBe(1);
    expect(store.get().health.has('hang')).toBe(false);
    // Quitting cancels the open probe and hangs up; the round ends without a late delivery.
    runner.stop();
    await round;
    await until(() => silent.openSockets() === 0, 'the silent probe closed its socket');
    expect(store.get().health.has('hang')).toBe(false);
  });
});

function def(id: string, port: number): ServiceDef {
  return {
    id, name: id, port, protocol: 'tcp', env: null, group: 'app', profiles: null, process: null, docker: null,
    health: { kind: 'tcp', timeoutMs: 2000 }, bind: null, line: 1,
  };
}

function catalogue(services: ServiceDef[]): Catalogue {
  return { file: '/tmp/registry.yaml', services };
}
