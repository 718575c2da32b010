import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, mountApp } from './harness.js';
import { listener, seedScene, service, snapshot } from './fixtures.js';
import { footerText } from '../../src/ui/components/Footer.js';
import { cellWidth } from '../../src/presentation/cells.js';
import type { Snapshot } from '../../src/core/types.js';

afterEach(() => cleanup());

const lines = (frame: string) => frame.split('\n');
const selectedLine = (frame: string) => lines(frame).find((l) => l.startsWith('> ')) ?? '';
const header = (frame: string) => lines(frame).find((l) => l.startsWith('  STATUS')) ?? '';

/** A catalogue of 34 entries, all up but one, and one exposed local-only service. */
function bigScene(): Snapshot {
  const services = Array.from({ length: 34 }, (_, i) =>
    service({ id: `svc-${i}`, name: `服务 ${i}`, port: 9000 + i, pid: 500 + i, process: 'node', status: i === 17 ? 'down' : 'up', ...(i === 17 ? { pid: null, process: null } : {}) }),
  );
  const listeners = services
    .filter((s) => s.status === 'up')
    .map((s) => listener({ port: s.port, pid: s.pid, process: 'node', service: s.id, status: 'expected', address: '127.0.0.1' }));
  return snapshot({ services, listeners });
}

describe('problems only (! and --problems)', () => {
  it('is the default in a pane smaller than 80x20, says so in the header, and ! toggles back to all rows', async () => {
    const app = mountApp({ snapshot: bigScene(), width: 60, height: 15 });
    let f = await app.waitFrame((f) => f.includes('svc-17'));
    expect(lines(f)[0]).toMatch(/^PROBLEMS/);
    // The one down service, alone: no scrolling needed.
    expect(lines(f).filter((l) => /^(> | {2})(up|down) /.test(l))).toEqual([expect.stringMatching(/^> down\s+svc-17\s/)]);
    expect(f).toContain('1 rows');
    await app.press('!');
    f = await app.waitFrame((f) => f.includes('34 rows'));
    expect(lines(f)[0]).not.toMatch(/PROBLEMS/);
    expect(f).toMatch(/up\s+svc-0\s/);
    await app.press('!');
    await app.waitFrame((f) => f.includes('1 rows') && /^PROBLEMS/.test(lines(f)[0] ?? ''));
  });

  it('is off by default in a large pane; --problems turns it on there', async () => {
    const big = mountApp({ snapshot: bigScene(), width: 120, height: 40 });
    await big.waitFrame((f) => f.includes('34 rows'));
    big.unmount();
    const chosen = mountApp({ snapshot: bigScene(), width: 120, height: 40, problems: true });
    const f = await chosen.waitFrame((f) => f.includes('1 rows'));
    expect(lines(f)[0]).toContain('PROBLEMS ONLY (! all)');
  });

  it('lists the most severe first: conflict, down, exposed, then unexpected listeners; nothing fine', async () => {
    const scene = seedScene();
    const exposed = service({ id: 'redis', name: 'Redis', port: 6379, pid: 400, process: 'redis-server', exposed: true });
    const app = mountApp({ snapshot: { ...scene, services: [...scene.services, exposed] }, problems: true });
    const f = await app.waitFrame((f) => f.includes('redis'));
    const rows = lines(f).filter((l) => /^(> | {2})[a-z]/.test(l)).map((l) => l.slice(2).split(/\s+/).slice(0, 2).join(' '));
    expect(rows).toEqual(['conflict gateway', 'down order-svc', 'up redis', 'unexpected -']);
    expect(lines(f).find((l) => l.includes('redis'))).toContain('exposed');
    expect(f).not.toContain('grafana');
  });

  it('says so when nothing needs attention', async () => {
    const app = mountApp({ snapshot: snapshot({ services: [service({ id: 'ok', pid: 1, process: 'x' })] }), problems: true });
    await app.waitFrame((f) => f.includes('nothing needs attention (! shows all rows)'));
  });
});

describe('facts that survive a narrow pane', () => {
  it('shows the ID column when it fits, else the selected row\'s id in the detail line', async () => {
    const wide = mountApp({ snapshot: seedScene(), width: 100, problems: false });
    let f = await wide.waitFrame((f) => f.includes('API网关'));
    expect(header(f)).toMatch(/STATUS\s+ID\s+NAME/);
    wide.unmount();
    const narrow = mountApp({ snapshot: seedScene(), width: 44, height: 15, problems: false });
    f = await narrow.waitFrame((f) => f.includes('Grafana'));
    expect(header(f)).not.toContain('ID');
    expect(f).toMatch(/^id grafana · Grafana/m);
    await narrow.press('j');
    f = await narrow.waitFrame((f) => /^id gateway · API网关 · 0\.0\.0\.0:8080/m.test(f));
    for (const l of lines(f)) expect(cellWidth(l)).toBeLessThanOrEqual(44);
  });

  it('at 80 columns keeps the whole address and the exposed mark, cutting the name first', async () => {
    const long = '一个名字很长很长很长很长的本地缓存服务';
    const snap = snapshot({
      services: [service({ id: 'cache', name: long, port: 6380, pid: 77, process: 'redis-server', exposed: true })],
      listeners: [listener({ port: 6380, pid: 77, process: 'redis-server', service: 'cache', status: 'expected', exposed: true, address: '0000:0000:0000:0000:0000:0000:0000:0001' })],
    });
    const app = mountApp({ snapshot: snap, width: 80, height: 24, problems: false });
    const f = await app.waitFrame((f) => f.includes('cache'));
    const row = selectedLine(f);
    expect(row).toContain('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(row).toContain('exposed');
    expect(row).toContain('…'); // the name gave way
    expect(cellWidth(row)).toBeLessThanOrEqual(80);
    // The Listeners view too: address and FLAGS whole.
    await app.press(KEY.tab);
    const l = selectedLine(await app.waitFrame((f) => f.includes('[Listeners]')));
    expect(l).toContain('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(l).toContain('exposed');
  });

  it('a column empty in every row (ENV all "-") gives its width away; one value brings it back', async () => {
    const scene = seedScene();
    const app = mountApp({ snapshot: scene, width: 140, problems: false });
    let f = await app.waitFrame((f) => f.includes('API网关'));
    expect(header(f)).not.toContain('ENV');
    const moved = scene.services.map((s) => (s.id === 'grafana' ? { ...s, envVar: 'GF_PORT', portSource: 'env-file' as const } : s));
    app.store.pushSnapshot({ ...scene, services: moved, takenAt: '2026-11-21T20:00:05.000Z' }, 2_000);
    f = await app.waitFrame((f) => header(f).includes('ENV'));
    expect(f).toContain('GF_PORT=3000');
  });
});

describe('job control and the log pane keys', () => {
  it('Ctrl-Z asks to suspend, in the table, while typing a filter, and with the log pane open', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.waitFrame((f) => f.includes('API网关'));
    await app.press(KEY.ctrlZ);
    expect(app.calls.suspend).toBe(1);
    await app.press('/', KEY.ctrlZ);
    expect(app.calls.suspend).toBe(2);
    await app.press(KEY.escape, 'l');
    const f = await app.waitFrame((f) => f.includes('logs:'));
    // The log pane's own keys in the footer, not the table's.
    expect(lines(f)).toContain(footerText('logs', false, 100));
    expect(f).toContain('f follow');
    expect(f).not.toContain('Tab view');
    await app.press(KEY.ctrlZ);
    expect(app.calls.suspend).toBe(3);
    await app.press('/');
    await app.waitFrame((f) => lines(f).includes(footerText('log-search', false, 100)));
    await app.press(KEY.escape, KEY.escape);
    await app.waitFrame((f) => lines(f).includes(footerText('table', false, 100)));
  });
});
