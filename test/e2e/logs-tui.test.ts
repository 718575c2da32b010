/**
 * The log pane of the real TUI in tmux, with the stand-in docker on PATH. Needs the built CLI and tmux.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasTmux, shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';
import { fakeEnv, type FakeEnv } from '../actions/logs-helpers.js';
import { stateOf } from '../actions/kill-helpers.js';
import { waitFor } from '../helpers/poll.js';
import { BIN } from '../helpers/built-cli.js';

const tmuxOk = await hasTmux();

let f: FakeEnv;
let session: TmuxSession | null = null;
beforeEach(() => {
  f = fakeEnv();
});
afterEach(async () => {
  await session?.kill();
  session = null;
  f.cleanup();
});

/**
 * Starts vhtop on a one-service registry (compose name `docker`), opens the log pane with `l` and waits
 * until the stand-in follows. `tail` runs after vhtop in the pane (e.g. printing its exit code).
 */
async function openFollowingPane(docker: string, tail = '') {
  const registry = path.join(f.dir, 'registry.yaml');
  writeFileSync(registry, `version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app, docker: ${docker} }\n`);
  const cmd = [process.execPath, BIN, '--registry', registry].map(shellQuote).join(' ');
  const s = await startTmux({ command: `${cmd}${tail}`, width: 120, height: 24, cwd: f.dir, env: f.env() });
  session = s;
  await s.waitFor(/> down\s+(?:[\w-]+\s+)?Web/);
  await s.send('l');
  const pane = await s.waitFor(`${docker}-1  | following`);
  await waitFor(() => f.followerPids().length === 2);
  const [sh, sleeper] = f.followerPids() as [number, number];
  return { s, pane, sh, sleeper };
}

const REPORT_EXIT = '; echo "exit=$?"; sleep 60';

describe.runIf(tmuxOk)('log pane in the TUI (tmux)', () => {
  it('l opens docker compose logs for the selected service; Esc closes the pane and ends the child', async () => {
    const { s, pane, sh, sleeper } = await openFollowingPane('web-app', REPORT_EXIT);
    expect(pane).toContain('logs: docker compose logs --no-color --tail 200 --follow -- web-app');
    expect(pane).toContain('web-app-1  | red alert done');
    await s.send('Escape');
    await s.waitFor(/> down\s+(?:[\w-]+\s+)?Web/);
    await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
    await s.send('q');
    expect(await s.waitFor('exit=')).toContain('exit=0');
  });

  it('closing the terminal (tmux server gone: SIGHUP) while the pane follows leaves no stand-in behind', async () => {
    // The child runs in its own session (setsid), so the hangup reaches only vhtop: vhtop must end it.
    const { s, sh, sleeper } = await openFollowingPane('web');
    await s.kill();
    await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
  });

  it('quitting vhtop with Ctrl-C while the pane follows ends the child too', async () => {
    const { s, sh, sleeper } = await openFollowingPane('web', REPORT_EXIT);
    await s.send('C-c');
    await s.waitFor('exit=');
    await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
  });
});
