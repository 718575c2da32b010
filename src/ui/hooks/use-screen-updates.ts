import { useEffect, useLayoutEffect, useReducer, useRef, useSyncExternalStore } from 'react';
import type { LiveData, LiveStore } from '../live.js';

/**
 * Re-renders when the store changes in a way that changes the screen. `drawn` is the fingerprint of
 * the frame just rendered, `fingerprintOf` the one the new data would draw (with the current UI
 * state). A refresh that finds the machine as it was draws the same frame, and with Ink every
 * commit lays out and re-serialises the whole screen: skipping it is what keeps the idle TUI cheap.
 *
 * Built on useSyncExternalStore (as a plain store subscription would be) so that a change is drawn
 * synchronously; its "snapshot" is a token that moves only when the fingerprint does.
 */
export function useScreenUpdates(store: LiveStore, drawn: string, fingerprintOf: (data: LiveData) => string): void {
  const shown = useRef(drawn);
  const latest = useRef(fingerprintOf);
  latest.current = fingerprintOf;
  const memo = useRef<{ seen: LiveData; token: LiveData } | null>(null);
  // Layout effects run in the commit of the render that drew `drawn`, before any later store change.
  useLayoutEffect(() => {
    shown.current = drawn;
  });
  const token = (): LiveData => {
    const data = store.get();
    const m = memo.current;
    if (m === null) return (memo.current = { seen: data, token: data }).token;
    if (m.seen === data) return m.token;
    m.seen = data;
    if (latest.current(data) !== shown.current) m.token = data;
    return m.token;
  };
  useSyncExternalStore(store.subscribe, token);
}

/**
 * Moves the "… ago" text of the header: checks once a second and re-renders only when the text
 * `label()` gives differs from `shownLabel` (while refreshes arrive on time it reads "just now" and
 * nothing happens).
 */
export function useAgeClock(shownLabel: string, label: () => string): void {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const shown = useRef(shownLabel);
  const latest = useRef(label);
  latest.current = label;
  useLayoutEffect(() => {
    shown.current = shownLabel;
  });
  useEffect(() => {
    const timer = setInterval(() => {
      if (latest.current() !== shown.current) redraw();
    }, 1000);
    // The clock alone must not keep the process alive.
    timer.unref?.();
    return () => clearInterval(timer);
  }, []);
}
