import { findFreePorts } from '../actions/free-port.js';
import { cataloguePorts } from '../core/conflicts.js';
import type { CommandModule } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { loadCatalogue } from '../core/catalogue-load.js';
import { loadEnvSources } from '../core/env.js';
import { resolveServices } from '../core/resolve.js';
import { resolveEnvPath, resolveRegistryPath } from '../cli/world.js';

/** Where the search starts without --from: the low end of the usual development-server range. */
export const DEFAULT_FROM = 3000;
/** Upper bound for --count: a port scan, not a service, is the wrong tool beyond this. */
const MAX_COUNT = 1000;

/**
 * `vhtop free-port [--from N] [--count K] [--json]`: K ports >= N that can be bound right now on
 * 0.0.0.0 and :: (bind, never connect). Ports of the catalogue are skipped even when free, so the
 * answer never takes the port of a service that is merely stopped.
 */
export const command: CommandModule = {
  name: 'free-port',
  summary: 'K ports >= N that can really be bound right now (catalogue ports skipped)',
  usage: `Usage: vhtop free-port [--from N] [--count K] [--json]

  --from N    first port to try (default ${DEFAULT_FROM})
  --count K   how many ports (default 1, at most ${MAX_COUNT})
  --json      {"version":1,"from":N,"count":K,"ports":[...]}

A port is free when it can be bound for TCP on 0.0.0.0 and on :: right now; ports named in the
catalogue (any profile) are skipped. Prints one port per line. Exit 1 when fewer than K were found.`,
  flags: { from: 'int', count: 'int', json: 'boolean' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError('free-port takes no arguments (use --from N)');
    const from = typeof args.flags.from === 'number' ? args.flags.from : DEFAULT_FROM;
    const count = typeof args.flags.count === 'number' ? args.flags.count : 1;
    if (from < 1 || from > 65535) throw new UsageError(`option --from must be a port from 1 to 65535 (got ${from})`);
    if (count < 1 || count > MAX_COUNT) throw new UsageError(`option --count must be from 1 to ${MAX_COUNT} (got ${count})`);
    const catalogue = await loadCatalogue(resolveRegistryPath(args, ctx));
    const env = await loadEnvSources(resolveEnvPath(args, ctx), ctx.env);
    const skip = cataloguePorts(resolveServices(catalogue, env, null));
    const ports = await findFreePorts(from, count, { skip });
    if (args.flags.json) ctx.stdout.write(`${JSON.stringify({ version: 1, from, count, ports }, null, 2)}\n`);
    else if (ports.length > 0) ctx.stdout.write(`${ports.join('\n')}\n`);
    if (ports.length < count) {
      ctx.stderr.write(`vhtop: only ${ports.length} of ${count} free port${count === 1 ? '' : 's'} found from ${from} to 65535\n`);
      return 1;
    }
    return 0;
  },
};
