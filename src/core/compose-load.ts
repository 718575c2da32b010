/**
 * Reading compose files (and the .env beside the first one) into a validated catalogue: the shared
 * part of `vhtop import` and of the zero-config start in a directory that has only a compose file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readConfigText } from './catalogue-read.js';
import { catalogueFromImport, renderCatalogue } from './compose-catalogue.js';
import { importCompose, type ComposeText } from './compose-import.js';
import { parseEnvFile } from './env.js';
import { ConfigError } from './errors.js';
import type { Catalogue } from './types.js';

/** What an import produced: the YAML text, the catalogue it validates to, and notes on skipped ports. */
export interface LoadedImport {
  readonly text: string;
  readonly catalogue: Catalogue;
  readonly notes: readonly string[];
  readonly envFile: string | null;
}

/**
 * Imports `files` (paths as the user gave them, resolved against `cwd`). Variables come from the .env
 * beside the first file only, as compose reads it, never from vhtop's own environment: the output is
 * the same wherever it is run. `label` names the catalogue in messages.
 */
export async function loadComposeImport(files: readonly string[], cwd: string, label: string): Promise<LoadedImport> {
  const texts: ComposeText[] = [];
  for (const f of files) texts.push({ file: f, text: await readConfigText(path.resolve(cwd, f), 'compose file') });
  const first = files[0];
  if (first === undefined) throw new ConfigError(label, null, null, 'no compose file given');
  const envPath = path.join(path.dirname(path.resolve(cwd, first)), '.env');
  const envFile = existsSync(envPath) ? envPath : null;
  const vars = envFile === null ? {} : parseEnvFile(await readConfigText(envFile, '.env file'), envFile, {});
  const { entries, notes } = importCompose(texts, (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined));
  if (entries.length === 0) throw new ConfigError(first, null, 'services', 'no service publishes a host port: nothing to import');
  const text = renderCatalogue(entries, { files, envFile });
  return { text, catalogue: { ...catalogueFromImport(text, label), imported: true }, notes, envFile };
}
