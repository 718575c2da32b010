/** Compose file names docker compose itself looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

/** True for a path whose file name docker compose would pick on its own. */
export function isComposeFileName(file: string): boolean {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return COMPOSE_FILE_NAMES.includes(base);
}
