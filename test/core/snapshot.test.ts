import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/core/snapshot.js';
import { catalogue, def, env, probeData, proc, sock } from './snapshot-fixtures.js';

const cat = catalogue(
  def({ id: 'gateway', name: 'API网关', port: 8080, env: 'GATEWAY_PORT', process: ['gateway'], profiles: ['prod', 'dev'] }),
  def({ id: 'algo', port: 8000, env: 'ALGO_PORT', profiles: ['prod'] }),
  def({ id: 'vite', port: 8000, profiles: ['dev'] }),
  def({ id: 'hmr', port: 8090, profiles: ['test'] }),
);

describe('buildSnapshot', () => {
  it('applies env overrides (process env over .env) before matching', () => {
    const data = probeData([sock({ port: 9000, pids: [10] }), sock({ port: 8080, pids: [11], inode: 2 })], [proc(10, 'gateway'), proc(11, 'java')]);
    const snap = buildSnapshot(data, cat, env({ GATEWAY_PORT: '9000' }, { GATEWAY_PORT: '9100' }), { profile: null, all: false });
    const gw = snap.services.find((s) => s.id === 'gateway');
    expect(gw).toMatchObject({ port: 9000, defaultPort: 8080, portSource: 'environment', status: 'up', pid: 10, envVar: 'GATEWAY_PORT' });
    // java on the old default port is just unexpected now.
    expect(snap.listeners.find((l) => l.port === 8080)?.status).toBe('unexpected');
    expect(snap.conflicts).toEqual([]);
  });

  it('filters services by profile; profiles that never meet do not collide', () => {
    const data = probeData([]);
    const all = buildSnapshot(data, cat, env(), { profile: null, all: false });
    expect(all.services.map((s) => s.id)).toEqual(['gateway', 'algo', 'vite', 'hmr']);
    expect(all.conflicts).toEqual([]);
    const dev = buildSnapshot(data, cat, env(), { profile: 'dev', all: false });
    expect(dev.services.map((s) => s.id)).toEqual(['gateway', 'vite']);
    expect(dev.profile).toBe('dev');
  });

  it('never proposes a port of an entry outside the active profile', () => {
    const data = probeData([sock({ port: 8080, pids: [11] })], [proc(11, 'java')]);
    const cat2 = catalogue(
      def({ id: 'gateway', port: 8080, env: 'GATEWAY_PORT', process: ['gateway'], profiles: ['prod'] }),
      def({ id: 'other', port: 8081, profiles: ['test'] }),
    );
    const snap = buildSnapshot(data, cat2, env(), { profile: 'prod', all: false });
    expect(snap.conflicts[0]?.fix).toBe('set GATEWAY_PORT=8082, or stop PID 11 (java)');
  });

  it('is frozen, carries probe facts and notices, and --all widens only the listeners', () => {
    const data = probeData(
      [sock({ port: 8080, pids: [10] }), sock({ port: 8080, state: 'ESTAB', remotePort: 3, pids: [10], inode: 4 })],
      [proc(10, 'gateway')],
      ['not root: sockets of other users show no owner'],
    );
    const snap = buildSnapshot(data, cat, env(), { profile: null, all: false });
    const wide = buildSnapshot(data, cat, env(), { profile: null, all: true });
    expect(Object.isFrozen(snap)).toBe(true);
    expect(snap).toMatchObject({ version: 1, host: 'test-box', probe: 'linux', notices: ['not root: sockets of other users show no owner'] });
    expect(snap.listeners).toHaveLength(1);
    expect(wide.listeners).toHaveLength(2);
    expect(wide.services).toEqual(snap.services);
    expect(wide.conflicts).toEqual(snap.conflicts);
  });
});
