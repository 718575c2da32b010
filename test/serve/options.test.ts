import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { DEFAULT_PORT, parseListen, serveOptions, SERVE_FLAGS } from '../../src/serve/options.js';
import { BasicAuth, basicCredentials } from '../../src/serve/basic-auth.js';
import { hashSync } from 'bcryptjs';

const opts = (...argv: string[]) => serveOptions(parseArgs(argv, SERVE_FLAGS));

describe('serve flags', () => {
  it('defaults to loopback, the exporter port, 5 s, no health, no details', () => {
    expect(opts()).toEqual({ listen: { host: '127.0.0.1', port: DEFAULT_PORT }, intervalMs: 5000, health: false, webConfigFile: null, unexpectedDetails: 0 });
  });

  it('reads every flag', () => {
    expect(opts('--listen', '0.0.0.0:9999', '--interval', '2.5', '--health', '--web.config.file', 'web.yml', '--unexpected-details', '20')).toEqual({
      listen: { host: '0.0.0.0', port: 9999 },
      intervalMs: 2500,
      health: true,
      webConfigFile: 'web.yml',
      unexpectedDetails: 20,
    });
  });

  it('parses IPv4, bracketed IPv6 and every-address forms', () => {
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('[::1]:9736')).toEqual({ host: '::1', port: 9736 });
    expect(parseListen(':9736')).toEqual({ host: '', port: 9736 });
  });

  it.each(['localhost:80', '::1:9736', '[127.0.0.1]:1', '1.2.3.4', '1.2.3.4:65536', '999.1.1.1:80', '1.2.3.4:80\u001b[31m'])('refuses --listen %j in one line', (v) => {
    expect(() => parseListen(v)).toThrow(/^option --listen ".*": .*\(write ADDR:PORT/);
    expect(() => parseListen(v)).not.toThrow(/\u001b/);
  });

  it('refuses an interval out of range, too many details and arguments', () => {
    expect(() => opts('--interval', '0.01')).toThrow(/--interval must be from 0.1 to 86400/);
    expect(() => opts('--unexpected-details', '100000')).toThrow(/at most 10000/);
    expect(() => opts('now')).toThrow(/serve takes no arguments/);
  });
});

describe('basic auth', () => {
  const hash = hashSync('pw', 4);

  it('reads the Authorization header', () => {
    const h = `Basic ${Buffer.from('alice:pa:ss').toString('base64')}`;
    expect(basicCredentials(h)).toEqual({ user: 'alice', password: 'pa:ss' });
    expect(basicCredentials(undefined)).toBeNull();
    expect(basicCredentials('Bearer x')).toBeNull();
    expect(basicCredentials(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeNull();
  });

  it('lets the right pair in (again from its memory), never a wrong one or an unknown user', async () => {
    const auth = new BasicAuth(new Map([['alice', hash]]));
    const header = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    expect(await auth.allows(header('alice', 'pw'))).toBe(true);
    expect(await auth.allows(header('alice', 'pw'))).toBe(true);
    expect(await auth.allows(header('alice', 'PW'))).toBe(false);
    expect(await auth.allows(header('bob', 'pw'))).toBe(false);
    expect(await auth.allows(undefined)).toBe(false);
    expect(await new BasicAuth(new Map()).allows(undefined)).toBe(true);
  });
});
