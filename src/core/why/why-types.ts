/**
 * Data of `vhtop why`: the facts gathered from the machine (by src/commands/why.ts) and the
 * diagnosis the pure {@link diagnose} function draws from them.
 */
import type { EnvSources, HealthResult, Listener, ResolvedService, Snapshot } from '../types.js';

/** Container states as docker reports them, plus 'absent' (no container) and 'unknown' (could not ask). */
export type ContainerState = 'running' | 'restarting' | 'paused' | 'exited' | 'created' | 'dead' | 'removing' | 'absent' | 'unknown';

/** Why the container state is unknown. */
export type ContainerUnknownReason = 'no-docker' | 'daemon-down' | 'error';

/** The compose container of a service, from `docker compose ps`. */
export interface ContainerFacts {
  /** docker compose service name. */
  readonly name: string;
  readonly state: ContainerState;
  /** docker's own words ("Up 3 minutes (healthy)", "Exited (1) 2 minutes ago"), or why the state is unknown. Cleaned. */
  readonly detail: string;
  /** docker healthcheck state ("healthy", "unhealthy", "starting"), null when the image has none. */
  readonly health: string | null;
  readonly exitCode: number | null;
  /** Set when state is 'unknown'. */
  readonly reason: ContainerUnknownReason | null;
}

/** The last log lines of a compose service (cleaned), or why there are none. */
export type LogFacts = { readonly lines: readonly string[] } | { readonly unavailable: string };

/** Everything `vhtop why` looked at. */
export interface WhyFacts {
  readonly service: ResolvedService;
  readonly env: EnvSources;
  /** Every entry of the active profile (the service too): for collisions and free-port suggestions. */
  readonly catalogue: readonly ResolvedService[];
  readonly snapshot: Snapshot;
  /** null: not a compose service (no `docker:` in the registry). */
  readonly container: ContainerFacts | null;
  /** null: not fetched (not a compose service, or docker unusable). */
  readonly logs: LogFacts | null;
  /** null: not probed (no health spec, or nothing of the service's own listens). */
  readonly health: HealthResult | null;
  /** How a person runs compose here, e.g. ["docker", "compose"] or ["docker-compose", "-f", "/x/compose.yml"]. */
  readonly composeCommand: readonly string[];
}

/** How bad one finding is. Printed as a word, colour is extra. */
export type FindingLevel = 'ok' | 'info' | 'warn' | 'fail';

/** What a finding is about. */
export type FindingTopic = 'port' | 'listener' | 'exposed' | 'collision' | 'container' | 'logs' | 'health';

/** One line of the diagnosis. */
export interface Finding {
  readonly topic: FindingTopic;
  readonly level: FindingLevel;
  readonly text: string;
}

/**
 * Overall state: healthy (listening, probe passed), up (listening, no probe), unhealthy (listening,
 * probe failed), down (nothing listens), conflict (another program holds the port), inactive (a
 * same-port entry of another profile holds it with its own program), unverified (something holds
 * it, but its owner cannot be seen or confirmed).
 */
export type WhyVerdict = 'healthy' | 'up' | 'unhealthy' | 'down' | 'conflict' | 'inactive' | 'unverified';

/** The one thing to do next; `command` is a command line to copy when there is one. */
export interface NextStep {
  readonly text: string;
  readonly command: string | null;
}

/** The conclusion of `vhtop why`. */
export interface Diagnosis {
  readonly verdict: WhyVerdict;
  /** true when the service is up and healthy (or has no probe): exit 0. */
  readonly ok: boolean;
  /** Listeners on the service's port: its own ones, those whose owner cannot be seen or confirmed, and others. */
  readonly own: readonly Listener[];
  readonly unseen: readonly Listener[];
  readonly others: readonly Listener[];
  /** Other catalogue entries of the profile on the same port and protocol. */
  readonly collisions: readonly string[];
  readonly findings: readonly Finding[];
  readonly next: NextStep;
}
