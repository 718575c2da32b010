/**
 * The built CLI against real processes. Needs `npx tsc -p .` first (npm test builds).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupStarted, startListener, stateOf } from '../actions/kill-helpers.js';
import { ROOT, runBuiltCli, type CliRun } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { AS_NOBODY, nobodyCheckout } from '../helpers/nobody-checkout.js';
import { makeProxyTree } from '../helpers/docker-proxy-tree.js';

const isRoot = process.getuid?.() === 0;
const haveSetpriv = ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));

function vhtop(argv: readonly string[], asNobody = false): Promise<CliRun> {
  if (!asNobody) return runBuiltCli(argv, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  if (nobody === null || 'skip' in nobody) throw new Error('no checkout nobody can run');
  return runBuiltCli(argv, { cwd: nobody.root, env: { ...process.env, NO_COLOR: '1' }, wrapper: AS_NOBODY, bin: nobody.bin });
}

afterEach(() => cleanupStarted());

// The runs as nobody need a checkout nobody can read (this one may sit in a 0700 directory).
let nobody: ReturnType<typeof nobodyCheckout> | null = null;
beforeAll(() => {
  if (!isRoot || !haveSetpriv) return;
  nobody = nobodyCheckout();
  if ('skip' in nobody) console.warn(`skipped the runs as nobody: ${nobody.skip}`);
});
afterAll(() => {
  if (nobody !== null && !('skip' in nobody)) nobody.remove();
});
const nobodyReady = (): boolean => nobody !== null && !('skip' in nobody);

describe('vhtop kill, built CLI', () => {
  it.runIf(isRoot && haveSetpriv)('as nobody against a root process: permission denied, uid named, process lives', async (t) => {
    if (!nobodyReady()) return t.skip();
    const l = await startListener('plain');
    const r = await vhtop(['kill', `pid:${l.pid}`, '--yes', '--timeout', '1'], true);
    expect(r.stderr).toContain(`permission denied: pid ${l.pid} (python3) belongs to uid 0 (root); try again with sudo`);
    expect(r.code).toBe(1);
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it.runIf(isRoot && haveSetpriv)('as nobody: a port still held by a process it cannot see is not called free', async (t) => {
    if (!nobodyReady()) return t.skip();
    const mine = await startListener('plain', '/usr/bin/python3', { prefix: AS_NOBODY });
    // root's listener on the same port, another loopback address: nobody cannot read its fds.
    const roots = await startListener('plain', 'python3', { host: '127.0.0.2', port: mine.port });
    const r = await vhtop(['kill', `pid:${mine.pid}`, '--yes', '--timeout', '2'], true);
    expect(r.stdout).toContain(`killed pid ${mine.pid} (python3) with SIGTERM`);
    expect(r.stdout).toContain(`port ${mine.port} is still in use by a process vhtop cannot see (try sudo)`);
    expect(r.code).toBe(0);
    expect(stateOf(mine.pid)).toBeNull();
    expect(stateOf(roots.pid)).not.toBeNull();
  });

  it('without a TTY and without --yes: exit 2, nothing killed', async () => {
    const l = await startListener('plain');
    const r = await vhtop(['kill', `pid:${l.pid}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^vhtop: no terminal to ask for confirmation: add --yes/);
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it('kills a process that ignores TERM with KILL after --timeout', async () => {
    const l = await startListener('ignore-term');
    const r = await vhtop(['kill', `pid:${l.pid}`, '--yes', '--timeout', '1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`killed pid ${l.pid} (python3) with SIGKILL after 1 s; port ${l.port} is free`);
    expect(r.code).toBe(0);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('refuses its own parent chain: the shell that runs it', async () => {
    // execFile's parent is this test process: vhtop must refuse it as an ancestor.
    const r = await vhtop(['kill', `pid:${process.pid}`, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/parent of vhtop|own process group/);
  });

  it('a port target (:PORT and PORT) resolves through the snapshot and is killed', async () => {
    const a = await startListener('plain');
    const b = await startListener('plain');
    const r = await vhtop(['kill', `:${a.port}`, String(b.port), '--yes', '--timeout', '2']);
    // The test process is their parent: a zombie note is honest if it has not reaped them yet.
    const zombie = String.raw`( \(a zombie until parent \d+ reaps it\))?`;
    expect(r.stdout).toMatch(new RegExp(String.raw`:${a.port}: killed pid ${a.pid} \(python3\) with SIGTERM${zombie}; port ${a.port} is free`));
    expect(r.stdout).toMatch(new RegExp(String.raw`\n${b.port}: killed pid ${b.pid} \(python3\) with SIGTERM${zombie}; port ${b.port} is free`));
    expect(r.code).toBe(0);
    expect(stateOf(a.pid)).toBeNull();
    expect(stateOf(b.pid)).toBeNull();
  });

  it('a service id from the registry; --dry-run kills nothing', async () => {
    const l = await startListener('plain');
    const { dir, remove } = tempDir('vhtop-kill-');
    try {
      const registry = path.join(dir, 'registry.yaml');
      writeFileSync(registry, `version: 1\nservices:\n  - { id: web, name: Web, port: ${l.port}, group: app }\n`);
      const dry = await vhtop(['kill', 'web', '--dry-run', '--registry', registry]);
      expect(dry.stdout).toContain(`would send SIGTERM to pid ${l.pid} (python3) user root on port ${l.port}`);
      expect(dry.code).toBe(0);
      expect(stateOf(l.pid)).not.toBeNull();
      const real = await vhtop(['kill', 'web', '--yes', '--registry', registry]);
      expect(real.stdout).toContain(`web: killed pid ${l.pid} (python3)`);
      expect(stateOf(l.pid)).toBeNull();
      const unknown = await vhtop(['kill', 'nosuch', '--yes', '--registry', registry]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('unknown service "nosuch"');
    } finally {
      remove();
    }
  });

  it('a forked server on a port: kills the first holder and names the one that remains (exit 0)', async () => {
    const l = await startListener('fork');
    const r = await vhtop(['kill', String(l.port), '--yes']);
    expect(r.stdout).toContain(`port ${l.port} is still held by pid ${l.second} (another holder remains)`);
    expect(r.stderr).toContain(`to kill it too: vhtop kill pid:${l.second}`);
    expect(stateOf(l.second as number)).not.toBeNull();
  });

  it('a port nobody listens on: exit 1', async () => {
    const l = await startListener('plain');
    const port = l.port;
    process.kill(l.pid, 'SIGKILL');
    await new Promise((r) => l.child.once('exit', r));
    const r = await vhtop(['kill', String(port), '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${port}: nothing listens on port ${port}`);
  });

  it('never kills docker-proxy: offers the logs and the docker compose stop line instead', async () => {
    const { dir, remove } = tempDir('vhtop-proxy-');
    try {
      // The publisher's shape: an executable named docker-proxy whose parent's executable is dockerd.
      const tree = makeProxyTree(dir);
      if ('skip' in tree) return console.warn(`skipped: ${tree.skip}`);
      const l = await startListener('plain', tree.proxy, { prefix: tree.prefix });
      const registry = path.join(dir, 'registry.yaml');
      writeFileSync(registry, `version: 1\nservices:\n  - { id: db, name: DB, port: ${l.port}, group: data, docker: postgres }\n`);
      const r = await vhtop(['kill', 'db', '--yes', '--registry', registry]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`db: not killing docker-proxy (pid ${l.pid}): port ${l.port} is published by a container; see its logs (vhtop logs db) or stop it with: docker compose stop postgres`);
      expect(stateOf(l.pid)).not.toBeNull();
    } finally {
      remove();
    }
  });

  it('an impostor that only names itself docker-proxy is an ordinary process: pid:N kills it', async () => {
    const { dir, remove } = tempDir('vhtop-proxy-');
    try {
      // python run through a symlink named docker-proxy: comm and argv[0] say docker-proxy, the executable does not.
      const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
      symlinkSync(python, path.join(dir, 'docker-proxy'));
      const l = await startListener('plain', path.join(dir, 'docker-proxy'));
      const r = await vhtop(['kill', `pid:${l.pid}`, '--yes', '--timeout', '2']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`killed pid ${l.pid} (docker-proxy) with SIGTERM`);
      expect(r.code).toBe(0);
    } finally {
      remove();
    }
  });

});
