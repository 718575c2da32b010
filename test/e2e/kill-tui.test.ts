/**
 * The kill path of the real TUI in tmux: select a row, `x`, `y`, the process is gone.
 * Needs the built CLI (`npx tsc -p .`) and tmux.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';
import { cleanupStarted, startListener, stateOf } from '../actions/kill-helpers.js';
import { waitFor } from '../helpers/poll.js';
import { BIN } from '../helpers/built-cli.js';

const tmuxOk = await hasTmux();

let session: TmuxSession | null = null;
let dir: string | null = null;

afterEach(async () => {
  await session?.kill();
  session = null;
  cleanupStarted();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Starts vhtop on a one-service registry whose port is the listener's. */
async function vhtopFor(port: number, extraArgs: readonly string[] = []): Promise<TmuxSession> {
  dir = mkdtempSync(path.join(tmpdir(), 'vhtop-kill-tui-'));
  const registry = path.join(dir, 'registry.yaml');
  writeFileSync(registry, `version: 1\nservices:\n  - { id: web, name: Web, port: ${port}, group: app }\n`);
  const cmd = [process.execPath, BIN, '--registry', registry, '--interval', '1', ...extraArgs].map(shellQuote).join(' ');
  session = await startTmux({ command: `${cmd}; echo "exit=$?"; sleep 60`, width: 120, height: 30, cwd: dir });
  return session;
}

describe.runIf(tmuxOk)('kill in the TUI (tmux)', () => {
  it('select the service row, x, y: the process is gone and the outcome is shown', async () => {
    const l = await startListener('plain');
    const s = await vhtopFor(l.port);
    await s.waitFor(new RegExp(`> up\\s+(?:[\\w-]+\\s+)?Web.*${l.port}.*${l.pid}`));
    await s.send('x');
    const dialog = await s.waitFor(`Kill pid ${l.pid} (python3)?`);
    expect(dialog).toMatch(new RegExp(`port\\s+${l.port}`));
    expect(dialog).toMatch(/user\s+root \(uid 0\)/);
    await s.send('y');
    await s.waitFor(`killed pid ${l.pid} (python3) with SIGTERM`);
    await waitFor(() => stateOf(l.pid) === null);
    await s.waitFor(/down\s+(?:[\w-]+\s+)?Web/);
    await s.send('q');
    await s.waitFor('exit=0');
  });

  it('any other key cancels: the process lives', async () => {
    const l = await startListener('plain');
    const s = await vhtopFor(l.port);
    await s.waitFor(new RegExp(`> up\\s+(?:[\\w-]+\\s+)?Web.*${l.pid}`));
    await s.send('x');
    await s.waitFor(`Kill pid ${l.pid} (python3)?`);
    await s.send('n');
    await s.waitFor((screen) => !screen.includes('Kill pid'));
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it('under --read-only there is no kill dialog at all', async () => {
    const l = await startListener('plain');
    const s = await vhtopFor(l.port, ['--read-only']);
    await s.waitFor(new RegExp(`> up\\s+(?:[\\w-]+\\s+)?Web.*${l.pid}`));
    await s.send('x');
    await s.send('y');
    // Keys are handled in order: once the help screen shows, x and y have been seen (and ignored).
    await s.send('?');
    const screen = await s.waitFor('Keys (read-only: kill is off)');
    expect(screen).not.toContain('Kill pid');
    expect(stateOf(l.pid)).not.toBeNull();
  });

  it('vhtop kill on a terminal asks first: y kills, Enter alone does not', async () => {
    const a = await startListener('plain');
    const b = await startListener('plain');
    const cmd = [process.execPath, BIN, 'kill', `pid:${a.pid}`, `pid:${b.pid}`].map(shellQuote).join(' ');
    const s = await startTmux({ command: `${cmd}; echo "exit=$?"; sleep 60`, width: 160, height: 20 });
    session = s;
    await s.waitFor(`kill pid ${a.pid} (python3) user root on port ${a.port}`);
    await s.type('y');
    await s.send('Enter');
    await s.waitFor(`kill pid ${b.pid} (python3)`);
    await s.send('Enter');
    const screen = await s.waitFor('exit=');
    expect(screen).toContain(`pid:${a.pid}: killed pid ${a.pid}`);
    expect(screen).toContain(`pid:${b.pid}: not killed (not confirmed)`);
    expect(screen).toContain('exit=1');
    expect(stateOf(b.pid)).not.toBeNull();
    await waitFor(() => stateOf(a.pid) === null);
  });

  it.each(['C-c', 'C-d'])('vhtop kill on a terminal: %s at the question cancels everything, no internal error', async (key) => {
    const a = await startListener('plain');
    const b = await startListener('plain');
    const cmd = [process.execPath, BIN, 'kill', `pid:${a.pid}`, `pid:${b.pid}`].map(shellQuote).join(' ');
    const s = await startTmux({ command: `${cmd}; echo "exit=$?"; sleep 60`, width: 160, height: 20 });
    session = s;
    await s.waitFor(`kill pid ${a.pid} (python3)`);
    await s.send(key);
    const screen = await s.waitFor('exit=');
    expect(screen).toContain(`pid:${a.pid}: not killed (cancelled)`);
    expect(screen).not.toContain('internal error');
    expect(screen).not.toContain(`kill pid ${b.pid}`);
    expect(screen).toContain('exit=1');
    expect(stateOf(a.pid)).not.toBeNull();
    expect(stateOf(b.pid)).not.toBeNull();
  });
});
