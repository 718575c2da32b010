/**
 * `vhtop logs` for a service that is not run under docker: the regular file the process's stdout and
 * stderr point to, read and followed; otherwise a message naming every source tried. Real processes,
 * real files, the built CLI, a PATH without docker.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/poll.js';
import { assertBuilt, closedPort, pythonHolder, registry, ROOT, runCli, stopAll, tempDir } from './cli-helpers.js';

const BIN = path.join(ROOT, 'bin', 'vhtop.js');
// coreutils (tail) but no docker: the sources are what the test says they are.
const ENV = { PATH: '/usr/bin:/bin', NO_COLOR: '1' };

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  assertBuilt();
  const t = await tempDir();
  dir = t.dir;
  cleanup = t.cleanup;
});
afterEach(async () => stopAll());
afterAll(async () => cleanup());

const PY = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()
print('server started on', sys.argv[1], flush=True)
print('a warning on stderr', file=sys.stderr, flush=True)
sys.stdin.read()
`;

/** A python3 server on `port` whose stdout and stderr go to `file` (as `server >> file 2>&1` would). */
async function serverLoggingTo(file: string, port: number): Promise<void> {
  const fd = openSync(file, 'a');
  const child = spawn('python3', ['-c', PY, String(port)], { stdio: ['pipe', fd, fd] });
  closeSync(fd);
  afterEachKill.push(() => child.kill('SIGKILL'));
  // Listening and logged: the file holds the start line.
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('a warning on stderr'), 30_000);
}
const afterEachKill: (() => void)[] = [];
afterEach(() => {
  for (const k of afterEachKill.splice(0)) k();
});

describe('vhtop logs without docker', () => {
  it('reads the regular file behind the process\'s stdout/stderr (--no-follow), and never mentions compose', async () => {
    const port = await closedPort();
    const log = path.join(dir, `app-${port}.log`);
    await serverLoggingTo(log, port);
    const reg = path.join(dir, `r-${port}.yaml`);
    writeFileSync(reg, registry([{ id: 'app', name: 'App', port, group: 'app', process: ['python3'] }]));
    const r = await runCli(['logs', 'app', '--registry', reg, '--no-follow', '--tail', '5'], { cwd: dir, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`server started on ${port}`);
    expect(r.stdout).toContain('a warning on stderr');
    expect(r.stderr).not.toMatch(/compose/i);
  });

  it('follows the file like tail -f', async () => {
    const port = await closedPort();
    const log = path.join(dir, `follow-${port}.log`);
    await serverLoggingTo(log, port);
    const reg = path.join(dir, `f-${port}.yaml`);
    writeFileSync(reg, registry([{ id: 'app', name: 'App', port, group: 'app', process: ['python3'] }]));
    const child = spawn(process.execPath, [BIN, 'logs', 'app', '--registry', reg, '--tail', '1'], { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    try {
      await waitFor(() => out.includes('a warning on stderr'), 30_000);
      appendFileSync(log, 'a line written later\n');
      await waitFor(() => out.includes('a line written later'), 30_000);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('with no provable source, says which sources it tried; why does not warn about a compose file', async () => {
    // The holder's stdout is a pipe (node makes it a socket pair): not a file to read.
    const held = await pythonHolder('tcp,127.0.0.1,0');
    const port = held.ports[0] as number;
    const reg = path.join(dir, `n-${port}.yaml`);
    writeFileSync(reg, registry([{ id: 'app', name: 'App', port, group: 'app', process: ['python3'] }]));
    const r = await runCli(['logs', 'app', '--registry', reg, '--no-follow'], { cwd: dir, env: ENV });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('vhtop: no log source for app; tried docker compose: no docker: name in the registry; journald: pid');
    expect(r.stderr).toMatch(/its stdout\/stderr: fd 1 is (pipe|socket):\[\d+\]/);
    const why = await runCli(['why', 'app', '--registry', reg], { cwd: dir, env: ENV });
    expect(why.stdout + why.stderr).not.toMatch(/compose/i);
  });
});
