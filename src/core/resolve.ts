/**
 * Applies the active profile and the env overrides to the catalogue: the ports the services are
 * expected on right now. Precedence as the VoiceHelper services read them: process environment,
 * then the .env file, then the registry default.
 */
import type { Catalogue, EnvSources, PortSource, ResolvedService, ServiceDef } from './types.js';
import { ConfigError } from './errors.js';
import { visible } from './catalogue-read.js';

const PORT_TEXT = /^[0-9]{1,5}$/;

/** True when `def` belongs to `profile` (null profile: every entry; null profiles: every profile). */
export function inProfile(def: ServiceDef, profile: string | null): boolean {
  return profile === null || def.profiles === null || def.profiles.includes(profile);
}

/**
 * True when two entries can run at the same time under some profile: their profile sets meet (null
 * means every profile). Entries on one port whose profiles never meet (frontend in prod, the Next.js
 * dev server in dev, both 3000) are not a catalogue collision.
 */
export function profilesOverlap(a: ServiceDef, b: ServiceDef): boolean {
  if (a.profiles === null || b.profiles === null) return true;
  return a.profiles.some((p) => b.profiles?.includes(p) === true);
}

/** Every profile name the catalogue uses, sorted. */
export function profilesOf(catalogue: Catalogue): string[] {
  return [...new Set(catalogue.services.flatMap((s) => s.profiles ?? []))].sort();
}

/**
 * The entries of `profile` (null: all) with their effective ports. A value that is not a port is a
 * ConfigError naming the variable and where it came from (the .env file and line, or "environment").
 * An empty value (`GATEWAY_PORT=`) counts as unset, as docker compose's `${GATEWAY_PORT:-8080}` treats it.
 */
export function resolveServices(catalogue: Catalogue, env: EnvSources, profile: string | null): ResolvedService[] {
  return catalogue.services.filter((s) => inProfile(s, profile)).map((s) => resolveOne(s, env));
}

function resolveOne(def: ServiceDef, env: EnvSources): ResolvedService {
  const name = def.env;
  if (name === null) return { ...def, effectivePort: def.port, portSource: 'default' };
  // Object.hasOwn: a variable may be called "constructor" or "toString".
  const fromProcess = Object.hasOwn(env.processEnv, name) ? env.processEnv[name] : undefined;
  if (fromProcess !== undefined && fromProcess !== '') {
    return { ...def, effectivePort: portValue(fromProcess, name, 'environment', null, def), portSource: 'environment' };
  }
  const fromFile = Object.hasOwn(env.fileEnv, name) ? env.fileEnv[name] : undefined;
  if (fromFile !== undefined && fromFile !== '') {
    const file = env.fileName ?? '.env';
    const line = env.fileLines && Object.hasOwn(env.fileLines, name) ? (env.fileLines[name] ?? null) : null;
    return { ...def, effectivePort: portValue(fromFile, name, file, line, def), portSource: 'env-file' satisfies PortSource };
  }
  return { ...def, effectivePort: def.port, portSource: 'default' };
}

/** Parses a port value; throws the ConfigError that names the variable and its source. */
function portValue(text: string, name: string, source: string, line: number | null, def: ServiceDef): number {
  const value = text.trim();
  const port = PORT_TEXT.test(value) ? Number(value) : NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new ConfigError(source, line, name, `must be a port number from 1 to 65535 (got ${JSON.stringify(visible(text))}; it moves service "${def.id}")`);
}
