import { lstatSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import { realExec, runWithInput, type BytesResult } from './exec.js';

/** How vhtop reaches remote hosts: `--ssh-config FILE` and `--sudo`. */
export interface SshSettings {
  /** Passed as `ssh -F FILE`; null: the user's own ssh config. */
  readonly configFile: string | null;
  /** Run the remote script under `sudo -n` (never prompts: fails when sudo wants a password). */
  readonly sudo: boolean;
  /** The ssh executable (tests and the bench may point at another); default "ssh" on PATH. */
  readonly ssh?: string;
}

/** Our ConnectTimeout when the user's ssh config sets none. */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;

/** A TARGET starting with `-` would be read by ssh as an option: refused before anything runs. */
export function checkTarget(target: string): void {
  if (target === '' || target.startsWith('-') || /[\s\0]/.test(target)) {
    throw new UsageError(`bad --host ${JSON.stringify(cleanText(target))}: an ssh destination or Host alias, not starting with "-"`);
  }
}

let controlDirPath: string | null = null;

/**
 * A short directory only this user can enter, for the ssh connection sockets (`ControlPath`): a
 * socket path must stay under ~104 bytes, and nobody else may plant or reach our master connection.
 * One per user (`vhtop-ssh-UID` in the temp dir) so one-shot commands reuse the connection kept open
 * by ControlPersist; a path that is not our own 0700 directory is never used (a fresh one is made).
 */
export function controlDir(): string {
  if (controlDirPath !== null) return controlDirPath;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const base = tmpdir().length <= 40 ? tmpdir() : '/tmp';
  const dir = path.join(base, `vhtop-ssh-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // Exists already (checked below), or cannot be made (a fresh one below).
  }
  try {
    const st = lstatSync(dir);
    if (st.isDirectory() && !st.isSymbolicLink() && st.uid === uid && (st.mode & 0o077) === 0) return (controlDirPath = dir);
  } catch {
    // Fall through.
  }
  return (controlDirPath = mkdtempSync(path.join(base, 'vhtop-ssh-')));
}

const timeoutSet = new Map<string, boolean>();

/**
 * Whether the ssh config in effect for `target` sets ConnectTimeout itself (`ssh -G` prints the
 * resolved settings without connecting). The user's setting wins over our default of 10 s, as a
 * command-line `-o` would otherwise override it.
 */
async function configSetsTimeout(target: string, s: SshSettings): Promise<boolean> {
  const key = `${s.configFile ?? ''}\0${target}`;
  const known = timeoutSet.get(key);
  if (known !== undefined) return known;
  const r = await realExec.run(s.ssh ?? 'ssh', [...(s.configFile ? ['-F', s.configFile] : []), '-G', '--', target], { timeoutMs: 10_000 });
  const m = /^connecttimeout (\S+)$/m.exec(r.stdout);
  const set = r.exitCode === 0 && m !== null && m[1] !== 'none';
  timeoutSet.set(key, set);
  return set;
}

/**
 * The ssh argument array (no shell on our side): batch mode (never a prompt), a connect timeout,
 * keep-alives, a shared master connection, `options` (such as `-W HOST:PORT`), then `--`, the target
 * and the remote command. Host key
 * checking is left to the user's ssh config: vhtop never turns it off.
 */
export async function sshArgs(target: string, s: SshSettings, command: readonly string[], options: readonly string[] = []): Promise<string[]> {
  checkTarget(target);
  const timeout = (await configSetsTimeout(target, s)) ? [] : ['-o', `ConnectTimeout=${DEFAULT_CONNECT_TIMEOUT_S}`];
  return [
    ...(s.configFile ? ['-F', s.configFile] : []),
    '-T', '-o', 'BatchMode=yes', ...timeout,
    '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=2',
    '-o', 'ControlMaster=auto', '-o', 'ControlPersist=60s', '-o', `ControlPath=${controlDir()}/%C`,
    ...options,
    '--', target,
    ...command,
  ];
}

/** The remote command that runs a script from stdin: `sh -s`, or `sudo -n sh -s` with --sudo. */
export function shellCommand(s: SshSettings): string[] {
  return s.sudo ? ['sudo', '-n', 'sh', '-s'] : ['sh', '-s'];
}

/** ssh's own failure (exit 255) in words; the last stderr line otherwise. */
export function describeSshFailure(exitCode: number | null, stderr: string, s: SshSettings): string {
  const text = cleanText(stderr);
  const last = text.split('\n').map((l) => l.trim()).filter((l) => l !== '').pop() ?? '';
  if (exitCode === 255) {
    if (/host key verification failed|remote host identification has changed|no \S+ host key is known/i.test(text)) {
      return 'host key not trusted: add the host to known_hosts (vhtop never turns host key checking off)';
    }
    if (/permission denied|too many authentication failures|no more authentication methods/i.test(text)) {
      return 'authentication failed (batch mode, no password prompt: use a key or ssh-agent)';
    }
    if (/timed out|timeout/i.test(text)) return 'timed out connecting (ConnectTimeout)';
    if (/connection refused/i.test(text)) return 'connection refused';
    if (/could not resolve hostname|name or service not known/i.test(text)) return 'unknown host name';
    if (/no route to host|network is unreachable/i.test(text)) return 'no route to host';
    if (/connection closed|connection reset|kex_exchange_identification/i.test(text)) return 'connection closed by the remote side';
    return `ssh failed: ${last.slice(0, 200) || 'exit 255'}`;
  }
  if (s.sudo && /sudo:.*password/i.test(text)) return 'sudo needs a password (--sudo runs sudo -n): allow it without one, or drop --sudo';
  if (exitCode === 127) return `the remote side has no ${s.sudo ? 'sudo or ' : ''}sh: ${last.slice(0, 200)}`;
  return `remote script failed (exit ${exitCode ?? 'signal'})${last ? `: ${last.slice(0, 200)}` : ''}`;
}

/** Limits of one remote run. */
export interface RemoteRunOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Runs `script` on `target` through `sh -s` (under sudo with --sudo); stdout bounded. */
export async function runRemoteScript(target: string, s: SshSettings, script: string, o: RemoteRunOptions): Promise<BytesResult> {
  const args = await sshArgs(target, s, shellCommand(s));
  return runWithInput(s.ssh ?? 'ssh', args, script, { maxBytes: o.maxBytes, timeoutMs: o.timeoutMs, signal: o.signal });
}
