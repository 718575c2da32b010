import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { checkHealth, type HealthTarget } from '../../src/actions/health.js';
import type { HealthSpec } from '../../src/core/types.js';
import {
  bannerServer,
  closedPort,
  httpServer,
  silentServer,
  webSocketServer,
  type TestServer,
} from '../fixtures/why/servers.js';
import { pollUntil } from '../helpers/poll.js';

const http = (p: string, expect: number | null = null, timeoutMs: number | null = null): HealthSpec => ({ kind: 'http', path: p, expect, timeoutMs, https: false });
const tcp = (timeoutMs: number | null = null): HealthSpec => ({ kind: 'tcp', timeoutMs });
const ws = (p: string, timeoutMs: number | null = null): HealthSpec => ({ kind: 'websocket', path: p, timeoutMs });

const servers: TestServer[] = [];
async function start(s: Promise<TestServer>): Promise<TestServer> {
  const server = await s;
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function one(port: number, spec: HealthSpec, defaultTimeoutMs = 2000, host = '127.0.0.1') {
  const r = await checkHealth([{ id: 'svc', host, port, spec }], { defaultTimeoutMs });
  const result = r.get('svc');
  if (!result) throw new Error('no result for svc');
  return result;
}

describe('http probe', () => {
  it('is healthy on 200 and reports fractional latency', async () => {
    const s = await start(httpServer(200));
    const r = await one(s.port, http('/health'));
    expect(r).toMatchObject({ ok: true, detail: 'HTTP 200 from /health' });
    expect(typeof r.latencyMs).toBe('number');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await pollUntil(() => s.openSockets() === 0)).toBe(true);
  });

  it('is unhealthy on 500, still with a latency', async () => {
    const s = await start(httpServer(500));
    const r = await one(s.port, http('/health'));
    expect(r).toMatchObject({ ok: false, detail: 'HTTP 500 from /health' });
    expect(r.latencyMs).not.toBeNull();
  });

  it('counts 3xx as healthy and honours an exact expect', async () => {
    const s = await start(httpServer(302));
    expect(await one(s.port, http('/'))).toMatchObject({ ok: true, detail: 'HTTP 302 from /' });
    expect(await one(s.port, http('/', 204))).toMatchObject({ ok: false, detail: 'HTTP 302 from / (expected 204)' });
    expect(await one(s.port, http('/', 302))).toMatchObject({ ok: true });
  });

  it('times out on a listener that accepts and never answers, and closes the socket', async () => {
    const s = await start(silentServer());
    const r = await one(s.port, http('/health', null, 300));
    expect(r).toEqual({ ok: false, latencyMs: null, detail: 'no answer within 300 ms' });
    expect(s.accepted()).toBe(1);
    expect(await pollUntil(() => s.openSockets() === 0)).toBe(true);
  });

  it('says when the answer is not HTTP and how many bytes came', async () => {
    const s = await start(bannerServer('SSH-2.0-Fake\r\n'));
    const r = await one(s.port, http('/health'));
    expect(r).toMatchObject({ ok: false, detail: 'not HTTP (got 14 bytes of something else)' });
    expect(r.latencyMs).not.toBeNull();
  });

  it('an answer head over the 16 KiB cap is called too large, not "closed mid-answer"', async () => {
    const s = await start(bannerServer(`HTTP/1.1 200 ${'x'.repeat(20 * 1024)}`));
    const r = await one(s.port, http('/health'));
    expect(r).toMatchObject({ ok: false, detail: 'answer head larger than 16 KiB without a complete status line' });
  });

  it('says "connection refused" on a closed port', async () => {
    const port = await closedPort();
    expect(await one(port, http('/health'))).toMatchObject({ ok: false, detail: 'connection refused' });
  });

  it('refuses a path that could split the request line', async () => {
    const s = await start(httpServer(200));
    const r = await one(s.port, http('/health\r\nX: y'));
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^bad health path/);
    expect(r.detail).not.toMatch(/[\r\n]/);
    expect(s.accepted()).toBe(0);
  });

  it('says "TLS handshake failed" when https is asked of a plain HTTP port', async () => {
    const s = await start(httpServer(200));
    const r = await one(s.port, { kind: 'http', path: '/health', expect: null, timeoutMs: null, https: true });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/TLS handshake failed|not HTTP|connection/);
    // Node's TLS client reads the plain HTTP 400 answer as a wrong version number: one clear sentence.
    expect(r.detail).toBe('TLS handshake failed (does it really speak https?)');
    expect(r.latencyMs).not.toBeNull();
  });
});

describe('https probe against a real TLS server (self-signed, like curl -k)', () => {
  let dir = '';
  let server: https.Server | null = null;
  let port = 0;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vhtop-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost',
      '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '1'], { stdio: 'ignore' });
    server = https.createServer({ key: readFileSync(path.join(dir, 'k.pem')), cert: readFileSync(path.join(dir, 'c.pem')) }, (_q, res) => {
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  });
  it('is healthy on 204 over TLS', async () => {
    expect(await one(port, { kind: 'http', path: '/ready', expect: null, timeoutMs: null, https: true })).toMatchObject({ ok: true, detail: 'HTTP 204 from /ready' });
  });
});

describe('tcp probe', () => {
  it('is healthy when the port accepts', async () => {
    const s = await start(silentServer());
    const r = await one(s.port, tcp());
    expect(r).toMatchObject({ ok: true, detail: 'connection accepted' });
    expect(typeof r.latencyMs).toBe('number');
    expect(await pollUntil(() => s.openSockets() === 0)).toBe(true);
  });
  it('says "connection refused" on a closed port', async () => {
    expect(await one(await closedPort(), tcp())).toMatchObject({ ok: false, detail: 'connection refused' });
  });
  it('works over IPv6 loopback', async () => {
    const s = await start(silentServer('::1'));
    expect(await one(s.port, tcp(), 2000, '::1')).toMatchObject({ ok: true });
  });
});

describe('websocket probe', () => {
  it('is healthy when the server upgrades with the right accept', async () => {
    const s = await start(webSocketServer('/ws', 'upgrade'));
    const r = await one(s.port, ws('/ws'));
    expect(r).toMatchObject({ ok: true, detail: 'upgraded (101)' });
    expect(r.latencyMs).not.toBeNull();
    expect(await pollUntil(() => s.openSockets() === 0)).toBe(true);
  });
  it('is unhealthy when the upgrade is refused (404 and 400)', async () => {
    const s404 = await start(webSocketServer('/ws', 'upgrade', 404));
    expect(await one(s404.port, ws('/other'))).toMatchObject({ ok: false, detail: 'WebSocket upgrade refused: HTTP 404' });
    const s400 = await start(webSocketServer('/ws', 'upgrade', 400));
    expect(await one(s400.port, ws('/nope'))).toMatchObject({ ok: false, detail: 'WebSocket upgrade refused: HTTP 400' });
  });
  it('is unhealthy on 101 with a wrong Sec-WebSocket-Accept', async () => {
    const s = await start(webSocketServer('/ws', 'wrong-accept'));
    expect(await one(s.port, ws('/ws'))).toMatchObject({ ok: false, detail: 'WebSocket upgrade answered 101 with a wrong Sec-WebSocket-Accept' });
  });
  it('is refused by a plain HTTP server that ignores the upgrade', async () => {
    const s = await start(httpServer(200));
    expect(await one(s.port, ws('/ws'))).toMatchObject({ ok: false, detail: 'WebSocket upgrade refused: HTTP 200' });
  });
  it('times out on a silent listener', async () => {
    const s = await start(silentServer());
    expect(await one(s.port, ws('/ws', 250))).toEqual({ ok: false, latencyMs: null, detail: 'no answer within 250 ms' });
  });
});

describe('checkHealth over many targets', () => {
  it('probes concurrently: three silent servers take less than the sum of their timeouts', async () => {
    const timeoutMs = 1000;
    const silent = await Promise.all([start(silentServer()), start(silentServer()), start(silentServer())]);
    const ok = await start(httpServer(200));
    const bad = await start(httpServer(500));
    const wsUp = await start(webSocketServer('/ws', 'upgrade'));
    const banner = await start(bannerServer('hello there\n'));
    const closed = await closedPort();
    const targets: HealthTarget[] = [
      ...silent.map((s, i) => ({ id: `silent${i}`, host: '127.0.0.1', port: s.port, spec: http('/health') })),
      { id: 'ok', host: '127.0.0.1', port: ok.port, spec: http('/health') },
      { id: 'bad', host: '127.0.0.1', port: bad.port, spec: http('/health') },
      { id: 'ws', host: '127.0.0.1', port: wsUp.port, spec: ws('/ws') },
      { id: 'banner', host: '127.0.0.1', port: banner.port, spec: http('/') },
      { id: 'tcp', host: '127.0.0.1', port: ok.port, spec: tcp() },
      { id: 'closed', host: '127.0.0.1', port: closed, spec: tcp() },
    ];
    const started = performance.now();
    const results = await checkHealth(targets, { defaultTimeoutMs: timeoutMs });
    const elapsed = performance.now() - started;
    // Structural: sequential probing would need at least the sum of the silent timeouts.
    expect(elapsed).toBeLessThan(silent.length * timeoutMs);
    expect([...results.keys()].sort()).toEqual(targets.map((t) => t.id).sort());
    for (let i = 0; i < silent.length; i++) expect(results.get(`silent${i}`)?.detail).toBe('no answer within 1 s');
    expect(results.get('ok')?.ok).toBe(true);
    expect(results.get('bad')?.detail).toBe('HTTP 500 from /health');
    expect(results.get('ws')?.ok).toBe(true);
    expect(results.get('banner')?.detail).toBe('not HTTP (got 12 bytes of something else)');
    expect(results.get('tcp')?.ok).toBe(true);
    expect(results.get('closed')?.detail).toBe('connection refused');
    for (const s of silent) expect(await pollUntil(() => s.openSockets() === 0)).toBe(true);
  });

  it('an AbortSignal cancels every open probe and closes their sockets', async () => {
    const silent = await Promise.all([start(silentServer()), start(silentServer())]);
    const controller = new AbortController();
    const pending = checkHealth(
      silent.map((s, i) => ({ id: `s${i}`, host: '127.0.0.1', port: s.port, spec: http('/health') })),
      { defaultTimeoutMs: 60_000, signal: controller.signal },
    );
    expect(await pollUntil(() => silent.every((s) => s.accepted() === 1))).toBe(true);
    controller.abort();
    const results = await pending;
    expect([...results.values()].map((r) => r.detail)).toEqual(['cancelled', 'cancelled']);
    for (const s of silent) expect(await pollUntil(() => s.openSockets() === 0)).toBe(true);
  });

  it('an already aborted signal opens no connection', async () => {
    const s = await start(silentServer());
    const controller = new AbortController();
    controller.abort();
    const r = await checkHealth([{ id: 'x', host: '127.0.0.1', port: s.port, spec: tcp() }], { signal: controller.signal });
    expect(r.get('x')?.detail).toBe('cancelled');
    expect(s.accepted()).toBe(0);
  });

  it('returns an empty map for no targets', async () => {
    expect((await checkHealth([])).size).toBe(0);
  });
});
