/**
 * The snapshot commands run by a user who cannot see the owners (uid nobody via setpriv, as an
 * ordinary developer runs vhtop on a shared server): root's sockets stay in the list with pid null
 * and a reason, a catalogue port held by an unseen owner counts as up, a notice says why, nothing crashes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotJson } from '../../src/core/json.js';
import { assertBuilt, pythonHolder, registry, ROOT, stopAll, tempDir, type Holder } from './cli-helpers.js';

const isRoot = process.getuid?.() === 0;
const haveSetpriv = ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

let held: Holder;
let cwd = '';
let cleanup: () => Promise<void> = async () => undefined;

/** `vhtop ...args` as uid 65534; exit code, stdout and stderr. */
function asNobody(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [...NOBODY, process.execPath, path.join(ROOT, 'bin', 'vhtop.js'), ...args], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(isRoot && haveSetpriv)('not root', () => {
  beforeAll(async () => {
    assertBuilt();
    held = await pythonHolder('tcp,0.0.0.0,0', 'udp,::,0');
    const t = await tempDir({ 'registry.yaml': registry([{ id: 'alpha', name: 'alpha', port: held.ports[0], group: 'app', process: ['python3'] }]) });
    // mkdtemp makes the directory 0700: nobody must be able to read the registry in it.
    await chmod(t.dir, 0o755);
    cwd = t.dir;
    cleanup = t.cleanup;
  });
  afterAll(async () => {
    await stopAll();
    await cleanup();
  });

  it('list --json: root-owned sockets have pid null and a reason; the notice says why', () => {
    const r = asNobody(['list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as SnapshotJson;
    expect(doc.notices.some((n) => n.startsWith('not root'))).toBe(true);
    const [tcpPort, udpPort] = held.ports as [number, number];
    expect(doc.listeners.find((l) => l.protocol === 'tcp' && l.port === tcpPort)).toMatchObject({
      pid: null, pids: [], process: null, service: 'alpha', status: 'expected', ownerUnknown: 'owner not visible: socket of uid 0 and vhtop is not root',
    });
    expect(doc.listeners.find((l) => l.protocol === 'udp' && l.port === udpPort)).toMatchObject({ pid: null, family: 6, ownerUnknown: expect.stringMatching(/^owner not visible/) });
  });

  it('check counts the port as up (the owner is unknown, not wrong); the table says so; no conflict is invented', () => {
    const check = asNobody(['check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(new RegExp(`alpha +alpha +${held.ports[0]} +tcp +default +up +- +owner unknown`));
    expect(check.stderr).toContain('vhtop: note: not root');
    expect(check.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(asNobody(['conflicts'])).toMatchObject({ code: 0, stdout: 'no conflicts\n' });
  });
});
