import { readProcessInfo } from '../probe/proc-process.js';
import type { FrozenTarget } from './kill-target.js';
import { groupMembers } from './process-tree.js';

/** Why a group signal must not be sent: the outcome word and one sentence. */
export interface GroupFailure {
  readonly ok: false;
  readonly outcome: 'process changed' | 'already exited';
  readonly message: string;
}

/**
 * The check right before a signal to process group `t.pgid`. The first signal needs the frozen
 * leader itself (same start time, still leading that group). Later ones (CONT, the KILL after the
 * timeout) accept a leader that has exited meanwhile as long as members remain: Linux does not hand
 * out a pid that is still some process's group id, so `-pgid` still names the very group confirmed.
 */
export function verifyGroup(t: FrozenTarget, procRoot: string, first: boolean): GroupFailure | null {
  const leader = t.leader;
  if (!leader) return { ok: false, outcome: 'process changed', message: `group ${t.pgid} has no leader — group not killed` };
  const now = readProcessInfo(leader.pid, procRoot);
  const alive = now !== null && now.state !== 'Z';
  if (alive && now.startTime === leader.startTime && now.pgid === t.pgid) return null;
  if (alive) return { ok: false, outcome: 'process changed', message: `group leader ${leader.pid} changed — group not killed` };
  if (first) return { ok: false, outcome: 'process changed', message: `group leader ${leader.pid} (${leader.name}) has exited — group not killed; kill pid ${t.pid} alone` };
  if (groupMembers(t.pgid, procRoot).length === 0) return { ok: false, outcome: 'already exited', message: `process group ${t.pgid} already exited` };
  return null;
}

/** True when no live process is left in the target's group. */
export function groupGone(t: FrozenTarget, procRoot: string): boolean {
  return groupMembers(t.pgid, procRoot).length === 0;
}

/** The sentence for a group that outlived its KILL. */
export function groupStillAlive(t: FrozenTarget, procRoot: string): string {
  const left = groupMembers(t.pgid, procRoot);
  return `process group ${t.pgid} is still alive after SIGKILL: pid ${left.join(', ')} (stuck in the kernel, state D?)`;
}
