/**
 * `vhtop import` of the VoiceHelper port document's compose files and its .env example, checked
 * against a compose project started from the same files: busybox stand-ins listen on every container
 * port, a test override adds the image and keeps the mappings on loopback, and a .env moves the
 * published ports to high ones (through the variables the imported catalogue carries as `env`).
 * Also the zero-config start: a directory with only the compose file. Needs the built CLI.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, ROOT, runBuiltCli } from '../helpers/built-cli.js';
import { composeProject, dockerPathDir, engineReady, freePorts, BUSYBOX_IMAGE, type ComposeProject } from '../helpers/docker-engine.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'voicehelper');

/** Service -> [variable, container port] for every published port of docker-compose.yml. */
const PUBLISHED: Record<string, [string, number][]> = {
  frontend: [['FRONTEND_PORT', 3000]],
  gateway: [['GATEWAY_PORT', 8080]],
  'algo-service': [['ALGO_PORT', 8000]],
  'voice-service': [['VOICE_PORT', 8001]],
  admin: [['ADMIN_PORT', 5001]],
  postgres: [['POSTGRES_PORT', 5432]],
  redis: [['REDIS_PORT', 6379]],
  milvus: [['MILVUS_PORT', 19530]],
  neo4j: [['NEO4J_HTTP_PORT', 7474], ['NEO4J_BOLT_PORT', 7687]],
  prometheus: [['PROMETHEUS_PORT', 9090]],
  grafana: [['GRAFANA_PORT', 3000]],
};

// Loopback ports the kernel picks, one per variable, so nothing else on the machine is touched.

async function highPorts(): Promise<Record<string, number>> {
  const names = Object.values(PUBLISHED).flatMap((ports) => ports.map(([v]) => v));
  const free = await freePorts(names.length);
  return Object.fromEntries(names.map((v, i) => [v, free[i] as number]));
}

/** The test's override: busybox httpd on each container port, mappings on 127.0.0.1 only. */
function override(high: Record<string, number>): string {
  const lines = ['services:'];
  for (const [svc, ports] of Object.entries(PUBLISHED)) {
    const inner = ports.map(([, p]) => p);
    const cmd = [...inner.slice(0, -1).map((p) => `httpd -p ${p} -h /www;`), `exec httpd -f -p ${inner[inner.length - 1]} -h /www`].join(' ');
    lines.push(`  ${svc}:`, `    image: ${BUSYBOX_IMAGE}`, '    init: true', `    command: ["sh", "-c", ${JSON.stringify(cmd)}]`);
    lines.push(`    ports: !override [${ports.map(([v, p]) => JSON.stringify(`127.0.0.1:${high[v]}:${p}`)).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

let reason: string | null = 'not checked yet';
let project: ComposeProject | null = null;
let high: Record<string, number> = {};

beforeAll(async () => {
  reason = isBuilt() ? await engineReady() : 'the CLI is not built (npm run build)';
  if (reason !== null) {
    console.log(`skipping the import-against-the-engine tests: ${reason}`);
    return;
  }
  high = await highPorts();
  project = composeProject(
    'import',
    {
      'docker-compose.yml': readFileSync(path.join(FIXTURES, 'docker-compose.yml'), 'utf8'),
      'docker-compose.local.yml': readFileSync(path.join(FIXTURES, 'docker-compose.local.yml'), 'utf8'),
      'test-override.yml': override(high),
      '.env': Object.entries(high).map(([k, v]) => `${k}=${v}`).join('\n'),
    },
    ['docker-compose.yml', 'test-override.yml'],
  );
  const up = await project.compose(['up', '-d', '--wait', '--wait-timeout', '120']);
  if (up.code !== 0) throw new Error(`docker compose up failed: ${up.stderr}`);
}, 300_000);

afterAll(async () => {
  await project?.down();
}, 120_000);

describe('vhtop import against a compose project of the same files', () => {
  it('imports the port document\'s files and .env example; check reports every published service up', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const p = project as ComposeProject;
    // The import reads the .env beside the first file: the document's example, for the defaults.
    const importDir = path.join(p.dir, 'import');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(importDir);
    for (const f of ['docker-compose.yml', 'docker-compose.local.yml']) copyFileSync(path.join(FIXTURES, f), path.join(importDir, f));
    copyFileSync(path.join(FIXTURES, 'env.example'), path.join(importDir, '.env'));
    const env = { PATH: dockerPathDir(p.dir), HOME: p.dir, NO_COLOR: '1', COLUMNS: '200', COMPOSE_PROJECT_NAME: p.name };
    const imported = await runBuiltCli(['import', 'docker-compose.yml', '--write', path.join(p.dir, 'registry.yaml')], { cwd: importDir, env });
    expect(imported.stderr).toMatch(/wrote 12 entries/);
    expect(imported.code).toBe(0);
    const text = readFileSync(path.join(p.dir, 'registry.yaml'), 'utf8');
    expect(text).toContain('env: GATEWAY_PORT');
    expect(text).toMatch(/id: "algo-service"[\s\S]*?port: 8000[\s\S]*?health: \{ http: "\/health" \}/);

    // check in the project directory: its .env moves each port (the entries' env variables).
    const check = await runBuiltCli(['check', '--json'], { cwd: p.dir, env });
    const services = (JSON.parse(check.stdout) as { services: { id: string; port: number; envVar: string | null; status: string; process: string | null }[] }).services;
    expect(services).toHaveLength(12);
    for (const s of services) {
      expect(s, s.id).toMatchObject({ status: 'up', process: 'docker-proxy' });
      // The project's .env moved every port through the entry's env variable.
      expect(s.port).toBe(high[s.envVar ?? '']);
    }
    expect(check.code).toBe(0);

    const health = await runBuiltCli(['check', '--health', '--only', 'algo-service'], { cwd: p.dir, env });
    expect(health.code).toBe(0);
  }, 180_000);

  it('zero-config: a directory with only a compose file uses it as the catalogue', async (ctx) => {
    if (reason !== null) return ctx.skip();
    const p = project as ComposeProject;
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync(path.join(p.dir, 'zero-'));
    try {
      copyFileSync(path.join(FIXTURES, 'docker-compose.yml'), path.join(dir, 'compose.yaml'));
      writeFileSync(path.join(dir, '.env'), readFileSync(path.join(p.dir, '.env')));
      const env = { PATH: dockerPathDir(p.dir), HOME: dir, NO_COLOR: '1', COLUMNS: '200', COMPOSE_PROJECT_NAME: p.name };
      const r = await runBuiltCli(['check', '--only', `gateway,neo4j-${high.NEO4J_BOLT_PORT}`], { cwd: dir, env });
      expect(r.stderr).not.toMatch(/registry|error/);
      expect(r.stdout).toMatch(/gateway\s.*up/);
      expect(r.stdout).toMatch(new RegExp(`neo4j-${high.NEO4J_BOLT_PORT}\\s.*up`));
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
