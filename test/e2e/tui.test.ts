import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';
import { closedPort, startNodeListener, startPythonListener, stopListener, type RealListener } from './helpers/listeners.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'vhtop.js');

let web: RealListener | undefined;
let stray: RealListener | undefined;
let downPort = 0;
let dir = '';
let registry = '';
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npx tsc -p .');
  web = await startNodeListener();
  stray = await startPythonListener();
  downPort = await closedPort();
  dir = mkdtempSync(path.join(tmpdir(), 'vhtop-tui-'));
  registry = path.join(dir, 'registry.yaml');
  writeFileSync(
    registry,
    [
      'version: 1',
      'services:',
      '  - id: e2e-web',
      '    name: 测试网关',
      `    port: ${web.port}`,
      '    group: app',
      '    process: [node]',
      '    health: { tcp: true }',
      '  - id: e2e-down',
      '    name: 离线服务',
      `    port: ${downPort}`,
      '    group: app',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await stopListener(web);
  await stopListener(stray);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.kill();
});

/** Starts the built vhtop in a fresh tmux pane; the shell prints the exit status afterwards. */
async function vhtop(opts: { width?: number; height?: number; args?: string[]; env?: Record<string, string>; stdin?: string } = {}) {
  const argv = ['node', BIN, '--registry', registry, '--interval', '1', ...(opts.args ?? [])].map(shellQuote).join(' ');
  const redirect = opts.stdin ? ` < ${shellQuote(opts.stdin)}` : '';
  const s = await startTmux({ command: `${argv}${redirect}; echo "exit=$?"; sleep 60`, width: opts.width ?? 120, height: opts.height ?? 30, cwd: dir, env: opts.env });
  sessions.push(s);
  return s;
}

/** The table row (marker column, then a status word) that contains `text`. */
const rowOf = (screen: string, text: string) => screen.split('\n').find((l) => /^(> | {2})[a-z]/.test(l) && l.includes(text)) ?? '';

describe('vhtop TUI in a real terminal', () => {
  it('shows the services with their statuses, the unexpected listener, and q exits 0', async () => {
    const s = await vhtop();
    const screen = await s.waitFor((t) => /up\s+(?:[\w-]+\s+)?测试网关/.test(t) && t.includes('离线服务'));
    expect(rowOf(screen, '测试网关')).toContain(String(web?.port));
    expect(rowOf(screen, '离线服务')).toMatch(new RegExp(`down\\s+(?:[\\w-]+\\s+)?离线服务\\s+(?:-\\s+)?${downPort}`));
    await s.waitFor((t) => /up\s+(?:[\w-]+\s+)?测试网关.*\bok\b/.test(t)); // health probe of the real listener
    // The machine may hold thousands of other sockets: narrow the Listeners view to our ports.
    await s.send('Tab');
    await s.waitFor('[Listeners]');
    await s.send('/');
    await s.type(`:${stray?.port}`);
    await s.send('Enter');
    const strayRow = rowOf(await s.waitFor((t) => t.includes(`filter :${stray?.port}`) && rowOf(t, `${stray?.port} `) !== ''), `${stray?.port} `);
    expect(strayRow).toMatch(/^> unexpected .*python3/);
    await s.send('/');
    await s.send('C-u');
    for (let i = 0; i < 8; i++) await s.send('BSpace');
    await s.type('e2e-web');
    await s.send('Enter');
    const webRow = rowOf(await s.waitFor((t) => t.includes('filter e2e-web') && rowOf(t, 'e2e-web') !== ''), 'e2e-web');
    expect(webRow).toMatch(new RegExp(`expected .*${web?.port} .*node`));
    await s.send('q');
    const after = await s.waitFor('exit=');
    expect(after).toContain('exit=0');
    expect(after).not.toContain('[Listeners]'); // alternate screen left: the shell's screen is back
  });

  it('narrows rows with the / filter and opens the help', async () => {
    const s = await vhtop();
    await s.waitFor('离线服务');
    await s.send('/');
    await s.type(`:${web?.port}`);
    await s.send('Enter');
    const filtered = await s.waitFor((t) => t.includes(`filter :${web?.port}`) && !t.includes('离线服务'));
    expect(filtered).toContain('测试网关');
    await s.send('Escape');
    await s.waitFor('离线服务');
    await s.send('?');
    const help = await s.waitFor('Keys');
    expect(help).toMatch(/x F9\s+kill the selected/);
    await s.send('Escape');
    await s.waitFor('离线服务');
    await s.send('C-c');
    expect(await s.waitFor('exit=')).toContain('exit=0');
  });

  it('works in a 60x15 pane and relayouts on resize', async () => {
    const s = await vhtop({ width: 60, height: 15 });
    // A pane this small starts with problems only; ! shows every row.
    await s.waitFor((t) => /^PROBLEMS/.test(t) && /down\s+(?:[\w-]+\s+)?离线服务/.test(t));
    await s.send('!');
    const screen = await s.waitFor((t) => /up\s+(?:[\w-]+\s+)?测试网关/.test(t) && /\bok \d+ms/.test(t));
    expect(screen).toContain('q quit');
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(screen).not.toContain('ENV'); // compact columns
    expect(screen).toContain('HEALTH');
    // Every count in the header, short labels leaving room for the age.
    expect(screen.split('\n')[0]).toMatch(/^up 1 {2}down 1 {2}confl 0 {2}unexp \d+ {2}expos 0 {2}(just now|\d+s ago)/);
    // The Listeners view keeps the address (what tells exposed from local) in 60 columns.
    await s.send('Tab');
    await s.send('/');
    await s.type(`:${web?.port}`);
    await s.send('Enter');
    const listeners = await s.waitFor((t) => t.includes(`filter :${web?.port}`) && rowOf(t, `${web?.port}`) !== '');
    expect(rowOf(listeners, `${web?.port}`)).toMatch(new RegExp(`^> expected\\s+127\\.0\\.0\\.1\\s+${web?.port}\\s+(?:\\d+\\s+)?node`));
    await s.send('Escape');
    await s.waitFor((t) => !t.includes('filter :'));
    await s.send('BTab');
    await s.waitFor('[Services]');
    await s.resize(110, 30);
    await s.waitFor((t) => t.includes('PID') && /up\s+(?:[\w-]+\s+)?测试网关/.test(t));
    await s.resize(30, 10);
    await s.waitFor('terminal too small');
    await s.resize(80, 20);
    await s.waitFor((t) => /up\s+(?:[\w-]+\s+)?测试网关/.test(t));
    await s.send('q');
    expect(await s.waitFor('exit=')).toContain('exit=0');
  });

  it('--read-only drops kill; NO_COLOR keeps the status words and draws no colour', async () => {
    const s = await vhtop({ args: ['--read-only'], env: { NO_COLOR: '1' } });
    const screen = await s.waitFor((t) => /up\s+(?:[\w-]+\s+)?测试网关/.test(t));
    expect(screen).not.toContain('kill');
    expect(screen).toMatch(/down\s+(?:[\w-]+\s+)?离线服务/);
    const styled = await s.captureStyled();
    expect(styled).toMatch(/\x1b\[1m/); // the capture does carry attributes (bold header)...
    expect(styled).not.toMatch(/\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7])(?:;\d+)*m/); // ...but no foreground colour
    await s.send('x');
    await s.send('?');
    const help = await s.waitFor('Keys');
    expect(help).not.toMatch(/kill the selected/);
    await s.send('q');
    expect(await s.waitFor('exit=')).toContain('exit=0');
  });

  it('keeps the changes of the session: a service going down shows in the event log (e)', async () => {
    const own = await startNodeListener();
    try {
      const reg = path.join(dir, 'events.yaml');
      writeFileSync(reg, `version: 1\nservices:\n  - { id: ev-web, name: 事件服务, port: ${own.port}, group: app, process: [node] }\n`);
      const argv = ['node', BIN, '--registry', reg, '--interval', '0.5'].map(shellQuote).join(' ');
      const s = await startTmux({ command: `${argv}; echo "exit=$?"; sleep 60`, width: 120, height: 30, cwd: dir });
      sessions.push(s);
      await s.waitFor(/up\s+(?:[\w-]+\s+)?事件服务/);
      await s.send('e');
      await s.waitFor('Events this session');
      await stopListener(own);
      const log = await s.waitFor(`事件服务 (ev-web) went down on port ${own.port}`);
      expect(log).toMatch(/Events this session, newest first \(\d+/);
      await s.send('Escape');
      await s.waitFor(/down\s+(?:[\w-]+\s+)?事件服务/);
      await s.send('q');
      expect(await s.waitFor('exit=')).toContain('exit=0');
    } finally {
      await stopListener(own);
    }
  });

  it('exits promptly on SIGTERM and on SIGHUP, restoring the terminal', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const s = await vhtop();
      await s.waitFor('离线服务');
      const [pid] = await s.childPids();
      expect(pid).toBeGreaterThan(0);
      process.kill(pid as number, signal);
      const after = await s.waitFor('exit=');
      expect(after).toContain(`exit=${code}`);
      expect(after).not.toContain('离线服务');
      await s.kill();
    }
  });

  it('exits when stdin ends (no keyboard to wait for)', async () => {
    const s = await vhtop({ stdin: '/dev/null' });
    expect(await s.waitFor('exit=')).toContain('exit=0');
  });
});

describe('vhtop without a terminal', () => {
  it('prints the list table once instead of drawing a screen', async () => {
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('node', [BIN, '--registry', registry], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(String(web?.port));
    expect(out.stdout).toContain('e2e-web');
    expect(out.stdout).not.toContain('\x1b[?1049h'); // no alternate screen
  });

  it('a bad registry is one line and exit 2, before any screen is drawn', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nservices:\n  - id: x\n    name: x\n    port: 99999\n    group: app\n');
    const s = await startTmux({ command: `node ${shellQuote(BIN)} --registry ${shellQuote(bad)}; echo "exit=$?"; sleep 60`, cwd: dir });
    sessions.push(s);
    const screen = await s.waitFor('exit=');
    const lines = screen.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(2); // the message, then the exit status
    expect(lines[0]).toMatch(/^vhtop: .*bad\.yaml/);
    expect(lines[1]).toBe('exit=2');
  });
});
