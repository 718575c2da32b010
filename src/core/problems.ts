/**
 * What needs attention: the one rule behind the TUI's problems-only view (`!`, `--problems`) and
 * `vhtop status`. Pure: a function of the snapshot (and health results, when there are any).
 */
import type { HealthResult, Listener, ServiceView, Snapshot } from './types.js';

/**
 * Kinds of problem, most severe first: something else holds a service's port, a service is not
 * listening, a local-only service listens on all interfaces, a listener's owner cannot be seen,
 * a health probe fails, a socket nobody expected.
 */
export type ProblemKind = 'conflict' | 'down' | 'exposed' | 'unverified' | 'unhealthy' | 'unexpected';

/** Problem kinds in order of severity (index 0 is the worst). */
export const PROBLEM_ORDER: readonly ProblemKind[] = ['conflict', 'down', 'exposed', 'unverified', 'unhealthy', 'unexpected'];

/** Severity rank of a problem kind: 0 is the worst. */
export function severity(kind: ProblemKind): number {
  return PROBLEM_ORDER.indexOf(kind);
}

/**
 * The problem of one service, or null when it needs no attention. `inactive` (another profile's
 * entry holds the port with its own program) is not a problem; `unverified` is. Health counts only
 * while the service is up: a down service's last result is stale.
 */
export function serviceProblem(s: ServiceView, health: HealthResult | null = s.health): ProblemKind | null {
  const status: string = s.status;
  if (status === 'conflict') return 'conflict';
  if (status === 'down') return 'down';
  if (s.exposed) return 'exposed';
  if (status === 'unverified') return 'unverified';
  if (status === 'up' && health !== null && !health.ok) return 'unhealthy';
  return null;
}

/** A listener that needs attention on its own: one nobody expected (catalogue problems are the services'). */
export function listenerProblem(l: Listener): ProblemKind | null {
  return l.status === 'unexpected' ? 'unexpected' : null;
}

/** Counts for a status line: services by status, plus the problems that are not a status. */
export interface ProblemCounts {
  readonly up: number;
  readonly down: number;
  readonly conflict: number;
  readonly inactive: number;
  readonly unverified: number;
  /** `bind: local` services listening on all interfaces. */
  readonly exposed: number;
  /** Up services whose health probe failed (only when health was probed). */
  readonly unhealthy: number;
  /** Listening sockets no catalogue entry expects. */
  readonly unexpected: number;
  /** Services in the active profile. */
  readonly services: number;
  /** Services with a problem (what makes `check` fail). */
  readonly failing: number;
}

/** Counts of `snapshot`; `health` overrides each service's own result (the TUI's runner, `--health`). */
export function countProblems(snapshot: Snapshot, health?: ReadonlyMap<string, HealthResult>): ProblemCounts {
  const c = { up: 0, down: 0, conflict: 0, inactive: 0, unverified: 0, exposed: 0, unhealthy: 0, unexpected: 0, services: 0, failing: 0 };
  for (const s of snapshot.services) {
    c.services++;
    const status: string = s.status;
    if (status === 'up' || status === 'down' || status === 'conflict' || status === 'inactive' || status === 'unverified') c[status]++;
    if (s.exposed) c.exposed++;
    const problem = serviceProblem(s, health?.get(s.id) ?? s.health);
    if (problem === 'unhealthy') c.unhealthy++;
    if (problem !== null) c.failing++;
  }
  for (const l of snapshot.listeners) if (listenerProblem(l) !== null) c.unexpected++;
  return c;
}
