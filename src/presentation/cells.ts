import stringWidth from 'string-width';

/**
 * Terminal cell arithmetic. The seed's service names are Chinese: one character takes two cells,
 * so lengths in code units would misalign every column.
 */

/** Cells `text` occupies in a terminal. */
export function cellWidth(text: string): number {
  return stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts `text` to at most `width` cells, ending in '…' when cut. Never splits a grapheme or a wide char. */
export function truncateCells(text: string, width: number): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = cellWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** Cuts or pads `text` to exactly `width` cells. */
export function fitCells(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncateCells(text, width);
  const pad = ' '.repeat(Math.max(0, width - cellWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}
