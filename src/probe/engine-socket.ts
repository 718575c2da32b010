/**
 * Where a Docker engine would listen. Kept apart from the `docker ps` code so that deciding not to
 * ask an engine loads nothing that runs child processes.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether a Docker engine could answer here at all. Spawning the docker client costs more than the
 * whole socket scan of a one-shot `vhtop check`, so where no daemon socket exists (no engine, or the
 * engine is stopped and removed its socket) the client is not run. An explicit DOCKER_HOST or
 * DOCKER_CONTEXT is the user's word that an engine is elsewhere: only a unix socket there is checked.
 */
export function engineMayAnswer(env: Readonly<Record<string, string | undefined>>, exists: (file: string) => boolean = existsSync): boolean {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '') return host.startsWith('unix://') ? exists(host.slice('unix://'.length)) : true;
  if (env.DOCKER_CONTEXT !== undefined && env.DOCKER_CONTEXT !== '') return true;
  const candidates = ['/var/run/docker.sock', '/run/docker.sock'];
  // Rootless Docker puts its socket under the user's runtime directory.
  if (env.XDG_RUNTIME_DIR) candidates.push(path.join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  return candidates.some((file) => exists(file));
}
