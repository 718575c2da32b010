/**
 * `docker compose stop SERVICE`, the way to free a port published by a container (killing docker-proxy
 * would break Docker, not stop the service). Runs through the exec door: an argument array, no shell.
 */
import { cleanText } from '../core/sanitize.js';
import { describeComposeFailure, resolveComposeCli, validateDockerName } from './compose.js';
import { realExec, type Exec } from './exec.js';

/** How long compose may take to stop a container (its own stop timeout is 10 s). */
const STOP_TIMEOUT_MS = 60_000;

/** Runs the stop in `cwd` (compose finds the project there) and returns one line saying what happened. */
export async function composeStop(service: string, cwd: string, exec: Exec = realExec, env?: Readonly<Record<string, string | undefined>>): Promise<{ ok: boolean; message: string }> {
  if (!validateDockerName(service)) return { ok: false, message: `not a compose service name: ${JSON.stringify(cleanText(service))}` };
  const cli = await resolveComposeCli(exec, env);
  if ('error' in cli) return { ok: false, message: cleanText(cli.error) };
  const r = await exec.run(cli.file, [...cli.prefix, 'stop', service], { cwd, timeoutMs: STOP_TIMEOUT_MS, ...(env === undefined ? {} : { env }) });
  const line = [cli.file, ...cli.prefix, 'stop', service].join(' ');
  if (r.cancelled) return { ok: false, message: `${line}: no answer within ${STOP_TIMEOUT_MS / 1000} s` };
  if (r.exitCode !== 0) return { ok: false, message: `${line} failed: ${cleanText(describeComposeFailure(r.stderr, service))}` };
  return { ok: true, message: `${line}: stopped` };
}
