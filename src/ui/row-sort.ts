import { SORTS, type ViewName } from './columns.js';
import type { Row } from './view-model.js';

/**
 * Sorting of prebuilt table rows (the TUI itself orders positions, see table-model.ts, with the
 * same rule: the sort choice's key, then identity).
 */

/** Sort key `k` of a row; a lazily built row computes just that one. */
export function sortKey(row: Row, k: number): string | number {
  return (row.key ? row.key(k) : row.sort[k]) ?? 0;
}

/** The comparator of sort choice `index` of `view`; ties go by identity so rows do not jitter. */
function comparator(view: ViewName, index: number): (a: Row, b: Row) => number {
  const specs = SORTS[view];
  const k = index % specs.length;
  const sign = specs[k]?.descending ? -1 : 1;
  return (a: Row, b: Row): number => {
    const x = sortKey(a, k);
    const y = sortKey(b, k);
    if (x < y) return -sign;
    if (x > y) return sign;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** Rows ordered by sort choice `index` of `view`; ties keep identity order so rows do not jitter. */
export function sortRows(rows: readonly Row[], view: ViewName, index: number): Row[] {
  return [...rows].sort(comparator(view, index));
}
