/**
 * `check`, `list` and `conflicts` through the built binary, against real sockets held by real
 * child processes (python3 and node), with temp registries naming those ports.
 */
import { execFileSync } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotJson } from '../../src/core/json.js';
import { cleanupStarted, startListener } from '../actions/kill-helpers.js';
import { makeProxyTree } from '../helpers/docker-proxy-tree.js';
import { assertBuilt, bindable, closedPort, httpHolder, nodeHolder, pythonHolder, pythonHolderAs, startHolder, registry, runCli, stopAll, tempDir } from './cli-helpers.js';

let cleanups: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  await stopAll();
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

async function dirWith(files: Record<string, string>): Promise<string> {
  const t = await tempDir(files);
  cleanups.push(t.cleanup);
  return t.dir;
}

const svc = (id: string, port: number, extra: Record<string, unknown> = {}) => ({ id, name: id, port, group: 'app', ...extra });

describe('service states', () => {
  it('up, conflict and down; check exit codes; --only', async () => {
    const py = await pythonHolder('tcp,0.0.0.0,0', 'tcp,::,same');
    const node = await nodeHolder('0.0.0.0', 0);
    const down = await closedPort();
    const [pyPort] = py.ports as [number];
    const [nodePort] = node.ports as [number];
    const dir = await dirWith({
      'registry.yaml': registry([
        svc('alpha', pyPort, { process: ['python3'] }),
        svc('beta', nodePort, { process: ['python3'], env: 'BETA_PORT' }),
        svc('gamma', down),
      ]),
    });

    const all = await runCli(['check', '--json'], { cwd: dir });
    expect(all.code, all.stderr).toBe(1);
    const doc = JSON.parse(all.stdout) as SnapshotJson;
    const byId = Object.fromEntries(doc.services.map((s) => [s.id, s]));
    expect(byId.alpha).toMatchObject({ status: 'up', pid: py.pid, process: 'python3', port: pyPort });
    expect(byId.beta).toMatchObject({ status: 'conflict', pid: node.pid, process: 'node' });
    expect(byId.gamma).toMatchObject({ status: 'down', pid: null });
    // The IPv4 + IPv6 pair of one process is expected twice, never a conflict.
    const alphaListeners = doc.listeners.filter((l) => l.port === pyPort);
    expect(alphaListeners.map((l) => [l.family, l.status, l.pid]).sort()).toEqual([[4, 'expected', py.pid], [6, 'expected', py.pid]]);

    expect((await runCli(['check', '--only', 'alpha'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['check', '--only', 'alpha,gamma'], { cwd: dir })).code).toBe(1);
    const human = await runCli(['check'], { cwd: dir });
    expect(human.code, human.stderr).toBe(1);
    expect(human.stdout).toMatch(new RegExp(`beta +beta +${nodePort} +tcp +default +conflict +${node.pid} +node`));
    expect(human.stdout).not.toContain('\x1b');

    const bogus = await runCli(['check', '--only', 'alpha,bogus'], { cwd: dir });
    expect(bogus.code, bogus.stderr).toBe(2);
    expect(bogus.stderr.trim().split('\n')).toHaveLength(1);
    expect(bogus.stderr).toContain('"bogus"');
  });

  it('env override through --env file, and the process environment winning over it', async () => {
    const py = await pythonHolder('tcp,127.0.0.1,0');
    const [pyPort] = py.ports as [number];
    const elsewhere = await closedPort();
    const dir = await dirWith({
      'registry.yaml': registry([svc('alpha', elsewhere, { env: 'ALPHA_PORT', process: ['python3'] })]),
      'ports.env': `\ufeffexport ALPHA_PORT="${pyPort}" # moved\r\n`,
      'wrong.env': `ALPHA_PORT=${elsewhere}\n`,
    });
    expect((await runCli(['check'], { cwd: dir })).code).toBe(1);

    const viaFile = await runCli(['check', '--json', '--env', 'ports.env'], { cwd: dir });
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect((JSON.parse(viaFile.stdout) as SnapshotJson).services[0]).toMatchObject({ status: 'up', port: pyPort, defaultPort: elsewhere, portSource: 'env-file' });

    const viaEnv = await runCli(['check', '--json', '--env', 'wrong.env'], { cwd: dir, env: { ALPHA_PORT: String(pyPort) } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect((JSON.parse(viaEnv.stdout) as SnapshotJson).services[0]).toMatchObject({ status: 'up', portSource: 'environment' });
  });

  it('a bind: local service on 0.0.0.0 is exposed; on 127.0.0.1 it is not', async () => {
    const open = await pythonHolder('tcp,0.0.0.0,0');
    const local = await pythonHolder('tcp,127.0.0.1,0');
    const dir = await dirWith({
      'registry.yaml': registry([
        svc('open', open.ports[0] as number, { bind: 'local' }),
        svc('local', local.ports[0] as number, { bind: 'local' }),
      ]),
    });
    const out = await runCli(['list', '--json'], { cwd: dir });
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as SnapshotJson;
    expect(doc.listeners.find((l) => l.pid === open.pid)).toMatchObject({ service: 'open', status: 'expected', exposed: true });
    expect(doc.listeners.find((l) => l.pid === local.pid)).toMatchObject({ service: 'local', exposed: false });
    const human = await runCli(['list'], { cwd: dir });
    expect(human.stdout).toMatch(new RegExp(`${open.ports[0]} +${open.pid} +python3 .*open +expected .*EXPOSED`));
  });
});

describe('hostile text', () => {
  it('a process that names itself with escape sequences and bidi overrides reaches the table cleaned', async () => {
    const script = [
      'import json, socket, sys',
      "open('/proc/self/comm', 'w').write('ev\\x1b[2J\\u202eil')",
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()",
      'print(json.dumps([s.getsockname()[1]]), flush=True)',
      'sys.stdin.read()',
    ].join('\n');
    const h = await startHolder('python3', ['-c', script, '\x1b]0;title\x07arg']);
    const dir = await dirWith({ 'registry.yaml': registry([svc('x', await closedPort())]) });
    const out = await runCli(['list'], { cwd: dir, env: { COLUMNS: '400' } });
    const row = out.stdout.split('\n').find((l) => l.includes(` ${h.ports[0]} `)) ?? '';
    expect(row).toContain(String(h.pid));
    expect(row).toMatch(/ev.*il/);
    expect(row).toContain('\ufffd'); // tampering stays visible
    expect(row).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);

    // --json is data, but it lands on terminals too (`vhtop list --json | less -R`, `jq -r .process`):
    // names and command lines are cleaned at the probe, so the document holds the same cleaned text.
    // JSON.stringify would escape C0 but not C1 or bidi controls; the document has none of either.
    const json = await runCli(['list', '--json'], { cwd: dir });
    const mine = (JSON.parse(json.stdout) as SnapshotJson).listeners.find((l) => l.pid === h.pid);
    expect(mine?.process).toMatch(/^ev.*il$/);
    expect(mine?.process).toContain('\ufffd');
    expect(mine?.command).toContain('arg');
    for (const text of [mine?.process ?? '', mine?.command ?? '', json.stdout]) {
      expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
      expect(text).not.toMatch(/\\u00(?:1b|07)/i);
    }
  });
});

describe('docker-proxy', () => {
  afterEach(() => cleanupStarted());

  it('a verified docker-proxy owner is labelled and matched to the entry with docker: on its port', async () => {
    const dir = await dirWith({});
    // The publisher's shape: an executable named docker-proxy whose parent's executable is dockerd.
    const tree = makeProxyTree(dir);
    if ('skip' in tree) return console.warn(`skipped: ${tree.skip}`);
    const proxy = await startListener('plain', tree.proxy, { prefix: tree.prefix, host: '0.0.0.0' });
    const port = proxy.port;
    await writeFile(
      path.join(dir, 'registry.yaml'),
      registry([svc('pg', port, { process: ['postgres'], docker: 'postgres' }), svc('plain', await closedPort(), { process: ['x'] })]),
    );
    // No engine to ask (a stand-in publishes no container): what is tested here is the recognition by
    // executable and parent; the cross-check with a real engine's published ports is tested with Docker.
    const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const out = await runCli(['check', '--json', '--only', 'pg'], { cwd: dir, env: noEngine });
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as SnapshotJson;
    expect(doc.listeners.find((l) => l.pid === proxy.pid)).toMatchObject({ process: 'docker-proxy', dockerProxy: true, service: 'pg', status: 'expected' });
    expect(doc.services[0]).toMatchObject({ id: 'pg', status: 'up', pid: proxy.pid, process: 'docker-proxy' });
    // The same owner on an entry without docker: is a conflict.
    await writeFile(path.join(dir, 'registry.yaml'), registry([svc('plain', port, { process: ['postgres'] })]));
    expect((await runCli(['check'], { cwd: dir })).code).toBe(1);
  });

  it('an impostor that only names itself docker-proxy is an ordinary process: no docker label, no docker match', async () => {
    const dir = await dirWith({});
    // comm and argv[0] say docker-proxy (python3 through a symlink of that name); the executable does not.
    const python = execFileSync('python3', ['-c', 'import sys,os; print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).trim();
    await symlink(python, path.join(dir, 'docker-proxy'));
    const impostor = await pythonHolderAs(path.join(dir, 'docker-proxy'), 'tcp,0.0.0.0,0');
    const [port] = impostor.ports as [number];
    await writeFile(path.join(dir, 'registry.yaml'), registry([svc('pg', port, { process: ['postgres'], docker: 'postgres' })]));
    const out = await runCli(['check', '--json', '--only', 'pg'], { cwd: dir });
    expect(out.code).toBe(1);
    const doc = JSON.parse(out.stdout) as SnapshotJson;
    expect(doc.listeners.find((l) => l.pid === impostor.pid)).toMatchObject({ process: 'docker-proxy', dockerProxy: false });
    expect(doc.services[0]).toMatchObject({ id: 'pg', status: 'conflict' });
  });
});

describe('check --health', () => {
  it('exit 0 only when every selected service is up and its probe passes', async () => {
    const good = await httpHolder(200);
    const bad = await httpHolder(500);
    const dir = await dirWith({
      'registry.yaml': registry([
        svc('good', good.ports[0] as number, { health: { http: '/health' } }),
        svc('bad', bad.ports[0] as number, { health: { http: '/health' } }),
      ]),
    });
    expect((await runCli(['check'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['check', '--health', '--only', 'good'], { cwd: dir })).code).toBe(0);
    const both = await runCli(['check', '--health', '--json'], { cwd: dir });
    expect(both.code, both.stderr).toBe(1);
    const byId = Object.fromEntries((JSON.parse(both.stdout) as SnapshotJson).services.map((s) => [s.id, s]));
    expect(byId.good?.health).toMatchObject({ ok: true });
    expect(byId.bad?.health).toMatchObject({ ok: false });
    expect(byId.bad?.health?.detail).toContain('500');
    const human = await runCli(['check', '--health'], { cwd: dir, env: { COLUMNS: '200' } });
    expect(human.stdout).toMatch(/bad .* up .* FAIL .*500/);
    expect(human.stdout).toMatch(/good .* up .* ok /);
  });
});

describe('conflicts', () => {
  it('a catalogue port held by another program: exit 1, fix names the env var and a port that binds', async () => {
    const node = await nodeHolder('0.0.0.0', 0);
    const [port] = node.ports as [number];
    const dir = await dirWith({ 'registry.yaml': registry([svc('gw', port, { env: 'GW_PORT', process: ['gateway'] })]) });
    const out = await runCli(['conflicts', '--json'], { cwd: dir });
    expect(out.code, out.stderr).toBe(1);
    const [c] = (JSON.parse(out.stdout) as SnapshotJson).conflicts;
    expect(c).toMatchObject({ port, kind: 'wrong-owner', live: true, services: ['gw'], holder: { pid: node.pid, process: 'node' } });
    const m = /^set GW_PORT=(\d+), or stop PID (\d+) \(node\)$/.exec(c?.fix ?? '');
    expect(m?.[2]).toBe(String(node.pid));
    const fixPort = Number(m?.[1]);
    expect(fixPort).toBeGreaterThan(port);
    expect(await bindable(fixPort)).toBe(true);

    const human = await runCli(['conflicts'], { cwd: dir, env: { COLUMNS: '200' } });
    expect(human.code, human.stderr).toBe(1);
    expect(human.stdout).toContain(`set GW_PORT=`);
    expect(human.stdout).toMatch(new RegExp(`${port} +tcp +wrong-owner +live +gw +${node.pid} node`));
  });

  it('the proposed port skips a port another process holds right above the default', async () => {
    let port = await closedPort();
    while (!(await bindable(port + 1))) port = await closedPort();
    const node = await nodeHolder('0.0.0.0', port);
    const blocker = await pythonHolder(`tcp,0.0.0.0,${port + 1}`);
    expect(blocker.ports).toEqual([port + 1]);
    const dir = await dirWith({ 'registry.yaml': registry([svc('gw', port, { env: 'GW_PORT', process: ['gateway'] })]) });
    const out = await runCli(['conflicts', '--json'], { cwd: dir });
    expect(out.code, out.stderr).toBe(1);
    const c = (JSON.parse(out.stdout) as SnapshotJson).conflicts[0];
    expect(c?.holder?.pid).toBe(node.pid);
    const proposed = Number(/GW_PORT=(\d+)/.exec(c?.fix ?? '')?.[1]);
    expect(proposed).toBeGreaterThan(port + 1);
    expect(await bindable(proposed)).toBe(true);
  });

  it('wildcard and loopback of one unexpected port by different programs: live conflict, services []', async () => {
    // Linux lets the IPv6 wildcard (v6-only) join an existing IPv4 loopback bind, not the reverse.
    const node = await nodeHolder('127.0.0.1', 0);
    const [port] = node.ports as [number];
    const py = await pythonHolder(`tcp,::,${port}`);
    const dir = await dirWith({ 'registry.yaml': registry([svc('other', await closedPort())]) });
    const out = await runCli(['conflicts', '--json'], { cwd: dir });
    expect(out.code, out.stderr).toBe(1);
    const c = (JSON.parse(out.stdout) as SnapshotJson).conflicts.find((x) => x.port === port);
    expect(c).toMatchObject({ services: [], live: true, holder: { pid: node.pid, process: 'node' } });
    expect(c?.fix).toContain(`PID ${py.pid} (python3)`);
  });

  it('0.0.0.0 and 127.0.0.1 of one port (SO_REUSEPORT): a conflict between two programs, none within one', async () => {
    const dir = await dirWith({});
    const python = execFileSync('python3', ['-c', 'import sys,os; print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).trim();
    await symlink(python, path.join(dir, 'otherprog')); // another program name (comm) for the same interpreter
    const reuse = [
      'import json, socket, sys',
      's = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)',
      's.bind((sys.argv[1], int(sys.argv[2]))); s.listen()',
      'print(json.dumps([s.getsockname()[1]]), flush=True)',
      'sys.stdin.read()',
    ].join('\n');
    const loop = await startHolder('python3', ['-c', reuse, '127.0.0.1', '0']);
    const [port] = loop.ports as [number];
    const wild = await startHolder(path.join(dir, 'otherprog'), ['-c', reuse, '0.0.0.0', String(port)]);
    const same = await startHolder('python3', ['-c', reuse, '127.0.0.1', '0']);
    const [samePort] = same.ports as [number];
    const sameWild = await startHolder('python3', ['-c', reuse, '0.0.0.0', String(samePort)]);
    await writeFile(path.join(dir, 'registry.yaml'), registry([svc('other', await closedPort())]));

    const out = await runCli(['conflicts', '--json'], { cwd: dir });
    expect(out.code, out.stderr).toBe(1);
    const doc = JSON.parse(out.stdout) as SnapshotJson;
    const c = doc.conflicts.find((x) => x.port === port);
    expect(c).toMatchObject({ services: [], live: true });
    expect(c?.holders?.map((h) => h.pid).sort()).toEqual([loop.pid, wild.pid].sort());
    expect(c?.fix).toMatch(new RegExp(`PID ${loop.pid} \\(python3\\)`));
    expect(c?.fix).toMatch(new RegExp(`PID ${wild.pid} \\(otherprog\\)`));
    // One program on both addresses (forked workers do this): not a conflict.
    expect(doc.conflicts.find((x) => x.port === samePort)).toBeUndefined();
    const statuses = doc.listeners.filter((l) => l.port === samePort).map((l) => [l.pid, l.status]);
    expect(statuses.sort()).toEqual([[same.pid, 'unexpected'], [sameWild.pid, 'unexpected']].sort());
    expect(doc.listeners.filter((l) => l.port === port).map((l) => l.status)).toEqual(['conflict', 'conflict']);
  });

  it('no conflict: exit 0', async () => {
    const py = await pythonHolder('tcp,0.0.0.0,0');
    const dir = await dirWith({ 'registry.yaml': registry([svc('alpha', py.ports[0] as number, { process: ['python3'] })]) });
    const out = await runCli(['conflicts'], { cwd: dir });
    expect(out).toMatchObject({ code: 0, stdout: 'no conflicts\n' });
  });
});
