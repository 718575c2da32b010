import { isAlias, isMap, isScalar, isSeq, visit, type Document, type LineCounter } from 'yaml';
import { ConfigError } from './errors.js';
import { keyText, visible } from './catalogue-read.js';
import { editDistance } from './edit-distance.js';

/**
 * Most aliases (`*name`) one registry may contain. Counted in the document, not per use: 40 entries
 * sharing `profiles: *pd` are 40 aliases, however often the reader follows them. The reader never
 * calls `toJS()` and the schema has a fixed depth, so an "alias bomb" is rejected by its shape at
 * the first nested alias; the work the aliases can cause is bounded by {@link MAX_EXPANDED_BYTES}.
 */
export const MAX_ALIAS_RESOLUTIONS = 1000;

/**
 * Most source text all followed aliases may stand for together: the registry with its aliases
 * written out may not be larger than a registry file may be. 1000 aliases of one 500 KiB list would
 * otherwise make the reader walk half a gigabyte.
 */
export const MAX_EXPANDED_BYTES = 1024 * 1024;

/**
 * Throws when `doc` holds more than {@link MAX_ALIAS_RESOLUTIONS} aliases, at the line of the first
 * one over the budget.
 */
export function checkAliasCount(r: NodeReader, doc: Document): void {
  let count = 0;
  visit(doc, {
    Alias(_key, node) {
      count += 1;
      if (count > MAX_ALIAS_RESOLUTIONS) r.fail(node, null, `too many YAML aliases (more than ${MAX_ALIAS_RESOLUTIONS}); write the values out`);
    },
  });
}

/** A key/value pair of a YAML mapping, aliases already followed. */
export interface Field {
  /** The key node (for its line). */
  readonly keyNode: unknown;
  /** The value (a yaml Node, or null for `key:` with nothing after it). */
  readonly value: unknown;
}

/**
 * Walks the yaml AST (never `toJS()`): every value keeps its source range, so every complaint can
 * name the file, the line and the field. All methods throw ConfigError.
 */
export class NodeReader {
  /** Bytes of source text the followed aliases stood for so far. */
  private expanded = 0;
  private readonly counted = new Set<unknown>();

  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** 1-based line where `node` starts, or null when it has no position. */
  lineOf(node: unknown): number | null {
    const range = (node as { range?: unknown } | null)?.range;
    if (!Array.isArray(range) || typeof range[0] !== 'number') return null;
    return this.lines.linePos(range[0]).line;
  }

  /** Throws the one-line error for `field` at the line of `node` (or `fallbackLine`). */
  fail(node: unknown, field: string | null, problem: string, fallbackLine: number | null = null): never {
    throw new ConfigError(this.file, this.lineOf(node) ?? fallbackLine, field, problem);
  }

  /** Follows an alias (their number is bounded by {@link checkAliasCount}); other nodes pass through. */
  deref(node: unknown, field: string): unknown {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    if (target === undefined) this.fail(node, field, `YAML alias *${visible(node.source)} refers to no anchor`);
    const range = (target as { range?: unknown }).range;
    // Each alias counts once, however often the reader looks at it (a field is read more than once).
    if (this.counted.has(node)) return target;
    this.counted.add(node);
    if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') this.expanded += range[1] - range[0];
    if (this.expanded > MAX_EXPANDED_BYTES) this.fail(node, field, `YAML aliases stand for more than 1 MiB of text; write the values out`);
    return target;
  }

  /**
   * The fields of a mapping, in source order. Rejects a non-mapping, keys that are not plain text,
   * duplicate keys (parsed with uniqueKeys off so the duplicate can be named here) and unknown keys.
   * Keys for which `ignored` holds are skipped (the top level's `x-` keys).
   */
  fields(node: unknown, field: string, known: readonly string[], ignored: (key: string) => boolean = () => false): Map<string, Field> {
    const map = this.deref(node, field);
    if (!isMap(map)) this.fail(node, field || null, `must be a mapping of keys to values (got ${describe(map)})`);
    const out = new Map<string, Field>();
    for (const pair of map.items) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) && typeof keyNode.value === 'string' ? keyNode.value : null;
      const where = field ? `${field}.` : '';
      if (key === null) this.fail(keyNode ?? map, field || null, `keys must be plain names (got ${describe(keyNode)})`);
      if (ignored(key)) continue;
      const name = `${where}${keyText(key)}`;
      const first = out.get(key);
      if (first) this.fail(keyNode, name, `duplicate key (first given on line ${this.lineOf(first.keyNode) ?? '?'})`);
      if (!known.includes(key)) {
        const hint = closest(key, known);
        this.fail(keyNode, name, `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; known keys: ${known.join(', ')}`);
      }
      out.set(key, { keyNode, value: pair.value });
    }
    return out;
  }

  /** Items of a sequence (aliases followed per item by the caller). */
  items(node: unknown, field: string): readonly unknown[] {
    const seq = this.deref(node, field);
    if (!isSeq(seq)) this.fail(node, field, `must be a list (got ${describe(seq)})`);
    return seq.items;
  }

  /** The plain value of a scalar (string, number, boolean, null), or undefined for a collection. */
  scalar(node: unknown, field: string): unknown {
    const n = this.deref(node, field);
    if (n === null || n === undefined) return null;
    return isScalar(n) ? n.value : undefined;
  }
}

/** Short description of a YAML node or value for "(got ...)" — cleaned, never longer than ~40 chars. */
export function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  const value = isScalar(node) ? node.value : node;
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(visible(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'a value of another type';
}

/** The known key nearest to a misspelt one (edit distance <= 2), for "did you mean". */
function closest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = Math.abs(key.length - k.length) > 2 ? 3 : editDistance(key.toLowerCase(), k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}
