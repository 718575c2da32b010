import { describe, expect, it } from 'vitest';
import { costOf } from '../../src/bench/measure.js';
import { failureOf, runCommands, samplesOf } from '../../src/bench/runner.js';

describe('timing runner (python wait4)', () => {
  it('reports the exact CPU and peak RSS of each child, round-robin, and the failures with their stderr', async () => {
    const samples = await runCommands(
      [
        // Burns CPU and allocates ~40 MB, so both numbers must be clearly above zero.
        { name: 'busy', argv: ['python3', '-c', 'b = bytearray(40 * 1024 * 1024); sum(range(2_000_000))'] },
        { name: 'fails', argv: ['sh', '-c', 'echo first >&2; echo "the reason" >&2; exit 3'] },
        { name: 'missing', argv: ['vhtop-bench-no-such-program'] },
      ],
      2,
    );
    expect(samples.map((s) => s.name)).toEqual(['busy', 'fails', 'missing', 'busy', 'fails', 'missing']);
    const busy = samplesOf(samples, 'busy');
    expect(busy).toHaveLength(2);
    for (const s of busy) {
      expect(s.cpuMs).toBeGreaterThan(0);
      expect(s.wallMs).toBeGreaterThan(0);
      expect(s.maxRssKb).toBeGreaterThan(40 * 1024);
      expect(s.error).toBe('');
    }
    expect(failureOf(samples, 'busy')).toBeNull();
    expect(failureOf(samples, 'fails')).toBe('fails: the reason');
    expect(samples.find((s) => s.name === 'missing')?.exitCode).toBe(127);
  });

  it('turns samples into medians, and any failed run into a failure with its reason', async () => {
    const samples = [
      { name: 'a', rep: 0, wallMs: 10, cpuMs: 4, maxRssKb: 100, exitCode: 0, error: '' },
      { name: 'a', rep: 1, wallMs: 30, cpuMs: 8, maxRssKb: 300, exitCode: 0, error: '' },
      { name: 'a', rep: 2, wallMs: 20, cpuMs: 6, maxRssKb: 200, exitCode: 0, error: '' },
      { name: 'b', rep: 0, wallMs: 1, cpuMs: 1, maxRssKb: 1, exitCode: 2, error: 'bad flag' },
    ];
    expect(costOf(samples, 'a')).toEqual({ ok: true, value: { wallMs: 20, cpuMs: 6, maxRssKb: 300 } });
    expect(costOf(samples, 'b')).toEqual({ ok: false, reason: 'b: bad flag' });
    expect(costOf(samples, 'c')).toEqual({ ok: false, reason: 'c: no runs' });
  });
});
