import { describe, expect, it } from 'vitest';
import { initialState, reduce, selectedIndex, windowTop, type TableContext, type UiState } from '../../src/ui/state.js';
import type { Intent } from '../../src/ui/keymap.js';

const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const table = (over: Partial<TableContext> = {}): TableContext => ({ ids, page: 3, selected: null, ...over });
const act = (s: UiState, intent: Intent, t: TableContext = table()) => reduce(s, { type: 'intent', intent, table: t });
const sel = (s: UiState, t: TableContext = table()) => t.ids[selectedIndex(s.nav[s.view], t.ids)];

describe('ui reducer', () => {
  it('moves down, up, by page, to the ends, and clamps', () => {
    let s = initialState();
    expect(sel(s)).toBe('a');
    s = act(s, 'down');
    s = act(s, 'down');
    expect(sel(s)).toBe('c');
    s = act(s, 'up');
    expect(sel(s)).toBe('b');
    s = act(s, 'page-down');
    expect(sel(s)).toBe('e');
    s = act(s, 'bottom');
    expect(sel(s)).toBe('j');
    s = act(s, 'down');
    expect(sel(s)).toBe('j');
    s = act(s, 'page-up');
    expect(sel(s)).toBe('g');
    s = act(s, 'top');
    expect(sel(s)).toBe('a');
    s = act(s, 'up');
    expect(sel(s)).toBe('a');
  });

  it('keeps the selection on the same row when rows reorder', () => {
    let s = act(act(initialState(), 'down'), 'down'); // on 'c'
    const reordered = table({ ids: ['j', 'c', 'a', 'b'] });
    expect(sel(s, reordered)).toBe('c');
    s = act(s, 'down', reordered);
    expect(sel(s, reordered)).toBe('a');
  });

  it('falls back to the old index when the selected row disappears', () => {
    const s = act(act(initialState(), 'down'), 'down'); // on 'c' (index 2)
    expect(sel(s, table({ ids: ['a', 'b', 'd', 'e'] }))).toBe('d');
    expect(sel(s, table({ ids: ['a'] }))).toBe('a');
    expect(selectedIndex(s.nav.services, [])).toBe(-1);
  });

  it('scrolls the window only as much as needed', () => {
    expect(windowTop(0, 0, 3, 10)).toBe(0);
    expect(windowTop(0, 5, 3, 10)).toBe(3);
    expect(windowTop(3, 4, 3, 10)).toBe(3);
    expect(windowTop(3, 1, 3, 10)).toBe(1);
    // A shrunken list pulls the window back.
    expect(windowTop(8, 1, 3, 2)).toBe(0);
  });

  it('cycles views both ways and keeps a selection per view', () => {
    let s = act(initialState(), 'down');
    s = act(s, 'next-view');
    expect(s.view).toBe('listeners');
    expect(sel(s)).toBe('a');
    s = act(s, 'prev-view');
    expect(s.view).toBe('services');
    expect(sel(s)).toBe('b');
    s = act(act(act(s, 'prev-view'), 'prev-view'), 'prev-view');
    expect(s.view).toBe('services');
  });

  it('filters while typing; / starts fresh, Ctrl-U clears, Esc leaves the prompt and keeps the filter', () => {
    let s = act(initialState(), 'filter');
    expect(s.mode).toBe('filter');
    s = reduce(s, { type: 'type', text: ':80' });
    // Applies at once, on every key.
    expect(s.filter).toBe(':80');
    s = reduce(s, { type: 'type', text: '8x' });
    s = act(s, 'filter-backspace');
    expect(s).toMatchObject({ draft: ':808', filter: ':808' });
    s = act(s, 'filter-apply');
    expect(s).toMatchObject({ mode: 'table', filter: ':808' });
    // A second / starts a fresh filter, not an edit of the old one.
    s = act(s, 'filter');
    expect(s).toMatchObject({ mode: 'filter', draft: '', filter: '' });
    s = reduce(s, { type: 'type', text: 'redis ' });
    expect(s.filter).toBe('redis');
    s = act(s, 'filter-erase');
    expect(s).toMatchObject({ mode: 'filter', draft: '', filter: '' });
    s = reduce(s, { type: 'type', text: 'pg' });
    s = act(s, 'filter-cancel');
    expect(s).toMatchObject({ mode: 'table', filter: 'pg' });
    // Esc in the table clears it.
    s = act(s, 'clear-filter');
    expect(s).toMatchObject({ mode: 'table', filter: '', draft: '' });
    // Typing outside filter mode changes nothing.
    expect(reduce(s, { type: 'type', text: 'zz' })).toBe(s);
  });

  it('problems only: from the pane size unless chosen; ! toggles and sticks across resizes', () => {
    expect(initialState({ small: true }).problems).toBe(true);
    expect(initialState({ small: false }).problems).toBe(false);
    expect(initialState({ small: true, problems: false }).problems).toBe(false);
    let s = initialState({ small: false });
    s = reduce(s, { type: 'resize', small: true });
    expect(s.problems).toBe(true);
    s = act(s, 'problems');
    expect(s.problems).toBe(false);
    s = reduce(s, { type: 'resize', small: true });
    expect(s.problems).toBe(false);
    expect(reduce(s, { type: 'resize', small: false })).toBe(s);
  });

  it('backspace removes a whole CJK character', () => {
    let s = reduce(act(initialState(), 'filter'), { type: 'type', text: '用户' });
    s = act(s, 'filter-backspace');
    expect(s.draft).toBe('用');
  });

  it('cycles sort per view, toggles pause and help', () => {
    let s = act(initialState(), 'sort');
    expect(s.sort).toEqual({ services: 1, listeners: 0, processes: 0 });
    s = act(s, 'pause');
    expect(s.paused).toBe(true);
    s = act(s, 'pause');
    expect(s.paused).toBe(false);
    s = act(s, 'help');
    expect(s.mode).toBe('help');
    expect(act(s, 'close-help').mode).toBe('table');
  });

  it('scrolls the event log within the events kept, leaving the table selection alone', () => {
    const t = table({ events: 8 }); // page 3: offsets 0..5
    let s = act(initialState(), 'events', t);
    expect(s.mode).toBe('events');
    s = act(s, 'down', t);
    s = act(s, 'page-down', t);
    expect(s.eventsTop).toBe(4);
    s = act(s, 'page-down', t);
    expect(s.eventsTop).toBe(5);
    s = act(s, 'up', t);
    expect(s.eventsTop).toBe(4);
    s = act(s, 'top', t);
    expect(s.eventsTop).toBe(0);
    s = act(s, 'up', t);
    expect(s.eventsTop).toBe(0);
    s = act(s, 'bottom', t);
    expect(s.eventsTop).toBe(5);
    expect(sel(s)).toBe('a'); // the table did not move
    s = act(s, 'close-events', t);
    expect(s.mode).toBe('table');
    expect(act(s, 'events', t).eventsTop).toBe(0); // opens at the newest again
  });

  it('opens the kill dialog only for a row with a pid', () => {
    const none = act(initialState(), 'kill', table({ selected: { pid: null, port: 80, service: 'x' } }));
    expect(none.overlay).toBeNull();
    expect(none.message).toMatch(/no process/);
    const s = act(initialState(), 'kill', table({ selected: { pid: 42, port: 8080, service: 'gateway' } }));
    expect(s.overlay).toEqual({ kind: 'kill', pid: 42, port: 8080 });
    const closed = reduce(s, { type: 'overlay-closed', message: 'killed 42' });
    expect(closed).toMatchObject({ overlay: null, message: 'killed 42' });
  });

  it('opens the log pane for the selected row', () => {
    const s = act(initialState(), 'logs', table({ selected: { pid: 7, port: 3000, service: 'grafana' } }));
    expect(s.overlay).toEqual({ kind: 'logs', service: 'grafana', pid: 7 });
    expect(act(initialState(), 'logs', table({ ids: [] })).overlay).toBeNull();
  });
});
