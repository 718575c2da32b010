/**
 * `--probe portable` (systeminformation + ps-list, the macOS / Windows path) end to end through the
 * built CLI, against real listeners: the same commands, exit codes and JSON as the /proc probe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotJson } from '../../src/core/json.js';
import { assertBuilt, closedPort, nodeHolder, pythonHolder, registry, runCli, stopAll, tempDir, type Holder } from './cli-helpers.js';

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
