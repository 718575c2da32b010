import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertSignalablePid, isSignalablePid, parseKillSignal, sendGroupSignal, sendSignal } from '../../src/actions/signals.js';

afterEach(() => vi.restoreAllMocks());

describe('the signal choke point', () => {
  it.each([0, -1, 1, Number.NaN, Number(''), 1.5, Number.POSITIVE_INFINITY])('never passes %s to process.kill', (pid) => {
    const spy = vi.spyOn(process, 'kill');
    expect(() => sendSignal(pid, 'TERM')).toThrow(/invalid pid/);
    expect(() => sendGroupSignal(pid, 'TERM')).toThrow(/invalid pid/);
    expect(spy).not.toHaveBeenCalled();
  });

  it('rejects non-numbers', () => {
    expect(isSignalablePid('1234')).toBe(false);
    expect(isSignalablePid(undefined)).toBe(false);
    expect(() => assertSignalablePid('')).toThrow();
  });

  it('reports a pid that does not exist as gone', () => {
    // pid_max is at most 2^22, so this pid cannot exist.
    expect(sendSignal(2 ** 22 + 7, 'TERM')).toBe('gone');
  });
});

describe('parseKillSignal', () => {
  it.each([
    ['TERM', 'TERM'],
    ['sigint', 'INT'],
    ['SIGHUP', 'HUP'],
    ['9', 'KILL'],
    ['STOP', null],
    ['', null],
  ])('%s -> %s', (raw, want) => {
    expect(parseKillSignal(raw)).toBe(want);
  });
});
