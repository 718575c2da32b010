import { stopForJobControl } from '../actions/signals.js';
import { releaseScreen, retakeScreen, type Screen } from './screen.js';

/** What {@link Suspender} needs: the terminal it hands back and takes again. */
export interface SuspendOptions {
  readonly screen: Screen;
  /** Raw mode of the terminal on stdin (absent when stdin is not a terminal). */
  readonly setRawMode?: (raw: boolean) => void;
  /** Draws the whole frame again (the terminal was someone else's meanwhile). */
  readonly redraw: () => void;
  /** Stops the process; returns after SIGCONT (default: job-control stop, see signals.ts). */
  readonly stop?: (group: boolean) => void;
}

/**
 * Job control as htop does it. Ctrl-Z (a key in raw mode, where the terminal sends no SIGTSTP) and
 * a SIGTSTP from outside both restore the terminal (alternate screen off, cursor shown, cooked mode)
 * before stopping, so the shell gets a usable terminal; on SIGCONT (`fg`) raw mode and the screen
 * come back and the frame is drawn again. Without this, Ctrl-Z was swallowed and later typing went
 * to the TUI, and an external SIGTSTP left the shell on the alternate screen in raw mode.
 */
export class Suspender {
  private suspended = false;

  constructor(private readonly options: SuspendOptions) {}

  /** Listens for SIGTSTP and SIGCONT. */
  install(): void {
    process.on('SIGTSTP', this.onStop);
    process.on('SIGCONT', this.onContinue);
  }

  /** Stops listening (the TUI is ending). */
  dispose(): void {
    process.off('SIGTSTP', this.onStop);
    process.off('SIGCONT', this.onContinue);
  }

  /** Ctrl-Z: stop the whole job, as the terminal's own suspend key would. */
  suspend(): void {
    this.stop(true);
  }

  private readonly onStop = (): void => this.stop(false);
  // A SIGCONT after a stop we did not see (SIGSTOP from outside): the shell may have put the
  // terminal back into cooked mode meanwhile.
  private readonly onContinue = (): void => {
    if (this.suspended) return this.resume();
    this.options.setRawMode?.(true);
    this.options.redraw();
  };

  private stop(group: boolean): void {
    if (this.suspended) return;
    this.suspended = true;
    releaseScreen(this.options.screen);
    this.options.setRawMode?.(false);
    // Our own handler must not catch the stop we are about to send.
    process.off('SIGTSTP', this.onStop);
    try {
      (this.options.stop ?? stopForJobControl)(group);
    } finally {
      process.on('SIGTSTP', this.onStop);
    }
    // Here after SIGCONT, or at once when the kernel discarded the stop (an orphaned process group,
    // e.g. vhtop started by tmux without a shell): either way the terminal is ours again.
    this.resume();
  }

  private resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    retakeScreen(this.options.screen);
    this.options.setRawMode?.(true);
    this.options.redraw();
  }
}
