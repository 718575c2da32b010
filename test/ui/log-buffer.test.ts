import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/ui/log-buffer.js';

describe('LogBuffer', () => {
  it('keeps only the newest lines, numbered absolutely', () => {
    const b = new LogBuffer(3);
    for (let i = 0; i < 5; i++) b.push(`line ${i}`);
    expect(b.size).toBe(3);
    expect(b.first).toBe(2);
    expect(b.end).toBe(5);
    expect(b.slice(0, 10)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(b.at(1)).toBeUndefined();
    expect(b.at(4)).toBe('line 4');
  });

  it('stays bounded under a flood', () => {
    const b = new LogBuffer(5000);
    for (let i = 0; i < 20_000; i++) b.push(String(i));
    expect(b.size).toBe(5000);
    expect(b.at(b.first)).toBe('15000');
    expect(b.at(b.end - 1)).toBe('19999');
  });

  it('finds matches backwards and forwards, case-insensitively', () => {
    const b = new LogBuffer(10);
    ['boot', 'ERROR one', 'ok', 'error two', 'ok'].forEach((l) => b.push(l));
    expect(b.find('error', 4, -1)).toBe(3);
    expect(b.find('error', 2, -1)).toBe(1);
    expect(b.find('error', 2, 1)).toBe(3);
    expect(b.find('nothing', 4, -1)).toBeNull();
    expect(b.find('', 4, -1)).toBeNull();
  });

  it('cuts a very long line, so that lines times length stays bounded', () => {
    const b = new LogBuffer(2, 10);
    b.push('x'.repeat(1_000_000));
    b.push('short');
    expect(b.at(0)).toBe('xxxxxxxxx…');
    expect(b.at(1)).toBe('short');
    expect(new LogBuffer().maxLine).toBe(4096);
  });

  it('rejects a capacity below one', () => {
    expect(() => new LogBuffer(0)).toThrow();
  });
});
