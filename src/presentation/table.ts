/**
 * Aligned text tables for the non-interactive commands. Widths are terminal cells (CJK names take
 * two), untrusted text is cleaned here, and colour wraps a cell only after it has been fitted, so
 * escape codes never disturb alignment. A status is always a word; colour only adds to it.
 */
import { cleanText } from '../core/sanitize.js';
import { cellWidth, fitCells, type Cell } from './cells.js';
import { ANSI_TONE, type Tone } from './tones.js';

/** One column. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** May shrink (with '…') when the table is wider than the terminal. */
  readonly flex?: boolean;
  /** Smallest width a flex column shrinks to (default: its header width, at least 4). */
  readonly min?: number;
  /**
   * May be left out when even the shrunk table is too wide: higher numbers go first; absent or 0 =
   * never (the same meaning as a TUI column's `drop`).
   */
  readonly drop?: number;
}


/** Rendering options. */
export interface TableOptions {
  /** Cut to this many cells; null = never cut. */
  readonly width: number | null;
  readonly color: boolean;
}

const GAP = 2;
const RESET = '\x1b[0m';

function toCell(c: string | Cell): Cell {
  return typeof c === 'string' ? { text: cleanText(c) } : { text: cleanText(c.text), tone: c.tone };
}

/**
 * Natural widths, then flex columns shrink (last first) until the table fits `width`, then
 * droppable columns are left out (width 0). Columns that are neither (ports, statuses) never
 * shrink: a label must not hide a port number.
 */
export function columnWidths(columns: readonly Column[], rows: readonly (readonly Cell[])[], width: number | null): number[] {
  // A loop, not Math.max(...rows): spreading 15k+ rows into one call can exceed the stack.
  const widths = columns.map((col, i) => {
    let w = cellWidth(col.header);
    for (const r of rows) w = Math.max(w, cellWidth(r[i]?.text ?? ''));
    return w;
  });
  if (width === null) return widths;
  let excess = widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, columns.length - 1) - width;
  for (let i = columns.length - 1; i >= 0 && excess > 0; i--) {
    const col = columns[i] as Column;
    if (!col.flex) continue;
    const min = col.min ?? Math.max(4, cellWidth(col.header));
    const w = widths[i] as number;
    const cut = Math.min(excess, Math.max(0, w - min));
    widths[i] = w - cut;
    excess -= cut;
  }
  const droppable = columns.map((c, i) => ({ c, i, drop: c.drop ?? 0 })).filter((d) => d.drop > 0);
  droppable.sort((a, b) => b.drop - a.drop);
  for (const { i } of droppable) {
    if (excess <= 0) break;
    excess -= (widths[i] as number) + GAP;
    widths[i] = 0;
  }
  return widths;
}

/** Renders header + rows as lines (no trailing newline, no trailing spaces). */
export function renderTable(columns: readonly Column[], rows: readonly (readonly (string | Cell)[])[], options: TableOptions): string[] {
  const cells = rows.map((r) => r.map(toCell));
  const widths = columnWidths(columns, cells, options.width);
  const shown = columns.map((_, i) => i).filter((i) => (widths[i] as number) > 0);
  const line = (r: readonly Cell[], header: boolean): string =>
    shown
      .map((i) => {
        const col = columns[i] as Column;
        const cell = r[i] ?? { text: '' };
        const fitted = fitCells(cell.text, widths[i] as number, col.align ?? 'left');
        const code = header || !options.color || !cell.tone ? '' : ANSI_TONE[cell.tone];
        return code ? `${code}${fitted}${RESET}` : fitted;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  return [line(columns.map((c) => ({ text: c.header })), true), ...cells.map((r) => line(r, false))];
}

/** What {@link outputWidth} reads of a command's surroundings. */
export interface OutputTerminal {
  readonly stdout: { readonly isTTY?: boolean; readonly columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Width to cut tables to: the terminal's columns on a TTY (80 when unknown); when stdout is not a
 * TTY, `$COLUMNS` if set, else no cut, so scripts and pipes get the full text.
 */
export function outputWidth(ctx: OutputTerminal): number | null {
  if (ctx.stdout.isTTY) return ctx.stdout.columns && ctx.stdout.columns > 0 ? ctx.stdout.columns : 80;
  const env = Number(ctx.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : null;
}

/** Wraps `text` in the tone's colour when colour is on. */
export function paint(text: string, tone: Tone, color: boolean): string {
  const code = ANSI_TONE[tone];
  return color && code ? `${code}${text}${RESET}` : text;
}
