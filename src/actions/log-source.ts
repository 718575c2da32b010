import { readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { cleanText } from '../core/sanitize.js';
import { composeLogArgs, findComposeFile, resolveComposeCli, validateDockerName } from './compose.js';
import type { Exec } from './exec.js';
import { journalArgs, systemdUnitOf } from './journal.js';

/** What to run for a service's logs, or why there is nothing to run. */
export type LogSource =
  | { readonly kind: 'compose'; readonly file: string; readonly args: readonly string[]; readonly label: string; readonly service: string }
  | { readonly kind: 'journal'; readonly file: string; readonly args: readonly string[]; readonly label: string; readonly service: string }
  /** The regular file the process's stdout or stderr points to, read (and followed) with tail. `service` is the file's path. */
  | { readonly kind: 'file'; readonly file: string; readonly args: readonly string[]; readonly label: string; readonly service: string }
  | { readonly kind: 'unavailable'; readonly message: string };

/** What {@link pickLogSource} needs to know. */
export interface LogRequest {
  /** Catalogue id (or another label for a bare listener). */
  readonly label: string;
  /** Registry `docker:` name, or null. */
  readonly docker: string | null;
  /** Owner pid of the port, for the systemd unit lookup; null when unknown. */
  readonly pid: number | null;
  readonly tail: number;
  readonly follow: boolean;
  /** `--compose-file`, or null. */
  readonly composeFile: string | null;
  readonly cwd: string;
  readonly registryFile: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly procRoot?: string;
}

/**
 * Picks the best log source it can prove: a registry `docker:` name means `docker compose logs` (or
 * `docker-compose`); else the port owner's systemd unit means `journalctl -u`; else the regular file
 * its stdout or stderr is redirected to (`tail`, following it like `tail -f`); else "unavailable",
 * naming every source it tried and why each did not apply. Throws ConfigError only for a missing
 * `--compose-file`. A service without `docker:` never looks for a compose file.
 */
export async function pickLogSource(req: LogRequest, exec: Exec): Promise<LogSource> {
  const label = cleanText(req.label);
  if (req.docker !== null) {
    if (!validateDockerName(req.docker)) {
      return { kind: 'unavailable', message: `registry docker name ${JSON.stringify(cleanText(req.docker))} of ${label} is not a valid compose service name` };
    }
    const file = findComposeFile({ explicit: req.composeFile, cwd: req.cwd, registryFile: req.registryFile });
    const cli = await resolveComposeCli(exec, req.env);
    if ('error' in cli) return { kind: 'unavailable', message: cli.error };
    return { kind: 'compose', file: cli.file, args: [...cli.prefix, ...composeLogArgs(file, req.docker, req.tail, req.follow)], label, service: req.docker };
  }
  const tried = ['docker compose: no docker: name in the registry'];
  if (req.pid === null) {
    tried.push('journald and its stdout/stderr: no process of it that vhtop can see listens on its port');
    return { kind: 'unavailable', message: `no log source for ${label}; tried ${tried.join('; ')}` };
  }
  const unit = systemdUnitOf(req.pid, req.procRoot);
  if (unit !== null) return { kind: 'journal', file: 'journalctl', args: journalArgs(unit, req.tail, req.follow), label, service: unit };
  tried.push(`journald: pid ${req.pid} is not in a systemd system unit`);
  const out = outputFile(req.pid, req.procRoot);
  if ('path' in out) {
    return { kind: 'file', file: 'tail', args: ['-n', String(req.tail), ...(req.follow ? ['-f'] : []), '--', out.path], label, service: out.path };
  }
  tried.push(`its stdout/stderr: ${out.why}`);
  return { kind: 'unavailable', message: `no log source for ${label}; tried ${tried.join('; ')}` };
}

/**
 * The regular file that fd 1 (else fd 2) of `pid` points to: where a `server > app.log 2>&1` writes.
 * A terminal, pipe, socket, /dev/null or a deleted file is no log to read.
 */
export function outputFile(pid: number, procRoot = '/proc'): { path: string } | { why: string } {
  const seen: string[] = [];
  for (const fd of [1, 2]) {
    let target: string;
    try {
      target = readlinkSync(path.join(procRoot, String(pid), 'fd', String(fd)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      seen.push(`fd ${fd} cannot be read (${code === 'EACCES' || code === 'EPERM' ? 'no permission: run with sudo' : (code ?? 'error')})`);
      continue;
    }
    if (!path.isAbsolute(target) || target.endsWith(' (deleted)')) {
      seen.push(`fd ${fd} is ${cleanText(target)}`);
      continue;
    }
    try {
      if (statSync(target).isFile()) return { path: target };
    } catch {
      // Gone, or in a mount namespace we cannot reach: not a file we can read.
    }
    seen.push(`fd ${fd} is ${cleanText(target)}, not a regular file`);
  }
  return { why: seen.join(', ') };
}

/** The command line of a source as a person would type it (for the pane title and --dry-run-like output). */
export function describeSource(s: LogSource): string {
  if (s.kind === 'unavailable') return s.message;
  return [s.file, ...s.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
