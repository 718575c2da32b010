/** The target that means this machine, read without ssh. */
export const LOCAL_TARGET = 'local';

/** One host's outcome: a snapshot, or the error that kept us from it, in words. */
export interface HostOutcome<T> {
  readonly target: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly value: T | null;
}
