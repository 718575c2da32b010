/**
 * What a new user sees at the defaults, with real listeners and the built CLI: entries of different
 * profiles on one port are alternatives (one up, never a conflict), an exposed local-only service
 * fails check naming the address, connections count per listening socket, and `why PORT`.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotJson } from '../../src/core/json.js';
import type { PortReport } from '../../src/core/why/why-port.js';

import { assertBuilt, pythonHolder, registry, runCli, stopAll, tempDir, type Holder } from './cli-helpers.js';

let alt: Holder; // python3 on a port claimed by a prod and a dev entry
let dev: Holder; // python3 on a port whose prod entry expects another program
let exposed: Holder; // python3 on 0.0.0.0 and :: for a bind: local entry
let pair: Holder; // python3 on 127.0.0.1 and ::1, one port
let cwd = '';
let cleanup: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  assertBuilt();
  [alt, dev, exposed, pair] = await Promise.all([
    pythonHolder('tcp,0.0.0.0,0'),
    pythonHolder('tcp,127.0.0.1,0'),
    pythonHolder('tcp,0.0.0.0,0', 'tcp,::,same'),
    pythonHolder('tcp,127.0.0.1,0', 'tcp,::1,same'),
  ]);
  const t = await tempDir({
    'registry.yaml': registry([
      { id: 'algo', name: '算法服务', port: alt.ports[0], group: 'app', profiles: ['prod'], process: ['python3', 'uvicorn'] },
      { id: 'algo-dev', name: '算法开发服务器', port: alt.ports[0], group: 'dev', profiles: ['dev'], process: ['uvicorn', 'python3'] },
      { id: 'gateway', name: 'API网关', port: dev.ports[0], group: 'app', profiles: ['prod'], process: ['gateway'] },
      { id: 'gateway-dev', name: '后端开发服务器', port: dev.ports[0], group: 'dev', profiles: ['dev'], process: ['python3'] },
      { id: 'redis', name: 'Redis', port: exposed.ports[0], group: 'data', process: ['python3'], bind: 'local' },
      { id: 'cache', name: 'Cache', port: pair.ports[0], group: 'data', process: ['python3'], bind: 'local' },
    ]),
  });
  cwd = t.dir;
  cleanup = t.cleanup;
});
afterAll(async () => {
  await stopAll();
  await cleanup();
});

describe('profiles at the default: alternatives, not rivals', () => {
  it('list --json: python3 both entries expect makes both up; the dev program makes gateway inactive; no conflict anywhere', async () => {
    const r = await runCli(['list', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as SnapshotJson;
    const status = Object.fromEntries(doc.services.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({ algo: 'up', 'algo-dev': 'up', gateway: 'inactive', 'gateway-dev': 'up' });
    expect(doc.services.find((s) => s.id === 'gateway')).toMatchObject({ pid: dev.pid, usedBy: { service: 'gateway-dev', profiles: ['dev'] } });
    expect(doc.conflicts).toEqual([]);
    expect(r.stdout).not.toContain('"conflict"');
    expect((await runCli(['conflicts'], { cwd })).stdout).toBe('no conflicts\n');
  });

  it('check passes a port when one alternative is up; --only judges an entry alone', async () => {
    const all = await runCli(['check', '--only', 'algo,algo-dev,gateway,gateway-dev'], { cwd });
    expect(all.code, all.stdout).toBe(1); // --only: gateway is judged alone
    expect(all.stdout).toContain('gateway: inactive: port used by gateway-dev, profile dev');
    const alone = await runCli(['check', '--only', 'gateway-dev'], { cwd });
    expect(alone.code, alone.stdout).toBe(0);
    const every = await runCli(['check', '--allow-unverified'], { cwd });
    // Without --only the inactive gateway passes; only the exposed redis fails.
    expect(every.stdout).toMatch(/gateway +API网关 .*inactive/);
    expect(every.stdout).not.toMatch(/^ {2}gateway:/m);
    expect(every.stdout).toContain('1 of 6 not up:');
  });

  it('why gateway does not advise stopping the dev server; it says whose port it is', async () => {
    const r = await runCli(['why', 'gateway'], { cwd });
    expect(r.stdout).toContain(`: INACTIVE`);
    expect(r.stdout).toContain('next: nothing to do: port used by gateway-dev, profile dev');
    expect(r.stdout).not.toMatch(/stop PID|vhtop kill/);
  });
});

describe('exposure fails check', () => {
  it('a bind: local service on 0.0.0.0 and :: fails, naming service and addresses; on loopback it passes', async () => {
    const r = await runCli(['check', '--only', 'redis'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`redis: exposed: bind: local, but listens on 0.0.0.0 and [::] port ${exposed.ports[0]}`);
    expect(r.stdout).toMatch(/EXPOSED: bind local, listens on 0\.0\.0\.0, ::/);
    expect((await runCli(['check', '--only', 'cache'], { cwd })).code).toBe(0);
  });
});

describe('connections per listening socket', () => {
  it('a client of 127.0.0.1 counts on the 127.0.0.1 row only, not on ::1', async () => {
    const port = pair.ports[0] as number;
    const client = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
    try {
      let rows: SnapshotJson['listeners'] = [];
      for (let i = 0; i < 50; i++) {
        const doc = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout) as SnapshotJson;
        rows = doc.listeners.filter((l) => l.port === port);
        if (rows.some((l) => l.connections > 0)) break;
      }
      expect(rows.map((l) => [l.address, l.connections])).toEqual([['127.0.0.1', 1], ['::1', 0]]);
    } finally {
      client.destroy();
    }
  });
});

describe('why PORT', () => {
  it('names the holder (pid, user, command, since), the claims of every profile, how to free it and a port that binds now', async () => {
    for (const arg of [String(alt.ports[0]), `:${alt.ports[0]}`, `tcp/${alt.ports[0]}`]) {
      const r = await runCli(['why', arg, '--json'], { cwd });
      expect(r.code, r.stderr).toBe(1);
      const rep = JSON.parse(r.stdout) as PortReport;
      expect(rep.holders).toEqual([expect.objectContaining({ pid: alt.pid, process: 'python3', user: expect.any(String), since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), verified: true })]);
      expect(rep.claims.map((c) => [c.id, c.status])).toEqual([['algo', 'up'], ['algo-dev', 'up']]);
      expect(rep.free).toContainEqual({ text: `stop python3 (pid ${alt.pid})`, command: `vhtop kill ${alt.ports[0]}` });
      expect(rep.freePort).toBeGreaterThan(alt.ports[0] as number);
    }
    const text = await runCli(['why', String(alt.ports[0])], { cwd });
    expect(text.stdout).toMatch(new RegExp(`pid ${alt.pid} python3, user \\S+, since \\d{4}-`));
    expect(text.stdout).toContain(`to free it:\n  stop python3 (pid ${alt.pid}): vhtop kill ${alt.ports[0]}`);
    expect(text.stdout).toMatch(/a port that binds now: \d+/);
  });

  it('a free UDP port: nothing holds it, exit 0', async () => {
    const r = await runCli(['why', `udp/${alt.ports[0]}`], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`UDP port ${alt.ports[0]}: free (nothing listens)`);
  });
});
