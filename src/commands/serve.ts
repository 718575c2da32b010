import { createRequire } from 'node:module';
import path from 'node:path';
import type { CommandModule } from '../cli/context.js';
import { cleanText } from '../core/sanitize.js';
import { loadWorld, takeSnapshot } from '../cli/world.js';
import { startExporter } from '../serve/exporter.js';
import type { ParsedArgs } from '../cli/args.js';
import type { CliContext } from '../cli/context.js';
import { requestedHosts, sshSettings } from '../cli/host-flags.js';
import type { Snapshot } from '../core/types.js';
import type { World } from '../cli/world.js';

/** `--host` targets for /probe?target=, each its own probe; undefined without --host. */
async function probeTargets(args: ParsedArgs, ctx: CliContext, world: World): Promise<ReadonlyMap<string, () => Promise<Snapshot>> | undefined> {
  const targets = requestedHosts(args, ctx.env);
  if (targets === null) return undefined;
  const { collectHost, hostProbes } = await import('../cli/hosts.js');
  const map = new Map<string, () => Promise<Snapshot>>();
  for (const h of hostProbes(targets, world, sshSettings(args, ctx))) {
    map.set(h.target, async () => {
      const o = await collectHost(h, world);
      if (o.value === null) throw new Error(o.error ?? 'unreachable');
      return o.value;
    });
  }
  return map;
}
import { DEFAULT_HOST, DEFAULT_INTERVAL_S, DEFAULT_PORT, serveOptions, SERVE_FLAGS } from '../serve/options.js';
import { loadWebConfig } from '../serve/web-config.js';

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/**
 * The first SIGTERM or SIGINT (a service manager's stop, or Ctrl-C in the foreground). The handlers
 * stay installed until `cancel()`, after the exporter has closed: a handler that removed itself at
 * once would leave a library's own handler alone (execa's child cleanup, while `docker ps` runs),
 * and that one re-raises the signal, killing the process before it has stopped cleanly.
 */
function stopRequested(): { readonly signal: Promise<string>; cancel(): void } {
  let cancel = (): void => undefined;
  const signal = new Promise<string>((resolve) => {
    const term = (): void => resolve('SIGTERM');
    const int = (): void => resolve('SIGINT');
    cancel = () => {
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
    };
    process.on('SIGTERM', term);
    process.on('SIGINT', int);
  });
  return { signal, cancel: () => cancel() };
}

/** `vhtop serve`: the snapshot as a Prometheus exporter, until SIGTERM or SIGINT. */
export const command: CommandModule = {
  name: 'serve',
  summary: 'Prometheus exporter: /metrics from the same snapshot (read-only)',
  usage: `Usage: vhtop serve [--listen ADDR:PORT] [--interval S] [--health] [--web.config.file FILE] [--unexpected-details N]

  --listen ADDR:PORT        where to listen (default ${DEFAULT_HOST}:${DEFAULT_PORT}; 0.0.0.0:${DEFAULT_PORT} or :${DEFAULT_PORT} for
                            every address, [::1]:${DEFAULT_PORT} for IPv6; port 0 lets the system choose)
  --interval S              a scrape answers from a snapshot at most S seconds old (default ${DEFAULT_INTERVAL_S}):
                            any number of scrapers share one /proc walk per interval
  --health                  also run the registry's health probes, every 10 s, for vhtop_service_probe_*
  --web.config.file FILE    TLS and basic auth, in the Prometheus exporter toolkit's format
                            (tls_server_config cert_file/key_file, basic_auth_users with bcrypt hashes)
  --unexpected-details N    add vhtop_unexpected_listener_info for at most N unexpected listeners

GET /metrics (and HEAD), GET / a short page; with --host, GET /probe?target=NAME answers one
configured target's metrics (any other target is 400); other paths 404, other methods 405. Nothing can be
changed through it, whatever --read-only says. A probe failure answers 200 with vhtop_up 0.
SIGTERM or SIGINT stops it (exit 0); a start-up problem is one line, exit 2.`,
  flags: SERVE_FLAGS,
  async run(args, ctx) {
    const options = serveOptions(args);
    const world = await loadWorld(args, ctx);
    const webConfig = options.webConfigFile === null ? null : await loadWebConfig(path.resolve(ctx.cwd, options.webConfigFile));
    const log = (line: string): void => void ctx.stderr.write(`vhtop serve: ${cleanText(line)}\n`);
    // Listen for the stop request before the socket opens: a SIGTERM right after start must not kill the process uncleanly.
    const stop = stopRequested();
    let exporter;
    try {
      exporter = await startExporter({
        ...options,
        webConfig,
        version: packageVersion(),
        catalogue: world.catalogue,
        collect: () => takeSnapshot(world),
        log,
        targets: await probeTargets(args, ctx, world),
      });
    } catch (e) {
      stop.cancel();
      throw e;
    }
    ctx.stdout.write(`vhtop serve: listening on ${exporter.url}metrics${webConfig?.users.size ? ' (basic auth)' : ''}\n`);
    const signal = await stop.signal;
    await exporter.close();
    stop.cancel();
    log(`${signal}: stopped`);
    return 0;
  },
};
