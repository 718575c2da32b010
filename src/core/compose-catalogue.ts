/**
 * Imported compose entries written out as registry YAML (what `vhtop import` prints), and read back
 * through the catalogue validator: the text printed is the text vhtop itself accepts.
 */
import path from 'node:path';
import type { ImportedEntry } from './compose-import.js';
import type { Catalogue } from './types.js';
import { parseCatalogue } from './catalogue.js';

/** The catalogue needs a group; compose has no such notion, so every imported entry is an application. */
const IMPORTED_GROUP = 'app';

const q = (s: string): string => JSON.stringify(s);

/** Comment text on one line: no line breaks can end the comment early. */
const comment = (s: string): string => s.replace(/[\r\n\u2028\u2029]+/g, ' ');

/** Registry YAML for the entries; `sources` are the compose files (and .env) named in the header comment. */
export function renderCatalogue(entries: readonly ImportedEntry[], sources: { readonly files: readonly string[]; readonly envFile: string | null }): string {
  const out: string[] = [
    `# vhtop catalogue imported from ${comment(sources.files.map((f) => path.basename(f)).join(', '))} (vhtop import).`,
    `# One entry per published host port; ports are the published defaults${sources.envFile === null ? '' : ` (with ${comment(path.basename(sources.envFile))})`}.`,
    'version: 1',
  ];
  out.push('services:');
  for (const e of entries) {
    out.push(`  # from ${comment(e.origin)}`);
    out.push(`  - id: ${q(e.id)}`);
    out.push(`    name: ${q(e.name)}`);
    out.push(`    port: ${e.port}`);
    if (e.protocol === 'udp') out.push('    protocol: udp');
    if (e.env !== null) out.push(`    env: ${e.env}`);
    out.push(`    group: ${IMPORTED_GROUP}`);
    if (e.profiles !== null) out.push(`    profiles: [${e.profiles.map(q).join(', ')}]`);
    out.push(`    docker: ${q(e.docker)}`);
    if (e.bind !== null) out.push(`    bind: ${e.bind}`);
    if (e.health?.kind === 'http') out.push(`    health: { http: ${q(e.health.path)}${e.health.https ? ', https: true' : ''} }`);
    else if (e.health?.kind === 'tcp') out.push('    health: { tcp: true }');
  }
  return `${out.join('\n')}\n`;
}

/** Validates rendered text as a registry; `label` is the file name messages and the header use. */
export function catalogueFromImport(text: string, label: string): Catalogue {
  return parseCatalogue(text, label);
}
