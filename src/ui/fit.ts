import { fitCells } from '../presentation/cells.js';

/** Printable ASCII only: one character is one terminal cell. */
const ASCII = /^[\x20-\x7e]*$/;

/**
 * {@link fitCells} with a shortcut for printable ASCII, which is nearly every cell (ports, pids,
 * addresses, most commands). fitCells measures grapheme by grapheme so that CJK names align; for
 * ASCII the length is the width, and measuring a screenful of long commands that way was the
 * largest single cost of drawing a table row. Same result, same '…' on cut.
 */
export function fitText(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (!ASCII.test(text)) return fitCells(text, width, align);
  const cut = text.length <= width ? text : `${text.slice(0, width - 1)}…`;
  const pad = ' '.repeat(width - Math.min(width, text.length));
  return align === 'left' ? cut + pad : pad + cut;
}
