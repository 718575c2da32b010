import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, mountApp } from './harness.js';
import { listener, proc, seedScene, service, snapshot } from './fixtures.js';
import { footerText } from '../../src/ui/components/Footer.js';
import { helpRows } from '../../src/ui/keymap.js';
import { cellWidth } from '../../src/presentation/cells.js';

afterEach(() => cleanup());

/** The line of the frame that has the selection marker. */
const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('> ')) ?? '';
const lines = (frame: string) => frame.split('\n');

describe('App', () => {
  it('shows the header counts, the services and a selection that j/k/arrows/G/g move', async () => {
    const app = mountApp({ snapshot: seedScene() });
    const f = await app.waitFrame((f) => f.includes('API网关'));
    expect(f).toContain('up 2  down 1  conflict 1  unexpected 1  exposed 0');
    expect(f).toContain('[Services]');
    expect(selectedLine(f)).toContain('Grafana'); // sorted by port: 3000 first
    await app.press('j');
    await app.waitFrame((f) => selectedLine(f).includes('API网关'), 'API网关');
    await app.press(KEY.down, KEY.down);
    await app.waitFrame((f) => selectedLine(f).includes('订单服务'), '订单服务');
    await app.press('k');
    await app.waitFrame((f) => selectedLine(f).includes('用户服务'), '用户服务');
    await app.press('g');
    await app.waitFrame((f) => selectedLine(f).includes('Grafana'), 'Grafana');
    await app.press('G');
    await app.waitFrame((f) => selectedLine(f).includes('订单服务'), '订单服务');
  });

  it('switches views with Tab and Shift-Tab', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.press(KEY.tab);
    let f = await app.waitFrame((f) => f.includes('[Listeners]'));
    expect(f).toContain('python3');
    expect(f).toMatch(/unexpected .*9999/);
    await app.press(KEY.tab);
    f = await app.waitFrame((f) => f.includes('[Processes]'));
    expect(f).toContain('CPU%');
    await app.press(KEY.shiftTab, KEY.shiftTab);
    await app.waitFrame((f) => f.includes('[Services]'));
  });

  it('filters with / as you type (Enter keeps, Esc leaves the prompt, Esc again clears), by text and by :port', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.press('/', '用', '户');
    let f = await app.waitFrame((f) => f.includes('/用户_'));
    // Applied while typing, before Enter.
    expect(f).not.toContain('Grafana');
    expect(f).toContain('用户服务');
    expect(f).toContain('filter 用户');
    await app.press(KEY.escape);
    f = await app.waitFrame((f) => !f.includes('/用户_'));
    expect(f).toContain('filter 用户'); // Esc left the prompt, the filter stays
    expect(f).not.toContain('Grafana');
    await app.press(KEY.escape);
    f = await app.waitFrame((f) => f.includes('Grafana'));
    // Ctrl-U clears what was typed; / starts a fresh filter.
    await app.press('/', 'x', 'y', 'z');
    await app.waitFrame((f) => f.includes('nothing matches xyz'));
    await app.press('\x15');
    f = await app.waitFrame((f) => f.includes('Grafana') && f.includes('/_'));
    await app.press('g', 'r', 'a', KEY.enter, '/', 'a', 'p', 'i');
    f = await app.waitFrame((f) => f.includes('filter api'));
    expect(f).toContain('API网关');
    expect(f).not.toContain('Grafana');
    await app.press(KEY.enter, KEY.escape);
    f = await app.waitFrame((f) => f.includes('Grafana'));
    await app.press(KEY.tab, '/', ':', '9', '9', '9', '9', KEY.enter);
    f = await app.waitFrame((f) => f.includes('1/4 rows'));
    expect(f).toContain('python3');
    expect(f).not.toContain('jenkins');
    await app.press('/', KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'n', 'o', 'p', 'e', KEY.enter);
    await app.waitFrame((f) => f.includes('nothing matches nope'));
  });

  it('cycles the sort column with s', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.waitFrame((f) => f.includes('sort port'));
    await app.press('s');
    const f = await app.waitFrame((f) => f.includes('sort status'));
    const order = lines(f).filter((l) => /^(> | {2})(conflict|down|up) /.test(l)).map((l) => l.trim().replace(/^> /, '').split(/\s+/)[0]);
    expect(order).toEqual(['conflict', 'down', 'up', 'up']);
    await app.press('s', 's');
    await app.waitFrame((f) => f.includes('sort port'));
  });

  it('opens help with ? listing every key of the table, Esc closes', async () => {
    const app = mountApp({ snapshot: seedScene(), width: 100, height: 60 });
    await app.press('?');
    const f = await app.waitFrame((f) => f.includes('Keys'));
    for (const row of helpRows(false)) expect(f).toContain(row.action.slice(0, 20));
    await app.press(KEY.escape);
    await app.waitFrame((f) => f.includes('API网关'));
  });

  it('draws the help as a bordered table where it fits, and compact where it does not', async () => {
    const tall = mountApp({ snapshot: seedScene(), width: 110, height: 100 });
    await tall.press('?');
    let f = await tall.waitFrame((f) => f.includes('Keys'));
    expect(f).toContain('┌');
    for (const row of helpRows(false)) expect(f).toContain(`│ ${row.keys}`);
    tall.unmount();

    const short = mountApp({ snapshot: seedScene(), width: 110, height: 30 });
    await short.press('?');
    f = await short.waitFrame((f) => f.includes('Keys'));
    expect(f).not.toContain('┌');
    for (const row of helpRows(false)) expect(f).toContain(row.keys);
  });

  it('footer is the key table rendered for the width, and read-only drops kill everywhere', async () => {
    const rw = mountApp({ snapshot: seedScene() });
    let f = await rw.waitFrame((f) => f.includes('API网关'));
    expect(lines(f)).toContain(footerText('table', false, 100));
    expect(f).toContain('x kill');
    rw.unmount();

    const ro = mountApp({ snapshot: seedScene(), readOnly: true, height: 40 });
    f = await ro.waitFrame((f) => f.includes('API网关'));
    expect(lines(f)).toContain(footerText('table', true, 100));
    expect(f).not.toContain('kill');
    await ro.press('x', KEY.f9, 's');
    f = await ro.waitFrame((f) => f.includes('sort status'));
    expect(f).toContain('API网关'); // no dialog opened
    await ro.press('?');
    f = await ro.waitFrame((f) => f.includes('Keys'));
    expect(f).not.toMatch(/kill the selected/);
    expect(f).toContain('read-only');
  });

  it('space pauses (marker in the header), r refreshes, q quits', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.press(' ');
    await app.waitFrame((f) => f.includes('PAUSED'));
    expect(app.calls.pause).toEqual([true]);
    await app.press(' ', 'r', 'q');
    await app.waitFrame((f) => !f.includes('PAUSED'));
    expect(app.calls).toMatchObject({ pause: [true, false], refresh: 1, quit: 1 });
    await app.press(KEY.ctrlC);
    expect(app.calls.quit).toBe(2);
  });

  it('x opens the kill dialog on a row with a pid; it owns the keys, Ctrl-C still quits', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.press('j', 'x'); // gateway, pid 300
    const f = await app.waitFrame((f) => !f.includes('STATUS'));
    expect(f).toContain('300');
    await app.press('q');
    expect(app.calls.quit).toBe(0);
    await app.press(KEY.ctrlC);
    expect(app.calls.quit).toBe(1);
  });

  it('says so when the selected row has no process to kill', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.press('G', 'x'); // 订单服务 is down
    await app.waitFrame((f) => f.includes('no process to kill on this row'));
  });

  it('keeps the selection on the same service when a refresh reorders rows', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.press('j', 'j');
    await app.waitFrame((f) => selectedLine(f).includes('用户服务'), '用户服务');
    // The next snapshot moves user-svc to a low port: it now sorts first.
    const next = seedScene();
    app.store.pushSnapshot(
      { ...next, takenAt: '2026-11-21T20:00:02.000Z', services: next.services.map((s) => (s.id === 'user-svc' ? { ...s, port: 1000 } : s)) },
      2_000,
    );
    const f = await app.waitFrame((f) => lines(f).some((l) => l.includes('用户服务') && l.includes('1000')));
    expect(selectedLine(f)).toContain('用户服务');
    expect(lines(f).findIndex((l) => l.includes('用户服务'))).toBeLessThan(lines(f).findIndex((l) => l.includes('Grafana')));
  });

  it('aligns CJK and Latin names by cell width', async () => {
    const app = mountApp({ snapshot: seedScene() });
    const f = await app.waitFrame((f) => f.includes('API网关'));
    const rows = lines(f).filter((l) => /\b(8080|8081|8082|3000)\b/.test(l) && /(up|down|conflict)/.test(l));
    expect(rows.length).toBe(4);
    const portCell = (l: string) => cellWidth(l.slice(0, l.search(/\b(8080|8081|8082|3000)\b/)));
    expect(new Set(rows.map(portCell)).size).toBe(1);
    // The last column (the process) starts at the same cell in every row.
    expect(new Set(rows.map((l) => cellWidth(l.slice(0, l.lastIndexOf(' ') + 1)))).size).toBe(1);
  });

  it('renders only the visible slice of 15k rows and pages through them', async () => {
    const listeners = Array.from({ length: 15_000 }, (_, i) => listener({ port: 10_000 + i, pid: 1, process: `p${i}` }));
    const app = mountApp({ snapshot: snapshot({ listeners, processes: [proc({ pid: 1 })] }), height: 20 });
    await app.press(KEY.tab);
    let f = await app.waitFrame((f) => f.includes('15000 rows'));
    const dataLines = lines(f).filter((l) => /unexpected/.test(l));
    expect(dataLines.length).toBeGreaterThan(5);
    expect(dataLines.length).toBeLessThan(20);
    await app.press('G');
    f = await app.waitFrame((f) => selectedLine(f).includes('24999'));
    await app.press(KEY.pageUp);
    f = await app.waitFrame((f) => !selectedLine(f).includes('24999'));
    expect(lines(f).filter((l) => /unexpected/.test(l)).length).toBe(dataLines.length);
  });

  it('works in a 60x15 pane with compact columns and status words', async () => {
    const app = mountApp({ snapshot: seedScene(), width: 60, height: 15, problems: false });
    const f = await app.waitFrame((f) => f.includes('API网关'));
    expect(lines(f).length).toBeLessThanOrEqual(14);
    for (const l of lines(f)) expect(cellWidth(l)).toBeLessThanOrEqual(60);
    expect(f).toMatch(/conflict\s+gateway\s+API网关\s+0\.0\.0\.0\s+8080/);
    expect(f).toContain('q quit');
    expect(f).toContain('? help');
  });

  it('header: every count, the age, profile and host; in 60 columns short labels keep the age beside PAUSED', async () => {
    const wide = mountApp({ snapshot: seedScene(), width: 120 });
    let f = await wide.waitFrame((f) => f.includes('API网关'));
    expect(lines(f)[0]).toBe('up 2  down 1  conflict 1  unexpected 1  exposed 0  just now  profile all  test-box');
    wide.unmount();

    const narrow = mountApp({ snapshot: seedScene(), width: 60, height: 15, problems: false });
    f = await narrow.waitFrame((f) => f.includes('API网关'));
    expect(lines(f)[0]).toBe('up 2  down 1  confl 1  unexp 1  expos 0  just now  test-box'); // "profile all" does not fit whole
    await narrow.press(' ');
    f = await narrow.waitFrame((f) => f.includes('PAUSED'));
    expect(lines(f)[0]).toBe('PAUSED  up 2  down 1  confl 1  unexp 1  expos 0  just now');
  });

  it('keeps the applied filter visible in 60 columns: the inactive view names give way', async () => {
    const app = mountApp({ snapshot: seedScene(), width: 60, height: 15, problems: false });
    let f = await app.waitFrame((f) => f.includes('API网关'));
    expect(lines(f)[1]).toBe('[Services] Listeners  Processes   4 rows  sort port');
    await app.press(KEY.tab, '/', ':', '9', '9', '9', '9', KEY.enter);
    f = await app.waitFrame((f) => f.includes('1/4 rows'));
    expect(lines(f)[1]).toBe('[Listeners]  1/4 rows  sort port  filter :9999');
  });

  it('says "terminal too small" below the minimum', async () => {
    const app = mountApp({ snapshot: seedScene(), width: 30, height: 15 });
    await app.waitFrame((f) => f.includes('terminal too small'));
    const short = mountApp({ snapshot: seedScene(), width: 80, height: 5 });
    await short.waitFrame((f) => f.includes('terminal too small'));
  });

  it('prints no escape sequences without colour, and cleans hostile names', async () => {
    const snap = seedScene();
    const hostile = { ...snap, services: [...snap.services, service({ id: 'evil', name: 'x\x1b[2Jy\u202e', port: 7000 })] };
    const app = mountApp({ snapshot: hostile, color: false });
    const f = await app.waitFrame((f) => f.includes('API网关'));
    expect(f).not.toContain('\x1b');
    expect(f).toContain('xy\ufffd');
    expect(f).toMatch(/conflict\s+gateway\s+API网关/);
  });

  it('shows change events and partial-view notices', async () => {
    const app = mountApp({ snapshot: { ...seedScene(), notices: ['not root: sockets of other users show no owner'] } });
    let f = await app.waitFrame((f) => f.includes('note: not root'));
    expect(f).toContain('no changes yet');
    const next = seedScene();
    app.store.pushSnapshot({ ...next, services: next.services.map((s) => (s.id === 'user-svc' ? { ...s, status: 'down' as const, pid: null } : s)) }, 2_000);
    f = await app.waitFrame((f) => f.includes('用户服务 (user-svc) went down on port 8081'));
    expect(f).toContain('up 1  down 2');
  });
});

describe('event log', () => {
  it('e shows every change of the session, newest first; moving keys scroll it; Esc goes back', async () => {
    const app = mountApp({ snapshot: seedScene(), width: 80, height: 15, problems: false });
    await app.waitFrame((f) => f.includes('API网关'));
    // Twelve changes: user-svc goes down and comes back six times.
    for (let i = 0; i < 12; i++) {
      const next = seedScene();
      const services = next.services.map((s) => (s.id === 'user-svc' && i % 2 === 0 ? { ...s, status: 'down' as const, pid: null } : s));
      app.store.pushSnapshot({ ...next, takenAt: new Date(Date.UTC(2026, 10, 21, 20, 0, i + 1)).toISOString(), services }, 2_000 + i);
    }
    const changes = (f: string) => lines(f).filter((l) => l.includes('(user-svc)'));
    let f = await app.waitFrame((f) => changes(f).length === 1 && f.includes('is up on port 8081'));
    expect(lines(f)).toContain(footerText('table', false, 80)); // the strip has one line here

    await app.press('e');
    f = await app.waitFrame((f) => f.includes('Events this session'));
    expect(f).toContain('Events this session, newest first (12, 1-10 of 12; the last 500 are kept)');
    expect(changes(f)).toHaveLength(10);
    expect(changes(f)[0]).toContain('is up on port 8081'); // newest first
    expect(lines(f)).toContain('Esc close  q quit');
    await app.press('G');
    f = await app.waitFrame((f) => f.includes('3-12 of 12'));
    expect(changes(f)[9]).toContain('went down on port 8081'); // the first change of the session
    await app.press('k');
    await app.waitFrame((f) => f.includes('2-11 of 12'));
    await app.press('g');
    await app.waitFrame((f) => f.includes('1-10 of 12'));
    await app.press(KEY.escape);
    f = await app.waitFrame((f) => f.includes('API网关'));
    expect(changes(f)).toHaveLength(1);
  });

  it('says so when nothing changed yet, and a new change shows while it is open', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.press('e');
    await app.waitFrame((f) => f.includes('Events this session: no changes yet'));
    const next = seedScene();
    app.store.pushSnapshot({ ...next, services: next.services.map((s) => (s.id === 'grafana' ? { ...s, status: 'down' as const, pid: null } : s)) }, 2_000);
    await app.waitFrame((f) => f.includes('Grafana (grafana) went down on port 3000'));
  });
});

describe('App with keys arriving in one chunk', () => {
  it('treats "/用户\\r" as open filter, type, apply', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.waitFrame((f) => f.includes('Grafana'));
    await app.press('/用户\r');
    const f = await app.waitFrame((f) => f.includes('filter 用户'));
    expect(f).not.toContain('Grafana');
  });
});
