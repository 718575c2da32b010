import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedArgs } from './args.js';
import type { CliContext } from './context.js';
import { UsageError } from '../core/errors.js';
import { loadCatalogue } from '../core/catalogue-load.js';
import { COMPOSE_FILE_NAMES } from '../core/compose-files.js';
import { loadEnvSources } from '../core/env.js';
import { buildSnapshot } from '../core/snapshot.js';
import { SnapshotSeries } from '../core/snapshot-series.js';
import { engineMayAnswer } from '../probe/engine-socket.js';
import { createProbe, type ProbeChoice } from '../probe/index.js';
import type { Catalogue, EnvSources, Probe, Snapshot } from '../core/types.js';

/** Everything a command needs besides its own flags, resolved once from the global flags. */
export interface World {
  readonly catalogue: Catalogue;
  readonly env: EnvSources;
  readonly profile: string | null;
  readonly probe: Probe;
  /** A live view's passes, classified one after another (an unchanged pass reuses the last classification). */
  readonly series?: SnapshotSeries;
}

/** The registry that ships with the package (top-level registry.yaml, next to dist/). */
export const BUNDLED_REGISTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'registry.yaml');

/** `--registry`, else `$VHTOP_REGISTRY`, else ./registry.yaml, else a compose file here, else the bundled registry. */
export function resolveRegistryPath(args: ParsedArgs, ctx: CliContext): string {
  const given = args.flags.registry;
  if (typeof given === 'string') return path.resolve(ctx.cwd, given);
  const fromEnv = ctx.env.VHTOP_REGISTRY;
  if (fromEnv) return path.resolve(ctx.cwd, fromEnv);
  const local = path.join(ctx.cwd, 'registry.yaml');
  if (existsSync(local)) return local;
  // No registry, but a compose project here: its published ports are the catalogue (imported on load).
  for (const name of COMPOSE_FILE_NAMES) {
    const compose = path.join(ctx.cwd, name);
    if (existsSync(compose)) return compose;
  }
  return BUNDLED_REGISTRY;
}

/** `--env FILE` (must exist), else ./.env when present, else none. */
export function resolveEnvPath(args: ParsedArgs, ctx: CliContext): string | null {
  const given = args.flags.env;
  if (typeof given === 'string') return path.resolve(ctx.cwd, given);
  const local = path.join(ctx.cwd, '.env');
  return existsSync(local) ? local : null;
}

/** Validates `--probe`. */
export function probeChoice(args: ParsedArgs): ProbeChoice {
  const p = args.flags.probe ?? 'auto';
  if (p === 'auto' || p === 'linux' || p === 'portable') return p;
  throw new UsageError(`option --probe must be auto, linux or portable (got ${JSON.stringify(p)})`);
}

/**
 * A live view (the TUI) reads all sockets every this many refreshes (10 s at the default 2 s
 * interval) and only the listeners in between: connection counts lag by at most that much, while
 * the listeners, their owners and new listeners are current on every refresh.
 */
export const LIVE_ALL_SOCKETS_EVERY = 5;

/**
 * A live view's owner cache re-reads no single-holder socket between its full rescans (every 60 s).
 * The owner map is brought up to date at full reads only, one in {@link LIVE_ALL_SOCKETS_EVERY}: a
 * rotation over eight of them would take 80 s, longer than the rescan that covers every socket
 * anyway, so it would only cost (~2,500 readlinks per full read with 20k sockets). Shared sockets
 * (forked servers) are still checked at every full read.
 */
export const LIVE_VERIFY_EVERY = 0;

/**
 * A live view's full reads (all sockets, for connection counts) take at most this share of one core
 * on average: where reading every socket is expensive (tens of thousands of connections) they come
 * less often than every {@link LIVE_ALL_SOCKETS_EVERY} refreshes, and connection counts lag longer,
 * instead of the idle screen costing more. At 1,000 sockets a full read costs a few ms and the
 * refresh count decides; at 20,000 about 80 ms here, one every ~16 s.
 */
export const LIVE_FULL_READ_SHARE = 0.005;

/** The probe options of a live view (the TUI); the bench measures with the same. */
export const LIVE_PROBE = { allSocketsEvery: LIVE_ALL_SOCKETS_EVERY, verifyEvery: LIVE_VERIFY_EVERY, fullReadShare: LIVE_FULL_READ_SHARE } as const;

/**
 * Loads catalogue and env, picks the probe. Throws ConfigError / UsageError for bad input.
 * `live`: the probe serves repeated refreshes of a view of the listeners (see {@link LIVE_ALL_SOCKETS_EVERY}).
 * `once`: the command takes one snapshot and exits, so the probe keeps nothing for a next one.
 */
export async function loadWorld(args: ParsedArgs, ctx: CliContext, options: { readonly live?: boolean; readonly once?: boolean } = {}): Promise<World> {
  const catalogue = await loadCatalogue(resolveRegistryPath(args, ctx));
  const env = await loadEnvSources(resolveEnvPath(args, ctx), ctx.env);
  const profile = typeof args.flags.profile === 'string' ? args.flags.profile : null;
  if (profile !== null) {
    const known = new Set(catalogue.services.flatMap((s) => s.profiles ?? []));
    if (known.size > 0 && !known.has(profile)) {
      throw new UsageError(`unknown profile ${JSON.stringify(profile)}: the registry knows ${[...known].sort().join(', ')}`);
    }
  }
  const probe = createProbe(probeChoice(args), options.live === true ? LIVE_PROBE : { collectsOnce: options.once === true });
  // Only a catalogue with compose services asks the Docker engine (one `docker ps` per pass), and a
  // one-shot run only where an engine can answer; a live view checks before every pass instead.
  const docker = catalogue.services.some((s) => s.docker !== null) && (options.live === true || engineMayAnswer(ctx.env));
  const series = options.live === true ? new SnapshotSeries() : undefined;
  return { catalogue, env, profile, probe: docker ? (await import('../probe/containers.js')).withContainers(probe) : probe, series };
}

/** One probe pass classified against the catalogue: the truth every command shows. */
export async function takeSnapshot(world: World, options: { all?: boolean } = {}): Promise<Snapshot> {
  const data = await world.probe.collect();
  const how = { profile: world.profile, all: options.all ?? false };
  return world.series ? world.series.build(data, world.catalogue, world.env, how) : buildSnapshot(data, world.catalogue, world.env, how);
}
