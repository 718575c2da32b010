import type { Snapshot } from '../core/types.js';
import { executeKill, type KillOptions, type KillOutcome } from '../actions/kill.js';
import { freezeTarget, refusalReason, type FreezeContext, type FrozenTarget, type RefusalAudience } from '../actions/kill-target.js';
import { selfGuard, type SelfGuard } from '../actions/process-tree.js';
import { freezeFromSnapshot } from '../actions/kill-resolve.js';
import { composeStop } from '../actions/compose-stop.js';

/**
 * Everything the kill dialog does to processes, handed to it as one value: the real one below, or
 * a test's recorder, so that the dialog's keys are tested without real processes.
 */
export interface Killer {
  /** What vhtop must never signal (itself, its ancestors). */
  guard(): SelfGuard;
  /** The selected process, frozen (pid, start time, sockets), or null when it is gone. */
  freeze(pid: number, port: number | null, snapshot: Snapshot): FrozenTarget | null;
  /** Another holder of the port, frozen after a kill. */
  freezeHolder(pid: number, context: FreezeContext): FrozenTarget | null;
  /** Why `target` must not be killed, or null. */
  refusal(target: FrozenTarget, guard: SelfGuard, tree: boolean, audience?: RefusalAudience): string | null;
  /** Signals the target (re-checking its start time first) and reports in words. */
  kill(target: FrozenTarget, options: KillOptions): Promise<KillOutcome>;
  /** `docker compose stop SERVICE` in `cwd`, for a port a container publishes; one line of outcome. */
  composeStop(service: string, cwd: string): Promise<{ ok: boolean; message: string }>;
}

/** The killer that acts on this machine's processes. */
export const SYSTEM_KILLER: Killer = {
  guard: () => selfGuard(),
  freeze: (pid, port, snapshot) => freezeFromSnapshot(pid, port, snapshot),
  freezeHolder: (pid, context) => freezeTarget(pid, context),
  refusal: (target, guard, tree, audience) => refusalReason(target, guard, tree, audience),
  kill: (target, options) => executeKill(target, options),
  composeStop: (service, cwd) => composeStop(service, cwd),
};
