/**
 * Container state and last log lines of one compose service, for `vhtop why`. Runs
 * `docker compose [-f FILE] ps --all --format json -- NAME` and
 * `docker compose [-f FILE] logs --no-color --tail 10 -- NAME` through the exec door. A compose
 * without `ps --format json` (docker-compose v1) gets the state from `docker ps` by labels instead.
 */
import { cleanText } from '../core/sanitize.js';
import type { ContainerFacts, ContainerState, LogFacts } from '../core/why/why-types.js';
import { containerStateByLabels, psFormatUnsupported } from './compose-labels.js';
import { composeArgs, composeLogArgs, describeComposeFailure, type ComposeCliResult } from './compose.js';
import type { Exec, ExecResult } from './exec.js';

/** How long one compose call may take before it counts as not answering. */
const COMPOSE_TIMEOUT_MS = 10_000;

const KNOWN_STATES: readonly ContainerState[] = ['running', 'restarting', 'paused', 'exited', 'created', 'dead', 'removing'];

/** Where and how to run compose. */
export interface ComposeTarget {
  readonly exec: Exec;
  readonly cli: ComposeCliResult;
  readonly composeFile: string | null;
  /** docker compose service name (validated by the registry loader). */
  readonly name: string;
  /** The compose project, when known: the `docker ps` fallback filters by its label. */
  readonly project?: string | null;
  readonly signal?: AbortSignal;
}

/** `ps` arguments after the CLI prefix. */
export function psArgs(composeFile: string | null, name: string): string[] {
  return composeArgs(composeFile, ['ps', '--all', '--format', 'json', '--', name]);
}

function unknown(name: string, reason: ContainerFacts['reason'], why: string): ContainerFacts {
  return { name, state: 'unknown', detail: `${why}: container state unknown`, health: null, exitCode: null, reason };
}

/** Turns a CLI resolution error or a failed run into the words of an unknown state. */
function failure(name: string, r: ExecResult | { error: string }): ContainerFacts {
  if ('error' in r) {
    return r.error.startsWith('docker not installed') ? unknown(name, 'no-docker', 'docker not installed') : unknown(name, 'error', cleanText(r.error));
  }
  if (r.notFound) return unknown(name, 'no-docker', 'docker not installed');
  if (r.cancelled) return unknown(name, 'error', `docker compose ps did not answer within ${COMPOSE_TIMEOUT_MS / 1000} s`);
  const words = cleanText(describeComposeFailure(r.stderr, name));
  if (/daemon is not running/.test(words)) return unknown(name, 'daemon-down', 'the Docker daemon is not running');
  return unknown(name, 'error', `docker compose ps failed: ${words}`);
}

type PsRow = Record<string, unknown>;

/** Parses `ps --format json`: a JSON array (compose < 2.21) or one object per line (newer). */
export function parsePsRows(stdout: string): PsRow[] | null {
  const text = stdout.trim();
  if (text === '') return [];
  try {
    if (text.startsWith('[')) {
      const all: unknown = JSON.parse(text);
      return Array.isArray(all) ? all.filter((r): r is PsRow => typeof r === 'object' && r !== null) : null;
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown)
      .filter((r): r is PsRow => typeof r === 'object' && r !== null);
  } catch {
    return null;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? cleanText(v) : '');

/** The container facts of `name` from parsed rows; a running container wins over stopped ones (scaled services). */
export function containerFromRows(name: string, rows: readonly PsRow[]): ContainerFacts {
  const mine = rows.filter((r) => r.Service === undefined || r.Service === name);
  const row = mine.find((r) => str(r.State).toLowerCase() === 'running') ?? mine[0];
  if (row === undefined) return { name, state: 'absent', detail: '', health: null, exitCode: null, reason: null };
  const raw = str(row.State).toLowerCase();
  const state = KNOWN_STATES.find((k) => k === raw);
  if (state === undefined) return unknown(name, 'error', `docker reports an unknown state ${JSON.stringify(raw)}`);
  const health = str(row.Health);
  const exitCode = typeof row.ExitCode === 'number' && Number.isInteger(row.ExitCode) ? row.ExitCode : null;
  return { name, state, detail: str(row.Status), health: health === '' ? null : health, exitCode: state === 'running' ? null : exitCode, reason: null };
}

/** Asks compose for the container state of one service. Never rejects. */
export async function containerState(t: ComposeTarget): Promise<ContainerFacts> {
  if ('error' in t.cli) return failure(t.name, t.cli);
  const r = await t.exec.run(t.cli.file, [...t.cli.prefix, ...psArgs(t.composeFile, t.name)], { timeoutMs: COMPOSE_TIMEOUT_MS, signal: t.signal });
  const byLabels = () => containerStateByLabels({ exec: t.exec, name: t.name, project: t.project ?? null, signal: t.signal });
  if (r.exitCode !== 0) return !r.notFound && !r.cancelled && psFormatUnsupported(r.stderr) ? byLabels() : failure(t.name, r);
  const rows = parsePsRows(r.stdout);
  // A compose that ignores --format and prints its table has no JSON to read: the engine has the facts.
  if (rows === null) return byLabels();
  return containerFromRows(t.name, rows);
}

/** The last `tail` log lines of one service, cleaned. Never rejects. */
export async function lastLogLines(t: ComposeTarget, tail = 10): Promise<LogFacts> {
  if ('error' in t.cli) return { unavailable: cleanText(t.cli.error) };
  const r = await t.exec.run(t.cli.file, [...t.cli.prefix, ...composeLogArgs(t.composeFile, t.name, tail)], { timeoutMs: COMPOSE_TIMEOUT_MS, signal: t.signal });
  if (r.notFound) return { unavailable: 'docker not installed' };
  if (r.cancelled) return { unavailable: `docker compose logs did not answer within ${COMPOSE_TIMEOUT_MS / 1000} s` };
  if (r.exitCode !== 0) return { unavailable: cleanText(describeComposeFailure(r.stderr, t.name)) };
  const lines = r.stdout.split(/\r?\n/).map((l) => cleanText(l).trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { lines: lines.slice(-tail) };
}
