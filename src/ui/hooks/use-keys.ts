import { useLayoutEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { splitInput, type KeyPress } from '../keys.js';

/**
 * Calls `handler` for every key while `active`. Built on Ink's stdin event stream (already split into
 * single keys) because `useInput` cannot tell F9 apart; raw mode is requested through Ink so that Ink
 * restores the terminal on exit.
 *
 * Subscriptions change in layout effects, i.e. synchronously with the render that changes `active`:
 * passive effects can run only after the next key arrives, which let a key meant for a freshly
 * opened dialog reach the table underneath (and the dialog miss it).
 */
export function useKeys(handler: (key: KeyPress) => void, active: boolean): void {
  const { setRawMode, isRawModeSupported, internal_eventEmitter: events } = useStdin();
  const latest = useRef(handler);
  latest.current = handler;

  useLayoutEffect(() => {
    if (!active || !isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [active, isRawModeSupported, setRawMode]);

  useLayoutEffect(() => {
    if (!active) return;
    // One call per key; Ink renders synchronously in between, so each key sees the state the previous one made.
    const onInput = (raw: string) => {
      for (const key of splitInput(raw)) latest.current(key);
    };
    events.on('input', onInput);
    return () => {
      events.removeListener('input', onInput);
    };
  }, [active, events]);
}
