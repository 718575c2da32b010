import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { RenderOptions } from 'ink';
import type { Snapshot } from '../core/types.js';
import { median } from './stats.js';

/**
 * A mounted UI that can be handed the next snapshot. `show` resolves once the frame for it has been
 * written (and effects that re-render once more have run).
 */
export interface FrameTarget {
  show(snapshot: Snapshot): Promise<void>;
  close(): void;
}

/** Mounts the UI on a {@link FakeTerminal}, showing `first`. */
export type FrameSubject = (first: Snapshot, terminal: FakeTerminal) => Promise<FrameTarget>;

/** Median frame times for the small and the large snapshot. */
export interface FrameTimes {
  readonly smallRows: number;
  readonly largeRows: number;
  readonly smallMs: number;
  readonly largeMs: number;
}

/** A terminal-sized sink for Ink frames (120x40 like the tmux pane of the idle test). */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  writes = 0;
  last = '';
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (chunk: string): boolean => {
    this.writes += 1;
    this.last = chunk;
    return true;
  };
}

/** Stdin that satisfies Ink's raw-mode handling and can type keys (Ink pulls them with read()). */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private pending: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  /** Like a Node stream, `read()` also emits `data` for the chunk it returns (vhtop reads keys there). */
  read = (): string | null => {
    const data = this.pending;
    this.pending = null;
    if (data !== null) this.emit('data', data);
    return data;
  };
  /** Types `data` as if from the keyboard. */
  type(data: string): void {
    this.pending = data;
    this.emit('readable');
  }
}

/** Streams for Ink's render() that keep frames in memory. */
export interface FakeTerminal {
  readonly stdout: FakeStdout;
  readonly stderr: FakeStdout;
  readonly stdin: FakeStdin;
  /** Ink render options for these streams: debug mode renders and writes every update synchronously. */
  readonly inkOptions: RenderOptions;
}

/** A fake terminal of `columns` x `rows`. */
export function fakeTerminal(columns = 120, rows = 40): FakeTerminal {
  const stdout = new FakeStdout(columns, rows);
  const stderr = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  return {
    stdout,
    stderr,
    stdin,
    inkOptions: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  };
}

/** Resolves after pending macrotasks (effects, a second render they cause). */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * A copy of `snapshot` as the next tick would deliver it: new objects everywhere, so memoised
 * components cannot skip the work a real refresh causes.
 */
export function freshCopy(snapshot: Snapshot, tick: number): Snapshot {
  return {
    ...snapshot,
    takenAt: new Date(Date.parse(snapshot.takenAt) + tick * 2000).toISOString(),
    listeners: snapshot.listeners.map((l) => ({ ...l })),
    services: snapshot.services.map((s) => ({ ...s })),
    processes: new Map(snapshot.processes),
  };
}

/**
 * `snapshot` with the command of its first row in port order (the top row of the Listeners view)
 * marked with `tick`. The TUI skips a snapshot that would draw the same frame as the one on screen,
 * so a timed tick must change something visible; one cell is the cheapest such change, and the
 * work that remains is what any real refresh with a change pays: store, view model, the visible rows.
 */
export function touchTopRow(snapshot: Snapshot, tick: number): Snapshot {
  let at = -1;
  snapshot.listeners.forEach((l, i) => {
    const top = snapshot.listeners[at];
    if (!top || l.port < top.port || (l.port === top.port && l.key < top.key)) at = i;
  });
  const top = snapshot.listeners[at];
  if (!top) return snapshot;
  const listeners = [...snapshot.listeners];
  listeners[at] = { ...top, command: `${top.command ?? top.process ?? ''} #${tick}` };
  return { ...snapshot, listeners };
}

/**
 * `snapshot` with one row per Listener.key. With --all, TIME-WAIT sockets (inode 0) of one local
 * port share a key; React would warn on every frame and the warnings would be timed as well.
 */
export function uniqueRows(snapshot: Snapshot): Snapshot {
  const seen = new Set<string>();
  const listeners = snapshot.listeners.filter((l) => !seen.has(l.key) && Boolean(seen.add(l.key)));
  return { ...snapshot, listeners };
}

/** `snapshot` cut to its first `rows` listeners. */
export function withRows(snapshot: Snapshot, rows: number): Snapshot {
  return { ...snapshot, listeners: snapshot.listeners.slice(0, rows) };
}

/**
 * Moves what is alive in V8's young generation out of it: two minor collections (the first copies the
 * survivors, the second promotes them). The bench's worker runs with --expose-gc for this; without it
 * this does nothing. Each timed frame gets a copy of 15k listeners made just before it; left young,
 * the collector copied them during the frame, ~20 ms of a ~35 ms frame at 15k rows and as little or
 * as much as the moment of the next scavenge decided: over 7 frames the 15k/50-row ratio moved
 * between 1.1x and 2.6x from run to run. Making and collecting a refresh's objects is the refresh's
 * cost (the tick measure counts it); what is timed here is what the UI does with them.
 */
export function promoteYoungObjects(): void {
  const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
  if (gc === undefined) return;
  gc({ type: 'minor' });
  gc({ type: 'minor' });
}

/**
 * Mounts the subject with Ink in debug mode (every update is rendered and written synchronously, no
 * frame-rate throttle) and times `frames` updates, each with a fresh copy of the snapshot whose top
 * row changed (untimed: see {@link touchTopRow}), after the copy has left the young generation
 * (untimed: see {@link promoteYoungObjects}). The time
 * covers React, layout and writing the frame, plus one macrotask for effects. Returns the median, ms.
 */
export async function timeFrames(subject: FrameSubject, snapshot: Snapshot, frames: number): Promise<number> {
  const terminal = fakeTerminal();
  const target = await subject(freshCopy(snapshot, 0), terminal);
  try {
    const times: number[] = [];
    // One untimed update first: it pays for JIT warm-up, not for the row count.
    for (let i = 1; i <= frames + 1; i++) {
      const next = touchTopRow(freshCopy(snapshot, i), i);
      const before = terminal.stdout.writes;
      promoteYoungObjects();
      const t0 = performance.now();
      await target.show(next);
      const elapsed = performance.now() - t0;
      if (terminal.stdout.writes === before) throw new Error('the UI wrote no frame for a new snapshot');
      if (i > 1) times.push(elapsed);
    }
    return median(times);
  } finally {
    target.close();
  }
}

/** Frame times at `smallRows` (50) and at every listener of `snapshot`. */
export async function measureFrames(subject: FrameSubject, snapshot: Snapshot, frames: number, smallRows = 50): Promise<FrameTimes> {
  const small = withRows(snapshot, smallRows);
  // Alternate small and large so background load drifts over both alike.
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  for (let round = 0; round < 2; round++) {
    smallMs.push(await timeFrames(subject, small, frames));
    largeMs.push(await timeFrames(subject, snapshot, frames));
  }
  return { smallRows: small.listeners.length, largeRows: snapshot.listeners.length, smallMs: median(smallMs), largeMs: median(largeMs) };
}
