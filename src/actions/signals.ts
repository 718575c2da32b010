/**
 * The one module that sends signals. Every pid passes through {@link assertSignalablePid} first:
 * `process.kill(0)` signals our own process group, `process.kill(-1)` every process we may signal,
 * and `Number('')` is 0 — so a bad parse must never get this far.
 */

/** Signals a user may choose for a kill. */
export type KillSignal = 'TERM' | 'INT' | 'HUP' | 'KILL';

/** Every signal vhtop sends (CONT wakes a stopped process so that it can act on TERM). */
export type SignalName = KillSignal | 'CONT';

/** The choosable signals, in the order the dialog cycles through them. */
export const KILL_SIGNALS: readonly KillSignal[] = ['TERM', 'INT', 'HUP', 'KILL'];

/** Result of one signal: delivered, the process is gone (ESRCH), or not ours to signal (EPERM). */
export type SendResult = 'sent' | 'gone' | 'denied';

/** Parses `TERM`, `sigterm`, `SIGKILL`, `9`, ... into a {@link KillSignal}, or null. */
export function parseKillSignal(raw: string): KillSignal | null {
  const s = raw.trim().toUpperCase().replace(/^SIG/, '');
  const byNumber: Record<string, KillSignal> = { '15': 'TERM', '2': 'INT', '1': 'HUP', '9': 'KILL' };
  const name = byNumber[s] ?? s;
  return (KILL_SIGNALS as readonly string[]).includes(name) ? (name as KillSignal) : null;
}

/** True for a value that may name one real process: a safe integer greater than 1. */
export function isSignalablePid(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 1;
}

/**
 * The choke point. Throws for 0, negatives, 1, NaN, fractions and non-numbers: such a value is a bug
 * upstream, and sending it would hit a whole process group or everything.
 */
export function assertSignalablePid(pid: unknown): asserts pid is number {
  if (!isSignalablePid(pid)) throw new Error(`refusing to signal invalid pid ${JSON.stringify(pid)}`);
}

function deliver(target: number, signal: SignalName): SendResult {
  try {
    process.kill(target, `SIG${signal}`);
    return 'sent';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'gone';
    if (code === 'EPERM') return 'denied';
    throw e;
  }
}

/** Sends `signal` to one process. */
export function sendSignal(pid: number, signal: SignalName): SendResult {
  assertSignalablePid(pid);
  return deliver(pid, signal);
}

/** Sends `signal` to every process of group `pgid` (the caller has verified the group leader). */
export function sendGroupSignal(pgid: number, signal: SignalName): SendResult {
  assertSignalablePid(pgid);
  return deliver(-pgid, signal);
}

/**
 * Stops vhtop for job control (Ctrl-Z, or a SIGTSTP from outside) with the default action of
 * SIGTSTP, as a shell expects of a suspended job: the whole process group with `group` (a wrapper
 * such as `npm start` must stop too, or the shell would keep waiting on it), else only this process.
 * Returns after SIGCONT. The caller has removed its own SIGTSTP handler; if another one is still
 * installed the signal would only be reported, so SIGSTOP (which cannot be caught) stops this process.
 * In an orphaned process group (no job-control shell above it) the kernel discards the stop and this
 * returns at once.
 */
export function stopForJobControl(group: boolean): void {
  if (process.listenerCount('SIGTSTP') > 0) {
    process.kill(process.pid, 'SIGSTOP');
    return;
  }
  process.kill(group ? 0 : process.pid, 'SIGTSTP');
}
