import { describe, expect, it } from 'vitest';
import { TableModels, type TableInputs } from '../../src/ui/table-model.js';
import { buildRows, filterRows, ListenerRow } from '../../src/ui/view-model.js';
import { SORTS, VIEWS } from '../../src/ui/columns.js';
import { sortRows } from '../../src/ui/row-sort.js';
import { changesBetween, sameListeners } from '../../src/ui/live.js';
import { diffSnapshots } from '../../src/core/events.js';
import { cellWidth, fitCells, truncateCells } from '../../src/presentation/cells.js';
import type { Snapshot } from '../../src/core/types.js';
import { listener, proc, seedScene, snapshot } from './fixtures.js';

const inputs = (snap: Snapshot, over: Partial<TableInputs> = {}): TableInputs => ({
  view: 'listeners',
  snapshot: snap,
  previous: null,
  health: new Map(),
  filter: '',
  sort: 0,
  ...over,
});

/** Listeners in an order that is not the port order, with ties on port and on process. */
function mixed(tag = ''): Snapshot {
  const ls = [7, 3, 9, 3, 1, 8].map((p, i) => listener({ port: 1000 + p, inode: 50 + i, pid: 10 + i, process: `proc${(i * 7) % 4}${tag}`, status: i % 2 ? 'expected' : 'unexpected' }));
  return snapshot({ listeners: ls, processes: [proc({ pid: 10 })] });
}

const ids = (m: { slice(a: number, b: number): { id: string }[]; length: number }) => m.slice(0, m.length).map((r) => r.id);

describe('table model', () => {
  it('orders every view and sort choice exactly as sortRows does, filtered as filterRows does', () => {
    const scene = seedScene();
    const models = new TableModels();
    for (const view of VIEWS) {
      for (let sort = 0; sort < SORTS[view].length; sort++) {
        for (const filter of ['', 'node', ':8080']) {
          const snap = view === 'listeners' ? mixed() : scene;
          const expected = sortRows(filterRows(buildRows(view, snap, { health: new Map(), cpu: new Map() }), filter), view, sort).map((r) => r.id);
          expect(ids(models.get(inputs(snap, { view, sort, filter })))).toEqual(expected);
        }
      }
    }
  });

  it('reuses the last order when nothing moved, and re-sorts when a key moved', () => {
    const models = new TableModels();
    const first = models.get(inputs(mixed(), { sort: 2 }));
    const again = models.get(inputs(mixed(), { sort: 2 }));
    expect(ids(again)).toEqual(ids(first));
    // proc names change: the process sort must follow.
    const renamed = mixed('x');
    const moved = { ...renamed, listeners: renamed.listeners.map((l, i) => (i === 0 ? { ...l, process: 'aaa' } : l)) };
    const expected = sortRows(buildRows('listeners', moved, { health: new Map(), cpu: new Map() }), 'listeners', 2).map((r) => r.id);
    expect(ids(models.get(inputs(moved, { sort: 2 })))).toEqual(expected);
    expect(expected[0]).toBe(moved.listeners[0]?.key);
  });

  it('builds rows only where asked, finds rows by id, and lists ids in order', () => {
    const snap = mixed();
    const model = new TableModels().get(inputs(snap));
    const row = model.rowAt(0);
    expect(row).toBeInstanceOf(ListenerRow);
    expect(row?.port).toBe(1001);
    expect(model.rowAt(model.length)).toBeUndefined();
    expect(model.ids()).toEqual(ids(model));
    for (const [i, id] of model.ids().entries()) expect(model.indexOf(id)).toBe(i);
    expect(model.indexOf('nope')).toBe(-1);
    expect(model.total).toBe(snap.listeners.length);
  });
});

describe('event diff shortcut', () => {
  it('finds what diffSnapshots finds, with and without listener changes', () => {
    const before = seedScene();
    const down = { ...before, takenAt: '2026-11-21T20:00:02.000Z', services: before.services.map((s) => (s.id === 'user-svc' ? { ...s, status: 'down' as const } : s)) };
    const copy = { ...down, listeners: down.listeners.map((l) => ({ ...l })) };
    expect(sameListeners(before.listeners, copy.listeners)).toBe(true);
    expect(changesBetween(before, copy)).toEqual(diffSnapshots(before, copy));
    expect(changesBetween(before, copy).map((e) => e.kind)).toEqual(['service-down']);
    const owner = { ...copy, listeners: copy.listeners.map((l) => (l.port === 9999 ? { ...l, pid: 999, process: 'ruby' } : l)) };
    expect(sameListeners(before.listeners, owner.listeners)).toBe(false);
    expect(changesBetween(before, owner)).toEqual(diffSnapshots(before, owner));
    expect(changesBetween(before, owner).map((e) => e.kind)).toContain('owner-changed');
    const added = { ...copy, listeners: [...copy.listeners, listener({ port: 7777, pid: 5, process: 'nc' })] };
    expect(changesBetween(before, added)).toEqual(diffSnapshots(before, added));
  });
});

describe('fitCells', () => {
  it('its ASCII shortcut matches the grapheme-by-grapheme cut, for wide text too, cut or padded, both alignments', () => {
    const slow = (t: string, w: number, align: 'left' | 'right') => {
      const cut = truncateCells(t, w);
      const pad = ' '.repeat(Math.max(0, w - cellWidth(cut)));
      return align === 'left' ? cut + pad : pad + cut;
    };
    const texts = ['', 'a', 'python3 -m http.server 9999', 'API网关', 'naïve', '12345'];
    for (const t of texts) {
      for (const w of [0, 1, 2, 5, 8, 40]) {
        for (const align of ['left', 'right'] as const) expect(fitCells(t, w, align)).toBe(slow(t, w, align));
      }
    }
  });
});
