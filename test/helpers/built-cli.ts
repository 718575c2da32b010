/**
 * The built CLI (`npx tsc -p .` first) as the end-to-end tests of kill, logs and why run it: one
 * place for where it lives and how a run's exit code and output are collected.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Repository root. */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** `bin/vhtop.js`, the entry a user runs (it imports the bundle dist/bundle/cli.js). */
export const BIN = path.join(ROOT, 'bin', 'vhtop.js');

/** True when the CLI has been built. */
export function isBuilt(): boolean {
  return existsSync(path.join(ROOT, 'dist', 'bundle', 'cli.js'));
}

/** Result of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runBuiltCli}. */
export interface CliRunOptions {
  readonly cwd: string;
  /** The whole environment of the run: nothing of the test runner's leaks in unless passed here. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A command the run is wrapped in, e.g. `['setpriv', '--reuid=65534', ...]` to run as another user. */
  readonly wrapper?: readonly string[];
  /** The bin/vhtop.js to run (default: this checkout's), e.g. a copy another user can read. */
  readonly bin?: string;
}

/**
 * Runs `node bin/vhtop.js ...args` to its end. A non-zero exit is a result; a run that could not
 * start or was cut off (60 s limit) rejects, so that it shows up as itself and not as an exit code.
 */
export function runBuiltCli(args: readonly string[], o: CliRunOptions): Promise<CliRun> {
  const argv = [...(o.wrapper ?? []), process.execPath, o.bin ?? BIN, ...args];
  const [file, ...rest] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    // A big maxBuffer: `list --json` on a busy machine (another program's 15k sockets) is megabytes.
    execFile(file, rest, { cwd: o.cwd, env: o.env, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(err);
        return;
      }
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}
