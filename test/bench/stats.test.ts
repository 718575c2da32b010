import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE, parseBenchArgs } from '../../src/bench/options.js';
import { attempt, failed, median, ratio } from '../../src/bench/stats.js';

describe('stats', () => {
  it('takes medians of odd and even counts without reordering the input', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives no ratio to zero or to a missing value', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('keeps the first non-empty line of a failure and catches thrown errors', async () => {
    expect(failed('\n  boom  \nstack')).toEqual({ ok: false, reason: 'boom' });
    expect(await attempt(async () => 7)).toEqual({ ok: true, value: 7 });
    expect(await attempt(async () => Promise.reject(new Error('nope')))).toEqual({ ok: false, reason: 'nope' });
  });
});

describe('bench options', () => {
  it('defaults to the 1k/5k/15k scale, 7 reps and a 20 s idle window', () => {
    expect(parseBenchArgs([])).toEqual({ sizes: DEFAULT_SCALE, reps: 7, idleSeconds: 20, busySockets: 19_800, startupReps: 21, timeWait: 5_000, help: false });
    expect(parseBenchArgs(['--busy-sockets', '0', '--time-wait', '0'])).toMatchObject({ busySockets: 0, timeWait: 0 });
  });

  it('runs one size with --sockets, and the smaller default sizes too with --scale', () => {
    expect(parseBenchArgs(['--sockets', '3000']).sizes).toEqual([3000]);
    expect(parseBenchArgs(['--sockets', '30000', '--scale']).sizes).toEqual([1000, 5000, 15000, 30000]);
    expect(parseBenchArgs(['--sockets=2000', '--scale', '--reps', '3', '--idle-seconds', '0'])).toEqual({ sizes: [1000, 2000], reps: 3, idleSeconds: 0, busySockets: 0, startupReps: 9, timeWait: 5_000, help: false });
  });

  it('rejects bad values with one clear line', () => {
    expect(() => parseBenchArgs(['--sockets', '99999'])).toThrow('--sockets must be an integer from 3 to 60000 (got "99999")');
    expect(() => parseBenchArgs(['--reps', '2.5'])).toThrow(/--reps must be an integer/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(/bogus/);
  });
});
