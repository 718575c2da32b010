import { describe, expect, it, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCatalogue } from '../../src/core/catalogue.js';
import { loadCatalogue } from '../../src/core/catalogue-load.js';
import { MAX_CONFIG_BYTES as MAX_REGISTRY_BYTES } from '../../src/core/catalogue-read.js';
import { ConfigError } from '../../src/core/errors.js';

const FIXTURES = 'test/fixtures/registry';
const fixture = (name: string): string => path.join(FIXTURES, name);

/** Loads `file` expecting a ConfigError; returns it. */
async function configError(file: string): Promise<ConfigError> {
  const error = await loadCatalogue(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadCatalogue: good registries', () => {
  it('reads every key of the schema, with defaults and short forms', async () => {
    const c = await loadCatalogue(fixture('good-full.yaml'));
    expect(c.file).toBe(fixture('good-full.yaml'));
    expect(c.services.map((s) => s.id)).toEqual(['gateway', 'dns', 'voice', 'anywhere']);
    const [gateway, dns, voice, anywhere] = c.services;
    expect(gateway).toEqual({
      id: 'gateway',
      name: 'API网关',
      port: 8080,
      protocol: 'tcp',
      env: 'GATEWAY_PORT',
      group: 'app',
      profiles: ['prod', 'dev'],
      process: ['gateway', 'server'],
      docker: 'gateway',
      health: { kind: 'http', path: '/health', expect: 204, timeoutMs: 1500, https: true },
      bind: 'local',
      aliases: ['实时对话', '系统通知'],
      line: 4,
    });
    // profiles through an alias, a single process name, tcp health with a timeout, udp
    expect(dns).toMatchObject({ protocol: 'udp', profiles: ['prod', 'dev'], process: ['dnsmasq'], health: { kind: 'tcp', timeoutMs: 2000 }, line: 16 });
    // `env: ~` and `docker:` with no value mean absent; absent protocol is tcp
    expect(voice).toMatchObject({ env: null, docker: null, protocol: 'tcp', group: 'websocket', aliases: [], bind: null });
    expect(voice?.health).toEqual({ kind: 'websocket', path: '/api/v1/voice/stream', timeoutMs: null });
    // no profiles = every profile (null), hex port
    expect(anywhere).toMatchObject({ port: 8080, profiles: null, process: null, health: null, line: 32 });
  });

  it('reads a one-line flow entry', async () => {
    const c = await loadCatalogue(fixture('good-minimal.yaml'));
    expect(c.services).toHaveLength(1);
    expect(c.services[0]).toMatchObject({ id: 'redis', port: 6379, group: 'data', line: 3 });
  });

  it('counts lines right in a CRLF file with a BOM', () => {
    const text = '\ufeffversion: 1\r\nservices:\r\n  - id: a\r\n    name: A\r\n    port: 1\r\n    group: app\r\n  - id: b\r\n    name: B\r\n    port: 99999\r\n    group: app\r\n';
    expect(() => parseCatalogue(text, 'crlf.yaml')).toThrow('crlf.yaml:9: services[1].port: must be a whole number from 1 to 65535 (got 99999)');
  });

  it('returns frozen data', async () => {
    const c = await loadCatalogue(fixture('good-minimal.yaml'));
    expect(Object.isFrozen(c.services)).toBe(true);
    expect(Object.isFrozen(c.services[0])).toBe(true);
  });
});

// Every kind of bad registry: [fixture, line, field (null: not about one field), words of the problem].
// Line null: about the whole file (a file that is not a registry at all is not quoted).
const BAD: ReadonlyArray<readonly [string, number | null, string | null, string]> = [
  ['bad-syntax.yaml', 5, null, 'YAML syntax error'],
  ['bad-multi-doc.yaml', 4, null, 'multiple documents'],
  ['bad-tag.yaml', 5, null, 'Unresolved tag: !port'],
  ['bad-top-not-map.yaml', null, null, 'not a vhtop registry (a registry is a YAML mapping with "version: 1" and "services:")'],
  ['bad-empty.yaml', 1, 'version', 'is required: the registry is empty'],
  ['bad-duplicate-key.yaml', 7, 'services[0].port', 'duplicate key (first given on line 5)'],
  ['bad-duplicate-top-key.yaml', 4, 'services', 'duplicate key (first given on line 2)'],
  ['bad-duplicate-id.yaml', 7, 'services[1].id', 'duplicate id "redis" (first used on line 3)'],
  ['bad-unknown-top-key.yaml', 2, 'servces', 'unknown key (did you mean "services"?)'],
  ['bad-unknown-entry-key.yaml', 7, 'services[0].prot', 'unknown key (did you mean "port"?)'],
  ['bad-unknown-health-key.yaml', 9, 'services[0].health.expekt', 'unknown key (did you mean "expect"?)'],
  ['bad-merge-key.yaml', 4, 'services[1].<<', 'unknown key'],
  ['bad-key-not-text.yaml', 7, 'services[0]', 'keys must be plain names (got 123)'],
  ['bad-port-range.yaml', 6, 'services[1].port', 'must be a whole number from 1 to 65535 (got 70000)'],
  ['bad-port-zero.yaml', 5, 'services[0].port', '(got 0)'],
  ['bad-port-float.yaml', 5, 'services[0].port', '(got 80.5)'],
  ['bad-port-string.yaml', 5, 'services[0].port', '(got "8080")'],
  ['bad-port-missing.yaml', 3, 'services[0].port', 'is required'],
  ['bad-version.yaml', 1, 'version', 'must be 1 (got 2)'],
  ['bad-version-missing.yaml', 2, 'version', 'is required'],
  ['bad-services-empty.yaml', 2, 'services', 'must list at least one service'],
  ['bad-services-missing.yaml', 1, 'services', 'is required'],
  ['bad-services-not-list.yaml', 3, 'services', 'must be a list (got a mapping)'],
  ['bad-entry-not-map.yaml', 4, 'services[1]', 'must be a mapping of keys to values (got "gateway")'],
  ['bad-env-name.yaml', 7, 'services[0].env', 'environment variable name'],
  ['bad-docker-name.yaml', 7, 'services[0].docker', 'docker compose service name'],
  ['bad-id.yaml', 3, 'services[0].id', 'lower-case letters'],
  ['bad-protocol.yaml', 6, 'services[0].protocol', 'must be one of tcp, udp (got "sctp")'],
  ['bad-group.yaml', 6, 'services[0].group', 'must be a short lower-case word (letters, digits, "-" and "_", at most 32) (got "Front End")'],
  ['bad-name-missing.yaml', 3, 'services[0].name', 'is required'],
  ['bad-name-control.yaml', 4, 'services[0].name', 'without control characters (got "evil\ufffd[2J")'],
  ['bad-health-two-kinds.yaml', 7, 'services[0].health', 'exactly one of http: PATH, tcp: true or websocket: PATH (got http and tcp)'],
  ['bad-health-none.yaml', 7, 'services[0].health', '(got none)'],
  ['bad-health-not-map.yaml', 7, 'services[0].health', 'must be a mapping'],
  ['bad-health-tcp-false.yaml', 8, 'services[0].health.tcp', 'must be true (got false)'],
  ['bad-health-path.yaml', 8, 'services[0].health.http', 'must be a URL path starting with "/"'],
  ['bad-health-timeout.yaml', 9, 'services[0].health.timeout', '(got -1)'],
  ['bad-health-expect-on-tcp.yaml', 9, 'services[0].health.expect', 'only applies to an http health check'],
  ['bad-health-expect-range.yaml', 9, 'services[0].health.expect', 'from 100 to 599 (got 999)'],
  ['bad-health-https-type.yaml', 9, 'services[0].health.https', 'must be true or false (got "yes")'],
  ['bad-bind.yaml', 7, 'services[0].bind', '(got "public")'],
  ['bad-profiles-type.yaml', 7, 'services[0].profiles', 'must be a list (got a mapping)'],
  ['bad-profiles-empty.yaml', 7, 'services[0].profiles', 'at least one'],
  ['bad-process-number.yaml', 9, 'services[0].process[1]', '(got 123)'],
  ['bad-alias-unknown.yaml', 7, 'services[0].profiles', 'refers to no anchor'],
  // billion laughs: the schema's shape rejects it at the first item, nothing is expanded
  ['bad-alias-bomb.yaml', 3, 'services[0]', 'must be a mapping of keys to values (got a list)'],
  ['bad-alias-count.yaml', 1008, null, 'too many YAML aliases (more than 1000)'],
];

describe('loadCatalogue: every kind of bad registry is one line naming file, line and field', () => {
  it.each(BAD)('%s -> line %i, field %s', async (name, line, field, words) => {
    const file = fixture(name);
    const e = await configError(file);
    expect(e.file).toBe(file);
    expect(e.line).toBe(line);
    expect(e.field).toBe(field);
    expect(e.message).toContain(words);
    expect(e.message.startsWith(`${file}${line === null ? '' : `:${line}`}: ${field === null ? '' : `${field}: `}`)).toBe(true);
    expect(e.message).not.toContain('\n');
  });

  it('has a table row for every bad-*.yaml fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.startsWith('bad-')).sort();
    expect(files).toEqual(BAD.map(([f]) => f).sort());
  });
});

describe('loadCatalogue: file problems', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-catalogue-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file', async () => {
    const file = path.join(dir, 'nope.yaml');
    const e = await configError(file);
    expect(e.message).toBe(`${file}: cannot read the registry: no such file`);
  });

  it('a directory', async () => {
    const sub = path.join(dir, 'sub.yaml');
    mkdirSync(sub);
    expect((await configError(sub)).message).toBe(`${sub}: cannot read the registry: it is a directory`);
  });

  it('a file over the size cap is refused before it is parsed', async () => {
    const file = path.join(dir, 'huge.yaml');
    writeFileSync(file, `version: 1\n# ${'x'.repeat(MAX_REGISTRY_BYTES)}\n`);
    expect((await configError(file)).message).toMatch(/: file is \d+ bytes, larger than the 1 MiB \(1048576 bytes\) limit$/);
    expect(() => parseCatalogue(`#${'x'.repeat(MAX_REGISTRY_BYTES)}`, 'big.yaml')).toThrow('big.yaml: file is');
  });

  it('a file that is not UTF-8', async () => {
    const file = path.join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.from([0x76, 0x65, 0x72, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect((await configError(file)).message).toBe(`${file}:1: the registry is not valid UTF-8 text (saved as Latin-1 or another legacy encoding?)`);
  });

  it('names the line of the first byte that is not UTF-8 (after valid CJK text)', async () => {
    const file = path.join(dir, 'gbk.yaml');
    const head = Buffer.from('version: 1\nservices:\n  - id: a\n    name: 网关\n', 'utf8');
    writeFileSync(file, Buffer.concat([head, Buffer.from([0x20, 0x20, 0x23, 0x20, 0xcd, 0xf8, 0xb9, 0xd8, 0x0a])]));
    const e = await configError(file);
    expect({ line: e.line, field: e.field }).toEqual({ line: 5, field: null });
    expect(e.message).toMatch(/gbk\.yaml:5: the registry is not valid UTF-8 text/);
  });


  it('deep nesting does not overflow the stack: one line, not a crash', () => {
    const text = `version: 1\nservices: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(() => parseCatalogue(text, 'deep.yaml')).toThrow(ConfigError);
  });
});
