import { useLayoutEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { splitInput, type KeyPress } from '../keys.js';

/**
 * Calls `handler` for every key while `active`.
 *
 * Built on Ink's public `useStdin()`: raw mode is requested through Ink (so Ink restores the terminal
 * on exit), and keys are read from the `data` events of the stdin stream Ink hands out. Ink consumes
 * that stream with `read()`, and a Node stream emits `data` for every chunk `read()` returns (a
 * documented guarantee that does not switch the stream to flowing mode while Ink's `readable`
 * listener is attached). `useInput` is not used because it reports F9 (and every function key) as
 * an empty string with no flag set.
 *
 * Subscriptions change in layout effects, i.e. synchronously with the render that changes `active`:
 * passive effects can run only after the next key arrives, which let a key meant for a freshly
 * opened dialog reach the table underneath (and the dialog miss it).
 */
export function useKeys(handler: (key: KeyPress) => void, active: boolean): void {
  const { stdin, setRawMode, isRawModeSupported } = useStdin();
  const latest = useRef(handler);
  latest.current = handler;

  // Raw mode first: it attaches Ink's `readable` listener, so the `data` listener below never puts
  // the stream into flowing mode behind Ink's back.
  useLayoutEffect(() => {
    if (!active || !isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [active, isRawModeSupported, setRawMode]);

  useLayoutEffect(() => {
    // Without raw mode there are no keys: a piped stdin's bytes are not key presses.
    if (!active || !isRawModeSupported) return;
    // One call per key, in order; each key sees the state the previous one made (the App keeps it in a ref).
    const onData = (chunk: string | Buffer) => {
      for (const key of splitInput(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))) latest.current(key);
    };
    stdin.on('data', onData);
    return () => {
      stdin.off('data', onData);
    };
  }, [active, isRawModeSupported, stdin]);
}
