/**
 * The service catalogue: registry.yaml read, validated and turned into ServiceDef values.
 * The schema is in docs/registry.md; every problem is one ConfigError line `FILE:LINE: FIELD: problem`.
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Catalogue, ServiceDef } from './types.js';
import { ConfigError } from './errors.js';
import { cleanText } from './sanitize.js';
import { MAX_CONFIG_BYTES, tooLarge } from './catalogue-read.js';
import { checkAliasCount, describe, NodeReader } from './catalogue-yaml.js';
import { readEntry } from './catalogue-entry.js';

const TOP_KEYS = ['version', 'services'] as const;

const NOT_A_REGISTRY = 'not a vhtop registry (a registry is a YAML mapping with "version: 1" and "services:")';

/** A mapping (not an alias) with a plain `version` or `services` key at the top. */
function looksLikeRegistry(contents: unknown): boolean {
  if (!isMap(contents)) return false;
  return contents.items.some((pair) => isScalar(pair.key) && (TOP_KEYS as readonly unknown[]).includes(pair.key.value));
}

/**
 * Validates registry text (the pure part of {@link loadCatalogue}). `file` is only used in messages
 * and as `Catalogue.file`. Reports the first problem found.
 */
export function parseCatalogue(text: string, file: string): Catalogue {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) throw tooLarge(file, Buffer.byteLength(text, 'utf8'));
  const lines = new LineCounter();
  let doc;
  try {
    // uniqueKeys off: duplicates are reported by NodeReader.fields(), which can name the field.
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    // yaml reports problems in doc.errors; this is only a last guard so a parser bug stays one line.
    throw new ConfigError(file, null, null, `cannot parse YAML: ${cleanText(e instanceof Error ? e.message : String(e))}`);
  }
  // Syntax errors and warnings (e.g. an unknown !tag) first: later checks would only be confusing.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const first = cleanText(problem.message.split('\n')[0] ?? '');
    throw new ConfigError(file, lines.linePos(problem.pos[0]).line, null, `YAML ${doc.errors[0] ? 'syntax error' : 'problem'}: ${first}`);
  }

  const r = new NodeReader(file, doc, lines);
  if (doc.contents === null) throw new ConfigError(file, 1, 'version', 'is required: the registry is empty (it starts with "version: 1")');
  // Any text file parses as YAML of some sort (/etc/shadow is a mapping or a string): when it is not
  // shaped like a registry, say so without quoting a byte of it.
  if (!looksLikeRegistry(doc.contents)) throw new ConfigError(file, null, null, NOT_A_REGISTRY);
  checkAliasCount(r, doc);
  const top = r.fields(doc.contents, '', TOP_KEYS, (key) => key.startsWith('x-'));
  const topLine = r.lineOf(doc.contents) ?? 1;

  const version = top.get('version');
  if (!version) throw new ConfigError(file, topLine, 'version', 'is required (write "version: 1")');
  if (r.scalar(version.value, 'version') !== 1) r.fail(version.value ?? version.keyNode, 'version', `must be 1 (got ${describe(version.value)})`);

  const servicesField = top.get('services');
  if (!servicesField || r.scalar(servicesField.value, 'services') === null) {
    throw new ConfigError(file, r.lineOf(servicesField?.keyNode) ?? topLine, 'services', 'is required: a list of service entries');
  }
  const items = r.items(servicesField.value, 'services');
  if (items.length === 0) r.fail(servicesField.value, 'services', 'must list at least one service');

  const services: ServiceDef[] = [];
  const byId = new Map<string, ServiceDef>();
  items.forEach((item, index) => {
    const def = readEntry(r, item, index);
    const earlier = byId.get(def.id);
    if (earlier) {
      throw new ConfigError(file, def.line, `services[${index}].id`, `duplicate id "${def.id}" (first used on line ${earlier.line})`);
    }
    byId.set(def.id, def);
    services.push(def);
  });
  return Object.freeze({ file, services: Object.freeze(services) });
}
