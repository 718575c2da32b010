/**
 * Kill from the TUI with several hosts: a remote row's pid is a pid on that host, so its dialog must
 * freeze and kill through that host's killer and never through this machine's. Recording killers
 * stand in for both (no process is touched); the real remote killer is driven against a real sshd in
 * test/e2e/hosts-tui.test.ts. The remote killer's freezing from the host's own snapshot is pure and
 * checked here too.
 */
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { FrozenTarget } from '../../src/actions/kill-target.js';
import { mergeHostSnapshots } from '../../src/core/merge-hosts.js';
import type { Snapshot } from '../../src/core/types.js';
import type { Killer } from '../../src/ui/killer.js';
import { remoteKiller } from '../../src/ui/remote-killer.js';
import { KEY, mountApp } from './harness.js';
import { listener, proc, service, snapshot } from './fixtures.js';

afterEach(() => cleanup());

/** A killer that records which pids it was asked to freeze and kill, under a name. */
function recorder(name: string, log: string[]): Killer {
  const frozen = (pid: number, port: number | null): FrozenTarget => ({
    pid, startTime: 77, uid: 1000, user: 'dev', name: 'python3', command: 'python3 -m http.server', ppid: 1, pgid: pid,
    state: 'S', port, protocol: 'tcp', inodes: [], chain: [], leader: null, service: 'web', dockerService: null, dockerProxy: false,
  });
  return {
    guard: () => ({ pid: 1, pgid: 1, ancestors: new Set() }),
    freeze: (pid, port) => {
      log.push(`${name} freeze ${pid}`);
      return frozen(pid, port);
    },
    freezeHolder: () => null,
    refusal: () => null,
    kill: async (t) => {
      log.push(`${name} kill ${t.pid}`);
      return { kind: 'killed', message: `killed: pid ${t.pid} (python3) via ${name}`, sent: ['TERM'], remainingHolders: [] };
    },
    composeStop: async () => ({ ok: false, message: 'no' }),
  };
}

/** This machine and `box` each run a `web` on port 8080 with the same pid: only the host tells them apart. */
function twoHosts(): { merged: Snapshot; box: Snapshot } {
  const one = (): Snapshot =>
    snapshot({
      services: [service({ id: 'web', port: 8080, pid: 4242, process: 'python3' })],
      listeners: [listener({ port: 8080, pid: 4242, process: 'python3', service: 'web', status: 'expected' })],
      processes: [proc({ pid: 4242, name: 'python3', command: 'python3 -m http.server', startTime: 555, ppid: 4000, pgid: 4000 })],
    });
  const box = one();
  const merged = mergeHostSnapshots(
    [
      { target: 'local', ok: true, error: null, value: one() },
      { target: 'box', ok: true, error: null, value: box },
    ],
    '2026-11-21T20:00:00.000Z',
  );
  return { merged, box };
}

async function killRowOf(host: string, options: { remote: boolean }) {
  const log: string[] = [];
  const hosts: string[] = [];
  const app = mountApp({
    snapshot: twoHosts().merged,
    killer: recorder('local', log),
    ...(options.remote
      ? {
          remoteKiller: (h: string) => {
            hosts.push(h);
            return recorder(`remote:${h}`, log);
          },
        }
      : {}),
  });
  await app.waitFrame((f) => f.includes('HOST') && /box/.test(f), 'two hosts');
  await app.press('/', ...`host:${host}`, KEY.enter);
  await app.waitFrame((f) => f.includes(`filter host:${host}`), 'the filter');
  await app.press('x');
  return { app, log, hosts };
}

describe('kill dialog of a row on another host', () => {
  it('a remote row freezes and kills through that host killer, never the local one', async () => {
    const { app, log, hosts } = await killRowOf('box', { remote: true });
    const dialog = await app.waitFrame((f) => f.includes('y kills'), 'the kill dialog');
    expect(dialog).toMatch(/host\s+box \(over ssh\)/);
    await app.press('y');
    await app.waitFrame((f) => f.includes('via remote:box'), 'the outcome');
    expect(log).toEqual(['remote:box freeze 4242', 'remote:box kill 4242']);
    expect(new Set(hosts)).toEqual(new Set(['box']));
  });

  it('a local row keeps the local killer', async () => {
    const { app, log } = await killRowOf('local', { remote: true });
    const dialog = await app.waitFrame((f) => f.includes('y kills'), 'the kill dialog');
    expect(dialog).not.toMatch(/over ssh/);
    await app.press('y');
    await app.waitFrame((f) => f.includes('via local'), 'the outcome');
    expect(log).toEqual(['local freeze 4242', 'local kill 4242']);
  });

  it('without a remote killer a remote row is refused and nothing is frozen or killed', async () => {
    const { app, log } = await killRowOf('box', { remote: false });
    await app.waitFrame((f) => f.includes('kill is not available for rows of box'), 'the refusal');
    await app.press('y');
    expect(log).toEqual([]);
  });
});

describe('log pane of a row on another host', () => {
  it('is not opened (it would read this machine): the message names vhtop logs --host', async () => {
    const app = mountApp({ snapshot: twoHosts().merged });
    await app.waitFrame((f) => f.includes('HOST') && /box/.test(f), 'two hosts');
    await app.press('/', ...'host:box', KEY.enter);
    await app.waitFrame((f) => f.includes('filter host:box'), 'the filter');
    await app.press('l');
    await app.waitFrame((f) => f.includes('logs of box rows: run vhtop logs --host box SERVICE'), 'the note');
  });
});

describe('remoteKiller freezing', () => {
  const ssh = { configFile: null, sudo: false, ssh: '/nonexistent/ssh' };

  it('freezes from the host snapshot (its start time), offers no group kill, and refuses docker daemons', () => {
    const { box, merged } = twoHosts();
    const k = remoteKiller('box', ssh, () => box);
    // The merged snapshot handed in by the dialog has no remote processes: the host's own is used.
    const t = k.freeze(4242, 8080, merged);
    expect(t).toMatchObject({ pid: 4242, startTime: 555, name: 'python3', port: 8080, service: 'web', leader: null, dockerProxy: false });
    const guard = k.guard();
    expect(k.refusal(t as FrozenTarget, guard, false)).toBeNull();
    expect(k.refusal(t as FrozenTarget, guard, true)).toMatch(/process group kill is not available on box/);
    expect(k.refusal({ ...(t as FrozenTarget), name: 'dockerd' }, guard, false)).toMatch(/docker daemon/);
    expect(k.freeze(999_999, null, merged)).toBeNull();
    expect(remoteKiller('box', ssh, () => null).freeze(4242, 8080, merged)).toBeNull();
  });
});
