/**
 * How the built TUI leaves a real terminal (tmux): q and Ctrl-C, signals while the log pane's child
 * runs, an unexpected error (injected with a `node --import` preload, so no test hook ships in the
 * CLI), TERM=dumb / --no-color, and a checkout that was never built. Needs the built CLI and tmux.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';
import { closedPort, startNodeListener, stopListener, type RealListener } from './helpers/listeners.js';
import { fakeEnv, type FakeEnv } from '../actions/logs-helpers.js';
import { stateOf } from '../actions/kill-helpers.js';
import { waitFor } from '../helpers/poll.js';
import { BIN, ROOT } from '../helpers/built-cli.js';

const tmuxOk = await hasTmux();

let dir = '';
let registry = '';
let web: RealListener | undefined;
const sessions: TmuxSession[] = [];
const fakes: FakeEnv[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npx tsc -p .');
  web = await startNodeListener();
  dir = mkdtempSync(path.join(tmpdir(), 'vhtop-life-'));
  registry = path.join(dir, 'registry.yaml');
  const down = await closedPort();
  writeFileSync(
    registry,
    `version: 1\nservices:\n  - { id: web, name: 网关, port: ${web.port}, group: app, process: [node] }\n  - { id: gone, name: 离线, port: ${down}, group: app }\n`,
  );
});

afterAll(async () => {
  await stopListener(web);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.kill();
  for (const f of fakes.splice(0)) f.cleanup();
});

/** The built vhtop in a fresh pane (node options first, e.g. a preload); the shell prints the exit status after. */
async function vhtop(opts: { node?: string[]; args?: string[]; env?: Record<string, string> } = {}): Promise<TmuxSession> {
  const argv = [process.execPath, ...(opts.node ?? []), BIN, '--registry', registry, '--interval', '1', ...(opts.args ?? [])];
  const command = `${argv.map(shellQuote).join(' ')}; echo "exit=$?"; sleep 60`;
  const s = await startTmux({ command, width: 100, height: 24, cwd: dir, env: opts.env });
  sessions.push(s);
  return s;
}

/** pid of vhtop itself: the child of the pane's shell. */
async function vhtopPid(s: TmuxSession): Promise<number> {
  const [pid] = await s.childPids();
  if (!pid) throw new Error('vhtop is not running in the pane');
  return pid;
}

/** The live screen is up: a table row with a status word. */
const drawn = (t: string) => /(^|\n)(> | {2})up\s+(?:[\w-]+\s+)?网关/.test(t);

/** Non-empty lines of the pane. */
const linesOf = (screen: string) => screen.split('\n').filter((l) => l.trim() !== '');

/** Writes a preload module into the scratch directory and returns the node options that load it. */
function preload(name: string, code: string): string[] {
  const file = path.join(dir, name);
  writeFileSync(file, code);
  return ['--import', pathToFileURL(file).href];
}

// A message with a title-setting OSC sequence and a line break: neither may reach the terminal as such.
const HOSTILE = String.raw`injected failure\x1b]2;pwned\x07\nsecond line`;

describe.runIf(tmuxOk)('terminal lifecycle of the TUI (tmux)', () => {
  for (const key of ['q', 'C-c']) {
    it(`${key} leaves the alternate screen and shows the cursor again`, async () => {
      const s = await vhtop();
      await s.waitFor(drawn);
      expect(await s.modes()).toEqual({ alternate: true, cursor: false }); // what the check below undoes
      await s.send(key);
      expect(await s.waitFor('exit=')).toContain('exit=0');
      expect(await s.modes()).toEqual({ alternate: false, cursor: true });
    });
  }

  it('q quits within a frame on a 1 MiB registry of entries that all share one port', async () => {
    // 20k entries on one port: every refresh classifies them and searches a fix for each. That work
    // must never hold the keyboard: q is read and acted on between refreshes.
    const big = path.join(dir, 'big.yaml');
    const entries: string[] = [];
    for (let i = 0, size = 0; size < 1_000_000 - 64; i++) {
      const line = `  - { id: s${i}, name: s${i}, port: ${web?.port ?? 8080} }`;
      entries.push(line);
      size += line.length + 1;
    }
    writeFileSync(big, `version: 1\nservices:\n${entries.join('\n')}\n`);
    const s = await vhtop({ args: ['--registry', big] });
    await s.waitFor((t) => /\d{4,} rows/.test(t), 60_000);
    await s.send('q');
    // Before the fix search was linear this took over 30 s; a frame is well under the limit here.
    expect(await s.waitFor('exit=', 15_000)).toContain('exit=0');
  });

  const failures = [
    { what: 'an exception thrown from a timer', code: `setTimeout(() => { throw new Error("${HOSTILE}"); });` },
    { what: 'a rejected promise nobody handles', code: `void Promise.reject(new Error("${HOSTILE}"));` },
  ];
  for (const { what, code } of failures) {
    it(`${what}: terminal restored first, then one clean line, exit 70`, async () => {
      // The failure is triggered by SIGUSR2 once the screen is drawn, so it hits the live TUI.
      const s = await vhtop({ node: preload(`fail-${failures.findIndex((f) => f.what === what)}.mjs`, `process.on('SIGUSR2', () => { ${code} });\n`) });
      await s.waitFor(drawn);
      process.kill(await vhtopPid(s), 'SIGUSR2');
      const screen = await s.waitFor('exit=');
      expect(linesOf(screen)).toEqual(['vhtop: internal error: injected failure second line', 'exit=70']);
      expect(await s.modes()).toEqual({ alternate: false, cursor: true });
      expect(await s.title()).not.toBe('pwned');
    });
  }

  it('an error while drawing a frame: terminal restored first, then one clean line, exit 70', async () => {
    // Once armed, Date.now() throws when the App component calls it while rendering (the header's age).
    const hook = [
      'const real = Date.now;',
      'let armed = false;',
      "process.on('SIGUSR2', () => { armed = true; });",
      `Date.now = () => { if (armed && /\\bat App \\(/.test(new Error().stack ?? '')) throw new Error("${HOSTILE}"); return real(); };`,
      '',
    ].join('\n');
    const s = await vhtop({ node: preload('fail-render.mjs', hook) });
    await s.waitFor(drawn);
    process.kill(await vhtopPid(s), 'SIGUSR2');
    // Any key that redraws (s: next sort column) renders the App again; repeat until the armed render fails.
    let screen = '';
    for (let i = 0; i < 100 && !screen.includes('exit='); i++) {
      await s.send('s');
      await new Promise((r) => setTimeout(r, 200));
      screen = await s.capture();
    }
    screen = await s.waitFor('exit=');
    expect(linesOf(screen)).toEqual(['vhtop: internal error: injected failure second line', 'exit=70']);
    expect(await s.modes()).toEqual({ alternate: false, cursor: true });
    expect(await s.title()).not.toBe('pwned');
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} while the log pane follows ends docker's child processes and restores the terminal`, async () => {
      const f = fakeEnv();
      fakes.push(f);
      const logsRegistry = path.join(f.dir, 'registry.yaml');
      writeFileSync(logsRegistry, 'version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app, docker: web }\n');
      const cmd = [process.execPath, BIN, '--registry', logsRegistry].map(shellQuote).join(' ');
      const s = await startTmux({ command: `${cmd}; echo "exit=$?"; sleep 60`, width: 100, height: 24, cwd: f.dir, env: f.env() });
      sessions.push(s);
      await s.waitFor(/> down\s+(?:[\w-]+\s+)?Web/);
      await s.send('l');
      await s.waitFor('web-1  | following');
      await waitFor(() => f.followerPids().length === 2);
      const [sh, sleeper] = f.followerPids() as [number, number];
      process.kill(await vhtopPid(s), signal);
      expect(await s.waitFor('exit=')).toContain(`exit=${code}`);
      await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
      expect(await s.modes()).toEqual({ alternate: false, cursor: true });
    });
  }

  const COLOUR = /\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7])(?:;\d+)*m/; // an SGR that sets a foreground colour
  for (const { variant, colour } of [
    { variant: {}, colour: true }, // the baseline: the same capture does show colour
    { variant: { env: { TERM: 'dumb' } }, colour: false },
    { variant: { args: ['--no-color'] }, colour: false },
  ]) {
    it(`${JSON.stringify(variant)}: status words always, colour ${colour ? 'on' : 'off'}`, async () => {
      const s = await vhtop(variant);
      const screen = await s.waitFor((t) => drawn(t) && /down\s+(?:[\w-]+\s+)?离线/.test(t));
      expect(screen).toMatch(/up 1\s+down 1\s+conflict 0\s+unexpected \d+\s+exposed 0/);
      const styled = await s.captureStyled();
      expect(styled).toContain('网关');
      if (colour) expect(styled).toMatch(COLOUR);
      else expect(styled).not.toMatch(COLOUR);
      await s.send('q');
      expect(await s.waitFor('exit=')).toContain('exit=0');
    });
  }
});

describe('a checkout that was never built', () => {
  it('says in one line what to run instead of a module-resolution stack trace, exit 2', () => {
    const copy = path.join(dir, 'unbuilt');
    // bin/ as shipped (its package.json makes vhtop.js CommonJS inside this ES module package), no dist/.
    cpSync(path.dirname(BIN), path.join(copy, 'bin'), { recursive: true });
    writeFileSync(path.join(copy, 'package.json'), '{ "type": "module" }\n');
    const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'vhtop.js')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('vhtop: the CLI is not built (dist/bundle/cli.cjs is missing): run `npm run build` (npm ci does it)\n');
  });
});
