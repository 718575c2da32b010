import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { LiveStore } from '../../src/ui/live.js';
import type { Snapshot } from '../../src/core/types.js';
import type { Killer } from '../../src/ui/killer.js';

/** Options of {@link mountApp}. */
export interface MountOptions {
  snapshot?: Snapshot;
  width?: number;
  height?: number;
  readOnly?: boolean;
  color?: boolean;
  /** `--problems` (default: from the pane size, as in the TUI). */
  problems?: boolean;
  /** The kill dialog's killer (default: this machine's). */
  killer?: Killer;
  /** The killer for rows of a remote `--host` target. */
  remoteKiller?: (host: string) => Killer;
  /** Clock for the header's age (default: 2 s after the snapshot). */
  now?: () => number;
}

/** Key sequences as a terminal sends them. */
export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  tab: '\t',
  shiftTab: '\x1b[Z',
  enter: '\r',
  escape: '\x1b',
  backspace: '\x7f',
  f9: '\x1b[20~',
  ctrlC: '\x03',
  ctrlU: '\x15',
  ctrlZ: '\x1a',
} as const;

/** Mounts the App with a store (push snapshots into it) and records side-effect callbacks. */
export function mountApp(options: MountOptions = {}) {
  const store = new LiveStore();
  if (options.snapshot) store.pushSnapshot(options.snapshot, 1_000);
  const calls = { refresh: 0, quit: 0, suspend: 0, pause: [] as boolean[] };
  const ui = render(
    <App
      store={store}
      width={options.width ?? 100}
      height={options.height ?? 30}
      readOnly={options.readOnly ?? false}
      color={options.color ?? false}
      profile={null}
      registryFile="/tmp/registry.yaml"
      composeFile={null}
      cwd="/tmp"
      onRefresh={() => calls.refresh++}
      onPause={(p) => calls.pause.push(p)}
      onQuit={() => calls.quit++}
      onSuspend={() => calls.suspend++}
      problems={options.problems}
      killer={options.killer}
      {...(options.remoteKiller ? { remoteKiller: options.remoteKiller } : {})}
      now={options.now ?? (() => 3_000)}
    />,
  );
  const frame = () => ui.lastFrame() ?? '';
  /** Waits (bounded) until the frame satisfies `test`; returns it. */
  async function waitFrame(test: (f: string) => boolean, what = 'frame'): Promise<string> {
    // A limit, not a timing assertion: a loaded machine only makes a passing test slower.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const f = frame();
      if (test(f)) return f;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no ${what} in time; last frame:\n${frame()}`);
  }
  /** Writes keys one by one, letting React settle between them. */
  async function press(...keys: string[]): Promise<void> {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  return { ...ui, store, calls, frame, waitFrame, press };
}
