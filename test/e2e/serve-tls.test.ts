import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { hashSync } from 'bcryptjs';
import { isBuilt, runBuiltCli } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { cleanEnv, eventually, makeCertificate, onPath, startPrometheus, startServe, stopServeChildren, type ServeChild } from '../serve/serve-helpers.js';

/**
 * `vhtop serve --web.config.file` with a certificate openssl makes here and bcrypt basic auth: direct
 * HTTPS requests, then a real Prometheus scraping it over TLS with the right and a wrong password.
 */
const missing = ['openssl', 'prometheus'].filter((c) => !onPath(c));
if (missing.length > 0) console.warn(`serve-tls: skipped: not installed: ${missing.join(', ')} (.ci/run installs them)`);

/** Limit of the hooks and tests that start or wait on real processes: a limit, never an assertion on speed. */
const LIMIT_MS = 240_000;

const dirs: { remove(): void }[] = [];
afterAll(async () => {
  await stopServeChildren();
  for (const d of dirs) d.remove();
});

/** One HTTPS GET trusting only `ca`; resolves to the status, headers and body. */
function get(url: string, ca: string, auth?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(missing.length > 0)('vhtop serve with TLS and basic auth', () => {
  let dir: string;
  let cert: { cert: string; key: string; otherKey: string };
  let serve: ServeChild;
  let ca: string;

  beforeAll(async () => {
    if (!isBuilt()) throw new Error('dist/cli.js missing: run `npx tsc -p .` first');
    const t = tempDir('vhtop-serve-tls-');
    dirs.push(t);
    dir = t.dir;
    cert = makeCertificate(dir);
    ca = readFileSync(cert.cert, 'utf8');
    writeFileSync(path.join(dir, 'registry.yaml'), 'version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app }\n');
    // htpasswd -B writes $2y$ hashes; accept them as node_exporter does. Relative paths are from the file's directory.
    const hash = hashSync('s3cret', 4).replace(/^\$2b\$/, '$2y$');
    writeFileSync(path.join(dir, 'web.yml'), `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prometheus: ${hash}\n`);
    serve = await startServe(['--listen', '127.0.0.1:0', '--web.config.file', 'web.yml', '--interval', '1'], dir);
  }, LIMIT_MS);

  it('answers over HTTPS only with the right user and password', async () => {
    expect(serve.metricsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const none = await get(serve.metricsUrl, ca);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    expect(none.body).not.toContain('vhtop_');
    expect((await get(serve.metricsUrl, ca, 'prometheus:wrong')).status).toBe(401);
    expect((await get(serve.metricsUrl, ca, 'nobody:s3cret')).status).toBe(401);
    // Every path is behind the login, the page too.
    expect((await get(serve.metricsUrl.replace(/metrics$/, ''), ca)).status).toBe(401);
    const ok = await get(serve.metricsUrl, ca, 'prometheus:s3cret');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/^vhtop_up 1$/m);
  }, LIMIT_MS);

  it('refuses plain HTTP on the TLS port', async () => {
    const plain = serve.metricsUrl.replace(/^https:/, 'http:');
    const res = await fetch(plain).then((r) => r.status, () => 'refused');
    expect(res).not.toBe(200);
  }, LIMIT_MS);

  it('is scraped by Prometheus over TLS with basic auth; a wrong password makes the target down', async () => {
    const job = (name: string, password: string): string =>
      `  - job_name: ${name}\n    scheme: https\n    tls_config:\n      ca_file: ${JSON.stringify(cert.cert)}\n    basic_auth:\n      username: prometheus\n      password: ${password}\n    static_configs:\n      - targets: [${JSON.stringify(serve.target)}]\n`;
    const prom = await startPrometheus(dir, `global:\n  scrape_interval: 1s\nscrape_configs:\n${job('vhtop', 's3cret')}${job('vhtop-wrong', 'nope')}`);
    try {
      // Waits for the wanted value: a first scrape may time out on a loaded machine.
      const value = (q: string, want: string): Promise<string> => eventually(`${q} == ${want}`, async () => ((await prom.query(q))[0]?.value[1] === want ? want : null));
      expect(await value('up{job="vhtop"}', '1')).toBe('1');
      expect(await value('vhtop_up{job="vhtop"}', '1')).toBe('1');
      expect(await value('up{job="vhtop-wrong"}', '0')).toBe('0');
      // The wrong password never got in: no series of the exporter under that job.
      expect(await prom.query('vhtop_up{job="vhtop-wrong"}')).toEqual([]);
    } finally {
      await prom.stop();
    }
  }, LIMIT_MS);
});

describe.skipIf(!onPath('openssl'))('vhtop serve start-up errors: one line, exit 2', () => {
  let dir: string;
  beforeAll(() => {
    const t = tempDir('vhtop-serve-bad-');
    dirs.push(t);
    dir = t.dir;
    // server.crt, server.key and an unrelated other.key, named by the configurations below.
    makeCertificate(dir);
    writeFileSync(path.join(dir, 'registry.yaml'), 'version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app }\n');
  }, LIMIT_MS);

  const serveWith = async (webConfig: string | null, extra: string[] = []): Promise<{ code: number; stderr: string; stdout: string }> => {
    if (webConfig !== null) writeFileSync(path.join(dir, 'web.yml'), webConfig);
    return runBuiltCli(['serve', '--listen', '127.0.0.1:0', ...(webConfig !== null ? ['--web.config.file', 'web.yml'] : []), ...extra], { cwd: dir, env: cleanEnv() });
  };

  const cases: [string, string, RegExp][] = [
    ['an unknown key', 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  keyfile: x\n', /web\.yml:4: tls_server_config\.keyfile: unknown key \(did you mean "key_file"\?\)/],
    ['a key vhtop does not implement', 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: ca.crt\n', /web\.yml:4: tls_server_config\.client_ca_file: is not supported by vhtop serve/],
    ['a certificate without its key', 'tls_server_config:\n  cert_file: server.crt\n', /web\.yml:1: tls_server_config\.key_file: is required when cert_file is set/],
    ['a missing certificate file', 'tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key\n', /web\.yml:2: tls_server_config\.cert_file: .*missing\.crt: cannot read the file: no such file/],
    ['a key that is not the certificate\'s', 'tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n', /web\.yml:1: tls_server_config: cannot use the certificate and key: .*mismatch/],
    ['a password in clear instead of a bcrypt hash', 'basic_auth_users:\n  prometheus: hunter2\n', /web\.yml:2: basic_auth_users\.prometheus: must be a bcrypt hash/],
    ['a user name with a colon', `basic_auth_users:\n  "a:b": ${'$2y$10$' + 'a'.repeat(53)}\n`, /web\.yml:2: basic_auth_users\.a:b: a user name cannot contain ":"/],
    ['broken YAML', 'tls_server_config: [\n', /web\.yml:\d+: YAML syntax error/],
  ];

  it.each(cases)('rejects %s', async (_what, text, expected) => {
    const r = await serveWith(text);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toContain('hunter2');
  }, LIMIT_MS);

  it('names a busy address', async () => {
    const busy = await startServe(['--listen', '127.0.0.1:0'], dir);
    const r = await runBuiltCli(['serve', '--listen', busy.target], { cwd: dir, env: cleanEnv() });
    await busy.stop();
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vhtop: cannot listen on ${busy.target}: address already in use\n`);
  }, LIMIT_MS);

  it.each([
    [['--listen', 'localhost'], /option --listen "localhost": not an address and port/],
    [['--listen', '127.0.0.1:70000'], /port must be 0\.\.65535/],
    [['--interval', '0'], /option --interval must be from 0\.1/],
    [['--unexpected-details', 'many'], /option --unexpected-details needs a whole number/],
  ])('rejects bad flags %j', async (args, expected) => {
    const r = await serveWith(null, args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(expected);
  }, LIMIT_MS);

  it('stops cleanly on SIGTERM while a `docker ps` of the probe is still running', async () => {
    // A catalogue with a compose service makes each pass ask the engine; this docker never answers.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\necho called >> "$(dirname "$0")/calls"\nexec sleep 30\n', { mode: 0o755 });
    writeFileSync(path.join(dir, 'compose-registry.yaml'), 'version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app, docker: web }\n');
    // vhtop asks an engine only where its socket exists: point DOCKER_HOST at a file standing for one.
    const sock = path.join(dir, 'engine.sock');
    writeFileSync(sock, '');
    const s = await startServe(['--listen', '127.0.0.1:0', '--registry', 'compose-registry.yaml'], dir, { PATH: `${bin}:${process.env.PATH ?? ''}`, DOCKER_HOST: `unix://${sock}` });
    const scrape = fetch(s.metricsUrl).catch(() => null);
    await eventually('docker ps running', async () => existsSync(path.join(bin, 'calls')));
    expect(await s.stop()).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toContain('SIGTERM: stopped');
    await scrape;
  }, LIMIT_MS);

  it('starts with an empty web config (plain HTTP, no login), as the toolkit does', async () => {
    writeFileSync(path.join(dir, 'empty.yml'), '');
    const s = await startServe(['--listen', '127.0.0.1:0', '--web.config.file', 'empty.yml'], dir);
    expect(s.metricsUrl).toMatch(/^http:/);
    expect((await fetch(s.metricsUrl)).status).toBe(200);
    expect((await s.stop()).code).toBe(0);
  }, LIMIT_MS);
});
