import { render } from 'ink';
import type { Snapshot } from '../core/types.js';
import { App } from '../ui/App.js';
import { LiveStore } from '../ui/live.js';
import { settle, type FakeTerminal, type FrameTarget } from './frame.js';

const noop = (): void => undefined;

/**
 * The real TUI (App + LiveStore, as src/ui/run.tsx wires them) on a fake 120x40 terminal, switched
 * to the Listeners view with Tab. `show` pushes a snapshot into the store exactly as the poller
 * does, so a timed frame includes the event diff, the view model (rows, filter, sort) and drawing
 * the visible rows.
 */
export async function mountListenerView(first: Snapshot, terminal: FakeTerminal): Promise<FrameTarget> {
  const store = new LiveStore();
  store.pushSnapshot(first, Date.now());
  const instance = render(
    <App
      store={store}
      width={terminal.stdout.columns}
      height={terminal.stdout.rows}
      readOnly={false}
      color={true}
      profile={null}
      registryFile="registry.yaml"
      composeFile={null}
      cwd={process.cwd()}
      onRefresh={noop}
      onPause={noop}
      onQuit={noop}
    />,
    terminal.inkOptions,
  );
  const close = (): void => {
    instance.unmount();
    instance.cleanup();
  };
  try {
    await settle();
    terminal.stdin.type('\t');
    // Bounded wait for the Listeners view (its tab in brackets); a limit, not a measure.
    for (let i = 0; i < 200 && !terminal.stdout.last.includes('[Listeners]'); i++) await new Promise((r) => setTimeout(r, 10));
    if (!terminal.stdout.last.includes('[Listeners]')) throw new Error('the TUI did not switch to the Listeners view');
  } catch (e) {
    close();
    throw e;
  }
  return {
    show(snapshot: Snapshot): Promise<void> {
      store.pushSnapshot(snapshot, Date.now());
      return settle();
    },
    close,
  };
}
