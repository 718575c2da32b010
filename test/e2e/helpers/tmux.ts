import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';

const run = promisify(execFile);

/** Options of {@link startTmux}. */
export interface TmuxStartOptions {
  /** Shell command line run in the pane (by the default shell, so `; echo "exit=$?"` works). */
  readonly command: string;
  readonly width?: number;
  readonly height?: number;
  /** Extra environment for the command (CI=true is always set, as on a CI machine). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** A tmux session on a private server socket; always call {@link TmuxSession.kill} in afterEach. */
export interface TmuxSession {
  readonly socket: string;
  readonly name: string;
  /** Sends tmux key names or literal text: `send('q')`, `send('Escape')`, `send('C-c')`. */
  send(...keys: string[]): Promise<void>;
  /** Sends text literally (no key-name lookup), e.g. a filter string. */
  type(text: string): Promise<void>;
  /** The visible pane as plain text (no escape sequences). */
  capture(): Promise<string>;
  /** The visible pane with its colour/attribute escape sequences (capture-pane -e). */
  captureStyled(): Promise<string>;
  /** Polls capture() until `test` matches; throws with the last screen after `timeoutMs` (a limit, not an assertion). */
  waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Terminal modes the program left the pane in: alternate screen on, cursor visible. */
  modes(): Promise<{ alternate: boolean; cursor: boolean }>;
  /** The pane's title (a program can set it with an OSC escape sequence). */
  title(): Promise<string>;
  /** pid of the process running in the pane (the shell or the command). */
  panePid(): Promise<number>;
  /** pids of the children of the pane's process (e.g. the program the shell started). */
  childPids(): Promise<number[]>;
  /** Changes the window size (the command sees SIGWINCH). */
  resize(width: number, height: number): Promise<void>;
  /** Kills the session and its server; safe to call twice. */
  kill(): Promise<void>;
}

/** Runs a tmux command against `socket`. */
async function tmux(socket: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  return stdout;
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Starts a detached tmux session of the given size running `command`. */
export async function startTmux(options: TmuxStartOptions): Promise<TmuxSession> {
  const socket = `vhtop-test-${randomBytes(6).toString('hex')}`;
  const name = `s${randomBytes(4).toString('hex')}`;
  const width = options.width ?? 120;
  const height = options.height ?? 30;
  const envWords = Object.entries(options.env ?? {}).map(([k, v]) => shellQuote(`${k}=${v}`));
  // CI=true on purpose: CI runs these tests with it set, and Ink draws only the final frame when it
  // believes it runs in CI — vhtop must still draw live on a terminal (cli.tsx hides it from Ink).
  // The pane stays open afterwards (remain-on-exit) so a test can read the exit status line.
  const line = ['env', 'CI=true', 'TERM=xterm-256color', ...envWords, 'sh', '-c', shellQuote(options.command)].join(' ');
  const args = ['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height)];
  if (options.cwd) args.push('-c', options.cwd);
  args.push(line);
  await tmux(socket, args);
  await tmux(socket, ['set-option', '-t', name, 'remain-on-exit', 'on']).catch(() => undefined);
  // Make the window follow the requested size even though no client is attached.
  await tmux(socket, ['set-option', '-t', name, 'window-size', 'manual']).catch(() => undefined);
  await tmux(socket, ['resize-window', '-t', name, '-x', String(width), '-y', String(height)]).catch(() => undefined);
  let killed = false;
  const session: TmuxSession = {
    socket,
    name,
    async send(...keys) {
      await tmux(socket, ['send-keys', '-t', name, ...keys]);
    },
    async type(text) {
      await tmux(socket, ['send-keys', '-t', name, '-l', text]);
    },
    async capture() {
      return tmux(socket, ['capture-pane', '-p', '-t', name]);
    },
    async captureStyled() {
      return tmux(socket, ['capture-pane', '-p', '-e', '-t', name]);
    },
    async waitFor(test, timeoutMs = 30_000) {
      const matches =
        typeof test === 'string' ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
      const deadline = Date.now() + timeoutMs;
      let screen = '';
      for (;;) {
        screen = await session.capture().catch(() => screen);
        if (matches(screen)) return screen;
        if (Date.now() > deadline) {
          throw new Error(`tmux: timed out waiting for ${String(test)}; screen was:\n${screen}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async modes() {
      const out = await tmux(socket, ['display-message', '-p', '-t', name, '#{alternate_on} #{cursor_flag}']);
      const [alternate, cursor] = out.trim().split(' ');
      return { alternate: alternate === '1', cursor: cursor === '1' };
    },
    async title() {
      return (await tmux(socket, ['display-message', '-p', '-t', name, '#{pane_title}'])).replace(/\n$/, '');
    },
    async panePid() {
      const out = await tmux(socket, ['display-message', '-p', '-t', name, '#{pane_pid}']);
      return Number(out.trim());
    },
    async childPids() {
      const pid = await session.panePid();
      const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
      return text.split(/\s+/).filter(Boolean).map(Number);
    },
    async resize(w, h) {
      await tmux(socket, ['resize-window', '-t', name, '-x', String(w), '-y', String(h)]);
    },
    async kill() {
      if (killed) return;
      killed = true;
      await tmux(socket, ['kill-server']).catch(() => undefined);
    },
  };
  return session;
}

/** True when tmux can be run here (tests skip with a clear reason otherwise). */
export async function hasTmux(): Promise<boolean> {
  try {
    await run('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}
