/**
 * Loading a registry file: from the cache when this exact text was validated before, else through
 * the yaml parser, which is imported only then (it is the largest module a one-shot command loads).
 */
import { readCachedCatalogue, writeCachedCatalogue } from './catalogue-cache.js';
import { readConfigText } from './catalogue-read.js';
import type { Catalogue } from './types.js';
import path from 'node:path';
import { isComposeFileName } from './compose-files.js';

/**
 * Reads and validates a registry file. Throws ConfigError for every problem, a missing or unreadable
 * file included; the message names the file as given.
 */
export async function loadCatalogue(file: string): Promise<Catalogue> {
  if (isComposeFileName(file)) {
    // A compose file stands in for a registry: its published ports, imported as `vhtop import` would.
    const { loadComposeImport } = await import('./compose-load.js');
    return (await loadComposeImport([file], path.dirname(file), file)).catalogue;
  }
  const text = await readConfigText(file, 'registry');
  const cached = readCachedCatalogue(text, file);
  if (cached) return cached;
  const { parseCatalogue } = await import('./catalogue.js');
  const catalogue = parseCatalogue(text, file);
  writeCachedCatalogue(text, catalogue);
  return catalogue;
}
