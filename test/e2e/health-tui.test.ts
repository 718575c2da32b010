import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, isBuilt } from '../helpers/built-cli.js';
import { pollUntil } from '../helpers/poll.js';
import { tempDir } from '../helpers/temp-dir.js';
import { httpServer, silentServer, type TestServer } from '../fixtures/why/servers.js';
import { shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';

/**
 * The TUI's health column in a real terminal (`npx tsc -p .` first): state and latency per service,
 * probes on their own cadence. A silent listener with a long timeout must neither freeze the screen
 * nor hold back the other services' results. The servers live in this test process.
 */

const servers: TestServer[] = [];
const sessions: TmuxSession[] = [];
let dirs: { remove(): void }[] = [];
beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/cli.js missing: run `npx tsc -p .` first');
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.kill();
  for (const d of dirs) d.remove();
  dirs = [];
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** The table row (marker column, then a status word) that contains `text`. */
const rowOf = (screen: string, text: string): string => screen.split('\n').find((l) => /^(> | {2})[a-z]/.test(l) && l.includes(text)) ?? '';

describe('TUI health column (real terminal, real servers)', () => {
  it('shows ok / fail with latency as probes end, keeps drawing while a silent probe is open, and q cancels it', async () => {
    const [ok, bad, hang] = await Promise.all([httpServer(200), httpServer(500), silentServer()]);
    servers.push(ok, bad, hang);
    const t = tempDir('vhtop-health-tui-');
    dirs.push(t);
    const entry = (id: string, port: number, extra = '') =>
      `  - id: ${id}\n    name: ${id}\n    port: ${port}\n    group: app\n    health: { http: /health${extra} }\n`;
    // The silent one waits 60 s: far longer than this test may take, so its result can only be pending.
    const registry = path.join(t.dir, 'registry.yaml');
    writeFileSync(registry, `version: 1\nservices:\n${entry('hp-ok', ok.port)}${entry('hp-bad', bad.port)}${entry('hp-hang', hang.port, ', timeout: 60')}`);
    const argv = ['node', BIN, '--registry', registry, '--interval', '1'].map(shellQuote).join(' ');
    const s = await startTmux({ command: `${argv}; echo "exit=$?"; sleep 60`, width: 150, height: 20, cwd: t.dir });
    sessions.push(s);

    const screen = await s.waitFor((x) => /\bok \d+ms/.test(rowOf(x, 'hp-ok')) && /\bfail \d+ms/.test(rowOf(x, 'hp-bad')), 20_000);
    expect(rowOf(screen, 'hp-ok')).toMatch(/^. up .*ok \d+ms\s*$/);
    expect(rowOf(screen, 'hp-bad')).toMatch(/^. up .*fail \d+ms\s*$/);
    // Still probing the silent listener: no result yet, the others did not wait for it.
    expect(rowOf(screen, 'hp-hang')).toMatch(/^. up .* -\s*$/);
    expect(await pollUntil(() => hang.openSockets() === 1)).toBe(true);

    // The screen answers keys while that probe is open: health runs off the render path.
    await s.send('Tab');
    await s.waitFor('[Listeners]');
    await s.send('BTab');
    await s.waitFor('[Services]');
    expect(hang.openSockets()).toBe(1);

    await s.send('q');
    expect(await s.waitFor('exit=')).toContain('exit=0');
    // Quitting cancelled the open probe: vhtop hung up on the silent listener.
    expect(await pollUntil(() => hang.openSockets() === 0)).toBe(true);
  });
});
