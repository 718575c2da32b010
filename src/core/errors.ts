/**
 * Expected errors. The CLI prints their message as one line and exits 2; anything else is a bug.
 */

/** A bad flag or argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A configuration error in a file (registry, .env, compose file): names the file, the line and the
 * field, e.g. `registry.yaml:12: services[3].port: must be a whole number from 1 to 65535 (got 70000)`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${problem}`);
  }
}

/** True for errors that end in exit 2 with one line instead of a stack trace. */
export function isExpectedError(e: unknown): e is UsageError | ConfigError {
  return e instanceof UsageError || e instanceof ConfigError;
}
