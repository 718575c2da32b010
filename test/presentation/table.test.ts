import { describe, expect, it } from 'vitest';
import { cellWidth } from '../../src/presentation/cells.js';
import stringWidth from 'string-width';
import { outputWidth, renderTable, type Column } from '../../src/presentation/table.js';
import type { CliContext } from '../../src/cli/context.js';

const cols: Column[] = [{ header: 'PORT', align: 'right' }, { header: 'NAME', flex: true }, { header: 'STATUS' }];

describe('renderTable', () => {
  it('aligns CJK names by terminal cells, not code units', () => {
    const lines = renderTable(cols, [['8080', 'API网关', 'up'], ['5432', 'PostgreSQL', 'down']], { width: null, color: false });
    expect(lines).toEqual(['PORT  NAME        STATUS', '8080  API网关     up', '5432  PostgreSQL  down']);
    // Every STATUS column starts at the same cell.
    const at = lines.map((l) => cellWidth(l.slice(0, l.lastIndexOf('  ') + 2)));
    expect(new Set(at).size).toBe(1);
  });

  it('cuts flex columns to the width and never the port or the status', () => {
    const lines = renderTable(cols, [['8080', '一个非常非常长的服务名称在这里', 'conflict']], { width: 24, color: false });
    for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(24);
    expect(lines[1]).toMatch(/^8080 {2}.*…\s+conflict$/);
  });

  it('leaves out droppable columns (highest first) when shrinking is not enough', () => {
    const c: Column[] = [{ header: 'PORT' }, { header: 'CMD', flex: true, drop: 2 }, { header: 'NOTE', drop: 1 }, { header: 'STATUS' }];
    const rows = [['8080', 'java -jar x', 'n', 'up']];
    expect(renderTable(c, rows, { width: 21, color: false })).toEqual(['PORT  NOTE  STATUS', '8080  n     up']);
    expect(renderTable(c, rows, { width: 12, color: false })).toEqual(['PORT  STATUS', '8080  up']);
    expect(renderTable(c, rows, { width: null, color: false })[1]).toBe('8080  java -jar x  n     up');
  });

  it('colour wraps the cell only when asked; the word stays', () => {
    const rows = [['8080', 'x', { text: 'conflict', tone: 'bad' as const }]];
    expect(renderTable(cols, rows, { width: null, color: true })[1]).toContain('\x1b[31;1mconflict\x1b[0m');
    expect(renderTable(cols, rows, { width: null, color: false })[1]).not.toContain('\x1b');
  });

  it('cleans hostile text from other programs', () => {
    const [, row] = renderTable(cols, [['1', 'evil\x1b[2J\u202ename', 'up']], { width: null, color: false });
    expect(row).not.toContain('\x1b');
    expect(row).not.toContain('\u202e');
    expect(row).toContain('evil\ufffdname');
  });
});

describe('outputWidth', () => {
  const ctx = (stdout: CliContext['stdout'], env: Record<string, string> = {}): CliContext => ({
    stdout, stderr: { write: () => true }, stdinIsTTY: false, env, cwd: '/',
  });
  it.each([
    ['TTY with columns', ctx({ write: () => true, isTTY: true, columns: 120 }), 120],
    ['TTY without columns', ctx({ write: () => true, isTTY: true }), 80],
    ['pipe', ctx({ write: () => true }), null],
    ['pipe with $COLUMNS', ctx({ write: () => true }, { COLUMNS: '60' }), 60],
    ['pipe with junk $COLUMNS', ctx({ write: () => true }, { COLUMNS: 'wide' }), null],
  ])('%s', (_l, c, want) => expect(outputWidth(c)).toBe(want));
});

describe('cellWidth fast path for printable ASCII', () => {
  it('agrees with string-width on ASCII, CJK, emoji, combining marks and escapes', () => {
    for (const text of ['', 'tcp', '127.0.0.1:8080', ' ~!@#$%^&*()_+{}|:"<>?', 'API网关', 'café', 'cafe\u0301', '👍🏽 ok', '\x1b[31mred\x1b[0m', 'tab\there']) {
      expect(cellWidth(text)).toBe(stringWidth(text));
    }
  });

  it('a table of 20,000 rows renders with its widest cell deciding the width', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [String(i), i === 12_345 ? '服务网关' : 'x']);
    const lines = renderTable([{ header: 'N' }, { header: 'NAME' }], rows, { width: null, color: false });
    expect(lines).toHaveLength(20_001);
    expect(lines[0]).toBe('N      NAME');
  });
});
