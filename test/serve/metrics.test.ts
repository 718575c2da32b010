import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/core/snapshot.js';
import type { Catalogue, HealthResult } from '../../src/core/types.js';
import { ExporterMetrics, SERVICE_STATES } from '../../src/serve/metrics.js';
import type { Outcome } from '../../src/serve/shared-collector.js';
import { def, probeData, proc, sock } from '../core/snapshot-fixtures.js';

/** The exposition text of one snapshot, as the exporter would answer it. */
const catalogue: Catalogue = {
  file: 'registry.yaml',
  services: [
    def({ id: 'redis', name: 'Redis "cache"', port: 6379, bind: 'local', process: ['redis-server'], docker: 'redis', group: 'data' }),
    def({ id: 'gateway', port: 8080, process: ['gateway'] }),
    def({ id: 'web', port: 3000, process: ['nginx'] }),
  ],
};
const env = { processEnv: {}, fileEnv: {}, fileName: null };
const data = probeData(
  [
    sock({ port: 6379, localAddress: '0.0.0.0', pids: [10] }),
    sock({ port: 3000, pids: [11] }),
    sock({ port: 9000, pids: [12] }),
    sock({ port: 9001, pids: [13] }),
    sock({ port: 9002, localAddress: '127.0.0.1', pids: [99] }),
    sock({ port: 9003, protocol: 'udp', pids: [] }),
  ],
  [proc(10, 'redis-server'), proc(11, 'python3'), proc(12, 'node'), proc(13, 'java'), proc(99, 'node')],
);

async function render(options: { details?: number; health?: ReadonlyMap<string, HealthResult> | null; selfPid?: number } = {}, outcome?: Outcome): Promise<string> {
  const m = new ExporterMetrics({ version: '1.2.3', localOnly: new Set(['redis']), unexpectedDetails: options.details ?? 0, ...(options.selfPid ? { selfPid: options.selfPid } : {}) });
  const snapshot = buildSnapshot(data, catalogue, env, { profile: null, all: false });
  m.apply(outcome ?? { ok: true, snapshot, durationSeconds: 0.25, startedAt: 0 }, options.health ?? null);
  return (await m.render()).body;
}

const lines = (text: string, name: string): string[] => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('ExporterMetrics', () => {
  it('gives each service a state-set: one 1, every other state 0', async () => {
    const text = await render();
    const gateway = lines(text, 'vhtop_service_state').filter((l) => l.includes('service_id="gateway"'));
    expect(gateway).toHaveLength(SERVICE_STATES.length);
    expect(gateway).toContain('vhtop_service_state{service_id="gateway",state="down"} 1');
    expect(gateway.filter((l) => l.endsWith(' 1'))).toHaveLength(1);
    expect(text).toContain('vhtop_service_state{service_id="web",state="conflict"} 1');
    expect(text).toContain('vhtop_service_state{service_id="redis",state="up"} 1');
  });

  it('marks exposure only for bind: local entries and escapes label values', async () => {
    const text = await render();
    expect(lines(text, 'vhtop_service_exposed')).toEqual(['vhtop_service_exposed{service_id="redis"} 1']);
    expect(text).toContain('vhtop_service_info{service_id="redis",name="Redis \\"cache\\"",port="6379",protocol="tcp",group="data",docker="redis"} 1');
    expect(text).toContain('vhtop_service_info{service_id="gateway",name="gateway",port="8080",protocol="tcp",group="app",docker=""} 1');
  });

  it('counts listeners by protocol and classification (zeros included), conflicts and unattributed sockets', async () => {
    const text = await render();
    expect(lines(text, 'vhtop_listeners')).toEqual([
      'vhtop_listeners{protocol="tcp",classification="expected"} 1',
      'vhtop_listeners{protocol="tcp",classification="unexpected"} 3',
      'vhtop_listeners{protocol="tcp",classification="conflict"} 1',
      'vhtop_listeners{protocol="udp",classification="expected"} 0',
      'vhtop_listeners{protocol="udp",classification="unexpected"} 1',
      'vhtop_listeners{protocol="udp",classification="conflict"} 0',
    ]);
    expect(lines(text, 'vhtop_port_conflicts')).toEqual(['vhtop_port_conflicts 1']);
    expect(lines(text, 'vhtop_unattributed_sockets')).toEqual(['vhtop_unattributed_sockets 1']);
    expect(lines(text, 'vhtop_up')).toEqual(['vhtop_up 1']);
    expect(lines(text, 'vhtop_scrape_duration_seconds')).toEqual(['vhtop_scrape_duration_seconds 0.25']);
    expect(lines(text, 'vhtop_build_info')).toEqual(['vhtop_build_info{version="1.2.3"} 1']);
  });

  it('lists unexpected listeners only on request, capped, without a pid, and never its own socket', async () => {
    expect(lines(await render(), 'vhtop_unexpected_listener_info')).toEqual([]);
    expect(lines(await render({ details: 2 }), 'vhtop_unexpected_listener_info')).toEqual([
      'vhtop_unexpected_listener_info{protocol="tcp",address="0.0.0.0",port="9000",process="node"} 1',
      'vhtop_unexpected_listener_info{protocol="tcp",address="0.0.0.0",port="9001",process="java"} 1',
    ]);
    const self = await render({ details: 10, selfPid: 99 });
    expect(self).not.toContain('port="9002"');
    expect(self).toContain('vhtop_listeners{protocol="tcp",classification="unexpected"} 2');
    expect(self).not.toMatch(/pid=|service=|instance=/);
  });

  it('reports health results in seconds for the services that have one', async () => {
    const health = new Map<string, HealthResult>([
      ['redis', { ok: true, latencyMs: 12, detail: 'PONG' }],
      ['web', { ok: false, latencyMs: null, detail: 'timed out' }],
    ]);
    const text = await render({ health });
    expect(lines(text, 'vhtop_service_probe_success')).toEqual(['vhtop_service_probe_success{service_id="redis"} 1', 'vhtop_service_probe_success{service_id="web"} 0']);
    expect(lines(text, 'vhtop_service_probe_duration_seconds')).toEqual(['vhtop_service_probe_duration_seconds{service_id="redis"} 0.012']);
  });

  it('after a failed pass keeps only the exporter health: vhtop_up 0, no stale services', async () => {
    const m = new ExporterMetrics({ version: '1.2.3', localOnly: new Set(), unexpectedDetails: 5 });
    m.apply({ ok: true, snapshot: buildSnapshot(data, catalogue, env, { profile: null, all: false }), durationSeconds: 0.1, startedAt: 0 }, null);
    m.apply({ ok: false, error: 'no /proc', durationSeconds: 0.001, startedAt: 1 }, null);
    const text = (await m.render()).body;
    expect(lines(text, 'vhtop_up')).toEqual(['vhtop_up 0']);
    expect(lines(text, 'vhtop_service_state')).toEqual([]);
    expect(lines(text, 'vhtop_listeners')).toEqual([]);
    expect(lines(text, 'vhtop_unexpected_listener_info')).toEqual([]);
  });
});
