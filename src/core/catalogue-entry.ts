import type { HealthSpec, Protocol, ServiceDef } from './types.js';
import { describe, type Field, type NodeReader } from './catalogue-yaml.js';
import { hasControlChars } from './sanitize.js';

/** Keys of one `services:` entry (docs/registry.md; `aliases` are other names of the same service). */
export const ENTRY_KEYS = ['id', 'name', 'port', 'protocol', 'env', 'group', 'profiles', 'process', 'docker', 'health', 'bind', 'aliases'] as const;

/** Keys of `health:`. */
export const HEALTH_KEYS = ['http', 'tcp', 'websocket', 'expect', 'timeout', 'https'] as const;

/** `group:` is free-form but short: a lower-case word (the port document's sections are examples). */
const GROUP = /^[a-z][a-z0-9_-]{0,31}$/;

const ID = /^[a-z0-9][a-z0-9-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// docker compose service names.
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PROFILE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MAX_TIMEOUT_SECONDS = 600;

/** Reads and validates `services[index]`; `line` is where the entry starts. */
export function readEntry(r: NodeReader, node: unknown, index: number): ServiceDef {
  const at = `services[${index}]`;
  const line = r.lineOf(r.deref(node, at)) ?? r.lineOf(node) ?? 1;
  const f = r.fields(node, at, ENTRY_KEYS);
  const get = (key: string): Field | undefined => {
    const field = f.get(key);
    // `key:` with nothing (or `~`) means the same as leaving the key out.
    return field && r.scalar(field.value, `${at}.${key}`) === null ? undefined : field;
  };
  const required = (key: string): Field => {
    const field = get(key);
    if (!field) r.fail(node, `${at}.${key}`, 'is required', line);
    return field;
  };
  const str = (key: string, field: Field, pattern: RegExp | null, rule: string): string => {
    const v = r.scalar(field.value, `${at}.${key}`);
    if (typeof v !== 'string' || v === '' || hasControlChars(v) || (pattern && !pattern.test(v))) {
      r.fail(field.value, `${at}.${key}`, `must be ${rule} (got ${describe(field.value)})`);
    }
    return v;
  };
  const optStr = (key: string, pattern: RegExp, rule: string): string | null => {
    const field = get(key);
    return field ? str(key, field, pattern, rule) : null;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T | null): T | null => {
    const field = get(key);
    if (!field) return fallback;
    const v = r.scalar(field.value, `${at}.${key}`);
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      r.fail(field.value, `${at}.${key}`, `must be one of ${allowed.join(', ')} (got ${describe(field.value)})`);
    }
    return v as T;
  };
  const names = (key: string, pattern: RegExp | null, rule: string): string[] | null => {
    const field = get(key);
    if (!field) return null;
    const fieldName = `${at}.${key}`;
    // A single name is fine too (`process: postgres`).
    if (typeof r.scalar(field.value, fieldName) === 'string') return [str(key, field, pattern, rule)];
    const list = r.items(field.value, fieldName).map((item, i) => str(`${key}[${i}]`, { keyNode: field.keyNode, value: item }, pattern, rule));
    if (list.length === 0) r.fail(field.value, fieldName, `must name at least one entry (leave the key out instead)`);
    return list;
  };

  const id = str('id', required('id'), ID, 'lower-case letters, digits and "-", starting with a letter or digit');
  const name = str('name', required('name'), null, 'a non-empty display name without control characters');
  const portField = required('port');
  const port = r.scalar(portField.value, `${at}.port`);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    r.fail(portField.value, `${at}.port`, `must be a whole number from 1 to 65535 (got ${describe(portField.value)})`);
  }
  const group = optStr('group', GROUP, 'a short lower-case word (letters, digits, "-" and "_", at most 32)');
  const protocol = oneOf<Protocol>('protocol', ['tcp', 'udp'], 'tcp') ?? 'tcp';
  const bind = oneOf<'local'>('bind', ['local'], null);
  const healthField = get('health');

  return Object.freeze({
    id,
    name,
    port,
    protocol,
    env: optStr('env', ENV_NAME, 'an environment variable name (letters, digits, "_", not starting with a digit)'),
    group,
    profiles: names('profiles', PROFILE, 'a profile name (letters, digits, "_", "." and "-")'),
    process: names('process', null, 'a process name without control characters'),
    docker: optStr('docker', DOCKER_NAME, 'a docker compose service name (letters, digits, "_", "." and "-")'),
    health: healthField ? readHealth(r, healthField.value, `${at}.health`) : null,
    bind,
    aliases: names('aliases', null, 'a name without control characters') ?? [],
    line,
  });
}

/** `health: {http: PATH [, expect, timeout, https]} | {tcp: true [, timeout]} | {websocket: PATH [, timeout]}`. */
function readHealth(r: NodeReader, node: unknown, at: string): HealthSpec {
  const f = r.fields(node, at, HEALTH_KEYS);
  const kinds = (['http', 'tcp', 'websocket'] as const).filter((k) => f.has(k));
  if (kinds.length !== 1) {
    r.fail(node, at, `needs exactly one of http: PATH, tcp: true or websocket: PATH (got ${kinds.length === 0 ? 'none' : kinds.join(' and ')})`);
  }
  const kind = kinds[0] ?? 'tcp';
  for (const onlyHttp of ['expect', 'https'] as const) {
    const field = f.get(onlyHttp);
    if (field && kind !== 'http') r.fail(field.keyNode, `${at}.${onlyHttp}`, `only applies to an http health check`);
  }
  const value = (key: string): unknown => {
    const field = f.get(key);
    return field ? r.scalar(field.value, `${at}.${key}`) : null;
  };
  const failAt = (key: string, problem: string): never => {
    const field = f.get(key);
    return r.fail(field?.value ?? field?.keyNode ?? node, `${at}.${key}`, `${problem} (got ${describe(field?.value)})`);
  };
  const path = (key: string): string => {
    const v = value(key);
    if (typeof v !== 'string' || !v.startsWith('/') || /\s/.test(v) || hasControlChars(v)) {
      failAt(key, 'must be a URL path starting with "/" (no spaces)');
    }
    return v as string;
  };

  const timeout = value('timeout');
  if (timeout !== null && (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_SECONDS)) {
    failAt('timeout', `must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  const timeoutMs = typeof timeout === 'number' ? Math.round(timeout * 1000) : null;

  if (kind === 'tcp') {
    if (value('tcp') !== true) failAt('tcp', 'must be true');
    return { kind: 'tcp', timeoutMs };
  }
  if (kind === 'websocket') return { kind: 'websocket', path: path('websocket'), timeoutMs };
  const expect = value('expect');
  if (expect !== null && (typeof expect !== 'number' || !Number.isInteger(expect) || expect < 100 || expect > 599)) {
    failAt('expect', 'must be an HTTP status code from 100 to 599');
  }
  const https = value('https');
  if (https !== null && typeof https !== 'boolean') failAt('https', 'must be true or false');
  return { kind: 'http', path: path('http'), expect: typeof expect === 'number' ? expect : null, timeoutMs, https: https === true };
}
