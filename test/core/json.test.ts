import { describe, expect, it } from 'vitest';
import { formatJson, formatJsonChunks, snapshotToJson } from '../../src/core/json.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import { catalogue, def, env, probeData, proc, sock } from './snapshot-fixtures.js';

describe('contract JSON', () => {
  const cat = catalogue(def({ id: 'gateway', name: 'API网关', port: 8080, env: 'GATEWAY_PORT', process: ['gateway'] }));
  const data = probeData(
    [sock({ port: 8080, pids: [1234] }), sock({ port: 8080, state: 'ESTAB', remotePort: 5, pids: [1234], inode: 4 })],
    [proc(1234, 'java', 'java -jar jenkins.war')],
  );
  const doc = snapshotToJson(buildSnapshot(data, cat, env(), { profile: null, all: false }));

  it('has the contract fields with the contract types', () => {
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['version', 'host', 'takenAt', 'listeners', 'services', 'conflicts']));
    expect(doc).toMatchObject({ version: 1, host: 'test-box', takenAt: '2026-11-21T20:30:00.000Z' });
    expect(doc.listeners[0]).toMatchObject({
      protocol: 'tcp', family: 4, address: '0.0.0.0', port: 8080, state: 'LISTEN', pid: 1234, process: 'java',
      user: 'dev', command: 'java -jar jenkins.war', service: 'gateway', status: 'conflict', exposed: false, connections: 1,
    });
    expect(doc.services[0]).toMatchObject({
      id: 'gateway', name: 'API网关', port: 8080, defaultPort: 8080, envVar: 'GATEWAY_PORT', protocol: 'tcp',
      status: 'conflict', pid: 1234, process: 'java', health: null,
    });
    expect(doc.conflicts[0]).toMatchObject({ port: 8080, services: ['gateway'], holder: { pid: 1234, process: 'java' }, fix: 'set GATEWAY_PORT=8081, or stop PID 1234 (java)' });
  });

  it('round-trips through JSON.stringify as one document', () => {
    const text = formatJson(buildSnapshot(data, cat, env(), { profile: null, all: false }));
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(doc);
  });

  it('in chunks, is byte-for-byte the whole document (any chunk size, no listeners, a quote in a command)', () => {
    const many = probeData(
      Array.from({ length: 23 }, (_, i) => sock({ port: 8000 + i, pids: [1234] })),
      [proc(1234, 'java', 'java -Dx="listeners": [] -jar 网关.jar')],
    );
    for (const snap of [
      buildSnapshot(many, cat, env(), { profile: null, all: true }),
      buildSnapshot(probeData([]), cat, env(), { profile: null, all: false }),
      buildSnapshot(data, cat, env(), { profile: null, all: true }),
    ]) {
      const whole = formatJson(snap);
      for (const size of [1, 5, 23, 1000]) expect([...formatJsonChunks(snap, size)].join('')).toBe(whole);
    }
    expect([...formatJsonChunks(buildSnapshot(many, cat, env(), { profile: null, all: true }), 5)]).toHaveLength(7);
  });
});
