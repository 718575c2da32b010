/**
 * Reading a /proc/PID/fd directory with relative names (see RELATIVE_FROM).
 */

/**
 * A process with at least this many fds is read with relative link names from inside its fd
 * directory. The kernel then resolves one path component per readlink instead of four
 * (/proc, PID, fd, N): measured ~25 % less CPU for the 15k readlinks of a busy server, the largest
 * cost of a full pass. Below this, the two extra chdir calls are not worth it.
 */
export const RELATIVE_FROM = 64;

/**
 * Makes `dir` the working directory; returns the one to go back to, or null when that is not
 * possible (a worker thread, a deleted cwd, no permission): the caller then uses absolute paths.
 * Safe here because a scan is synchronous: no other JavaScript runs until {@link leaveDir}, and vhtop
 * resolves every path it hands to asynchronous I/O against its own absolute ctx.cwd.
 */
export function enterDir(dir: string): string | null {
  try {
    const back = process.cwd();
    process.chdir(dir);
    return back;
  } catch {
    return null;
  }
}

/** Returns to the directory {@link enterDir} left. */
export function leaveDir(back: string): void {
  try {
    process.chdir(back);
  } catch {
    // The old working directory was removed meanwhile: relative paths were broken already.
  }
}
