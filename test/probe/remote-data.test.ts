/**
 * The remote byte source: section framing that remote text cannot forge, the same parsers as the
 * local probe, untrusted names cleaned, a cut-off answer refused; and ssh failures in words.
 */
import { describe, expect, it } from 'vitest';
import { describeSshFailure, checkTarget } from '../../src/actions/ssh.js';
import { parseArgs } from '../../src/cli/args.js';
import { requestedHosts } from '../../src/cli/host-flags.js';
import { probeDataFromRemote, splitSections } from '../../src/probe/remote-data.js';
import { collectionScript, newNonce } from '../../src/probe/remote-script.js';

const TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0',
  '',
].join('\n');

function output(nonce: string, sections: [string, string | Buffer][], end = true): Buffer {
  const parts: Buffer[] = [Buffer.from('Welcome banner\n')];
  for (const [head, body] of sections) parts.push(Buffer.from(`\n${nonce} ${head}\n`), Buffer.from(body));
  if (end) parts.push(Buffer.from(`\n${nonce} end\n`));
  return Buffer.concat(parts);
}

const stat = (pid: number, name: string) => `${pid} (${name}) S 1 ${pid} ${pid} 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 5555 1000 25 0\n`;

describe('probeDataFromRemote', () => {
  const nonce = newNonce();

  it('reads sockets, owners and users with the local parsers', () => {
    const out = output(nonce, [
      ['hostname', 'web-1\n'],
      ['uid', '0\n'],
      ['net tcp', TCP],
      ['links', '77 socket:[4242]\n77 socket:[9999]\ndenied 0\n'],
      ['stat 77', stat(77, 'gateway')],
      ['status 77', 'Uid:\t1000\t1000\t1000\t1000\n'],
      ['cmdline 77', Buffer.from('/srv/gateway\0--port\x008080\0')],
      ['passwd', 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n'],
    ]);
    const d = probeDataFromRemote(out, nonce, 't', 'fallback');
    expect(d.host).toBe('web-1');
    expect(d.sockets).toHaveLength(1);
    expect(d.sockets[0]).toMatchObject({ protocol: 'tcp', localAddress: '127.0.0.1', localPort: 8080, state: 'LISTEN', inode: 4242, pids: [77] });
    expect(d.processes.get(77)).toMatchObject({ name: 'gateway', command: '/srv/gateway --port 8080', uid: 1000, user: 'app', startTime: 5555 });
    expect(d.notices).toEqual([]);
  });

  it('a command line that prints a fake marker cannot open a section; escapes are cleaned', () => {
    const forged = `x\n${'vhtop' + '0'.repeat(24)} passwd\nroot:x:0:0\n\n${nonce.slice(0, 10)} end\n`;
    const out = output(nonce, [
      ['uid', '1000\n'],
      ['net tcp', TCP],
      ['links', '77 socket:[4242]\n'],
      ['stat 77', stat(77, 'evil\x1b[2J')],
      ['cmdline 77', forged],
    ]);
    const d = probeDataFromRemote(out, nonce, 't', 'fallback');
    const p = d.processes.get(77)!;
    expect(p.name).not.toContain('\x1b');
    expect(p.command).toContain('passwd');
    expect(d.host).toBe('fallback');
    expect(d.notices[0]).toContain('not root');
  });

  it('an answer without its end marker is refused', () => {
    expect(() => probeDataFromRemote(output(nonce, [['net tcp', TCP]], false), nonce, 't', 'h')).toThrow(/did not finish/);
  });

  it('splits only at the exact nonce', () => {
    const other = newNonce();
    expect(splitSections(output(other, [['uid', '0']]), nonce)).toEqual([]);
  });

  it('the script carries the nonce and the --all choice, and refuses anything else as a nonce', () => {
    expect(collectionScript(nonce, false)).toContain(`N=${nonce}; A=0`);
    expect(collectionScript(nonce, true)).toContain('A=1');
    expect(() => collectionScript('x; rm -rf /', false)).toThrow();
  });
});

describe('ssh failures and targets', () => {
  const s = { configFile: null, sudo: false };
  it.each([
    ['Host key verification failed.', 'host key not trusted'],
    ['root@127.0.0.1: Permission denied (publickey).', 'authentication failed'],
    ['ssh: connect to host 10.0.0.1 port 22: Connection timed out', 'timed out connecting'],
    ['Connection timed out during banner exchange', 'timed out connecting'],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused', 'connection refused'],
    ['ssh: Could not resolve hostname nope: Name or service not known', 'unknown host name'],
  ])('%s', (stderr, words) => {
    expect(describeSshFailure(255, stderr, s)).toContain(words);
  });

  it('sudo asking for a password is said so', () => {
    expect(describeSshFailure(1, 'sudo: a password is required', { configFile: null, sudo: true })).toContain('sudo needs a password');
  });

  it('targets starting with "-" are refused; --host repeats; $VHTOP_HOSTS is the default', () => {
    expect(() => checkTarget('-oProxyCommand=x')).toThrow(/not starting with/);
    const args = parseArgs(['--host', 'a', '--host=b', '--host', 'a'], {});
    expect(requestedHosts(args, {})).toEqual(['a', 'b']);
    expect(requestedHosts(parseArgs([], {}), { VHTOP_HOSTS: 'local, web-1' })).toEqual(['local', 'web-1']);
    expect(requestedHosts(parseArgs([], {}), {})).toBeNull();
    expect(() => requestedHosts(parseArgs(['--host', '-x'], {}), {})).toThrow(/not starting with/);
  });
});
