/** The children a test file started, ended together. */
import type { ChildProcess } from 'node:child_process';

/**
 * SIGKILLs every child in `children` that is still running, waits for each to exit and empties the
 * set (SIGKILL: a test that failed midway must not leave a child behind).
 */
export async function killChildren(children: Set<ChildProcess>): Promise<void> {
  const waits = [...children].map(
    (c) =>
      new Promise<void>((done) => {
        if (c.exitCode !== null || c.signalCode !== null) return done();
        c.once('exit', () => done());
        c.kill('SIGKILL');
      }),
  );
  children.clear();
  await Promise.all(waits);
}
