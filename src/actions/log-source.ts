import { cleanText } from '../core/sanitize.js';
import { composeLogArgs, findComposeFile, resolveComposeCli, validateDockerName } from './compose.js';
import type { Exec } from './exec.js';
import { journalArgs, systemdUnitOf } from './journal.js';

/** What to run for a service's logs, or why there is nothing to run. */
export type LogSource =
  | { readonly kind: 'compose'; readonly file: string; readonly args: readonly string[]; readonly label: string; readonly service: string }
  | { readonly kind: 'journal'; readonly file: string; readonly args: readonly string[]; readonly label: string; readonly service: string }
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
 * Picks the log source: a registry `docker:` name means `docker compose logs` (or `docker-compose`);
 * else the port owner's systemd unit means `journalctl -u`; else a plain "no log source known".
 * Throws ConfigError only for a missing `--compose-file`.
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
  const unit = req.pid !== null ? systemdUnitOf(req.pid, req.procRoot) : null;
  if (unit !== null) return { kind: 'journal', file: 'journalctl', args: journalArgs(unit, req.tail, req.follow), label, service: unit };
  const why = req.pid === null ? 'no docker: name in the registry and nothing listens' : 'no docker: name in the registry and its process is not in a systemd unit';
  return { kind: 'unavailable', message: `no log source known for ${label} (${why})` };
}

/** The command line of a source as a person would type it (for the pane title and --dry-run-like output). */
export function describeSource(s: LogSource): string {
  if (s.kind === 'unavailable') return s.message;
  return [s.file, ...s.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
