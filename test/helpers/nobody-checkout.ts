/**
 * Running the built CLI as uid nobody (65534) via setpriv. A checkout inside a directory nobody
 * cannot traverse (a `mktemp -d` folder is 0700) cannot be run by nobody at all, so the runs go
 * through a world-readable copy of what the CLI needs at run time (bin/, dist/, package.json, the
 * bundled registry and node_modules, hard-linked where the file system allows) — or the tests skip
 * with a printed reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from './built-cli.js';

/** The setpriv prefix that runs a command as nobody, without supplementary groups. */
export const AS_NOBODY: readonly string[] = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/** A place nobody can run vhtop from: `bin` is its bin/vhtop.js, `root` its top directory. */
export interface NobodyCheckout {
  readonly root: string;
  readonly bin: string;
  remove(): void;
}

/** Why nobody cannot run `node bin --version` (its first line of stderr), or null when it can. */
function whyNobodyCannotRun(bin: string): string | null {
  const r = spawnSync(AS_NOBODY[0] as string, [...AS_NOBODY.slice(1), process.execPath, bin, '--version'], { cwd: '/', encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return null;
  return (r.error?.message ?? r.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${r.status}`).slice(0, 200);
}

const RUNTIME = ['bin', 'dist', 'package.json', 'registry.yaml', 'node_modules'];

/**
 * The checkout itself when nobody can run it from there, else a fresh world-readable copy (remove()
 * deletes it). `{ skip }` says why neither works (then print it and skip).
 */
export function nobodyCheckout(): NobodyCheckout | { readonly skip: string } {
  if (whyNobodyCannotRun(BIN) === null) return { root: ROOT, bin: BIN, remove: () => undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-nobody-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    chmodSync(dir, 0o755);
    for (const name of RUNTIME) {
      const from = path.join(ROOT, name);
      try {
        // Hard links: instant, and the files keep their own (world-readable) modes.
        execFileSync('cp', ['-rl', from, dir], { stdio: 'ignore' });
      } catch {
        rmSync(path.join(dir, name), { recursive: true, force: true });
        execFileSync('cp', ['-r', from, dir], { stdio: 'ignore' });
      }
    }
  } catch (e) {
    remove();
    return { skip: `cannot make a copy of the checkout that nobody can read: ${(e as Error).message}` };
  }
  const bin = path.join(dir, 'bin', 'vhtop.js');
  const why = whyNobodyCannotRun(bin);
  if (why !== null) {
    remove();
    return { skip: `nobody cannot run vhtop even from a world-readable copy in ${tmpdir()}: ${why}` };
  }
  return { root: dir, bin, remove };
}
