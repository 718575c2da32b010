/**
 * `vhtop logs --host` against a real sshd on 127.0.0.1 (the loopback sshd is this machine): a
 * registry entry without `docker:` whose process writes its stdout to a regular file is read there
 * with `tail` through the ssh connection, its escape sequences cleaned, and followed; a process whose output goes
 * to a pipe has no log source and the command says what it tried there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOutputProbe } from '../../src/actions/remote-logs.js';
import { assertBuilt, pythonHolder, registry, ROOT, runCli, stopAll, tempDir, type Holder } from './cli-helpers.js';
import { sshdMissing, startSshd, type TestSshd } from '../helpers/sshd.js';
import { pollUntil, waitFor } from '../helpers/poll.js';

const missing = sshdMissing();
if (missing) console.warn(`skipping the logs --host test: ${missing}`);

/** Listens on a port (printed on stderr), writes numbered lines (one with a colour escape) to stdout, waits for stdin's end. */
const WRITER = `
import json, socket, sys
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
for i in range(1, 11):
    print('line %d' % i + (' \\x1b[31mred\\x1b[0m \\x1b]0;title\\x07' if i == 9 else ''), flush=True)
print(json.dumps([s.getsockname()[1]]), file=sys.stderr, flush=True)
sys.stdin.read()
`;

describe('remote log source parsing', () => {
  it('a unit wins over the file; a file path with shell characters is not sent; pipes are named', () => {
    expect(parseOutputProbe('0::/system.slice/web.service\n@@vhtop-fd\n1 file /var/log/web.log\n')).toEqual({ unit: 'web.service', output: { path: '/var/log/web.log' } });
    expect(parseOutputProbe('0::/\n@@vhtop-fd\n1 other pipe:[123]\n2 file /srv/app.log\n').output).toEqual({ path: '/srv/app.log' });
    const odd = parseOutputProbe('0::/\n@@vhtop-fd\n1 file /tmp/a b;rm -rf x\n2 unreadable\n');
    expect(odd.output).toMatchObject({ why: expect.stringMatching(/fd 1 is .*characters vhtop does not send.*fd 2 cannot be read/) as string });
  });
});

describe.skipIf(missing !== null)('logs --host over a real sshd', () => {
  let sshd: TestSshd;
  let work: { dir: string; cleanup: () => Promise<void> };
  let writer: ChildProcess;
  let writerPort = 0;
  let piped: Holder;
  let logFile = '';
  const cli = (args: string[]) => runCli([...args, '--ssh-config', sshd.config], { cwd: work.dir, env: { TMPDIR: sshd.dir } });

  beforeAll(async () => {
    assertBuilt();
    sshd = await startSshd();
    work = await tempDir();
    logFile = path.join(work.dir, 'writer.log');
    const fd = openSync(logFile, 'w');
    writer = spawn('python3', ['-c', WRITER], { stdio: ['pipe', fd, 'pipe'] });
    closeSync(fd);
    let err = '';
    writer.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    await pollUntil(() => err.includes(']') || writer.exitCode !== null, 30_000);
    writerPort = (JSON.parse(err.trim().split('\n')[0] ?? '[0]') as number[])[0] ?? 0;
    expect(writerPort).toBeGreaterThan(0);
    piped = await pythonHolder('tcp,127.0.0.1,0');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      path.join(work.dir, 'registry.yaml'),
      registry([
        { id: 'writer', name: 'Writer', port: writerPort, group: 'app' },
        { id: 'piped', name: 'Piped', port: piped.ports[0], group: 'app' },
      ]),
    );
  }, 60_000);

  afterAll(async () => {
    writer?.stdin?.end();
    if (writer && writer.exitCode === null) writer.kill('SIGKILL');
    await stopAll();
    await sshd?.stop();
    await work?.cleanup();
  });

  it('reads the file behind the remote process stdout with tail over ssh, cleaned', async () => {
    const r = await cli(['logs', 'writer', '--host', 'box', '--no-follow', '--tail', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('line 8');
    expect(lines[1]).toMatch(/^line 9 red/);
    expect(lines[2]).toBe('line 10');
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).not.toContain('\x07');
  }, 120_000);

  it('follows the remote file: a line written after the start arrives; Ctrl-C (SIGINT) ends it', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'vhtop.js'), 'logs', 'writer', '--host', 'box', '--tail', '1', '--ssh-config', sshd.config], {
      cwd: work.dir,
      env: { ...process.env, TMPDIR: sshd.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let ended = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.includes('line 10'), 60_000);
      appendFileSync(logFile, 'line 11 appended\n');
      await waitFor(() => out.includes('line 11 appended'), 60_000);
      expect(out).not.toContain('line 9');
    } finally {
      child.kill('SIGINT');
      ended = await pollUntil(() => child.exitCode !== null || child.signalCode !== null, 30_000);
      if (!ended) child.kill('SIGKILL');
    }
    expect(ended).toBe(true);
    expect(child.exitCode).toBe(0);
  }, 120_000);

  it('a remote process writing to a pipe has no log source: it says what it tried there', async () => {
    const r = await cli(['logs', 'piped', '--host', 'box', '--no-follow']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no log source for piped on box; tried docker compose: .*journald: pid \d+ is not in a systemd system unit; its stdout\/stderr: fd 1 is (pipe|socket):\[\d+\], not a regular file/);
  }, 120_000);
});
