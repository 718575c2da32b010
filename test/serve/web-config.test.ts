import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { parseWebConfig } from '../../src/serve/web-config.js';

/** The exporter toolkit's web config, validated like the registry (the pure part; files are read in the e2e tests). */
const HASH = `$2y$10$${'a'.repeat(53)}`;
const parse = (text: string) => parseWebConfig(text, '/etc/vhtop/web.yml');
const problem = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('parseWebConfig', () => {
  it('reads TLS files relative to the config file and the users', () => {
    const c = parse(`tls_server_config:\n  cert_file: tls/server.crt\n  key_file: /abs/server.key\n  min_version: TLS13\nbasic_auth_users:\n  prometheus: ${HASH}\n  grafana: '${HASH}'\n`);
    expect(c.tls).toMatchObject({ certFile: { path: path.resolve('/etc/vhtop/tls/server.crt'), line: 2 }, keyFile: { path: '/abs/server.key', line: 3 }, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    expect([...c.users.keys()]).toEqual(['prometheus', 'grafana']);
  });

  it('treats an empty file, empty sections and empty file names as plain HTTP without login', () => {
    for (const text of ['', '# nothing\n', 'tls_server_config:\nbasic_auth_users:\n', 'tls_server_config:\n  cert_file: ""\n  key_file: ""\n', 'http_server_config:\n  http2: false\n']) {
      const c = parse(text);
      expect(c.tls).toBeNull();
      expect(c.users.size).toBe(0);
    }
  });

  it.each([
    ['tls_server_confg:\n  cert_file: a\n', '/etc/vhtop/web.yml:1: tls_server_confg: unknown key (did you mean "tls_server_config"?)'],
    ['tls_server_config: yes\n', '/etc/vhtop/web.yml:1: tls_server_config: must be a mapping of keys to values (got "yes")'],
    ['tls_server_config:\n  key_file: k\n', '/etc/vhtop/web.yml:1: tls_server_config.cert_file: is required when key_file is set'],
    ['tls_server_config:\n  cert_file: 12\n  key_file: k\n', '/etc/vhtop/web.yml:2: tls_server_config.cert_file: must be a file name (got 12)'],
    ['tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS1.3\n', '/etc/vhtop/web.yml:4: tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13 (got "TLS1.3")'],
    ['tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS13\n  max_version: TLS12\n', '/etc/vhtop/web.yml:5: tls_server_config.max_version: must not be below min_version'],
    ['tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n', '/etc/vhtop/web.yml:4: tls_server_config.cipher_suites: is not supported by vhtop serve (it supports cert_file, key_file, min_version, max_version)'],
    ['http_server_config:\n  headers:\n    X-Frame-Options: deny\n', '/etc/vhtop/web.yml:2: http_server_config.headers: is not supported by vhtop serve'],
    ['basic_auth_users: [alice]\n', '/etc/vhtop/web.yml:1: basic_auth_users: must be a mapping of user names to bcrypt hashes (got a list)'],
    [`basic_auth_users:\n  alice: ${HASH}\n  alice: ${HASH}\n`, '/etc/vhtop/web.yml:3: basic_auth_users.alice: duplicate user'],
    ['basic_auth_users:\n  alice: $1$md5$notbcrypt\n', '/etc/vhtop/web.yml:2: basic_auth_users.alice: must be a bcrypt hash ($2a$, $2b$ or $2y$, e.g. from `htpasswd -nBC 10 USER`)'],
    ['tls_server_config: {\n', '/etc/vhtop/web.yml:2: YAML syntax error: '],
  ])('refuses %j in one line', (text, expected) => {
    const msg = problem(text);
    expect(msg.startsWith(expected)).toBe(true);
    expect(msg).not.toContain('\n');
  });

  it('never echoes a secret-looking value', () => {
    expect(problem('basic_auth_users:\n  alice: hunter2-plain-password\n')).not.toContain('hunter2');
  });
});
