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

/**
 * Gives the terminal back for a while (Ctrl-Z): the shell's screen and cursor return. Unlike
 * {@link leaveScreen} the screen is taken again by {@link retakeScreen}.
 */
export function releaseScreen(screen: Screen): void {
  if (!screen.restored) screen.out.write(LEAVE);
}

/** Takes the alternate screen again after {@link releaseScreen}, cleared, cursor home and hidden. */
export function retakeScreen(screen: Screen): void {
  if (!screen.restored) screen.out.write(`${ENTER}\x1b[H\x1b[2J`);
}

/** Shows the cursor and leaves the alternate screen; idempotent. */
export function leaveScreen(screen: Screen): void {
  if (screen.restored) return;
  screen.restored = true;
  screen.out.write(LEAVE);
}
