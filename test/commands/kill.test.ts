import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { run } from '../../src/cli.js';
import { captureContext } from '../helpers/cli-context.js';
import { cleanupStarted, startListener, stateOf } from '../actions/kill-helpers.js';

const ctx = (stdinIsTTY = false) => captureContext({ stdinIsTTY });

afterEach(() => cleanupStarted());

describe('vhtop kill (pid targets, real processes)', () => {
  it('kills with --yes and exits 0', async () => {
    const l = await startListener('plain');
    const c = ctx();
    expect(await run(['kill', `pid:${l.pid}`, '--yes', '--timeout', '2'], c)).toBe(0);
    expect(c.out()).toContain(`killed pid ${l.pid} (python3) with SIGTERM; port ${l.port} is free`);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('without a TTY and without --yes kills nothing and exits 2', async () => {
    const l = await startListener('plain');
    const c = ctx(false);
    expect(await run(['kill', `pid:${l.pid}`], c)).toBe(2);
    expect(c.err()).toMatch(/no terminal to ask for confirmation: add --yes/);
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it('--dry-run names the process and its parents and kills nothing', async () => {
    const l = await startListener('wrapper');
    const c = ctx(false);
    expect(await run(['kill', `pid:${l.pid}`, '--dry-run', '--signal', 'HUP'], c)).toBe(0);
    expect(c.out()).toContain(`would send SIGHUP to pid ${l.pid} (python3) user root on port ${l.port}`);
    expect(c.out()).toMatch(/parents: sh\(\d+\)/);
    expect(c.out()).toMatch(/--tree kills its process group/);
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it('--tree kills the wrapper group', async () => {
    const l = await startListener('wrapper');
    const c = ctx();
    expect(await run(['kill', `pid:${l.pid}`, '--tree', '--yes'], c)).toBe(0);
    expect(c.out()).toContain(`killed process group ${l.child.pid} (leader sh)`);
    expect(stateOf(l.pid)).toBeNull();
  });

  it('a forked server: kills one, names the other holder, exits 0', async () => {
    const l = await startListener('fork');
    const c = ctx();
    expect(await run(['kill', `pid:${l.pid}`, '--yes'], c)).toBe(0);
    expect(c.out()).toContain(`another holder remains`);
    expect(c.err()).toContain(`to kill it too: vhtop kill pid:${l.second}`);
  });

  it.each([
    ['pid:1', /refusing pid 1/],
    [`pid:${process.pid}`, /vhtop itself/],
    [`pid:${process.ppid}`, /parent of vhtop/],
  ])('refuses %s with exit 1', async (target, why) => {
    const c = ctx();
    expect(await run(['kill', target, '--yes'], c)).toBe(1);
    expect(c.err()).toMatch(why);
  });

  it.each([
    [['kill', 'pid:abc', '--yes'], /pid: needs a whole number/],
    [['kill', 'pid:0', '--yes'], /bad target "pid:0": a pid is a whole number from 1 up/],
    [['kill', 'pid:-1', '--yes'], /bad target "pid:-1": a pid is a whole number from 1 up/],
    [['kill', '0', '--yes'], /a port is 1..65535/],
    [['kill', '70000', '--yes'], /a port is 1..65535/],
    [['kill', 'pid:99999999999999999999', '--yes'], /bad target "pid:99999999999999999999": no such pid can exist/],
    [['kill', 'pid:5', '--signal', 'STOP', '--yes'], /--signal must be TERM, INT, HUP or KILL/],
    [['kill', '--yes'], /kill needs a TARGET/],
    [['kill', 'pid:5', '--yes', '--read-only'], /kill is disabled under --read-only/],
  ])('usage errors exit 2: %j', async (argv, why) => {
    const c = ctx();
    expect(await run(argv, c)).toBe(2);
    expect(c.err()).toMatch(why);
  });

  it('an unknown service among the targets is a usage error before anything is killed', async () => {
    const l = await startListener('plain');
    const { dir, remove } = tempDir('vhtop-kill-');
    try {
      const registry = path.join(dir, 'registry.yaml');
      writeFileSync(registry, 'version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app }\n');
      const c = ctx();
      expect(await run(['kill', `pid:${l.pid}`, 'nosuch', '--yes', '--registry', registry], c)).toBe(2);
      expect(c.err()).toContain('unknown service "nosuch"');
      expect(c.out()).toBe('');
      expect(stateOf(l.pid)).not.toBeNull();
    } finally {
      remove();
    }
  });

  it('--read-only kills nothing even with --yes', async () => {
    const l = await startListener('plain');
    const c = ctx();
    expect(await run(['kill', `pid:${l.pid}`, '--yes', '--read-only'], c)).toBe(2);
    expect(stateOf(l.pid)).not.toBeNull();
  });
});
