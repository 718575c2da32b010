import { describe, expect, it } from 'vitest';
import { cleanText, hasControlChars } from '../../src/core/sanitize.js';

describe('cleanText', () => {
  it.each([
    ['plain text', 'plain text'],
    ['中文名称', '中文名称'],
    ['clear\x1b[2Jscreen', 'clearscreen'],
    ['colour \x1b[31;1mred\x1b[0m', 'colour red'],
    ['title \x1b]0;owned\x07 after', 'title  after'],
    ['osc with st \x1b]8;;http://x\x1b\\link', 'osc with st link'],
    ['8-bit csi \x9b2J done', '8-bit csi  done'],
    ['bell\x07 and nul\x00', 'bell\ufffd and nul\ufffd'],
    ['del\x7f', 'del\ufffd'],
    ['c1 \x85 next line', 'c1 \ufffd next line'],
    ['bidi \u202egnp.exe', 'bidi \ufffdgnp.exe'],
    ['isolate \u2066x\u2069', 'isolate \ufffdx\ufffd'],
    ['tab\there', 'tab here'],
    ['python3 -c import os\nos.getpid()', 'python3 -c import os os.getpid()'],
    ['crlf\r\nline', 'crlf line'],
    ['lone cr\rover', 'lone cr over'],
    ['vertical\x0btab', 'vertical\ufffdtab'],
  ])('%j -> %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('leaves nothing a terminal would interpret', () => {
    const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
    expect(cleanText(all)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('reports whether text needed cleaning', () => {
    expect(hasControlChars('ok')).toBe(false);
    expect(hasControlChars('x\x1b[0m')).toBe(true);
  });
});
