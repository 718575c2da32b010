/**
 * Walking /proc/PID/fd directories: the pids, and each directory's names with the cheapest way to
 * readlink them (relative names from inside a big directory, see RELATIVE_FROM).
 */
import { readdirSync } from 'node:fs';

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

/** An error that says this process may not read another's open files. */
export function isDenied(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** The pids under `procRoot`: its directory names that are numbers. */
export function listPids(procRoot: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c < 49 || c > 57) continue; // pids start with 1-9
    const pid = Number(name);
    if (Number.isInteger(pid)) pids.push(pid);
  }
  return pids;
}

/**
 * Lists the fd directory `dir` (a /proc/PID/fd) and hands its names to `read` with the prefix that
 * makes each one a readlink path: "" from inside a big directory (see {@link RELATIVE_FROM}), else
 * `${dir}/`. 'denied' when this process may not list it, null when it cannot be listed otherwise
 * (the process exited); else what `read` returns.
 */
export function withFdNames<T>(dir: string, read: (base: string, names: readonly string[]) => T): T | 'denied' | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    return isDenied(e) ? 'denied' : null;
  }
  const back = names.length >= RELATIVE_FROM ? enterDir(dir) : null;
  try {
    return read(back === null ? `${dir}/` : '', names);
  } finally {
    if (back !== null) leaveDir(back);
  }
}
