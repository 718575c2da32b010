import { Component, type ReactNode } from 'react';

/** Props of {@link CrashBoundary}. */
export interface CrashBoundaryProps {
  /** Called once with what a component threw while rendering (or in an effect). */
  readonly onError: (error: unknown) => void;
  readonly children?: ReactNode;
}

/**
 * Catches an error thrown while the TUI renders, draws nothing more and hands the error to `onError`
 * (which ends the session: terminal restored, then one clean line).
 *
 * Without it Ink's own boundary draws its error overview — the raw message and stack trace — into the
 * terminal, and a message that carries escape sequences (e.g. built from a process name) would reach
 * the terminal uncleaned. A class component because React offers error boundaries only as classes.
 */
export class CrashBoundary extends Component<CrashBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onError(error);
  }

  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
