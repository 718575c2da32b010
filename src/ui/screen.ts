/** Terminal modes the TUI changes, so that they can be undone exactly once. */
export interface Screen {
  readonly out: { write(chunk: string): unknown };
  restored: boolean;
}

// Alternate screen (the shell's scrollback stays untouched) and a hidden cursor while drawing.
const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';

/** Switches to the alternate screen and hides the cursor. */
export function enterScreen(out: { write(chunk: string): unknown }): Screen {
  out.write(ENTER);
  const screen: Screen = { out, restored: false };
  // Last line of defence: even a hard exit restores the terminal.
  process.once('exit', () => leaveScreen(screen));
  return screen;
}

/** Shows the cursor and leaves the alternate screen; idempotent. */
export function leaveScreen(screen: Screen): void {
  if (screen.restored) return;
  screen.restored = true;
  screen.out.write(LEAVE);
}
