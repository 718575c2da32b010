import { describe, expect, it } from 'vitest';
import { intervalMs } from '../../src/ui/run.js';
import { UsageError } from '../../src/core/errors.js';
import { parseArgs } from '../../src/cli/args.js';

describe('--interval', () => {
  it('defaults to 2 s and takes fractions of a second', () => {
    expect(intervalMs(parseArgs([], {}))).toBe(2000);
    expect(intervalMs(parseArgs(['--interval', '0.5'], {}))).toBe(500);
    expect(intervalMs(parseArgs(['--interval=10'], {}))).toBe(10_000);
  });

  it('refuses a period that would only burn CPU', () => {
    expect(() => intervalMs(parseArgs(['--interval', '0'], {}))).toThrow(UsageError);
    expect(() => intervalMs(parseArgs(['--interval', '0.01'], {}))).toThrow(/--interval/);
  });

  it('refuses a period longer than a timer can hold (Node would turn it into 1 ms: a spinning TUI)', () => {
    expect(intervalMs(parseArgs(['--interval', '86400'], {}))).toBe(86_400_000);
    for (const v of ['86401', '1e9']) {
      expect(() => intervalMs(parseArgs(['--interval', v], {}))).toThrow(/--interval needs a number of seconds from 0.2 to 86400/);
    }
  });
});
