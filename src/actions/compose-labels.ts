/**
 * Container state of a compose service straight from the engine, for compose CLIs that have no
 * `ps --format json` (docker-compose v1): `docker ps -a` filtered by the labels compose puts on every
 * container it creates (`com.docker.compose.service`, and `com.docker.compose.project` when the
 * project is known). Containers are never picked by their names: a name can be anything.
 */
import { cleanText } from '../core/sanitize.js';
import type { ContainerFacts, ContainerState } from '../core/why/why-types.js';
import type { Exec, ExecResult } from './exec.js';
import { describeComposeFailure } from './compose.js';

/** How long `docker ps` may take before it counts as not answering. */
const DOCKER_PS_TIMEOUT_MS = 10_000;

const SERVICE_LABEL = 'com.docker.compose.service';
const PROJECT_LABEL = 'com.docker.compose.project';
const ONEOFF_LABEL = 'com.docker.compose.oneoff';

/** Tab-separated; the free-text Status goes last so that nothing after it can be misread. */
const FORMAT = `{{.ID}}\t{{.Label "${SERVICE_LABEL}"}}\t{{.Label "${PROJECT_LABEL}"}}\t{{.Label "${ONEOFF_LABEL}"}}\t{{.State}}\t{{.Status}}`;

const KNOWN_STATES: readonly ContainerState[] = ['running', 'restarting', 'paused', 'exited', 'created', 'dead', 'removing'];

/** One container as `docker ps` lists it (text cleaned). */
export interface LabelledContainer {
  readonly id: string;
  readonly service: string;
  readonly project: string;
  /** `docker compose run` containers: not the service's own. */
  readonly oneoff: boolean;
  readonly state: string;
  readonly status: string;
}

/** What the fallback needs: the exec door, the service, and the project when it is known. */
export interface LabelTarget {
  readonly exec: Exec;
  readonly name: string;
  readonly project: string | null;
  readonly signal?: AbortSignal;
}

/** `docker` arguments: every container (stopped ones too) carrying the service's labels. */
export function dockerPsArgs(name: string, project: string | null): string[] {
  const filters = [`label=${SERVICE_LABEL}=${name}`, ...(project === null ? [] : [`label=${PROJECT_LABEL}=${project}`])];
  return ['ps', '--all', '--no-trunc', ...filters.flatMap((f) => ['--filter', f]), '--format', FORMAT];
}

/**
 * Parses the rows of {@link FORMAT}; null when a line does not have its shape (then the output is not
 * what was asked for, and "no container" would be a guess).
 */
export function parseLabelledContainers(stdout: string): LabelledContainer[] | null {
  const out: LabelledContainer[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.replace(/\r$/, '').split('\t');
    const [id = '', service = '', project = '', oneoff = '', state = '', ...status] = fields;
    if (fields.length < 6 || id.trim() === '') return null;
    out.push({
      id: cleanText(id),
      service: cleanText(service),
      project: cleanText(project),
      oneoff: oneoff.trim().toLowerCase() === 'true',
      state: cleanText(state).trim().toLowerCase(),
      status: cleanText(status.join(' ')).trim(),
    });
  }
  return out;
}

/** The state from docker's Status words, for engines whose `docker ps` has no `.State`. */
function stateFromStatus(status: string): string {
  if (/^up\b/i.test(status)) return /\(paused\)/i.test(status) ? 'paused' : 'running';
  if (/^exited\b/i.test(status)) return 'exited';
  if (/^restarting\b/i.test(status)) return 'restarting';
  if (/^created\b/i.test(status)) return 'created';
  if (/^dead\b/i.test(status)) return 'dead';
  if (/^removal in progress/i.test(status)) return 'removing';
  return '';
}

/** "Up 3 minutes (healthy)" -> healthy; "(health: starting)" -> starting; no healthcheck -> null. */
export function healthFromStatus(status: string): string | null {
  const m = /\((healthy|unhealthy|health: starting)\)/i.exec(status);
  if (m === null) return null;
  const word = (m[1] ?? '').toLowerCase();
  return word === 'health: starting' ? 'starting' : word;
}

/** "Exited (3) 5 seconds ago", "Restarting (1) 2 seconds ago" -> the last exit code. */
export function exitCodeFromStatus(status: string): number | null {
  const m = /^(?:exited|restarting)\s*\((-?\d{1,10})\)/i.exec(status);
  return m === null ? null : Number(m[1]);
}

/**
 * The facts of service `name` from the listed containers: only those whose labels name the service
 * (and the project, when known) and that are not one-off `run` containers; a running one wins over
 * stopped ones (scaled services). No container: 'absent', which `why` words as never created.
 */
export function containerFromLabelled(name: string, project: string | null, rows: readonly LabelledContainer[]): ContainerFacts {
  const mine = rows.filter((r) => r.service === name && (project === null || r.project === project) && !r.oneoff);
  const state = (r: LabelledContainer) => (r.state !== '' ? r.state : stateFromStatus(r.status));
  const row = mine.find((r) => state(r) === 'running') ?? mine[0];
  if (row === undefined) return { name, state: 'absent', detail: '', health: null, exitCode: null, reason: null };
  const raw = state(row);
  const known = KNOWN_STATES.find((k) => k === raw);
  if (known === undefined) return unknown(name, 'error', `docker reports an unknown state ${JSON.stringify(raw)}`);
  return { name, state: known, detail: row.status, health: healthFromStatus(row.status), exitCode: known === 'running' ? null : exitCodeFromStatus(row.status), reason: null };
}

function unknown(name: string, reason: ContainerFacts['reason'], why: string): ContainerFacts {
  return { name, state: 'unknown', detail: `${why}: container state unknown`, health: null, exitCode: null, reason };
}

function failure(name: string, r: ExecResult): ContainerFacts {
  if (r.notFound) return unknown(name, 'no-docker', 'this compose has no `ps --format json` and the docker client is not on PATH');
  if (r.cancelled) return unknown(name, 'error', `docker ps did not answer within ${DOCKER_PS_TIMEOUT_MS / 1000} s`);
  const words = cleanText(describeComposeFailure(r.stderr, name));
  if (/daemon is not running/.test(words)) return unknown(name, 'daemon-down', 'the Docker daemon is not running');
  return unknown(name, 'error', `docker ps failed: ${words}`);
}

/** Asks the engine for the containers of one compose service by their labels. Never rejects. */
export async function containerStateByLabels(t: LabelTarget): Promise<ContainerFacts> {
  const r = await t.exec.run('docker', dockerPsArgs(t.name, t.project), { timeoutMs: DOCKER_PS_TIMEOUT_MS, signal: t.signal });
  if (r.exitCode !== 0) return failure(t.name, r);
  const rows = parseLabelledContainers(r.stdout);
  if (rows === null) return unknown(t.name, 'error', 'docker ps gave output vhtop cannot read');
  return containerFromLabelled(t.name, t.project, rows);
}

/**
 * True when compose failed because it does not know `ps --format json` (docker-compose v1 prints its
 * usage; an old plugin says unknown flag), not because of the daemon or the service.
 */
export function psFormatUnsupported(stderr: string): boolean {
  return /unknown (?:flag|option|shorthand flag)|no such option|unrecognized (?:option|argument)|^\s*usage:\s*ps\b/im.test(stderr);
}
