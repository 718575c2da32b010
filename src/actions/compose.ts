import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { COMPOSE_FILE_NAMES } from '../core/compose-files.js';
import { ConfigError } from '../core/errors.js';
import type { Exec } from './exec.js';


const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** How to run compose on this machine: `docker compose ...` or the old `docker-compose ...`. */
export type ComposeCli = { file: string; prefix: string[] };

/** Result of {@link resolveComposeCli}: the CLI, or one line that says why there is none. */
export type ComposeCliResult = ComposeCli | { error: string };

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function firstComposeFileIn(dir: string): string | null {
  for (const name of COMPOSE_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (isFile(candidate)) return candidate;
  }
  return null;
}

/**
 * Picks the compose file: an explicit `--compose-file` (must exist, else {@link ConfigError}), else a
 * compose file in `cwd`, else one beside the registry, else null (compose then uses its own lookup).
 */
export function findComposeFile(opts: { explicit: string | null; cwd: string; registryFile: string }): string | null {
  if (opts.explicit !== null) {
    const file = path.resolve(opts.cwd, opts.explicit);
    if (!existsSync(file)) throw new ConfigError(file, null, '--compose-file', 'file not found');
    if (!isFile(file)) throw new ConfigError(file, null, '--compose-file', 'not a regular file');
    return file;
  }
  return firstComposeFileIn(opts.cwd) ?? firstComposeFileIn(path.dirname(path.resolve(opts.cwd, opts.registryFile)));
}

/**
 * Finds a working compose CLI. `docker compose version` proves the plugin is there (it needs no
 * daemon); otherwise the standalone `docker-compose` binary. The error is one line a person can act on.
 */
export async function resolveComposeCli(exec: Exec, env?: Readonly<Record<string, string | undefined>>): Promise<ComposeCliResult> {
  const opts = env === undefined ? { timeoutMs: 10_000 } : { env, timeoutMs: 10_000 };
  const plugin = await exec.run('docker', ['compose', 'version'], opts);
  if (!plugin.notFound && plugin.exitCode === 0) return { file: 'docker', prefix: ['compose'] };
  const standalone = await exec.run('docker-compose', ['version'], opts);
  if (!standalone.notFound && standalone.exitCode === 0) return { file: 'docker-compose', prefix: [] };
  if (plugin.notFound && standalone.notFound) return { error: 'docker not installed (neither `docker` nor `docker-compose` is on PATH)' };
  return { error: 'docker compose not available (`docker compose version` failed and there is no `docker-compose`)' };
}

/** Compose arguments after the CLI prefix: `['-f', FILE, ...subcommand]`, or just the subcommand. */
export function composeArgs(composeFile: string | null, subcommand: readonly string[]): string[] {
  return composeFile === null ? [...subcommand] : ['-f', composeFile, ...subcommand];
}

/**
 * `logs` arguments after the CLI prefix, the one spelling `vhtop logs`, the TUI log pane and
 * `vhtop why` share: `[-f FILE] logs --no-color --tail N [--follow] -- NAME`.
 */
export function composeLogArgs(composeFile: string | null, name: string, tail: number, follow = false): string[] {
  return composeArgs(composeFile, ['logs', '--no-color', '--tail', String(tail), ...(follow ? ['--follow'] : []), '--', name]);
}

/** True for a name docker compose accepts as a service name (registry `docker:` values). */
export function validateDockerName(name: string): boolean {
  return DOCKER_NAME.test(name);
}

/**
 * Turns compose / docker stderr into one line: the daemon being down and an unknown service are the
 * common cases and deserve their own words; anything else is its first non-empty line.
 */
export function describeComposeFailure(stderr: string, service: string): string {
  if (/cannot connect to the docker daemon|is the docker daemon running|docker\.sock.*(no such file|connection refused)/i.test(stderr)) {
    return 'the Docker daemon is not running (cannot connect to the Docker daemon)';
  }
  if (/permission denied while trying to connect to the docker daemon/i.test(stderr)) {
    return 'no permission to talk to the Docker daemon (join the docker group or use sudo)';
  }
  if (/no such service|service .* not found|no service selected/i.test(stderr)) {
    return `unknown compose service ${service}`;
  }
  if (/no configuration file provided|can't find a suitable configuration file/i.test(stderr)) {
    return 'no compose file found (use --compose-file FILE)';
  }
  const first = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return first ?? 'docker compose failed';
}
