import type { ParsedArgs } from '../cli/args.js';
import type { CliContext, CommandModule } from '../cli/context.js';
import { findService } from '../core/service-lookup.js';
import { UsageError } from '../core/errors.js';
import { loadWorld, resolveRegistryPath, takeSnapshot } from '../cli/world.js';
import { openExclusiveLogStream } from '../actions/compose-logs.js';
import { realExec, type Exec } from '../actions/exec.js';
import { pickLogSource } from '../actions/log-source.js';
import { pickRemoteLogSource } from '../actions/remote-logs.js';
import { LOCAL_TARGET } from '../core/hosts.js';
import { requestedHosts, sshSettings } from '../cli/host-flags.js';

const USAGE = `Usage: vhtop logs SERVICE [--tail N] [--no-follow] [--compose-file FILE]

Shows the logs of a catalogue service:
  docker compose [-f FILE] logs --no-color --tail N [--follow] -- <docker name>   (registry docker: name)
  journalctl -u UNIT --no-pager -n N [-f]                                         (owner runs in a systemd unit)
  tail -n N [-f] -- FILE                           (the regular file the owner's stdout/stderr goes to)
The first that applies is used; when none does, the message names each source tried.
  --tail N              lines of history (default 100)
  --no-follow           print and exit instead of following
  --compose-file FILE   compose file (default: compose.yaml / docker-compose.yml here or beside the registry)
  --host HOST           the logs on HOST, over ssh (--compose-file is then a path on HOST)
Exit codes: 0 fine, 1 no logs (docker missing, daemon down), 2 usage (an unknown service too).`;

/** Default number of history lines. */
export const DEFAULT_TAIL = 100;

function options(args: ParsedArgs): { service: string; tail: number; follow: boolean; composeFile: string | null } {
  if (args.positionals.length !== 1) throw new UsageError('logs needs exactly one SERVICE (a service id from the registry)');
  const tail = typeof args.flags.tail === 'number' ? args.flags.tail : DEFAULT_TAIL;
  const composeFile = typeof args.flags['compose-file'] === 'string' ? args.flags['compose-file'] : null;
  return { service: args.positionals[0] as string, tail, follow: args.flags['no-follow'] !== true, composeFile };
}

/** Stops the stream on Ctrl-C / TERM / HUP: the child is in its own process group and would not see them. */
function onInterrupt(stop: () => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, stop);
  return () => {
    for (const s of signals) process.removeListener(s, stop);
  };
}

/** Runs `vhtop logs` with an injectable {@link Exec} (tests use the real one against stand-ins on PATH). */
export async function runLogs(args: ParsedArgs, ctx: CliContext, exec: Exec = realExec): Promise<number> {
  const o = options(args);
  const world = await loadWorld(args, ctx);
  // Any entry of the registry, in the profile or not: its logs are there either way.
  const def = findService(o.service, world.catalogue.services, world.catalogue, null);
  const hosts = requestedHosts(args, ctx.env);
  if (hosts !== null && hosts.length > 1) throw new UsageError('logs follows one host at a time: give one --host');
  const remote = hosts !== null && hosts[0] !== LOCAL_TARGET ? (hosts[0] as string) : null;
  let pid: number | null = null;
  if (def.docker === null && remote === null) {
    // Only a non-container service needs the port owner (its systemd unit, or the file its output
    // goes to); only its own program counts, never another one that holds the port.
    const snapshot = await takeSnapshot(world);
    const view = snapshot.services.find((s) => s.id === def.id);
    pid = view?.status === 'up' ? view.pid : null;
  }
  const source = remote !== null ? await pickRemoteLogSource(remote, sshSettings(args, ctx), def, o, world) : await pickLogSource(
    { label: def.id, docker: def.docker, pid, tail: o.tail, follow: o.follow, composeFile: o.composeFile, cwd: ctx.cwd, registryFile: resolveRegistryPath(args, ctx), env: ctx.env },
    exec,
  );
  if (source.kind === 'unavailable') {
    ctx.stderr.write(`vhtop: ${source.message}\n`);
    return 1;
  }
  const stream = openExclusiveLogStream(source, exec, (line) => ctx.stdout.write(`${line}\n`), ctx.env);
  const release = onInterrupt(() => stream.stop());
  try {
    const end = await stream.done;
    if (end.kind === 'failed') {
      ctx.stderr.write(`vhtop: ${end.message}\n`);
      return 1;
    }
    return 0;
  } finally {
    release();
  }
}

/** `vhtop logs SERVICE`. */
export const command: CommandModule = {
  name: 'logs',
  summary: 'follow the logs of a service: docker compose, journald, or the file its output goes to',
  usage: USAGE,
  flags: { tail: 'int', 'no-follow': 'boolean', 'compose-file': 'string' },
  run: (args, ctx) => runLogs(args, ctx),
};
