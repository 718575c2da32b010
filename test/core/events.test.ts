import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/core/events.js';
import { listener, service, snapshot } from '../ui/fixtures.js';

describe('diffSnapshots', () => {
  it('reports a service going down and coming up', () => {
    const up = snapshot({ services: [service({ id: 'web', name: 'Web前端', port: 3000, status: 'up', pid: 5, process: 'node' })] });
    const down = snapshot({ services: [service({ id: 'web', name: 'Web前端', port: 3000, status: 'down' })], takenAt: '2026-11-21T20:00:02.000Z' });
    const wentDown = diffSnapshots(up, down);
    expect(wentDown).toEqual([
      { kind: 'service-down', at: '2026-11-21T20:00:02.000Z', port: 3000, service: 'web', text: 'Web前端 (web) went down on port 3000' },
    ]);
    expect(diffSnapshots(down, up).map((e) => e.kind)).toEqual(['service-up']);
  });

  it('reports a service falling into conflict with the holder', () => {
    const a = snapshot({ services: [service({ id: 'gw', port: 8080, status: 'down' })] });
    const b = snapshot({ services: [service({ id: 'gw', port: 8080, status: 'conflict', pid: 9, process: 'java' })] });
    expect(diffSnapshots(a, b)[0]?.text).toBe('port 8080 of gw (gw) is held by java (pid 9)');
  });

  it('reports a new unexpected listener but not a new expected one', () => {
    const a = snapshot({});
    const b = snapshot({
      listeners: [
        listener({ port: 4444, pid: 1, process: 'nc', status: 'unexpected' }),
        listener({ port: 3000, pid: 2, process: 'node', status: 'expected', service: 'web' }),
      ],
    });
    const events = diffSnapshots(a, b);
    expect(events.map((e) => [e.kind, e.port])).toEqual([['unexpected-listener', 4444]]);
    expect(events[0]?.text).toBe('new unexpected listener on tcp 0.0.0.0:4444: nc (pid 1)');
  });

  it('reports a port changing owner, not a restart of the same program', () => {
    const a = snapshot({ listeners: [listener({ port: 8080, pid: 1, process: 'gateway' })] });
    const restarted = snapshot({ listeners: [listener({ port: 8080, pid: 2, process: 'gateway' })] });
    const taken = snapshot({ listeners: [listener({ port: 8080, pid: 3, process: 'java' })] });
    expect(diffSnapshots(a, restarted)).toEqual([]);
    expect(diffSnapshots(a, taken).map((e) => e.text)).toEqual(['port 8080 changed owner: gateway (pid 1) -> java (pid 3)']);
  });

  it('is empty for identical snapshots', () => {
    const s = snapshot({ services: [service({ id: 'x' })], listeners: [listener({ port: 1 })] });
    expect(diffSnapshots(s, s)).toEqual([]);
  });
});

describe('event wording', () => {
  const at = '2026-11-21T20:00:02.000Z';
  const gw = (over: Parameters<typeof service>[0]) => service({ name: 'API网关', port: 8080, ...over });
  const texts = (a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>) => diffSnapshots(a, b).map((e) => e.text);
  it.each([
    ['a squatter leaving frees the port; the service never went down',
      [gw({ id: 'gateway', status: 'conflict', pid: 4242, process: 'python3' })], [gw({ id: 'gateway', status: 'down' })],
      ["port 8080 freed (was python3 pid 4242, not gateway's program)"]],
    ['a squatter on a port of two alternatives: one line names both',
      [gw({ id: 'gateway', status: 'conflict', pid: 7, process: 'java' }), gw({ id: 'gateway-dev', status: 'conflict', pid: 7, process: 'java' })],
      [gw({ id: 'gateway', status: 'down' }), gw({ id: 'gateway-dev', status: 'down' })],
      ["port 8080 freed (was java pid 7, not gateway's or gateway-dev's program)"]],
    ['went down only for a service that was up', [gw({ id: 'gateway', status: 'up', pid: 3 })], [gw({ id: 'gateway', status: 'down' })], ['API网关 (gateway) went down on port 8080']],
    ['an alternative stopping tells it once (its inactive partner is quiet)',
      [gw({ id: 'gateway', status: 'inactive', usedBy: { service: 'gateway-dev', profiles: ['dev'] } }), gw({ id: 'gateway-dev', name: 'dev', status: 'up', pid: 3 })],
      [gw({ id: 'gateway', status: 'down' }), gw({ id: 'gateway-dev', name: 'dev', status: 'down' })],
      ['dev (gateway-dev) went down on port 8080']],
    ['an unseen holder says whose socket it is',
      [gw({ id: 'gateway', status: 'down' })], [gw({ id: 'gateway', status: 'unverified', unseenOwner: { reason: 'not root', uid: 0, user: 'root' } })],
      ['port 8080 of API网关 (gateway) is held by a socket of uid 0 (root) whose process vhtop cannot see']],
  ] as const)('%s', (_label, before, after, want) => {
    expect(texts(snapshot({ services: [...before] }), snapshot({ services: [...after], takenAt: at }))).toEqual(want);
  });
});
