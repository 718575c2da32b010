import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/core/catalogue.js';
import { loadEnvSources } from '../../src/core/env.js';
import { ConfigError } from '../../src/core/errors.js';
import { inProfile, profilesOf, profilesOverlap, resolveServices } from '../../src/core/resolve.js';
import type { EnvSources } from '../../src/core/types.js';

const CATALOGUE = parseCatalogue(
  `version: 1
services:
  - { id: frontend, name: Web前端, port: 3000, env: FRONTEND_PORT, group: app, profiles: [prod] }
  - { id: frontend-dev, name: 前端开发服务器, port: 3000, env: FRONTEND_PORT, group: dev, profiles: [dev] }
  - { id: postgres, name: PostgreSQL, port: 5432, env: POSTGRES_PORT, group: data, profiles: [prod, dev] }
  - { id: test-redis, name: 测试Redis, port: 6380, env: TEST_REDIS_PORT, group: test, profiles: [test] }
  - { id: nginx, name: Nginx, port: 80, group: app }
  - { id: odd, name: Odd, port: 9999, env: constructor, group: app, profiles: [prod] }
`,
  'inline.yaml',
);

const ids = (profile: string | null): string[] => resolveServices(CATALOGUE, noEnv(), profile).map((s) => s.id);

function noEnv(processEnv: Record<string, string | undefined> = {}, fileEnv: Record<string, string> = {}): EnvSources {
  return { processEnv, fileEnv, fileName: fileEnv && Object.keys(fileEnv).length > 0 ? 'test.env' : null, fileLines: {} };
}

describe('profiles', () => {
  it.each([
    [null, ['frontend', 'frontend-dev', 'postgres', 'test-redis', 'nginx', 'odd']],
    ['prod', ['frontend', 'postgres', 'nginx', 'odd']],
    ['dev', ['frontend-dev', 'postgres', 'nginx']],
    ['test', ['test-redis', 'nginx']],
    ['staging', ['nginx']], // an entry without profiles belongs to every profile
  ] as const)('profile %s keeps %j', (profile, expected) => {
    expect(ids(profile)).toEqual(expected);
  });

  it('profilesOf lists every profile once, sorted', () => {
    expect(profilesOf(CATALOGUE)).toEqual(['dev', 'prod', 'test']);
  });

  it('profilesOverlap: same port in disjoint profiles is no collision; null profiles meet every profile', () => {
    const [frontend, frontendDev, postgres, testRedis, nginx] = CATALOGUE.services;
    expect(profilesOverlap(frontend!, frontendDev!)).toBe(false);
    expect(profilesOverlap(frontendDev!, postgres!)).toBe(true);
    expect(profilesOverlap(testRedis!, postgres!)).toBe(false);
    expect(profilesOverlap(nginx!, testRedis!)).toBe(true);
    expect(inProfile(nginx!, 'anything')).toBe(true);
  });
});

describe('env overrides: environment > .env > default', () => {
  const port = (env: EnvSources, id: string) => {
    const s = resolveServices(CATALOGUE, env, null).find((x) => x.id === id)!;
    return [s.effectivePort, s.portSource, s.port];
  };

  it.each([
    ['default', noEnv(), [5432, 'default', 5432]],
    ['.env only', noEnv({}, { POSTGRES_PORT: '5433' }), [5433, 'env-file', 5432]],
    ['environment only', noEnv({ POSTGRES_PORT: '5434' }), [5434, 'environment', 5432]],
    ['environment wins over .env', noEnv({ POSTGRES_PORT: '5434' }, { POSTGRES_PORT: '5433' }), [5434, 'environment', 5432]],
    ['empty environment value falls through to .env', noEnv({ POSTGRES_PORT: '' }, { POSTGRES_PORT: '5433' }), [5433, 'env-file', 5432]],
    ['empty .env value falls through to the default', noEnv({}, { POSTGRES_PORT: '' }), [5432, 'default', 5432]],
    ['surrounding spaces are fine', noEnv({ POSTGRES_PORT: ' 6543 ' }), [6543, 'environment', 5432]],
    ['an entry without env ignores look-alike variables', noEnv({ NGINX_PORT: '81', PORT: '82' }), [5432, 'default', 5432]],
  ] as const)('%s', (_label, env, expected) => {
    expect(port(env, 'postgres')).toEqual(expected);
  });

  it('a variable named like an Object.prototype member is looked up as a variable only', () => {
    expect(port(noEnv(), 'odd')).toEqual([9999, 'default', 9999]);
    expect(port(noEnv({ constructor: '9998' }), 'odd')).toEqual([9998, 'environment', 9999]);
  });

  it('reads the .env file through loadEnvSources, the process environment still winning', async () => {
    const env = await loadEnvSources('test/fixtures/env/bom-crlf.env', { FRONTEND_PORT: '3003' });
    const byId = new Map(resolveServices(CATALOGUE, env, 'prod').map((s) => [s.id, s]));
    expect(byId.get('frontend')).toMatchObject({ effectivePort: 3003, portSource: 'environment', port: 3000 });
    expect(resolveServices(CATALOGUE, await loadEnvSources('test/fixtures/env/bom-crlf.env', {}), 'prod')[0]).toMatchObject({
      effectivePort: 3000,
      portSource: 'env-file',
    });
  });
});

describe('a value that is not a port is a ConfigError naming the variable and its source', () => {
  const error = (env: EnvSources, profile: string | null = null): ConfigError => {
    try {
      resolveServices(CATALOGUE, env, profile);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it.each(['abc', '0', '65536', '8080.0', '-1', '0x1F90', '1e3', '80 80', '١٢٣'])('environment POSTGRES_PORT=%j', (value) => {
    const e = error(noEnv({ POSTGRES_PORT: value }));
    expect([e.file, e.line, e.field]).toEqual(['environment', null, 'POSTGRES_PORT']);
    expect(e.message).toBe(`environment: POSTGRES_PORT: must be a port number from 1 to 65535 (got ${JSON.stringify(value)}; it moves service "postgres")`);
  });

  it('a bad value in the .env file names the file and its line', async () => {
    const catalogue = parseCatalogue('version: 1\nservices:\n  - { id: gateway, name: API网关, port: 8080, env: GATEWAY_PORT, group: app }\n', 'x.yaml');
    const env = await loadEnvSources('test/fixtures/env/bad-port.env', {});
    expect(() => resolveServices(catalogue, env, null)).toThrow(
      'test/fixtures/env/bad-port.env:2: GATEWAY_PORT: must be a port number from 1 to 65535 (got "80a80"; it moves service "gateway")',
    );
    // the process environment wins, so the bad file value is never used
    const overridden = await loadEnvSources('test/fixtures/env/bad-port.env', { GATEWAY_PORT: '8082' });
    expect(resolveServices(catalogue, overridden, null)[0]).toMatchObject({ effectivePort: 8082, portSource: 'environment' });
  });

  it('control characters in a bad value are shown, never printed raw', () => {
    expect(error(noEnv({ POSTGRES_PORT: '\x1b[2J' })).message).toContain('(got "\ufffd[2J"');
  });

  it('a non-port value in an unrelated variable is no error', async () => {
    const env = await loadEnvSources('test/fixtures/env/unrelated.env', {});
    expect(env.fileEnv.UNRELATED).toBe('not-a-port');
    expect(resolveServices(CATALOGUE, env, null)).toHaveLength(6);
  });

  it('a bad value for a service outside the active profile is not checked', () => {
    expect(ids('test')).toEqual(['test-redis', 'nginx']);
    expect(resolveServices(CATALOGUE, noEnv({ FRONTEND_PORT: 'x' }), 'test').map((s) => s.id)).toEqual(['test-redis', 'nginx']);
    expect(error(noEnv({ FRONTEND_PORT: 'x' }), 'dev').field).toBe('FRONTEND_PORT');
  });
});
