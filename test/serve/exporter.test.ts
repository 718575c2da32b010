import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { createProbe } from '../../src/probe/index.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import { parseCatalogue } from '../../src/core/catalogue.js';
import type { Catalogue, Probe, Snapshot } from '../../src/core/types.js';
import { startExporter, type Exporter } from '../../src/serve/exporter.js';
import { send, type Route } from '../../src/serve/routes.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * The exporter in process, over real HTTP, with the real /proc probe: its collections are counted
 * through the exporter's own counter (not by timing), routes and methods, and a probe that fails.
 */
const catalogue: Catalogue = parseCatalogue('version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app }\n', 'registry.yaml');
const env = { processEnv: {}, fileEnv: {}, fileName: null };
const collectWith = (probe: Probe) => async (): Promise<Snapshot> => buildSnapshot(await probe.collect(), catalogue, env, { profile: null, all: false });

const running: Exporter[] = [];
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
  for (const d of dirs.splice(0)) d.remove();
});

async function start(o: { intervalMs: number; probe?: Probe; now?: () => number; log?: (line: string) => void; routes?: Route[] }): Promise<Exporter> {
  const e = await startExporter({
    listen: { host: '127.0.0.1', port: 0 },
    intervalMs: o.intervalMs,
    health: false,
    webConfig: null,
    unexpectedDetails: 0,
    version: '0.0.0-test',
    catalogue,
    collect: collectWith(o.probe ?? createProbe('linux')),
    log: o.log ?? (() => undefined),
    ...(o.now ? { now: o.now } : {}),
    ...(o.routes ? { routes: o.routes } : {}),
  });
  running.push(e);
  return e;
}

/** One raw request (any method), with the status, headers and body. */
function call(url: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('scrapes share one collection per interval', () => {
  it('100 concurrent scrapes cost one /proc walk; the next interval costs one more', async () => {
    let clock = 1_000_000;
    const e = await start({ intervalMs: 5000, now: () => clock });
    const scrapes = (): Promise<string[]> => Promise.all(Array.from({ length: 100 }, () => call(`${e.url}metrics`).then((r) => r.body)));
    const first = await scrapes();
    expect(e.collections()).toBe(1);
    expect(new Set(first).size).toBe(1);
    expect(first[0]).toMatch(/^vhtop_up 1$/m);
    // Still inside the interval: the cached snapshot answers.
    clock += 4999;
    await scrapes();
    expect(e.collections()).toBe(1);
    clock += 1;
    const second = await scrapes();
    expect(e.collections()).toBe(2);
    expect(new Set(second).size).toBe(1);
  });
});

describe('routes', () => {
  it('GET / links to /metrics; HEAD /metrics has no body; 404 and 405 elsewhere', async () => {
    const e = await start({ intervalMs: 5000 });
    const page = await call(e.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('href="metrics"');
    const head = await call(`${e.url}metrics`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await call(`${e.url}metrics?debug=1`)).status).toBe(200);
    expect((await call(`${e.url}nope`)).status).toBe(404);
    expect((await call(`${e.url}metrics/`)).status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await call(`${e.url}metrics`, method);
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    expect((await call(e.url, 'POST')).status).toBe(405);
  });
});

describe('more endpoints', () => {
  it('a route added to the table gets its query, and the same 404/405 rules', async () => {
    const probe: Route = { path: '/probe', methods: ['GET'], handle: ({ url, res }) => send(res, 200, 'text/plain', `target=${url.searchParams.get('target') ?? ''}\n`) };
    const e = await start({ intervalMs: 5000, routes: [probe] });
    expect((await call(`${e.url}probe?target=web1`)).body).toBe('target=web1\n');
    expect((await call(`${e.url}probe`, 'POST')).status).toBe(405);
    const missing = await call(`${e.url}probes`);
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('Not found: this exporter serves /metrics, /, /probe\n');
  });
});

describe('a probe that fails', () => {
  it('answers 200 with vhtop_up 0 and no stale service series, logging once', async () => {
    const empty = tempDir('vhtop-noproc-');
    dirs.push(empty);
    const lines: string[] = [];
    let clock = 0;
    const e = await start({ intervalMs: 1000, probe: createProbe('linux', { procRoot: empty.dir }), now: () => clock, log: (l) => lines.push(l) });
    const r = await call(`${e.url}metrics`);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^vhtop_up 0$/m);
    expect(r.body).toMatch(/^vhtop_build_info\{version="0.0.0-test"\} 1$/m);
    expect(r.body).not.toMatch(/^vhtop_service_state\{/m);
    clock += 1000;
    await call(`${e.url}metrics`);
    expect(e.collections()).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^probe failed: cannot read any of .*net\/tcp/);
  });
});
