import { existsSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { parseCatalogue } from '../../src/core/catalogue.js';
import { importCompose } from '../../src/core/compose-import.js';
import { readShortPort } from '../../src/core/compose-ports.js';
import { ROOT } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'voicehelper');
const none = () => undefined;

function ctx(cwd: string) {
  let out = '';
  let err = '';
  return {
    c: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdinIsTTY: false, env: {}, cwd },
    out: () => out,
    err: () => err,
  };
}

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function scratch(): string {
  const d = tempDir('vhtop-import-');
  dirs.push(d);
  return d.dir;
}

describe('compose port syntax', () => {
  it('reads short syntax: host address, variables, ranges, udp, ephemeral ports', () => {
    expect(readShortPort('127.0.0.1:${DB_PORT:-5432}:5432', none)).toEqual({ ports: [{ port: 5432, target: 5432, protocol: 'tcp', hostIp: '127.0.0.1', env: 'DB_PORT' }] });
    expect(readShortPort('[::1]:8080:80', none)).toEqual({ ports: [{ port: 8080, target: 80, protocol: 'tcp', hostIp: '::1', env: null }] });
    expect(readShortPort('53:53/udp', none)).toMatchObject({ ports: [{ port: 53, protocol: 'udp' }] });
    expect(readShortPort('9000-9002:8000-8002', none)).toMatchObject({ ports: [{ port: 9000, target: 8000 }, { port: 9001, target: 8001 }, { port: 9002, target: 8002 }] });
    expect(readShortPort('${WEB}:80', (n) => (n === 'WEB' ? '8088' : undefined))).toMatchObject({ ports: [{ port: 8088, env: 'WEB' }] });
    expect(readShortPort('8080', none)).toEqual({ skip: 'no published host port (docker picks one at random)' });
    expect(readShortPort('${UNSET}:80', none)).toEqual({ skip: '${UNSET} is not set in the .env file and has no default' });
    expect(readShortPort('70000:80', none)).toMatchObject({ problem: expect.stringMatching(/published port/) });
  });
});

describe('importCompose', () => {
  it('one entry per published port: ids, env, udp, bind local, profiles, health from the healthcheck, long syntax', () => {
    const text = `services:
  api:
    profiles: [dev]
    ports:
      - "127.0.0.1:\${API_PORT:-8000}:8000"
      - target: 9090
        published: "9091"
        host_ip: 0.0.0.0
      - "5353:5353/udp"
    healthcheck:
      test: ["CMD-SHELL", "curl -fsS http://localhost:8000/health?deep=1 || exit 1"]
  cache:
    ports: ["6379"]
`;
    const r = importCompose([{ file: 'compose.yaml', text }], (n) => (n === 'API_PORT' ? '8100' : undefined));
    expect(r.notes).toEqual([expect.stringMatching(/services\.cache\.ports\[0\].*skipped/)]);
    expect(r.entries.map((e) => [e.id, e.port, e.protocol, e.env, e.bind, e.profiles, e.health?.kind])).toEqual([
      ['api-8100', 8100, 'tcp', 'API_PORT', 'local', ['dev'], 'http'],
      ['api-9091', 9091, 'tcp', null, null, ['dev'], 'tcp'],
      ['api-5353-udp', 5353, 'udp', null, null, ['dev'], undefined],
    ]);
    expect(r.entries[0]?.health).toMatchObject({ kind: 'http', path: '/health?deep=1' });
    expect(r.entries[0]?.origin).toBe('compose.yaml:5 services.api.ports[0] "127.0.0.1:${API_PORT:-8000}:8000"');
  });

  it('merges -f files as compose does: ports add up, later keys win', () => {
    const base = { file: 'a.yml', text: 'services:\n  web:\n    ports: ["8080:80"]\n' };
    const over = { file: 'b.yml', text: 'services:\n  web:\n    profiles: [prod]\n    ports: ["8080:80", "8443:443"]\n' };
    const r = importCompose([base, over], none);
    expect(r.entries.map((e) => [e.id, e.port, e.profiles])).toEqual([['web-8080', 8080, ['prod']], ['web-8443', 8443, ['prod']]]);
  });

  it('bad input is one ConfigError naming file, line and field', () => {
    expect(() => importCompose([{ file: 'c.yml', text: 'services:\n  web:\n    ports: ["80:80:80:x"]\n' }], none)).toThrow(/^c\.yml:3: services\.web\.ports\[0\]: container port must be a port or a range/);
    expect(() => importCompose([{ file: 'c.yml', text: 'services: [\n' }], none)).toThrow(/^c\.yml:\d+: YAML syntax error/);
    expect(() => importCompose([{ file: 'c.yml', text: 'services:\n  web:\n    ports: 80\n' }], none)).toThrow(/^c\.yml:3: services\.web\.ports: must be a list/);
  });
});

describe('vhtop import', () => {
  it('the port document\'s two files and .env example give a catalogue vhtop itself accepts', async () => {
    const dir = scratch();
    for (const f of ['docker-compose.yml', 'docker-compose.local.yml']) copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    copyFileSync(path.join(FIXTURES, 'env.example'), path.join(dir, '.env'));
    const t = ctx(dir);
    expect(await run(['import', 'docker-compose.yml', 'docker-compose.local.yml'], t.c)).toBe(0);
    const cat = parseCatalogue(t.out(), 'out.yaml');
    expect(cat.services.map((s) => `${s.id}:${s.port}`)).toEqual([
      'frontend:3000', 'gateway:8080', 'algo-service:8000', 'voice-service:8001', 'admin:5001', 'postgres:5432', 'redis:6379', 'milvus:19530',
      'neo4j-7474:7474', 'neo4j-7687:7687', 'prometheus:9090', 'grafana:3001', 'frontend-dev-3000:3000', 'frontend-dev-3001:3001', 'pgadmin:5050',
      'redis-commander:8081', 'storybook:6006',
    ]);
    expect(cat.services.find((s) => s.id === 'grafana')).toMatchObject({ env: 'GRAFANA_PORT', docker: 'grafana' });
    expect(t.out()).toContain('# from docker-compose.yml:50 services.grafana.ports[0] "${GRAFANA_PORT:-3001}:3000"');
  });

  it('--write never overwrites without --force; no compose file is a usage error', async () => {
    const dir = scratch();
    copyFileSync(path.join(FIXTURES, 'docker-compose.yml'), path.join(dir, 'compose.yaml'));
    writeFileSync(path.join(dir, 'registry.yaml'), 'keep me\n');
    const first = ctx(dir);
    expect(await run(['import', '--write', 'registry.yaml'], first.c)).toBe(2);
    expect(first.err()).toBe('vhtop: registry.yaml exists: add --force to overwrite it\n');
    expect(readFileSync(path.join(dir, 'registry.yaml'), 'utf8')).toBe('keep me\n');
    const forced = ctx(dir);
    expect(await run(['import', '--write', 'registry.yaml', '--force'], forced.c)).toBe(0);
    expect(parseCatalogue(readFileSync(path.join(dir, 'registry.yaml'), 'utf8'), 'r').services).toHaveLength(12);
    const empty = ctx(scratch());
    expect(await run(['import'], empty.c)).toBe(2);
    expect(empty.err()).toMatch(/^vhtop: no compose file here/);
    expect(existsSync(path.join(dir, 'compose.yaml'))).toBe(true);
  });
});
