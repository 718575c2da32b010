/**
 * The compose project name, worked out the way compose itself does: COMPOSE_PROJECT_NAME from the
 * environment, then from the .env beside the compose file, then the file's top-level `name:`, then
 * the name of the compose file's directory. The container-state fallback filters `docker ps` by it,
 * so that a same-named service of another project is not taken for this one.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { MAX_CONFIG_BYTES } from '../core/catalogue-read.js';
import { parseEnvFile } from '../core/env.js';

/** Compose's normalisation: lower case, only a-z 0-9 _ -, starting with a letter or digit. */
export function normalizeProjectName(raw: string): string | null {
  const name = raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  return name === '' ? null : name;
}

/** A small regular file's text, or null (missing, a FIFO or device, too large, unreadable). */
function smallFile(file: string): string | null {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_CONFIG_BYTES) return null;
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function fromEnvFile(dir: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const file = path.join(dir, '.env');
  const text = smallFile(file);
  if (text === null) return undefined;
  try {
    const vars = parseEnvFile(text, file, env);
    return Object.hasOwn(vars, 'COMPOSE_PROJECT_NAME') ? vars.COMPOSE_PROJECT_NAME : undefined;
  } catch {
    // A .env compose cannot read either: it would refuse to run, so there is no project to name.
    return undefined;
  }
}

/** Top-level `name:`; `undefined` when absent, null when it cannot be known without interpolation. */
function fromComposeFile(file: string): string | null | undefined {
  const text = smallFile(file);
  if (text === null) return undefined;
  try {
    const doc: unknown = parse(text);
    if (typeof doc !== 'object' || doc === null || !('name' in doc)) return undefined;
    const name = (doc as { name?: unknown }).name;
    if (typeof name !== 'string') return undefined;
    return name.includes('$') ? null : name;
  } catch {
    return undefined;
  }
}

/**
 * The project of `composeFile`, or null when it is not known (no compose file: compose would look one
 * up by itself; or a `name:` that needs variables vhtop does not resolve). Never throws.
 */
export function composeProjectName(composeFile: string | null, env: Readonly<Record<string, string | undefined>>): string | null {
  const fromEnv = env.COMPOSE_PROJECT_NAME;
  if (fromEnv !== undefined && fromEnv !== '') return normalizeProjectName(fromEnv);
  if (composeFile === null) return null;
  const dir = path.dirname(composeFile);
  const dotEnv = fromEnvFile(dir, env);
  if (dotEnv !== undefined && dotEnv !== '') return normalizeProjectName(dotEnv);
  const named = fromComposeFile(composeFile);
  if (named === null) return null;
  if (named !== undefined && named !== '') return normalizeProjectName(named);
  return normalizeProjectName(path.basename(path.resolve(dir)));
}
