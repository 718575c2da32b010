import { describe, expect, it } from 'vitest';
import { buildRows, filterRows } from '../../src/ui/view-model.js';
import { COLUMNS } from '../../src/ui/columns.js';
import { sortRows } from '../../src/ui/row-sort.js';
import { layoutColumns, minimumWidth, rowText, MARKER_WIDTH } from '../../src/ui/layout.js';
import { cellWidth } from '../../src/presentation/cells.js';
import { cpuPercentages } from '../../src/ui/cpu.js';
import { listener, proc, seedScene, service, snapshot } from './fixtures.js';

const extras = { health: new Map(), cpu: new Map<number, number>() };
/** Index of a Services column by its title (cells are parallel to the columns). */
const at = (title: string) => COLUMNS.services.findIndex((c) => c.header === title);

describe('view model', () => {
  it('builds one row per service with the status word and the effective port', () => {
    const rows = buildRows('services', seedScene(), extras);
    expect(rows.map((r) => r.id)).toEqual(['gateway', 'user-svc', 'order-svc', 'grafana']);
    expect([at('STATUS'), at('ID'), at('NAME'), at('PORT')].map((i) => rows[0]?.cells[i]?.text)).toEqual(['conflict', 'gateway', 'API网关', '8080']);
    expect(rows[0]?.cells[0]?.tone).toBe('bad');
  });

  it('shows the listening address on every entry of a shared port, not only the one its socket was matched to', () => {
    const snap = snapshot({
      services: [service({ id: 'algo', port: 8000, pid: 7 }), service({ id: 'algo-dev', port: 8000, pid: 7 }), service({ id: 'gone', port: 9000, status: 'down' })],
      listeners: [listener({ port: 8000, pid: 7, service: 'algo', status: 'expected' }), listener({ port: 8000, pid: 7, address: '::1', family: 6, service: 'algo', status: 'expected' })],
    });
    const rows = buildRows('services', snap, extras);
    const address = (id: string) => rows.find((r) => r.id === id)?.cells[at('ADDRESS')]?.text;
    expect([address('algo'), address('algo-dev'), address('gone')]).toEqual(['0.0.0.0 +1', '0.0.0.0 +1', '-']);
  });

  it('shows the env var only when it moved the port', () => {
    const snap = snapshot({
      services: [
        service({ id: 'a', port: 9090, defaultPort: 8080, envVar: 'A_PORT', portSource: 'environment' }),
        service({ id: 'b', port: 8081, envVar: 'B_PORT', portSource: 'default' }),
      ],
    });
    const [a, b] = buildRows('services', snap, extras);
    expect(a?.cells[at('ENV')]?.text).toBe('A_PORT=9090');
    expect(b?.cells[at('ENV')]?.text).toBe('-');
  });

  it('uses health results from the runner over the snapshot', () => {
    const health = new Map([['grafana', { ok: false, latencyMs: 3.2, detail: 'HTTP 500' }]]);
    const row = buildRows('services', seedScene(), { ...extras, health }).find((r) => r.id === 'grafana');
    expect(row?.cells[at('HEALTH')]).toEqual({ text: 'fail 3ms', tone: 'bad' });
  });

  it('shows no health result for a service that is not up: the last "ok" would be stale', () => {
    const ok = { ok: true, latencyMs: 2, detail: 'connected' };
    const health = new Map([['user-svc', ok], ['gateway', ok], ['order-svc', ok]]);
    const rows = buildRows('services', seedScene(), { ...extras, health });
    const cell = (id: string) => rows.find((r) => r.id === id)?.cells[at('HEALTH')];
    expect(cell('user-svc')).toEqual({ text: 'ok 2ms', tone: 'good' }); // up
    expect(cell('gateway')).toEqual({ text: '-', tone: 'muted' }); // conflict: another program answers
    expect(cell('order-svc')).toEqual({ text: '-', tone: 'muted' }); // down
  });

  it('lists processes with the ports they hold, and CPU from tick deltas', () => {
    const p1 = proc({ pid: 10, cpuTicks: 100, startTime: 5 });
    const p2 = proc({ pid: 11, cpuTicks: 0, startTime: 6 });
    const before = snapshot({ processes: [p1, p2], takenAt: '2026-01-01T00:00:00.000Z' });
    const after = snapshot({
      processes: [{ ...p1, cpuTicks: 150 }, { ...p2, cpuTicks: 50, startTime: 99 }],
      listeners: [listener({ port: 81, pid: 10 }), listener({ port: 80, pid: 10 })],
      takenAt: '2026-01-01T00:00:02.000Z',
    });
    const cpu = cpuPercentages(before, after);
    expect(cpu.get(10)).toBeCloseTo(25); // 50 ticks = 0.5 s of CPU over 2 s
    expect(cpu.has(11)).toBe(false); // pid reused by a new process
    const rows = buildRows('processes', after, { ...extras, cpu });
    expect(rows.find((r) => r.id === '10')?.cells[4]?.text).toBe('80,81');
    expect(rows.find((r) => r.id === '10')?.cells[2]?.text).toBe('25.0');
    expect(rows.find((r) => r.id === '11')?.cells[2]?.text).toBe('-');
  });

  it('filters by text across name, port, process and command, and by :port exactly', () => {
    const rows = buildRows('listeners', seedScene(), extras);
    expect(filterRows(rows, ':8080').map((r) => r.port)).toEqual([8080]);
    expect(filterRows(rows, ':80').length).toBe(0);
    expect(filterRows(rows, 'JENKINS').map((r) => r.port)).toEqual([8080]);
    expect(filterRows(rows, '999').map((r) => r.port)).toEqual([9999]);
    expect(filterRows(rows, '  ').length).toBe(rows.length);
    const services = buildRows('services', seedScene(), extras);
    expect(filterRows(services, '用户').map((r) => r.id)).toEqual(['user-svc']);
  });

  it('sorts by the chosen column, problems first for status', () => {
    const rows = buildRows('services', seedScene(), extras);
    expect(sortRows(rows, 'services', 0).map((r) => r.port)).toEqual([3000, 8080, 8081, 8082]);
    expect(sortRows(rows, 'services', 1).map((r) => r.id)).toEqual(['gateway', 'order-svc', 'grafana', 'user-svc']);
    // The index wraps around (s cycles).
    expect(sortRows(rows, 'services', 3).map((r) => r.port)).toEqual([3000, 8080, 8081, 8082]);
  });
});

describe('column layout', () => {
  it('fits every view into 60 cells and keeps the status column', () => {
    for (const view of ['services', 'listeners', 'processes'] as const) {
      const placed = layoutColumns(COLUMNS[view], 60);
      const used = MARKER_WIDTH + placed.reduce((s, c) => s + c.width, 0) + placed.length - 1;
      expect(used, view).toBe(60);
      if (view !== 'processes') expect(placed[0]?.column.header).toBe('STATUS');
      expect(minimumWidth(COLUMNS[view])).toBeLessThanOrEqual(40);
    }
  });

  it('keeps the address of a listener over its pid in a narrow pane (it tells exposed from local)', () => {
    const titles = (w: number) => layoutColumns(COLUMNS.listeners, w).map((p) => p.column.header);
    expect(titles(60)).toEqual(expect.arrayContaining(['STATUS', 'ADDRESS', 'PORT', 'PROCESS', 'FLAGS']));
    expect(titles(60)).not.toContain('PID');
    expect(titles(70)).toContain('PID');
  });

  it('shows every column when there is room', () => {
    expect(layoutColumns(COLUMNS.services, 200).length).toBe(COLUMNS.services.length);
  });

  it('aligns CJK names by cell width, cutting with an ellipsis', () => {
    const placed = layoutColumns(COLUMNS.services, 60);
    const cells = (name: string, port: string) => COLUMNS.services.map((c) => (c.header === 'STATUS' ? 'up' : c.header === 'NAME' ? name : c.header === 'PORT' ? port : '-'));
    const a = rowText(cells('API网关', '8080'), placed);
    const b = rowText(cells('Grafana', '3000'), placed);
    const c = rowText(cells('非常非常非常非常长的服务名称', '9000'), placed);
    expect(cellWidth(a)).toBe(cellWidth(b));
    expect(cellWidth(c)).toBe(cellWidth(a));
    expect(c).toContain('…');
    // The port column starts at the same cell in each line.
    const portAt = (s: string, port: string) => cellWidth(s.slice(0, s.indexOf(port)));
    expect(portAt(a, '8080')).toBe(portAt(c, '9000'));
  });
});
