import { describe, expect, it } from 'vitest';
import { allGood, selectServices } from '../../src/commands/check.js';
import { checkProblem } from '../../src/core/check-verdict.js';
import { healthHost, healthTargets } from '../../src/actions/health-targets.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import type { Listener, ServiceView } from '../../src/core/types.js';
import { catalogue, def, env, probeData, proc, sock } from '../core/snapshot-fixtures.js';

const cat = catalogue(
  def({ id: 'algo', port: 8000, process: ['python3'], health: { kind: 'http', path: '/health', expect: null, timeoutMs: null, https: false } }),
  def({ id: 'redis', port: 6379, health: { kind: 'tcp', timeoutMs: null } }),
  def({ id: 'docs', port: 4000 }),
  def({ id: 'prodonly', port: 9000, profiles: ['prod'] }),
  def({ id: 'devonly', port: 9001, profiles: ['dev'] }),
);
const data = probeData(
  [sock({ port: 8000, pids: [5], localAddress: '::', family: 6 }), sock({ port: 6379, pids: [6], localAddress: '10.0.0.7' }), sock({ port: 4000, pids: [7] })],
  [proc(5, 'python3'), proc(6, 'redis-server'), proc(7, 'node')],
);
const snap = buildSnapshot(data, cat, env(), { profile: 'dev', all: false });

describe('selectServices', () => {
  it('all by default, the named ones with --only (spaces and empty items ignored)', () => {
    expect(selectServices(snap, cat, undefined).map((s) => s.id)).toEqual(['algo', 'redis', 'docs', 'devonly']);
    expect(selectServices(snap, cat, ' redis,,algo ').map((s) => s.id)).toEqual(['algo', 'redis']);
  });
  it.each([
    ['bogus', /^unknown service "bogus" in .*\(vhtop list shows every service\)$/],
    ['rediss', /^unknown service "rediss" in .*; did you mean redis\?/],
    ['prodonly', /service "prodonly" is not in profile "dev"/],
    [',', /at least one service id/],
    ['\x1b[2Jx', /^unknown service "x" in .*control characters/],
  ])('%j is a usage error', (only, msg) => {
    expect(() => selectServices(snap, cat, only)).toThrow(msg);
  });
});

describe('health targets', () => {
  const l = (address: string, family: 4 | 6) => ({ address, family }) as Listener;
  it.each([
    [[l('0.0.0.0', 4), l('::', 6)], '127.0.0.1'],
    [[l('::', 6)], '::1'],
    [[l('::1', 6)], '::1'],
    [[l('127.0.0.1', 4)], '127.0.0.1'],
    [[l('10.0.0.7', 4)], '10.0.0.7'],
    [[], null],
  ])('%j -> %s', (ls, want) => expect(healthHost(ls)).toBe(want));

  it('only up services with a health spec, at the address they listen on', () => {
    expect(healthTargets(snap, snap.services, cat)).toEqual([
      { id: 'algo', host: '::1', port: 8000, spec: cat.services[0]?.health },
      { id: 'redis', host: '10.0.0.7', port: 6379, spec: cat.services[1]?.health },
    ]);
  });
});

describe('allGood', () => {
  const v = (status: ServiceView['status'], ok: boolean | null) =>
    ({ status, health: ok === null ? null : { ok, latencyMs: 1, detail: ok ? 'HTTP 200' : 'HTTP 500' } }) as ServiceView;
  it.each([
    [[v('up', null), v('up', true)], true],
    [[v('up', false)], false],
    [[v('down', null)], false],
    [[v('conflict', null)], false],
    [[], true],
  ])('%#', (views, want) => expect(allGood(views)).toBe(want));
});

describe('checkProblems', () => {
  const base = { id: 'x', port: 8000, protocol: 'tcp', pid: null, process: null, exposed: false, exposedOn: [], health: null, usedBy: null, unseenOwner: null } as const;
  const v = (over: Partial<ServiceView>) => ({ ...base, status: 'up', ...over }) as ServiceView;
  const loose = { judgedAlone: false, allowUnverified: false };
  it.each([
    ['up passes', v({}), loose, null],
    ['inactive passes when its alternative is up (no --only)', v({ status: 'inactive', usedBy: { service: 'algo', profiles: ['prod'] } }), loose, null],
    ['inactive fails when judged alone (--only)', v({ status: 'inactive', usedBy: { service: 'algo', profiles: ['prod'] } }), { ...loose, judgedAlone: true }, 'inactive: port used by algo, profile prod'],
    ['unverified fails, names the socket uid and says to use sudo', v({ status: 'unverified', unseenOwner: { reason: 'owner not visible: socket of uid 0 and vhtop is not root', uid: 0, user: 'root' } }), loose,
      'unverified: port 8000 is held by a socket of uid 0 (root); cannot see the owner: run with sudo (or pass --allow-unverified)'],
    ['unverified in another namespace says so', v({ status: 'unverified', unseenOwner: { reason: 'owner not visible: held by a process outside this PID namespace, or closed during the scan', uid: 0, user: 'root' } }), loose,
      'unverified: port 8000 is held by a socket of uid 0 (root); cannot see the owner: it is in another namespace (or pass --allow-unverified)'],
    ['--allow-unverified accepts it', v({ status: 'unverified', unseenOwner: { reason: 'not root', uid: 0, user: 'root' } }), { ...loose, allowUnverified: true }, null],
    ['exposed fails, naming the addresses', v({ exposed: true, exposedOn: ['0.0.0.0', '::'] }), loose, 'exposed: bind: local, but listens on 0.0.0.0 and [::] port 8000'],
    ['down fails', v({ status: 'down' }), loose, 'down: nothing listens on port 8000'],
    ['conflict fails naming the holder', v({ status: 'conflict', pid: 7, process: 'java' }), loose, 'port 8000 is held by java (pid 7), not by its program'],
  ] as const)('%s', (_label, view, options, want) => expect(checkProblem(view, options)).toBe(want));
});
