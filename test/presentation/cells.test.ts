import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cellWidth, fitCells, truncateCells } from '../../src/presentation/cells.js';

/** Every code point cellWidth measures without string-width: printable ASCII and the CJK ranges. */
function shortcutCodePoints(): number[] {
  const out: number[] = [];
  const add = (from: number, to: number): void => {
    for (let c = from; c <= to; c++) out.push(c);
  };
  add(0x20, 0x7e);
  add(0x3000, 0x3029);
  add(0x3400, 0x4dbf);
  add(0x4e00, 0x9fff);
  add(0xff01, 0xff60);
  return out;
}

describe('cellWidth', () => {
  it('agrees with string-width on every character it measures itself', () => {
    const wrong = shortcutCodePoints().filter((c) => cellWidth(String.fromCodePoint(c)) !== stringWidth(String.fromCodePoint(c)));
    expect(wrong.map((c) => c.toString(16))).toEqual([]);
  });

  it('agrees with string-width on mixed ASCII and CJK text, where each character stays a grapheme of its own', () => {
    const points = shortcutCodePoints();
    // A fixed walk over the ranges (no randomness): every character lands next to others of every kind.
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let k = 0; k < 1 + (n % 9); k++) text += String.fromCodePoint(points[(n * 7919 + k * 104_729) % points.length] as number);
      expect([text, cellWidth(text)]).toEqual([text, stringWidth(text)]);
    }
    for (const text of ['Nginx反向代理 (HTTPS)', 'Web前端', '（全角）', '开发者门户']) expect(cellWidth(text)).toBe(stringWidth(text));
  });

  it('hands everything else to string-width: emoji, combining marks, zero-width and ambiguous characters', () => {
    for (const text of ['e\u0301', '👍🏽', '👨‍👩‍👧', 'a\u200bb', '…', 'Ω', '한국어', '日本\u3099', '\u{20000}']) {
      expect([text, cellWidth(text)]).toEqual([text, stringWidth(text)]);
    }
  });
});

describe('truncateCells and fitCells', () => {
  it('cut CJK text at whole characters and pad to the exact width', () => {
    expect(truncateCells('开发者门户', 7)).toBe('开发者…');
    expect(fitCells('API网关', 9)).toBe('API网关  ');
    expect(fitCells('API网关', 6, 'right')).toBe('API网…');
  });
});
