/**
 * `--probe portable` (systeminformation + ps-list, the macOS / Windows path) end to end through the
 * built CLI, against real listeners: the same commands, exit codes and JSON as the /proc probe.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotJson } from '../../src/core/json.js';
import { assertBuilt, closedPort, nodeHolder, pythonHolder, registry, runCli, startHolder, stopAll, tempDir, type Holder } from './cli-helpers.js';

let py: Holder;
let node: Holder;
let down = 0;
let cwd = '';
let cleanup: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  assertBuilt();
  py = await pythonHolder('tcp,127.0.0.1,0');
  node = await nodeHolder('0.0.0.0', 0);
  down = await closedPort();
  const t = await tempDir({
    'registry.yaml': registry([
      { id: 'alpha', name: 'alpha', port: py.ports[0], group: 'app' },
      { id: 'gw', name: 'gw', port: node.ports[0], group: 'app', env: 'GW_PORT', process: ['gateway'] },
      { id: 'gone', name: 'gone', port: down, group: 'app' },
    ]),
  });
  cwd = t.dir;
  cleanup = t.cleanup;
});
afterAll(async () => {
  await stopAll();
  await cleanup();
});

describe('--probe portable', () => {
  it('list --json: the probe says so, and our listeners carry their owners', async () => {
    const r = await runCli(['list', '--json', '--probe', 'portable'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as SnapshotJson;
    expect(doc.probe).toBe('portable');
    expect(doc.notices.some((n) => n.startsWith('portable probe'))).toBe(true);
    expect(doc.listeners.find((l) => l.port === py.ports[0] && l.pid === py.pid)).toMatchObject({
      protocol: 'tcp', family: 4, address: '127.0.0.1', state: 'LISTEN', service: 'alpha', status: 'expected',
    });
    expect(doc.listeners.find((l) => l.port === node.ports[0] && l.pid === node.pid)).toMatchObject({ service: 'gw', status: 'conflict', process: 'node' });
  });

  it('check: exit 0 for an up service, 1 with a down or wrongly held one', async () => {
    expect((await runCli(['check', '--probe', 'portable', '--only', 'alpha'], { cwd })).code).toBe(0);
    const gone = await runCli(['check', '--probe', 'portable', '--only', 'alpha,gone'], { cwd });
    expect(gone.code, gone.stderr).toBe(1);
    expect(gone.stdout).toMatch(new RegExp(`gone +gone +${down} +tcp +default +down`));
    expect((await runCli(['check', '--probe', 'portable', '--only', 'gw'], { cwd })).code).toBe(1);
  });

  it('conflicts: the wrongly held port, with its holder and a fix', async () => {
    const r = await runCli(['conflicts', '--json', '--probe', 'portable'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    const c = (JSON.parse(r.stdout) as SnapshotJson).conflicts.find((x) => x.port === node.ports[0]);
    expect(c).toMatchObject({ kind: 'wrong-owner', live: true, services: ['gw'], holder: { pid: node.pid, process: 'node' } });
    expect(c?.fix).toMatch(/^set GW_PORT=\d+, or stop PID \d+ \(node\)$/);
  });
});

// Last in this file (tests of one file run in order): while the decoy lives, every attribution of
// the portable probe is unconfirmed, which the cases above must not see.
describe('--probe portable with a process that names itself like netstat text', () => {
  it('attributions are unverified, check fails, kill refuses', async () => {
    // The interpreter itself, not a wrapper script (pyenv's shim would exec it again and drop argv[0]).
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const decoy = await startHolder('bash', ['-c', `exec -a 'x ${py.pid}/LISTEN' "$0" -c "import sys; print('[]', flush=True); sys.stdin.read()"`, python]);
    try {
      const r = await runCli(['list', '--json', '--probe', 'portable'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as SnapshotJson;
      expect(doc.notices.some((n) => n.includes(`pid ${decoy.pid} names itself with netstat-like text`))).toBe(true);
      expect(doc.listeners.find((l) => l.port === py.ports[0] && l.pid === py.pid)).toMatchObject({ service: 'alpha', status: 'unverified', verified: false });
      expect(doc.services.find((s) => s.id === 'alpha')).toMatchObject({ status: 'unverified' });
      expect((await runCli(['check', '--probe', 'portable', '--only', 'alpha'], { cwd })).code).toBe(1);
      const kill = await runCli(['kill', String(py.ports[0]), '--yes', '--probe', 'portable'], { cwd });
      expect(kill.code).toBe(1);
      expect(kill.stdout + kill.stderr).toContain('the owner is unverified');
      expect(py.child.exitCode).toBeNull();
      expect(process.kill(py.pid, 0)).toBe(true);
    } finally {
      decoy.child.kill('SIGKILL');
    }
  });
});
