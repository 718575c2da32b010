import { useStdout } from 'ink';
import { useLayoutEffect, type ReactNode } from 'react';

/** Props of {@link TerminalBridge}. */
export interface TerminalBridgeProps {
  /** Receives a function that draws Ink's whole last frame again. */
  readonly onRedraw: (redraw: () => void) => void;
  readonly children: ReactNode;
}

/**
 * Hands run.tsx a way to repaint the whole frame after the terminal was someone else's (Ctrl-Z, then
 * `fg`). Ink draws only what changed; its public `useStdout().write` clears its output, writes the
 * text, and draws the last frame again in full, which is exactly a repaint when the text is empty.
 */
export function TerminalBridge({ onRedraw, children }: TerminalBridgeProps) {
  const { write } = useStdout();
  useLayoutEffect(() => onRedraw(() => write('')), [onRedraw, write]);
  return <>{children}</>;
}
