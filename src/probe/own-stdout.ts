import { readFileSync, readlinkSync } from 'node:fs';

/** Access mode bits of open(2) flags: O_RDONLY 0, O_WRONLY 1, O_RDWR 2. */
const ACCESS_MODE = 3;
const O_RDWR = 2;

/**
 * True when vhtop was started with its stdout closed (`vhtop list >&-`). Node does not let a closed
 * fd 1 stay closed: at start-up it opens /dev/null read-write in its place, so every write then
 * "succeeds" and the output is lost without an error. A user's own `> /dev/null` opens it write-only,
 * which is how the two are told apart. Where /proc is missing this says false (nothing is known).
 */
export function stdoutWasClosed(procSelf = '/proc/self'): boolean {
  try {
    if (readlinkSync(`${procSelf}/fd/1`) !== '/dev/null') return false;
    const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`${procSelf}/fdinfo/1`, 'latin1'));
    return flags !== null && (parseInt(flags[1] ?? '0', 8) & ACCESS_MODE) === O_RDWR;
  } catch {
    return false;
  }
}
