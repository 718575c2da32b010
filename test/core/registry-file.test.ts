/**
 * The bundled registry.yaml against the seed port document (seeds/000_349bfe11aa2cb110.txt). The
 * expected table below was derived by reading that document section by section; registry.yaml cites
 * the section of every entry in a comment.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadCatalogue } from '../../src/core/catalogue-load.js';
import { profilesOf, profilesOverlap, resolveServices } from '../../src/core/resolve.js';
import type { Catalogue } from '../../src/core/types.js';

const REGISTRY = fileURLToPath(new URL('../../registry.yaml', import.meta.url));

// id, port, env var, group, profiles, docker compose service
type Row = readonly [string, number, string | null, string, readonly string[], string | null];
const SEED: readonly Row[] = [
  // 应用服务层 (+ docker-compose.yml) and the production list's nginx
  ['frontend', 3000, 'FRONTEND_PORT', 'app', ['prod'], 'frontend'],
  ['portal', 3002, 'PORTAL_PORT', 'app', ['prod'], null],
  ['gateway', 8080, 'GATEWAY_PORT', 'app', ['prod'], 'gateway'],
  ['algo', 8000, 'ALGO_PORT', 'app', ['prod'], 'algo-service'],
  ['voice', 8001, 'VOICE_PORT', 'app', ['prod'], 'voice-service'],
  ['admin', 5001, 'ADMIN_PORT', 'app', ['prod'], 'admin'],
  ['nginx', 80, null, 'app', ['prod'], null],
  ['nginx-https', 443, null, 'app', ['prod'], null],
  // 数据库服务
  ['postgres', 5432, 'POSTGRES_PORT', 'data', ['prod', 'dev'], 'postgres'],
  ['redis', 6379, 'REDIS_PORT', 'data', ['prod', 'dev'], 'redis'],
  ['milvus', 19530, 'MILVUS_PORT', 'data', ['prod', 'dev'], 'milvus'],
  ['neo4j', 7474, 'NEO4J_HTTP_PORT', 'data', ['prod', 'dev'], 'neo4j'],
  ['neo4j-bolt', 7687, 'NEO4J_BOLT_PORT', 'data', ['prod', 'dev'], 'neo4j'],
  // 数据库管理界面 (+ docker-compose.local.yml)
  ['pgadmin', 5050, null, 'db-admin', ['dev'], 'pgadmin'],
  ['redis-commander', 8081, null, 'db-admin', ['dev'], 'redis-commander'],
  ['attu', 3001, null, 'db-admin', ['dev'], null],
  // 监控服务
  ['prometheus', 9090, 'PROMETHEUS_PORT', 'monitoring', ['prod'], 'prometheus'],
  ['grafana', 3001, 'GRAFANA_PORT', 'monitoring', ['prod', 'dev'], 'grafana'],
  ['jaeger', 16686, 'JAEGER_PORT', 'monitoring', ['prod'], null],
  ['jaeger-collector', 14268, 'JAEGER_COLLECTOR_PORT', 'monitoring', ['prod'], null],
  ['alertmanager', 9093, 'ALERTMANAGER_PORT', 'monitoring', ['prod'], null],
  // 日志服务
  ['elasticsearch', 9200, null, 'logging', ['prod', 'dev'], null],
  ['kibana', 5601, null, 'logging', ['dev'], null],
  ['logstash', 5044, null, 'logging', ['prod'], null],
  ['fluentd', 24224, null, 'logging', ['prod'], null],
  // 开发服务 (+ docker-compose.local.yml)
  ['frontend-dev', 3000, 'FRONTEND_PORT', 'dev', ['dev'], 'frontend-dev'],
  ['frontend-dev-hmr', 3001, null, 'dev', ['dev'], 'frontend-dev'],
  ['gateway-dev', 8080, 'GATEWAY_PORT', 'dev', ['dev'], null],
  ['algo-dev', 8000, 'ALGO_PORT', 'dev', ['dev'], null],
  ['storybook', 6006, 'STORYBOOK_PORT', 'dev', ['dev'], 'storybook'],
  // 测试服务
  ['test-postgres', 5433, 'TEST_POSTGRES_PORT', 'test', ['test'], null],
  ['test-redis', 6380, 'TEST_REDIS_PORT', 'test', ['test'], null],
  ['mock-server', 8888, 'MOCK_SERVER_PORT', 'test', ['dev', 'test'], null],
  ['perf-test', 8889, null, 'test', ['test'], null],
];

// Every port of the document's tables, compose files and port lists.
const SEED_PORTS = [
  3000, 3002, 8080, 8000, 8001, 5001, 80, 443, 5432, 6379, 19530, 7474, 7687, 5050, 8081, 3001, 9090, 16686, 14268, 9093, 9200, 5601, 5044,
  24224, 6006, 5433, 6380, 8888, 8889,
];
// The .env example plus the env columns of the tables.
const SEED_ENV = [
  'FRONTEND_PORT', 'PORTAL_PORT', 'GATEWAY_PORT', 'ALGO_PORT', 'VOICE_PORT', 'ADMIN_PORT', 'POSTGRES_PORT', 'REDIS_PORT', 'MILVUS_PORT',
  'NEO4J_HTTP_PORT', 'NEO4J_BOLT_PORT', 'PROMETHEUS_PORT', 'GRAFANA_PORT', 'JAEGER_PORT', 'JAEGER_COLLECTOR_PORT', 'ALERTMANAGER_PORT',
  'STORYBOOK_PORT', 'MOCK_SERVER_PORT', 'TEST_POSTGRES_PORT', 'TEST_REDIS_PORT',
];
// Service names of docker-compose.yml and docker-compose.local.yml.
const SEED_DOCKER = [
  'frontend', 'gateway', 'algo-service', 'voice-service', 'admin', 'postgres', 'redis', 'milvus', 'neo4j', 'prometheus', 'grafana',
  'frontend-dev', 'pgadmin', 'redis-commander', 'storybook',
];

const sorted = <T>(xs: Iterable<T>): T[] => [...xs].sort();

describe('the bundled registry.yaml is the seed catalogue', async () => {
  const catalogue: Catalogue = await loadCatalogue(REGISTRY);
  const byId = new Map(catalogue.services.map((s) => [s.id, s]));

  it('has exactly the seed table: id, port, env, group, profiles, docker name', () => {
    const rows = catalogue.services.map((s) => [s.id, s.port, s.env, s.group, s.profiles, s.docker]);
    expect(rows).toEqual(SEED);
  });

  it('covers every port, env var and compose service of the seed, and invents none', () => {
    expect(sorted(new Set(catalogue.services.map((s) => s.port)))).toEqual(sorted(SEED_PORTS));
    expect(sorted(new Set(catalogue.services.flatMap((s) => (s.env ? [s.env] : []))))).toEqual(sorted(SEED_ENV));
    expect(sorted(new Set(catalogue.services.flatMap((s) => (s.docker ? [s.docker] : []))))).toEqual(sorted(SEED_DOCKER));
    expect(catalogue.services.every((s) => s.protocol === 'tcp')).toBe(true);
  });

  it('names the expected owner of every port', () => {
    for (const s of catalogue.services) expect(s.process?.length, s.id).toBeGreaterThan(0);
    expect(byId.get('postgres')?.process).toEqual(['postgres']);
    expect(byId.get('redis')?.process).toEqual(['redis-server']);
    for (const id of ['neo4j', 'neo4j-bolt', 'elasticsearch', 'logstash']) expect(byId.get(id)?.process, id).toContain('java');
    expect(byId.get('grafana')?.process).toEqual(['grafana', 'grafana-server']);
    expect(byId.get('algo')?.process).toContain('uvicorn');
  });

  it('keeps the firewall section\'s local-only ports local', () => {
    expect(sorted(catalogue.services.filter((s) => s.bind === 'local').map((s) => s.id))).toEqual(['postgres', 'redis', 'test-postgres', 'test-redis']);
  });

  it('has the seed\'s health paths', () => {
    expect(byId.get('algo')?.health).toEqual({ kind: 'http', path: '/health', expect: null, timeoutMs: null, https: false });
    expect(byId.get('voice')?.health).toEqual({ kind: 'websocket', path: '/api/v1/voice/stream', timeoutMs: null });
    expect(byId.get('postgres')?.health).toEqual({ kind: 'tcp', timeoutMs: null });
  });

  it('records one service reached two ways as one entry with aliases', () => {
    expect(byId.get('gateway')?.aliases).toEqual(['实时对话', '系统通知']);
    expect(byId.get('voice')?.aliases).toEqual(['语音流']);
    expect(byId.get('neo4j')?.aliases).toContain('Neo4j Browser');
    expect(catalogue.services.filter((s) => s.port === 7474)).toHaveLength(1);
    expect(catalogue.services.filter((s) => s.group === 'websocket')).toHaveLength(0);
  });

  it('has the seed\'s own collision: 3001 in dev (Grafana, Milvus Attu and the HMR port), and no other', () => {
    const collisions: string[] = [];
    catalogue.services.forEach((a, i) =>
      catalogue.services.slice(i + 1).forEach((b) => {
        if (a.port === b.port && a.protocol === b.protocol && profilesOverlap(a, b)) collisions.push(`${a.port}:${a.id}+${b.id}`);
      }),
    );
    expect(collisions).toEqual(['3001:attu+grafana', '3001:attu+frontend-dev-hmr', '3001:grafana+frontend-dev-hmr']);
  });

  it.each([
    ['prod', []],
    ['dev', [3001, 3001]],
    ['test', []],
  ] as const)('profile %s shares ports %j', (profile, shared) => {
    const ports = resolveServices(catalogue, { processEnv: {}, fileEnv: {}, fileName: null }, profile).map((s) => s.port);
    expect(ports.filter((p, i) => ports.indexOf(p) !== i)).toEqual(shared);
  });

  it('knows the profiles prod, dev and test', () => {
    expect(profilesOf(catalogue)).toEqual(['dev', 'prod', 'test']);
  });
});
