import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, mountApp } from './harness.js';
import { listener, proc, seedScene, snapshot } from './fixtures.js';
import type { Snapshot } from '../../src/core/types.js';
import { ageLabel } from '../../src/ui/screen-model.js';

afterEach(() => cleanup());

/** The same machine state as a later tick would deliver it: new objects everywhere, a later time. */
function sameAgain(s: Snapshot, seconds: number): Snapshot {
  return {
    ...s,
    takenAt: new Date(Date.parse(s.takenAt) + seconds * 1000).toISOString(),
    listeners: s.listeners.map((l) => ({ ...l })),
    services: s.services.map((x) => ({ ...x })),
    processes: new Map(s.processes),
  };
}

/** Resolves after pending macrotasks (a render React may have scheduled). */
const settle = () => new Promise((r) => setImmediate(r));

describe('redrawing only what changed', () => {
  it('draws no new frame for a snapshot that shows the same, and one for a visible change', async () => {
    const app = mountApp({ snapshot: seedScene() });
    await app.waitFrame((f) => f.includes('API网关'));
    await settle();
    const drawn = app.frames.length;
    app.store.pushSnapshot(sameAgain(seedScene(), 2), 2_000);
    app.store.pushSnapshot(sameAgain(seedScene(), 4), 2_500);
    await settle();
    expect(app.frames.length).toBe(drawn);
    // A real change (a service went down) is drawn, with its event.
    const next = sameAgain(seedScene(), 6);
    app.store.pushSnapshot({ ...next, services: next.services.map((s) => (s.id === 'user-svc' ? { ...s, status: 'down', pid: null, process: null } : s)) }, 2_800);
    const f = await app.waitFrame((f) => f.includes('went down'));
    expect(app.frames.length).toBeGreaterThan(drawn);
    expect(f).toContain('up 1  down 2');
  });

  it('shows rows of the newest snapshot when scrolling to them, even if that snapshot drew nothing', async () => {
    const rows = (tag: string) => Array.from({ length: 100 }, (_, i) => listener({ port: 20_000 + i, pid: 1, process: `p${i}`, command: i === 95 ? `late-${tag}` : `cmd${i}` }));
    const first = snapshot({ listeners: rows('old'), processes: [proc({ pid: 1 })] });
    const app = mountApp({ snapshot: first, height: 15 });
    await app.press(KEY.tab);
    await app.waitFrame((f) => f.includes('[Listeners]') && f.includes('p0'));
    await settle();
    const drawn = app.frames.length;
    // Row 95 is far below the window, and a new command is no event: nothing on screen changes.
    app.store.pushSnapshot(snapshot({ listeners: rows('new'), processes: [proc({ pid: 1 })], takenAt: '2026-11-21T20:00:02.000Z' }), 1_500);
    await settle();
    expect(app.frames.length).toBe(drawn);
    await app.press('G');
    const f = await app.waitFrame((f) => f.includes('20099'));
    expect(f).toContain('late-new');
    expect(f).not.toContain('late-old');
  });

  it('says "just now" while refreshes come on time and counts up once they stop', async () => {
    let clock = 3_000;
    const app = mountApp({ snapshot: seedScene(), now: () => clock });
    await app.waitFrame((f) => f.includes('just now'));
    clock = 13_000; // ten seconds without a refresh (paused, or a stuck probe)
    const f = await app.waitFrame((f) => f.includes('12s ago'), '"12s ago" (the clock checks once a second)');
    expect(f).not.toContain('just now');
  });

  it('labels the age by the poll period', () => {
    expect(ageLabel(null, 5_000, 2_000)).toBe('loading…');
    expect(ageLabel(1_000, 3_999, 2_000)).toBe('just now');
    expect(ageLabel(1_000, 4_000, 2_000)).toBe('3s ago');
    expect(ageLabel(1_000, 11_999, 10_000)).toBe('just now');
    expect(ageLabel(0, 125_000, 2_000)).toBe('2m ago');
  });
});
