import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isBuilt, runBuiltCli } from '../helpers/built-cli.js';
import { pollUntil } from '../helpers/poll.js';
import { tempDir } from '../helpers/temp-dir.js';
import { bannerServer, httpServer, OpenGauge, silentServer, webSocketServer, type TestServer } from '../fixtures/why/servers.js';

/**
 * `vhtop check --health` through the built CLI (`npx tsc -p .` first) against the catalogue
 * of real loopback servers: 200, 500, silent ones, a plain TCP listener, a WebSocket endpoint that
 * upgrades and one that refuses. The servers live in this test process; the CLI is a child.
 */

const servers: TestServer[] = [];
let dirs: { remove(): void }[] = [];
beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/cli.js missing: run `npx tsc -p .` first');
});
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(s: Promise<TestServer>): Promise<TestServer> {
  const server = await s;
  servers.push(server);
  return server;
}

/** Per-probe timeout of every entry, in seconds (the registry's `timeout:`). */
const TIMEOUT_S = 1.5;

interface Entry {
  readonly id: string;
  readonly port: number;
  readonly health: string;
}

function registryWith(entries: readonly Entry[]): string {
  const t = tempDir('vhtop-health-');
  dirs.push(t);
  const body = entries
    .map((e) => `  - id: ${e.id}\n    name: ${e.id}\n    port: ${e.port}\n    group: app\n    health: { ${e.health}, timeout: ${TIMEOUT_S} }\n`)
    .join('');
  writeFileSync(path.join(t.dir, 'registry.yaml'), `version: 1\nservices:\n${body}`);
  return t.dir;
}

interface ServiceJson {
  readonly id: string;
  readonly status: string;
  readonly health: { ok: boolean; latencyMs: number | null; detail: string } | null;
}

describe('vhtop check --health (built CLI, real servers)', () => {
  it('judges every kind of server, exits 1, and the silent ones cost one timeout, not the sum', async () => {
    const gauge = new OpenGauge();
    const silent = await Promise.all([1, 2, 3].map(() => start(silentServer('127.0.0.1', gauge))));
    const wsSilent = await start(silentServer('127.0.0.1', gauge));
    const [ok, bad, plain, wsUp, wsRefuse, banner] = await Promise.all([
      start(httpServer(200)),
      start(httpServer(500)),
      start(silentServer()),
      start(webSocketServer('/ws', 'upgrade')),
      start(webSocketServer('/ws', 'upgrade', 403)),
      start(bannerServer('hello there\n')),
    ]);
    const entries: Entry[] = [
      { id: 'ok', port: ok.port, health: 'http: /health' },
      { id: 'bad', port: bad.port, health: 'http: /health' },
      ...silent.map((s, i) => ({ id: `silent${i}`, port: s.port, health: 'http: /health' })),
      { id: 'ws-silent', port: wsSilent.port, health: 'websocket: /ws' },
      { id: 'plain-tcp', port: plain.port, health: 'tcp: true' },
      { id: 'ws-up', port: wsUp.port, health: 'websocket: /ws' },
      { id: 'ws-refuse', port: wsRefuse.port, health: 'websocket: /chat' },
      { id: 'banner', port: banner.port, health: 'http: /health' },
    ];
    const cwd = registryWith(entries);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, COLUMNS: '200' };

    const started = performance.now();
    const r = await runBuiltCli(['check', '--health', '--json'], { cwd, env });
    const elapsedMs = performance.now() - started;

    expect(r.code, r.stderr).toBe(1);
    const byId = new Map((JSON.parse(r.stdout) as { services: ServiceJson[] }).services.map((s) => [s.id, s]));
    const detail = (id: string) => byId.get(id)?.health?.detail;
    const healthy = (id: string) => byId.get(id)?.health?.ok;
    expect([...byId.values()].every((s) => s.status === 'up')).toBe(true);
    expect([healthy('ok'), detail('ok')]).toEqual([true, 'HTTP 200 from /health']);
    expect([healthy('bad'), detail('bad')]).toEqual([false, 'HTTP 500 from /health']);
    for (const id of ['silent0', 'silent1', 'silent2', 'ws-silent']) {
      expect(byId.get(id)?.health).toEqual({ ok: false, latencyMs: null, detail: 'no answer within 1.5 s' });
    }
    expect([healthy('plain-tcp'), detail('plain-tcp')]).toEqual([true, 'connection accepted']);
    expect([healthy('ws-up'), detail('ws-up')]).toEqual([true, 'upgraded (101)']);
    expect([healthy('ws-refuse'), detail('ws-refuse')]).toEqual([false, 'WebSocket upgrade refused: HTTP 403']);
    expect([healthy('banner'), detail('banner')]).toEqual([false, 'not HTTP (got 12 bytes of something else)']);
    for (const id of ['ok', 'bad', 'plain-tcp', 'ws-up', 'ws-refuse', 'banner']) expect(typeof byId.get(id)?.health?.latencyMs).toBe('number');

    // Structural proof of concurrency: all four silent probes were open at the same moment
    // (sequential probing never has more than one open).
    expect(gauge.peak).toBe(4);
    // And so the run stays below the sum of the silent timeouts, which sequential probing cannot.
    expect(elapsedMs).toBeLessThan(4 * TIMEOUT_S * 1000);
    // Every probe hung up: vhtop leaves no connection behind on a silent listener.
    for (const s of [...silent, wsSilent]) expect(await pollUntil(() => s.openSockets() === 0)).toBe(true);
  });

  it('the human table names each failure; exit 0 only when every selected service is healthy', async () => {
    const ok = await start(httpServer(204));
    const silent = await start(silentServer());
    const cwd = registryWith([
      { id: 'ok', port: ok.port, health: 'http: /ready' },
      { id: 'hang', port: silent.port, health: 'http: /ready' },
    ]);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, COLUMNS: '200', NO_COLOR: '1' };
    const both = await runBuiltCli(['check', '--health'], { cwd, env });
    expect(both.code, both.stderr).toBe(1);
    expect(both.stdout).toMatch(/^hang .* up .* FAIL no answer within 1\.5 s/m);
    expect(both.stdout).toMatch(/^ok .* up .* ok [\d.]+ ms/m);
    expect(both.stdout).toContain('1 of 2 not up and healthy');
    const good = await runBuiltCli(['check', '--health', '--only', 'ok'], { cwd, env });
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain('all 1 up and healthy');
  });
});
