import path from 'node:path';
import type { ParsedArgs } from '../cli/args.js';
import { wantsColor, type CliContext, type CommandModule } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import { resolveServices } from '../core/resolve.js';
import { loadWorld, takeSnapshot } from '../cli/world.js';
import { diagnose, listenersOn, splitListeners } from '../core/why/why.js';
import { findService } from '../core/service-lookup.js';
import { whyJson, whyText } from '../presentation/why-report.js';
import type { ContainerFacts, LogFacts, WhyFacts } from '../core/why/why-types.js';
import type { HealthResult, ResolvedService, Snapshot } from '../core/types.js';
import { checkHealth } from '../actions/health.js';
import { connectHost } from '../core/match.js';
import { findComposeFile, resolveComposeCli } from '../actions/compose.js';
import { containerState, lastLogLines } from '../actions/compose-ps.js';
import { composeProjectName } from '../actions/compose-project.js';
import { realExec, type Exec } from '../actions/exec.js';
import { findFreePorts } from '../actions/free-port.js';
import { cataloguePorts } from '../core/conflicts.js';
import { diagnosePort, parsePortQuery, portText, type PortQuery } from '../core/why/why-port.js';
import type { World } from '../cli/world.js';
import { startTimes } from '../probe/start-time.js';

const USAGE = `vhtop why SERVICE|PORT [--json] [--compose-file FILE]

The VoiceHelper port document's "why is port 8000 not listening?" as one command, for one catalogue entry: where its port
comes from (registry default, .env, environment), what listens there (its program, another one,
nothing), catalogue collisions, its compose container state and last log lines, the health probe,
and the one next step to take.

With a PORT (8000, :8000, tcp/8000, udp/53) instead: who holds it (pid, user, command, since
when; the socket's uid when the process cannot be seen), which catalogue entries claim it (every
profile), how to free it (the vhtop kill line, or docker compose stop for a compose service), and
a port above it that binds now. Exit 0 when the port is free, 1 when something holds it.

  --json               the same findings as data
  --compose-file FILE  compose file for the container state and logs (default: ./compose.yaml,
                       ./docker-compose.yml, ... or one beside the registry)

Exit codes: 0 the service is up and healthy (or has no probe), 1 it is not, 2 usage or configuration error.`;

/** Probes the service's own listener, when it has one and the registry names a probe. */
async function probeHealth(service: ResolvedService, snapshot: Snapshot): Promise<HealthResult | null> {
  if (service.health === null) return null;
  const view = snapshot.services.find((v) => v.id === service.id);
  const { own } = splitListeners(service.id, listenersOn(snapshot.listeners, service.effectivePort, service.protocol), view);
  const target = own[0];
  if (target === undefined) return null;
  const host = connectHost(target.address, target.family);
  const results = await checkHealth([{ id: service.id, host, port: service.effectivePort, spec: service.health }]);
  return results.get(service.id) ?? null;
}

interface ComposeFacts {
  readonly container: ContainerFacts | null;
  readonly logs: LogFacts | null;
  readonly command: readonly string[];
}

/** Container state and logs of a compose service through `docker compose ps` / `logs`. */
async function gatherCompose(service: ResolvedService, args: ParsedArgs, ctx: CliContext, registryFile: string, exec: Exec): Promise<ComposeFacts> {
  const explicit = typeof args.flags['compose-file'] === 'string' ? args.flags['compose-file'] : null;
  const name = service.docker;
  if (name === null) return { container: null, logs: null, command: ['docker', 'compose'] };
  const composeFile = findComposeFile({ explicit, cwd: ctx.cwd, registryFile });
  const cli = await resolveComposeCli(exec, ctx.env);
  // The next step's command line needs -f only when compose would not find the file by itself.
  const needsFile = composeFile !== null && (explicit !== null || path.dirname(composeFile) !== path.resolve(ctx.cwd));
  const prefix = 'error' in cli ? ['docker', 'compose'] : [cli.file, ...cli.prefix];
  const command = needsFile ? [...prefix, '-f', composeFile] : prefix;
  const target = { exec: withEnv(exec, ctx.env), cli, composeFile, name, project: composeProjectName(composeFile, ctx.env) };
  const container = await containerState(target);
  // No container, or no way to ask: there are no logs to read either.
  const logs = container.state === 'absent' || container.state === 'unknown' ? null : await lastLogLines(target);
  return { container, logs, command };
}

/** Runs compose with the context's environment (its PATH decides which docker runs). */
function withEnv(exec: Exec, env: CliContext['env']): Exec {
  return {
    run: (file, argv, options = {}) => exec.run(file, argv, { ...options, env: options.env ?? env }),
    stream: (file, argv, onLine, options = {}) => exec.stream(file, argv, onLine, { ...options, env: options.env ?? env }),
  };
}

/**
 * Gathers the facts for one service and prints the diagnosis. `exec` is the door to docker (tests
 * hand in a recording fake; the CLI uses the real one).
 */
export async function runWhy(args: ParsedArgs, ctx: CliContext, exec: Exec = realExec): Promise<number> {
  const [id, ...extra] = args.positionals;
  if (id === undefined) throw new UsageError('vhtop why needs a SERVICE (a catalogue id; vhtop list shows them) or a PORT (8000, :8000, udp/53)');
  if (extra.length > 0) throw new UsageError(`vhtop why takes one SERVICE or PORT (got also ${extra.map((e) => cleanText(JSON.stringify(e))).join(', ')})`);
  const world = await loadWorld(args, ctx, { once: true });
  const query = parsePortQuery(id);
  if (query !== null && !world.catalogue.services.some((s) => s.id === id)) return runWhyPort(query, world, args, ctx, exec);
  const catalogue = resolveServices(world.catalogue, world.env, world.profile);
  const service = findService(id, catalogue, world.catalogue, world.profile);
  const snapshot = await takeSnapshot(world);
  const [health, compose] = await Promise.all([probeHealth(service, snapshot), gatherCompose(service, args, ctx, world.catalogue.file, exec)]);
  const facts: WhyFacts = {
    service,
    env: world.env,
    catalogue,
    snapshot,
    container: compose.container,
    logs: compose.logs,
    health,
    composeCommand: compose.command,
  };
  const diagnosis = diagnose(facts);
  if (args.flags.json) ctx.stdout.write(`${JSON.stringify(whyJson(facts, diagnosis), null, 2)}\n`);
  else ctx.stdout.write(whyText(facts, diagnosis, wantsColor(args, ctx)));
  return diagnosis.ok ? 0 : 1;
}

/** `vhtop why PORT`: holders, claims, how to free it, a port that binds now. Exit 0 when the port is free, 1 when held. */
async function runWhyPort(query: PortQuery, world: World, args: ParsedArgs, ctx: CliContext, exec: Exec): Promise<number> {
  const snapshot = await takeSnapshot(world);
  const entries = resolveServices(world.catalogue, world.env, null);
  const holding = snapshot.listeners.filter((l) => l.port === query.port && (query.protocol === null || l.protocol === query.protocol));
  const procs = holding.flatMap((l) => (l.pid !== null ? (snapshot.processes.get(l.pid) ?? []) : []));
  const protocol = query.protocol ?? 'tcp';
  const [freePort] = await findFreePorts(query.port + 1, 1, { protocol, skip: cataloguePorts(entries) });
  const compose = await composeCommandFor(args, ctx, world.catalogue.file, exec);
  const report = diagnosePort({ query, snapshot, entries, startedAt: startTimes(procs, snapshot.probe), freePort: freePort ?? null, composeCommand: compose });
  if (args.flags.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.stdout.write(portText(report, snapshot));
  return report.holders.length === 0 ? 0 : 1;
}

/** How a person runs compose here (for "docker compose stop" lines); never fails. */
async function composeCommandFor(args: ParsedArgs, ctx: CliContext, registryFile: string, exec: Exec): Promise<readonly string[]> {
  const explicit = typeof args.flags['compose-file'] === 'string' ? args.flags['compose-file'] : null;
  const composeFile = findComposeFile({ explicit, cwd: ctx.cwd, registryFile });
  const cli = await resolveComposeCli(exec, ctx.env);
  const prefix = 'error' in cli ? ['docker', 'compose'] : [cli.file, ...cli.prefix];
  const needsFile = composeFile !== null && (explicit !== null || path.dirname(composeFile) !== path.resolve(ctx.cwd));
  return needsFile ? [...prefix, '-f', composeFile] : prefix;
}

/** `vhtop why SERVICE`. */
export const command: CommandModule = {
  name: 'why',
  summary: 'why a service is not up: port source, listener, container, logs, health, next step',
  usage: USAGE,
  flags: { json: 'boolean', 'compose-file': 'string' },
  run: (args, ctx) => runWhy(args, ctx),
};
