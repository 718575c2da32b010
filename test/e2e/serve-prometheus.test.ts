import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isBuilt } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { closedPort, httpHolder, pythonHolder, registry, stopAll, type Holder } from './cli-helpers.js';
import { eventually, onPath, ROOT, startPrometheus, startServe, stopServeChildren, type PromServer, type ServeChild } from '../serve/serve-helpers.js';

/**
 * `vhtop serve` scraped by a real Prometheus (temp config and TSDB, 1 s scrape and rule interval,
 * the shipped alert rules loaded), against real sockets held by child processes: a down service, an
 * exposed one, a conflict and a healthy one. Skips, saying why, when Prometheus is not installed
 * (.ci/run installs Debian's `prometheus` package).
 */
const missing = ['prometheus', 'promtool', 'python3'].filter((c) => !onPath(c));
if (missing.length > 0) console.warn(`serve-prometheus: skipped: not installed: ${missing.join(', ')} (.ci/run installs them)`);

/** Limit of the hooks and tests that start or wait on real processes: a limit, never an assertion on speed. */
const LIMIT_MS = 240_000;

const dirs: { remove(): void }[] = [];
afterAll(async () => {
  await stopServeChildren();
  await stopAll();
  for (const d of dirs) d.remove();
});

describe.skipIf(missing.length > 0)('vhtop serve under a real Prometheus', () => {
  let serve: ServeChild;
  let prom: PromServer;
  let exposed: Holder;
  let conflict: Holder;
  let healthy: Holder;
  let downPort: number;

  beforeAll(async () => {
    if (!isBuilt()) throw new Error('dist/cli.js missing: run `npx tsc -p .` first');
    const t = tempDir('vhtop-serve-prom-');
    dirs.push(t);
    [exposed, conflict, healthy, downPort] = await Promise.all([pythonHolder('tcp,0.0.0.0,0'), pythonHolder('tcp,127.0.0.1,0'), httpHolder(200), closedPort()]);
    writeFileSync(
      path.join(t.dir, 'registry.yaml'),
      registry([
        { id: 'down-svc', name: 'Nobody home', port: downPort, group: 'app' },
        { id: 'exposed-svc', name: 'Local only', port: exposed.ports[0], group: 'data', process: ['python3'], bind: 'local' },
        { id: 'conflict-svc', name: 'Web', port: conflict.ports[0], group: 'app', process: ['nginx'] },
        { id: 'healthy-svc', name: 'API', port: healthy.ports[0], group: 'app', process: ['python3'], health: { http: '/health' }, docker: 'api' },
      ]),
    );
    serve = await startServe(['--listen', '127.0.0.1:0', '--interval', '1', '--health', '--unexpected-details', '50'], t.dir);
    const rules = path.join(ROOT, 'deploy', 'prometheus', 'alerts.yml');
    prom = await startPrometheus(
      t.dir,
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [${JSON.stringify(rules)}]\nscrape_configs:\n  - job_name: vhtop\n    static_configs:\n      - targets: [${JSON.stringify(serve.target)}]\n`,
    );
  }, LIMIT_MS);

  /**
   * The value of a query that returns one series, once it exists (and equals `want` when given: a
   * first scrape may time out on a loaded machine, so `up` can start at 0).
   */
  const one = (q: string, want?: string): Promise<string> =>
    eventually(`${q}${want === undefined ? '' : ` == ${want}`}`, async () => {
      const r = await prom.query(q);
      const v = r.length === 1 ? (r[0]?.value[1] ?? null) : null;
      return want === undefined || v === want ? v : null;
    });

  it('Prometheus scrapes it: target up, vhtop_up 1, build info', async () => {
    expect(await one('up{job="vhtop"}', '1')).toBe('1');
    expect(await one('vhtop_up', '1')).toBe('1');
    expect(await one('vhtop_build_info', '1')).toBe('1');
  }, LIMIT_MS);

  it('answers the state-set of each service: down, up (exposed), conflict', async () => {
    expect(await one('vhtop_service_state{service_id="down-svc",state="down"}', '1')).toBe('1');
    expect(await one('vhtop_service_state{service_id="down-svc",state="up"}', '0')).toBe('0');
    expect(await one('sum(vhtop_service_state{service_id="down-svc"})', '1')).toBe('1');
    expect(await one('vhtop_service_state{service_id="exposed-svc",state="up"}', '1')).toBe('1');
    expect(await one('vhtop_service_state{service_id="conflict-svc",state="conflict"}', '1')).toBe('1');
    expect(Number(await one('vhtop_port_conflicts'))).toBeGreaterThanOrEqual(1);
    const states = await prom.query('vhtop_service_state{service_id="conflict-svc"}');
    expect(states.map((s) => s.metric.state).sort()).toEqual(['conflict', 'down', 'inactive', 'unverified', 'up']);
  }, LIMIT_MS);

  it('marks only the bind: local entry exposed, and the catalogue facts as info labels', async () => {
    expect(await one('vhtop_service_exposed{service_id="exposed-svc"}', '1')).toBe('1');
    expect(await prom.query('vhtop_service_exposed{service_id="down-svc"}')).toEqual([]);
    const info = await eventually('service info', async () => (await prom.query('vhtop_service_info{service_id="healthy-svc"}'))[0]);
    expect(info.metric).toMatchObject({ name: 'API', port: String(healthy.ports[0]), protocol: 'tcp', group: 'app', docker: 'api' });
  }, LIMIT_MS);

  it('runs the health probe with --health', async () => {
    expect(await one('vhtop_service_probe_success{service_id="healthy-svc"}', '1')).toBe('1');
    expect(Number(await one('vhtop_service_probe_duration_seconds{service_id="healthy-svc"}'))).toBeGreaterThan(0);
  }, LIMIT_MS);

  it('counts listeners by classification and lists the unexpected ones (not the exporter itself)', async () => {
    expect(Number(await one('vhtop_listeners{protocol="tcp",classification="expected"}'))).toBeGreaterThanOrEqual(2);
    expect(Number(await one('vhtop_listeners{protocol="tcp",classification="conflict"}'))).toBeGreaterThanOrEqual(1);
    const own = serve.target.split(':').pop();
    const unexpected = await prom.query('vhtop_unexpected_listener_info');
    expect(unexpected.some((s) => s.metric.port === own)).toBe(false);
  }, LIMIT_MS);

  it('carries no pid, service or exported instance label on any series', async () => {
    const all = await eventually('vhtop series', async () => {
      const r = await prom.query('{__name__=~"vhtop_.+"}');
      return r.length > 0 ? r : null;
    });
    for (const s of all) {
      expect(Object.keys(s.metric)).not.toContain('pid');
      expect(Object.keys(s.metric)).not.toContain('service');
      expect(Object.keys(s.metric).filter((k) => k.startsWith('exported_'))).toEqual([]);
      expect(s.metric.instance).toBe(serve.target);
    }
  }, LIMIT_MS);

  it('fires the shipped VhtopServiceExposed alert for the exposed entry only', async () => {
    const alert = await eventually('VhtopServiceExposed firing', async () =>
      (await prom.alerts()).find((a) => a.labels.alertname === 'VhtopServiceExposed' && a.state === 'firing'),
    );
    expect(alert.labels.service_id).toBe('exposed-svc');
    // VhtopServiceDown waits 2 minutes: pending, not firing, for the down entry.
    const down = await eventually('VhtopServiceDown pending', async () => (await prom.alerts()).find((a) => a.labels.alertname === 'VhtopServiceDown'));
    expect(down.labels.service_id).toBe('down-svc');
  }, LIMIT_MS);

  it('passes `promtool check metrics` on a scrape', async () => {
    const body = await (await fetch(serve.metricsUrl)).text();
    expect(body).toContain('vhtop_service_probe_success');
    expect(body).toContain('vhtop_unexpected_listener_info');
    const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, LIMIT_MS);

  it('stops cleanly on SIGTERM: exit 0, the port closed', async () => {
    const { code, signal } = await serve.stop();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(serve.stderr()).toContain('SIGTERM: stopped');
    await expect(fetch(serve.metricsUrl)).rejects.toThrow();
  }, LIMIT_MS);
});

describe.skipIf(!onPath('promtool'))('the shipped Prometheus files', () => {
  it('alert rules pass their promtool unit tests', () => {
    const r = spawnSync('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: path.join(ROOT, 'deploy', 'prometheus'), encoding: 'utf8' });
    expect(r.stdout).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, LIMIT_MS);

  it('the example configuration and its rules are valid', () => {
    const r = spawnSync('promtool', ['check', 'config', 'prometheus.example.yml'], { cwd: path.join(ROOT, 'deploy', 'prometheus'), encoding: 'utf8' });
    expect(r.stdout).toContain('SUCCESS: 6 rules found');
    expect(r.status).toBe(0);
  }, LIMIT_MS);
});
