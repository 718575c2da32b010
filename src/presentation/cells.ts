import stringWidth from 'string-width';
import type { Tone } from './tones.js';

/**
 * Terminal cell arithmetic. The VoiceHelper port document's service names are Chinese: one character takes two cells,
 * so lengths in code units would misalign every column.
 */

/** One table cell, in the commands' tables and the TUI's alike: text plus a tone (plain when absent). */
export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}

// Printable ASCII: one cell per character.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Printable ASCII mixed with CJK ideographs (and the CJK punctuation and fullwidth forms beside
 * them). Each of these characters is a grapheme of its own, never an emoji and never zero-width;
 * the ones from U+3000 up take two cells, the ASCII ones one. Service names in Chinese are made of
 * exactly these.
 */
const ASCII_AND_CJK = /^[\x20-\x7e\u3000-\u3029\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]*$/;

/**
 * Cells `text` occupies in a terminal. Almost every cell (ports, addresses, most process names) is
 * printable ASCII, whose width is its length; string-width's Unicode tables are only consulted for
 * the rest. Measured: `vhtop list --all` at 15k sockets spent 3 of its 4.5 s in string-width.
 * Chinese names take a shortcut too: string-width builds an `Intl.Segmenter` when it is first
 * loaded, and that alone (ICU's first use in the process) cost a one-shot `vhtop check` of the
 * bundled registry about a seventh of Node's start-up.
 */
export function cellWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  if (!ASCII_AND_CJK.test(text)) return stringWidth(text);
  let wide = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x3000) wide++;
  return text.length + wide;
}

// Built on the first cut of non-ASCII text, not at load: see cellWidth.
let segmenter: Intl.Segmenter | undefined;

/** Cuts `text` to at most `width` cells, ending in '…' when cut. Never splits a grapheme or a wide char. */
export function truncateCells(text: string, width: number): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of segmenter.segment(text)) {
    const w = cellWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/**
 * Cuts or pads `text` to exactly `width` cells, ending in '…' when cut. Printable ASCII, nearly every
 * cell of a table (ports, pids, addresses, most commands), takes a shortcut: its length is its
 * width, and measuring a screenful of long commands grapheme by grapheme was the largest single cost
 * of drawing a TUI row. Same result either way.
 */
export function fitCells(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) {
    const cut = text.length <= width ? text : `${text.slice(0, width - 1)}…`;
    const pad = ' '.repeat(width - Math.min(width, text.length));
    return align === 'left' ? cut + pad : pad + cut;
  }
  const cut = truncateCells(text, width);
  const pad = ' '.repeat(Math.max(0, width - cellWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}
