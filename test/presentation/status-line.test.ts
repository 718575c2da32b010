import { describe, expect, it } from 'vitest';
import { DEFAULT_STATUS_FORMAT, escapeTmux, renderSegment, renderStatusLine, validateFormat, type StatusSegment } from '../../src/presentation/status-line.js';
import { countProblems, serviceProblem, PROBLEM_ORDER } from '../../src/core/problems.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import { catalogue, def, env, probeData, proc, sock } from '../core/snapshot-fixtures.js';

const counts = { up: 31, down: 2, conflict: 1, inactive: 3, unverified: 1, exposed: 0, unhealthy: 0, unexpected: 0, services: 38, failing: 4 };
const seg = (over: Partial<StatusSegment> = {}): StatusSegment => ({ label: 'vhtop', host: 'box', profile: null, counts, ...over });
const plain = { tmux: false, format: DEFAULT_STATUS_FORMAT };
const tmux = { tmux: true, format: DEFAULT_STATUS_FORMAT };

describe('status line', () => {
  it('is one short line: up, down, conflict, and what needs attention', () => {
    expect(renderSegment(seg(), plain)).toBe('vhtop 31↑ 2↓ 1⚠ 1!');
  });

  it('with --tmux colours only the counts that matter, glyph included, and resets after each', () => {
    expect(renderSegment(seg(), tmux)).toBe('vhtop #[fg=green]31↑#[default] #[fg=red]2↓#[default] #[fg=red]1⚠#[default] #[fg=yellow]1!#[default]');
    const calm = seg({ counts: { ...counts, down: 0, conflict: 0, unverified: 0 } });
    expect(renderSegment(calm, tmux)).toBe('vhtop #[fg=green]31↑#[default] 0↓ 0⚠ 0!');
  });

  it('escapes # in names for tmux, and cleans them', () => {
    expect(escapeTmux('a#b##c')).toBe('a##b####c');
    const line = renderSegment(seg({ label: 'web#1', host: 'h#\x1b[2J' }), { tmux: true, format: '{label}@{host} {up}' });
    expect(line).toBe('web##1@h## #[fg=green]31#[default]');
    // Without --tmux the name is as it is (cleaned).
    expect(renderSegment(seg({ label: 'web#1' }), { tmux: false, format: '{label}' })).toBe('web#1');
  });

  it('--format takes any fields; an unknown field is a usage error naming it', () => {
    expect(renderSegment(seg({ profile: 'dev' }), { tmux: false, format: '{host}/{profile}: {up} up, {problems} failing of {total}; {inactive} inactive' })).toBe(
      'box/dev: 31 up, 4 failing of 38; 3 inactive',
    );
    expect(() => validateFormat('{up} {nope}')).toThrow(/unknown field \{nope\}/);
    expect(() => validateFormat('{up} {down} {attention}')).not.toThrow();
  });

  it('joins one segment per host', () => {
    expect(renderStatusLine([seg(), seg({ label: 'db1', counts: { ...counts, up: 3, down: 0, conflict: 0, unverified: 0 } })], plain)).toBe('vhtop 31↑ 2↓ 1⚠ 1! db1 3↑ 0↓ 0⚠ 0!');
  });
});

describe('problems (what needs attention)', () => {
  const cat = catalogue(
    def({ id: 'web', port: 8080, process: ['node'] }),
    def({ id: 'api', port: 8081, process: ['node'] }),
    def({ id: 'redis', port: 6379, process: ['redis-server'], bind: 'local' }),
    def({ id: 'gone', port: 9000 }),
  );
  const data = probeData(
    [
      sock({ port: 8080, pids: [5] }),
      sock({ port: 8081, pids: [6] }),
      sock({ port: 6379, pids: [7], localAddress: '0.0.0.0' }),
      sock({ port: 5555, pids: [8] }),
    ],
    [proc(5, 'node'), proc(6, 'python3'), proc(7, 'redis-server'), proc(8, 'nc')],
  );
  const snap = buildSnapshot(data, cat, env(), { profile: null, all: false });

  it('counts services by status, exposure and unexpected listeners; failing is what check fails', () => {
    expect(countProblems(snap)).toMatchObject({ up: 2, down: 1, conflict: 1, exposed: 1, unexpected: 1, services: 4, failing: 3 });
  });

  it('ranks conflict, down, exposed, unverified, unhealthy, unexpected; inactive and up are fine', () => {
    expect(PROBLEM_ORDER).toEqual(['conflict', 'down', 'exposed', 'unverified', 'unhealthy', 'unexpected']);
    const byId = new Map(snap.services.map((s) => [s.id, serviceProblem(s)]));
    expect(Object.fromEntries(byId)).toEqual({ web: null, api: 'conflict', redis: 'exposed', gone: 'down' });
    const web = snap.services.find((s) => s.id === 'web');
    if (!web) throw new Error('web missing');
    expect(serviceProblem(web, { ok: false, latencyMs: 3, detail: 'HTTP 500' })).toBe('unhealthy');
    expect(serviceProblem({ ...web, status: 'inactive' })).toBeNull();
    expect(serviceProblem({ ...web, status: 'unverified' })).toBe('unverified');
  });
});
