import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Text, render } from 'ink';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/core/catalogue-load.js';
import { loadEnvSources } from '../../src/core/env.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import type { Snapshot } from '../../src/core/types.js';
import { BUNDLED_REGISTRY } from '../../src/cli/world.js';
import { createProbe } from '../../src/probe/index.js';
import { freshCopy, measureFrames, promoteYoungObjects, settle, timeFrames, touchTopRow, uniqueRows, withRows, type FrameSubject } from '../../src/bench/frame.js';
import { mountListenerView } from '../../src/bench/ui-subject.js';
import { ROOT } from '../e2e/cli-helpers.js';

/** A real snapshot of this machine with every socket as a row. */
async function liveSnapshot(): Promise<Snapshot> {
  const catalogue = await loadCatalogue(BUNDLED_REGISTRY);
  const env = await loadEnvSources(null, {});
  return buildSnapshot(await createProbe('linux').collect(), catalogue, env, { profile: null, all: true });
}

/** A minimal subject: prints the row count, so each frame's text says which snapshot it drew. */
const counting: FrameSubject = async (first, terminal) => {
  const view = (s: Snapshot) => <Text>{`rows ${s.listeners.length} at ${s.takenAt}`}</Text>;
  const instance = render(view(first), terminal.inkOptions);
  await settle();
  return {
    async show(s) {
      instance.rerender(view(s));
      await settle();
    },
    close() {
      instance.unmount();
      instance.cleanup();
    },
  };
};

describe('frame timing', () => {
  it('copies a snapshot as a new tick would (new listener objects, later time) and cuts it to N rows', async () => {
    const snap = await liveSnapshot();
    const next = freshCopy(snap, 3);
    expect(next.listeners).toEqual(snap.listeners);
    expect(next.listeners[0]).not.toBe(snap.listeners[0]);
    expect(Date.parse(next.takenAt) - Date.parse(snap.takenAt)).toBe(6000);
    expect(withRows(snap, 1).listeners).toHaveLength(Math.min(1, snap.listeners.length));
  });

  it('changes only the top row of the port order (the UI draws nothing for an unchanged tick)', async () => {
    const snap = await liveSnapshot();
    const touched = touchTopRow(snap, 4);
    const changed = touched.listeners.filter((l, i) => l !== snap.listeners[i]);
    expect(changed).toHaveLength(Math.min(1, snap.listeners.length));
    const top = changed[0];
    if (!top) return;
    expect(top.command).toMatch(/ #4$/);
    expect(snap.listeners.every((l) => l.port > top.port || (l.port === top.port && l.key >= top.key))).toBe(true);
    expect(snap.listeners.some((l) => l.command?.endsWith(' #4'))).toBe(false); // the input is not modified
  });

  it('keeps one row per key (TIME-WAIT sockets of one port share a key, React would warn on every frame)', async () => {
    const snap = await liveSnapshot();
    const first = snap.listeners[0];
    if (!first) throw new Error('this machine shows no socket at all');
    const doubled = { ...snap, listeners: [first, { ...first, remotePort: first.remotePort + 1 }, ...snap.listeners.slice(1)] };
    const unique = uniqueRows(doubled).listeners;
    expect(new Set(unique.map((l) => l.key)).size).toBe(unique.length);
    expect(unique[0]).toBe(first);
    expect(unique.length).toBeLessThan(doubled.listeners.length);
  });

  it('times updates that really write a frame, and fails loudly for one that writes nothing', async () => {
    const snap = await liveSnapshot();
    const times = await measureFrames(counting, snap, 3, 1);
    expect(times.smallRows).toBe(Math.min(1, snap.listeners.length));
    expect(times.largeRows).toBe(snap.listeners.length);
    expect(Number.isFinite(times.smallMs) && Number.isFinite(times.largeMs)).toBe(true);
    const silent: FrameSubject = async () => ({ show: settle, close: () => undefined });
    await expect(timeFrames(silent, snap, 2)).rejects.toThrow('the UI wrote no frame for a new snapshot');
  });

  it('drives the real TUI into the Listeners view and redraws it for each pushed snapshot', async () => {
    const snap = await liveSnapshot();
    const ms = await timeFrames(mountListenerView, uniqueRows(snap), 2);
    expect(ms).toBeGreaterThan(0);
  });

  it('moves live young objects out of the young generation before a frame, when the collector is exposed', () => {
    // Without --expose-gc (this test process) it does nothing and must not throw.
    promoteYoungObjects();
    const script = `
      import { getHeapSpaceStatistics } from 'node:v8';
      const { promoteYoungObjects } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'bench', 'frame.js'))});
      const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;
      const kept = [];
      for (let i = 0; i < 20000; i++) kept.push({ i, port: i % 65536 });
      const before = young();
      promoteYoungObjects();
      console.log(JSON.stringify({ before, after: young(), kept: kept.length }));
    `;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const { before, after, kept } = JSON.parse(child.stdout) as { before: number; after: number; kept: number };
    expect(kept).toBe(20000);
    expect(before).toBeGreaterThan(400 * 1024);
    expect(after).toBeLessThan(before / 4);
  });
});
