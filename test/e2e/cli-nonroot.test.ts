/**
 * The snapshot commands run by a user who cannot see the owners (uid nobody via setpriv, as an
 * ordinary developer runs vhtop on a shared server): root's sockets stay in the list with pid null
 * and a reason, a catalogue port held by an unseen owner is `unverified` (never "up", never "the expected
 * program"), check fails saying why unless --allow-unverified, a notice says why, nothing crashes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotJson } from '../../src/core/json.js';
import { nobodyCheckout, type NobodyCheckout } from '../helpers/nobody-checkout.js';
import { assertBuilt, pythonHolder, registry, stopAll, tempDir, type Holder } from './cli-helpers.js';

const isRoot = process.getuid?.() === 0;
const haveSetpriv = ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

let held: Holder;
let cwd = '';
let cleanup: () => Promise<void> = async () => undefined;

// This checkout may sit in a directory nobody cannot traverse: run a copy nobody can read, if needed.
let checkout: NobodyCheckout | null = null;

/** `vhtop ...args` as uid 65534; exit code, stdout and stderr. */
function asNobody(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  if (checkout === null) throw new Error('no checkout nobody can run');
  const r = spawnSync('setpriv', [...NOBODY, process.execPath, checkout.bin, ...args], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 256 * 1024 * 1024, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(isRoot && haveSetpriv)('not root', () => {
  beforeAll(async () => {
    assertBuilt();
    const c = nobodyCheckout();
    if ('skip' in c) {
      console.warn(`skipped the runs as nobody: ${c.skip}`);
      return;
    }
    checkout = c;
    held = await pythonHolder('tcp,0.0.0.0,0', 'udp,::,0');
    const t = await tempDir({ 'registry.yaml': registry([{ id: 'alpha', name: 'alpha', port: held.ports[0], group: 'app', process: ['python3'] }]) });
    // mkdtemp makes the directory 0700: nobody must be able to read the registry in it.
    await chmod(t.dir, 0o755);
    cwd = t.dir;
    cleanup = t.cleanup;
  });
  afterAll(async () => {
    checkout?.remove();
    await stopAll();
    await cleanup();
  });

  it('list --json: root-owned sockets have pid null and a reason; the notice says why', (t) => {
    if (checkout === null) return t.skip();
    const r = asNobody(['list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as SnapshotJson;
    expect(doc.notices.some((n) => n.startsWith('not root'))).toBe(true);
    const [tcpPort, udpPort] = held.ports as [number, number];
    expect(doc.listeners.find((l) => l.protocol === 'tcp' && l.port === tcpPort)).toMatchObject({
      pid: null, pids: [], process: null, service: 'alpha', status: 'unverified', verified: false, socketUid: 0, socketUser: 'root',
      ownerUnknown: 'owner not visible: socket of uid 0 and vhtop is not root',
    });
    expect(doc.services.find((v) => v.id === 'alpha')).toMatchObject({ status: 'unverified', pid: null, unseenOwner: { uid: 0, user: 'root' } });
    expect(doc.listeners.find((l) => l.protocol === 'udp' && l.port === udpPort)).toMatchObject({ pid: null, family: 6, ownerUnknown: expect.stringMatching(/^owner not visible/) });
  });

  it('check fails on an unseen owner, names the socket uid and says to use sudo; --allow-unverified accepts it; no conflict is invented', (t) => {
    if (checkout === null) return t.skip();
    const check = asNobody(['check']);
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`alpha +alpha +${held.ports[0]} +tcp +default +unverified +- +.*uid 0 \\(root\\)`));
    expect(check.stdout).toContain(`alpha: unverified: port ${held.ports[0]} is held by a socket of uid 0 (root); cannot see the owner: run with sudo (or pass --allow-unverified)`);
    expect(check.stdout).not.toMatch(/default +up /);
    const allowed = asNobody(['check', '--allow-unverified']);
    expect(allowed.code, allowed.stdout).toBe(0);
    expect(check.stderr).toContain('vhtop: note: not root');
    expect(check.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(asNobody(['conflicts'])).toMatchObject({ code: 0, stdout: 'no conflicts\n' });
  });

  it('why never calls an unseen owner "the expected program"; it names the socket uid and says to use sudo', (t) => {
    if (checkout === null) return t.skip();
    const why = asNobody(['why', 'alpha']);
    expect(why.stdout).not.toMatch(/expected program/);
    expect(why.stdout).toMatch(/uid 0 \(root\)/);
    expect(why.stdout).toContain('cannot see the owner: run with sudo');
    const byPort = asNobody(['why', String(held.ports[0])]);
    expect(byPort.stdout).not.toMatch(/expected program/);
    expect(byPort.stdout).toMatch(/uid 0 \(root\)/);
  });
});
