import type { ChildProcess } from 'node:child_process';

/**
 * Everything the bench started that must not outlive it: child processes (socket farm, timing
 * runner, workers) and other undo steps (the private tmux server). Signal and `exit` handlers
 * cannot await, so every step here is synchronous and safe to run twice.
 */
const children = new Map<ChildProcess, boolean>();
const steps = new Set<() => void>();

/**
 * Remembers `child` until it exits; {@link runCleanups} SIGKILLs it if it is still running then.
 * `group`: the child leads its own process group (spawned `detached`) and the whole group is
 * killed, so that what it runs at that moment goes too.
 */
export function trackChild<T extends ChildProcess>(child: T, group = false): T {
  children.set(child, group);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

/** Registers a synchronous undo step; returns a function that unregisters it (after a normal cleanup). */
export function addCleanup(step: () => void): () => void {
  steps.add(step);
  return () => steps.delete(step);
}

/** Kills every tracked child and runs every registered step. Never throws. */
export function runCleanups(): void {
  for (const [child, group] of children) {
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  for (const step of steps) {
    try {
      step();
    } catch {
      // best effort: the other steps must still run
    }
  }
  steps.clear();
}

/** Number of children still tracked (for tests). */
export function trackedChildren(): number {
  return children.size;
}
