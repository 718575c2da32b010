/**
 * One `ports:` item of a compose service, short ("127.0.0.1:8000-8001:80-81/udp") or long
 * ({target, published, host_ip, protocol}) syntax, turned into the host ports it publishes.
 * `${VAR}` / `${VAR:-default}` in the published port is kept as the variable's name, so the catalogue
 * entry can carry `env: VAR`. Pure; no file access.
 */
import type { Protocol } from './types.js';

/** One published host port. */
export interface PublishedPort {
  readonly port: number;
  /** Container port it forwards to (for matching a healthcheck URL), or null when unknown. */
  readonly target: number | null;
  readonly protocol: Protocol;
  /** Host address, '' for all addresses. */
  readonly hostIp: string;
  /** Variable that sets the published port, when the port is written as `${VAR...}`. */
  readonly env: string | null;
}

/** Values of variables (the .env beside the compose file); lookups never reach the process environment. */
export type VarLookup = (name: string) => string | undefined;

/** Why an item publishes nothing importable, or null when it was read. */
export type PortsResult = { readonly ports: PublishedPort[] } | { readonly problem: string } | { readonly skip: string };

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const WHOLE_VAR = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}$|^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** Compose interpolation of one value: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`, `$$`. */
export function interpolate(text: string, lookup: VarLookup): string {
  return text.replace(/\$\$/g, '\u0000').replace(VAR, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = lookup(name);
    if (op === ':-') return value === undefined || value === '' ? (word ?? '') : value;
    if (op === '-') return value ?? word ?? '';
    return value ?? '';
    // eslint-disable-next-line no-control-regex -- NUL marks an escaped $$ (no registry text contains it)
  }).replace(/\u0000/g, '$');
}

/** The variable a whole published-port text names (`${ALGO_PORT:-8000}` -> ALGO_PORT), or null. */
export function portVariable(text: string): string | null {
  const m = WHOLE_VAR.exec(text.trim());
  return m ? (m[1] ?? m[3] ?? null) : null;
}

function range(text: string): [number, number] | null {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 65535 || hi < lo) return null;
  return [lo, hi];
}

function protocolOf(text: string): Protocol | null {
  const p = text.toLowerCase();
  return p === 'tcp' || p === 'udp' ? p : null;
}

/** Expands published/target ranges into one port each (a range maps one to one, or all to one target). */
function expand(published: string, target: string | null, protocol: Protocol, hostIp: string, env: string | null): PortsResult {
  const pub = range(published);
  if (pub === null) return { problem: `published port must be a port or a range from 1 to 65535 (got ${JSON.stringify(published)})` };
  const tgt = target === null ? null : range(target);
  if (target !== null && tgt === null) return { problem: `container port must be a port or a range (got ${JSON.stringify(target)})` };
  const count = pub[1] - pub[0] + 1;
  if (count > 1000) return { problem: `port range ${published} is too large to import (at most 1000 ports)` };
  const ports: PublishedPort[] = [];
  for (let i = 0; i < count; i++) {
    const t = tgt === null ? null : tgt[1] === tgt[0] ? tgt[0] : tgt[0] + i;
    ports.push({ port: pub[0] + i, target: t, protocol, hostIp, env: count === 1 ? env : null });
  }
  return { ports };
}

/** Splits `ip:published:target` around colons, respecting `[v6]` and a bare IPv6 address before two ports. */
function splitShort(spec: string): { hostIp: string; published: string | null; target: string } | null {
  const bracket = /^\[([^\]]+)\]:([^:]*):([^:]+)$/.exec(spec);
  if (bracket) return { hostIp: bracket[1] ?? '', published: bracket[2] ?? '', target: bracket[3] ?? '' };
  const parts = spec.split(':');
  if (parts.length === 1) return { hostIp: '', published: null, target: parts[0] ?? '' };
  if (parts.length === 2) return { hostIp: '', published: parts[0] ?? '', target: parts[1] ?? '' };
  if (parts.length === 3) return { hostIp: parts[0] ?? '', published: parts[1] ?? '', target: parts[2] ?? '' };
  // A bare IPv6 host address ("::1:8000:8000"): the last two fields are the ports.
  return { hostIp: parts.slice(0, -2).join(':'), published: parts[parts.length - 2] ?? '', target: parts[parts.length - 1] ?? '' };
}

/** A published port that is only a variable with no value and no default: nothing to import. */
function unsetVariable(publishedRaw: string, env: string | null, lookup: VarLookup): PortsResult | null {
  if (env === null || interpolate(publishedRaw, lookup).trim() !== '') return null;
  return { skip: `\${${env}} is not set in the .env file and has no default` };
}

/** Reads one short-syntax item (a string or a number). */
export function readShortPort(raw: string, lookup: VarLookup): PortsResult {
  // Keep `${...}` whole while splitting on ':' (its `:-` would split otherwise).
  const vars: string[] = [];
  const masked = raw.trim().replace(/\$\{[^}]*\}/g, (m) => `\u0001${vars.push(m) - 1}\u0002`);
  // eslint-disable-next-line no-control-regex -- \u0001/\u0002 bracket masked ${...} (no text contains them)
  const unmask = (s: string) => s.replace(/\u0001(\d+)\u0002/g, (_m, i: string) => vars[Number(i)] ?? '');
  const slash = masked.lastIndexOf('/');
  const proto = slash >= 0 ? protocolOf(masked.slice(slash + 1)) : 'tcp';
  if (proto === null) return { problem: `protocol must be tcp or udp (got ${JSON.stringify(unmask(masked.slice(slash + 1)))})` };
  const parts = splitShort(slash >= 0 ? masked.slice(0, slash) : masked);
  if (parts === null) return { problem: `cannot read port mapping ${JSON.stringify(raw)}` };
  if (parts.published === null || parts.published === '') return { skip: 'no published host port (docker picks one at random)' };
  const publishedRaw = unmask(parts.published);
  const env = portVariable(publishedRaw);
  const hostIp = interpolate(unmask(parts.hostIp), lookup).replace(/^\[|\]$/g, '');
  const unset = unsetVariable(publishedRaw, env, lookup);
  if (unset !== null) return unset;
  return expand(interpolate(publishedRaw, lookup), interpolate(unmask(parts.target), lookup), proto, hostIp, env);
}

/** Reads one long-syntax item (`target`, `published`, `host_ip`, `protocol`). */
export function readLongPort(item: Readonly<Record<string, unknown>>, lookup: VarLookup): PortsResult {
  const text = (v: unknown): string | null => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null);
  const target = text(item.target);
  if (target === null) return { problem: 'target is required (the container port)' };
  const publishedRaw = text(item.published);
  if (publishedRaw === null || publishedRaw === '') return { skip: 'no published host port (docker picks one at random)' };
  const proto = protocolOf(interpolate(text(item.protocol) ?? 'tcp', lookup));
  if (proto === null) return { problem: `protocol must be tcp or udp (got ${JSON.stringify(item.protocol)})` };
  const hostIp = interpolate(text(item.host_ip) ?? '', lookup).replace(/^\[|\]$/g, '');
  const unset = unsetVariable(publishedRaw, portVariable(publishedRaw), lookup);
  if (unset !== null) return unset;
  return expand(interpolate(publishedRaw, lookup), interpolate(target, lookup), proto, hostIp, portVariable(publishedRaw));
}
