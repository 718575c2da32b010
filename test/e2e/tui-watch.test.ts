import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, isBuilt } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loopbackServers } from '../helpers/loopback-server.js';
import { shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';

/**
 * Watching from tmux (`npx tsc -p .` first): a real tmux status line running `vhtop status --tmux`,
 * a small pane that shows problems only, and job control (Ctrl-Z, fg) under a real shell. The
 * catalogue's services are real sockets of this test process; "going down" is closing one.
 */

const run = promisify(execFile);
const sessions: TmuxSession[] = [];
const servers = loopbackServers();
const listen = () => servers.listen();
const extraSockets: string[] = [];
let dirs: { remove(): void }[] = [];

beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/cli.js missing: run `npx tsc -p .` first');
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.kill();
  for (const sock of extraSockets.splice(0)) await run('tmux', ['-L', sock, 'kill-server']).catch(() => undefined);
  await servers.closeAll();
  for (const d of dirs) d.remove();
  dirs = [];
});


/** A port nothing listens on now (bound, then released). */
async function freePort(): Promise<number> {
  const { port, server } = await listen();
  await new Promise((r) => server.close(r));
  return port;
}

/** A registry of `ports` (ids svc-0, svc-1, …) in a fresh directory. */
function registry(ports: readonly number[]): string {
  const t = tempDir('vhtop-watch-');
  dirs.push(t);
  const file = path.join(t.dir, 'registry.yaml');
  const entries = ports.map((p, i) => `  - id: svc-${i}\n    name: 服务 ${i}\n    port: ${p}\n    group: app\n`).join('');
  writeFileSync(file, `version: 1\nservices:\n${entries}`);
  return file;
}

const vhtop = (...args: string[]) => ['node', BIN, ...args].map(shellQuote).join(' ');
const serviceRows = (screen: string) => screen.split('\n').filter((l) => /^(> | {2})(up|down|conflict|unverified|inactive) /.test(l));

describe('vhtop in a tmux status line (real tmux, real sockets)', () => {
  it('shows the counts, and a service going down within one status-interval', async () => {
    const [a, b] = [await listen(), await listen()];
    const reg = registry([a.port, b.port]);
    // The watched session: its status line runs vhtop status every second.
    const inner = `vhtop-status-${randomBytes(5).toString('hex')}`;
    extraSockets.push(inner);
    const tm = (...args: string[]) => run('tmux', ['-L', inner, '-f', '/dev/null', ...args]);
    await tm('new-session', '-d', '-s', 'w', '-x', '100', '-y', '8', 'sleep 600');
    await tm('set-option', '-g', 'status-interval', '1');
    await tm('set-option', '-g', 'status-right-length', '80');
    await tm('set-option', '-g', 'status-right', `#(${vhtop('status', '--tmux', '--registry', reg)})`);
    // A status line is drawn (and its #() jobs run) only for an attached client: attach one from a
    // second tmux, whose pane then shows the watched session, status line included.
    const outer = await startTmux({ command: `env -u TMUX tmux -L ${inner} -f /dev/null attach -t w`, width: 100, height: 8 });
    sessions.push(outer);
    const statusLine = (screen: string) => screen.split('\n').filter((l) => l.trim() !== '').pop() ?? '';
    let screen = await outer.waitFor((s) => /vhtop 2↑ 0↓ 0⚠ \d+!/.test(statusLine(s)), 60_000);
    expect(statusLine(screen)).toMatch(/vhtop 2↑ 0↓ 0⚠ \d+!\s*$/);
    // The styles are tmux's, not text: the status line shows no "#[".
    expect(screen).not.toContain('#[');

    await new Promise((r) => b.server.close(r));
    // The next status-interval (1 s here) reruns vhtop status; the deadline is generous because two
    // busy loops may share the cores (a limit on waiting, not a measurement).
    screen = await outer.waitFor((s) => /vhtop 1↑ 1↓ 0⚠/.test(statusLine(s)), 60_000);
    expect(statusLine(screen)).toMatch(/vhtop 1↑ 1↓ 0⚠ \d+!\s*$/);
  });
});

describe('vhtop --problems in a small tmux pane', () => {
  it('a 60x15 pane shows the one down service of 34 without scrolling; ! toggles to all rows', async () => {
    const up = await Promise.all(Array.from({ length: 33 }, () => listen()));
    const down = await freePort();
    const ports = up.map((l) => l.port);
    ports.splice(17, 0, down);
    const reg = registry(ports);
    const s = await startTmux({ command: `${vhtop('--registry', reg)}; echo "exit=$?"; sleep 60`, width: 60, height: 15 });
    sessions.push(s);
    let screen = await s.waitFor((x) => /down\s+svc-17\s/.test(x), 30_000);
    expect(screen.split('\n')[0]).toMatch(/^PROBLEMS/);
    // The down service is the first row, on screen; no service that is up is listed.
    expect(serviceRows(screen)[0]).toMatch(/^> down\s+svc-17\s/);
    expect(serviceRows(screen).filter((l) => /^(> | {2})up /.test(l))).toEqual([]);
    await s.send('!');
    screen = await s.waitFor('34 rows', 20_000);
    expect(screen.split('\n')[0]).not.toMatch(/PROBLEMS/);
    expect(serviceRows(screen).filter((l) => /^(> | {2})up /.test(l)).length).toBeGreaterThan(3);
    await s.send('!');
    await s.waitFor((x) => /^PROBLEMS/.test(x) && /down\s+svc-17/.test(x), 20_000);
    await s.send('q');
    expect(await s.waitFor('exit=')).toContain('exit=0');
  });
});

describe('Ctrl-Z under a real shell', () => {
  it('suspends like htop: the prompt is back, alternate screen off; fg redraws and keys work; SIGTSTP too', async () => {
    const { port } = await listen();
    const reg = registry([port]);
    const s = await startTmux({ command: 'PS1="SHELL> " exec bash --norc --noprofile -i', width: 100, height: 24 });
    sessions.push(s);
    await s.waitFor('SHELL>', 20_000);
    // No `; echo` after it: the shell would run that as soon as the job stops.
    await s.type(vhtop('--registry', reg));
    await s.send('Enter');
    await s.waitFor((x) => x.includes('[Services]') && /up\s+svc-0/.test(x), 30_000);
    expect((await s.modes()).alternate).toBe(true);

    await s.send('C-z');
    await s.waitFor((x) => /Stopped/.test(x) && /^SHELL>\s*$/m.test(x), 20_000);
    expect(await s.modes()).toEqual({ alternate: false, cursor: true });
    // The terminal is the shell's, in cooked mode: typed text is echoed by the tty, not taken as keys.
    await s.type('echo typed-at-shell');
    await s.send('Enter');
    await s.waitFor('\ntyped-at-shell', 10_000);

    await s.type('fg');
    await s.send('Enter');
    await s.waitFor((x) => x.includes('[Services]') && /up\s+svc-0/.test(x), 20_000);
    expect((await s.modes()).alternate).toBe(true);
    // Raw mode again: one key acts at once.
    await s.send('Tab');
    await s.waitFor('[Listeners]', 20_000);

    // A SIGTSTP from outside does the same.
    const pid = (await s.childPids())[0] as number;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGTSTP');
    await s.waitFor((x) => (x.match(/Stopped/g) ?? []).length === 2 && /^SHELL>\s*$/m.test(x), 20_000);
    expect((await s.modes()).alternate).toBe(false);
    await s.type('fg');
    await s.send('Enter');
    await s.waitFor('[Listeners]', 20_000);
    expect((await s.modes()).alternate).toBe(true);
    await s.send('q');
    await s.waitFor((x) => !x.includes('[Listeners]') && /^SHELL>\s*$/m.test(x), 20_000);
    await s.type('echo "exit=$?"');
    await s.send('Enter');
    await s.waitFor('exit=0', 20_000);
    expect((await s.modes()).alternate).toBe(false);
  });
});
