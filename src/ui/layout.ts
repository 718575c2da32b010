import type { LiveColumn, ColumnUse } from './columns.js';
import { fitCells } from '../presentation/cells.js';

/** Cells taken by the selection marker at the start of each row ("> "). */
export const MARKER_WIDTH = 2;

/** A column that made it onto the screen, with its final width. */
export interface PlacedColumn {
  /** Index into the view's column list (and each row's cells). */
  readonly index: number;
  readonly width: number;
  readonly column: LiveColumn;
}

function total(placed: readonly { width: number }[]): number {
  // One space between columns plus the marker.
  return MARKER_WIDTH + placed.reduce((sum, c) => sum + c.width, 0) + Math.max(0, placed.length - 1);
}

/** Widest content a fitted column is sized to (an IPv6 address is at most 39 characters). */
const MAX_FIT = 39;

/**
 * The columns as the content asks for them: droppable columns empty in every row are left out (an
 * all-"-" ENV column gives its width to the name), fitted columns take their content's width.
 */
export function adaptColumns(columns: readonly LiveColumn[], use: readonly ColumnUse[] | null): { index: number; column: LiveColumn }[] {
  const out: { index: number; column: LiveColumn }[] = [];
  columns.forEach((column, index) => {
    const u = use?.[index];
    if (!u) return out.push({ index, column });
    if (u.empty && column.drop > 0 && column.keepEmpty !== true) return;
    if (!column.fit) return out.push({ index, column });
    const w = Math.min(MAX_FIT, Math.max(column.header.length, u.width));
    out.push({ index, column: { ...column, width: w, min: w } });
  });
  return out;
}

/**
 * Fits `columns` into `width` cells: shrink flex columns to their minimum, then drop columns by
 * their `drop` rank (highest first), then give spare space to flex columns. Never-drop columns
 * stay even when they overflow (the App shows "terminal too small" before that happens). `use`
 * (parallel to `columns`, from the table's content) removes empty columns and sizes fitted ones.
 */
export function layoutColumns(columns: readonly LiveColumn[], width: number, use: readonly ColumnUse[] | null = null): PlacedColumn[] {
  let placed = adaptColumns(columns, use).map(({ index, column }) => ({ index, column, width: column.width }));
  if (total(placed) > width) {
    placed = placed.map((p) => ({ ...p, width: p.column.min }));
  }
  const droppable = placed.filter((p) => p.column.drop > 0).sort((a, b) => b.column.drop - a.column.drop);
  for (const victim of droppable) {
    if (total(placed) <= width) break;
    placed = placed.filter((p) => p !== victim);
  }
  let spare = width - total(placed);
  if (spare > 0) {
    // First restore shrunk columns towards their natural width, then let flex ones take the rest.
    for (const p of placed) {
      const want = p.column.width - p.width;
      if (want > 0 && spare > 0) {
        const add = Math.min(want, spare);
        p.width += add;
        spare -= add;
      }
    }
    const growers = placed.filter((p) => p.column.flex);
    if (growers.length > 0 && spare > 0) {
      // The last flex column is the free-text one (name / command): it takes what is left.
      const last = growers[growers.length - 1] as (typeof placed)[number];
      last.width += spare;
    }
  }
  return placed;
}

/** Smallest width at which every never-drop column fits at its minimum. */
export function minimumWidth(columns: readonly LiveColumn[]): number {
  const kept = columns.filter((c) => c.drop === 0).map((c) => ({ width: c.min }));
  return total(kept);
}

/** One row of cells as a single fixed-width string (padding/cutting by cell width, CJK-safe). */
export function rowText(cells: readonly string[], placed: readonly PlacedColumn[]): string {
  return placed.map((p) => fitCells(cells[p.index] ?? '', p.width, p.column.align)).join(' ');
}
