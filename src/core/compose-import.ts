/**
 * Compose files -> catalogue entries: one entry per published host port. Several files merge as
 * `docker compose -f A -f B` merges them (later keys win, `ports` lists add up). Pure: the caller
 * reads the files and the .env beside the first one.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError } from './errors.js';
import { cleanText } from './sanitize.js';
import { readLongPort, readShortPort, type PublishedPort, type VarLookup } from './compose-ports.js';
import type { HealthSpec } from './types.js';

/** One compose file as read. */
export interface ComposeText {
  /** Path as the user gave it (used in messages and comments). */
  readonly file: string;
  readonly text: string;
}

/** One catalogue entry made from a published port. */
export interface ImportedEntry {
  readonly id: string;
  readonly name: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly env: string | null;
  readonly bind: 'local' | null;
  readonly docker: string;
  readonly profiles: readonly string[] | null;
  readonly health: HealthSpec | null;
  /** Where it came from: `docker-compose.yml:12 services.gateway.ports[0] "8080:8080"`. */
  readonly origin: string;
}

/** The result: entries, plus one line per port that could not be imported. */
export interface ImportResult {
  readonly entries: ImportedEntry[];
  readonly notes: string[];
}

const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PROFILE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

interface PortItem {
  readonly raw: unknown;
  readonly file: string;
  readonly line: number | null;
  readonly field: string;
  readonly origin: string;
}

interface MergedService {
  name: string;
  ports: PortItem[];
  profiles: string[] | null;
  healthTest: string | null;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(c: ComposeText): { doc: Document; lines: LineCounter; js: unknown } {
  const lines = new LineCounter();
  const doc = parseDocument(c.text, { lineCounter: lines, merge: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    throw new ConfigError(c.file, lines.linePos(problem.pos[0]).line, null, `YAML syntax error: ${cleanText(problem.message.split('\n')[0] ?? '')}`);
  }
  try {
    return { doc, lines, js: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (e) {
    throw new ConfigError(c.file, null, null, `cannot read the compose file: ${cleanText(e instanceof Error ? e.message : String(e))}`);
  }
}

/** 1-based line of the node at `path`, or null. */
function lineAt(doc: Document, lines: LineCounter, path: readonly (string | number)[]): number | null {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const start = node?.range?.[0];
  return start === undefined ? null : lines.linePos(start).line;
}

/** The healthcheck command as one string (`CMD`, `CMD-SHELL` lists or a plain string). */
function healthText(v: unknown): string | null {
  if (!isRecord(v)) return null;
  if (v.disable === true) return null;
  const t = v.test;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string').filter((x) => x !== 'CMD' && x !== 'CMD-SHELL').join(' ');
  return null;
}

/** Merges every file's services in order. */
function mergeServices(files: readonly ComposeText[]): MergedService[] {
  const merged = new Map<string, MergedService>();
  for (const c of files) {
    const { doc, lines, js } = parse(c);
    if (js === null || js === undefined) continue;
    if (!isRecord(js)) throw new ConfigError(c.file, 1, null, 'a compose file must be a mapping with a "services:" key');
    const services = js.services;
    if (services === undefined || services === null) continue;
    if (!isRecord(services)) throw new ConfigError(c.file, lineAt(doc, lines, ['services']), 'services', 'must be a mapping of service names');
    for (const [name, def] of Object.entries(services)) {
      const where = `services.${cleanText(name)}`;
      if (!SERVICE_NAME.test(name)) throw new ConfigError(c.file, lineAt(doc, lines, ['services', name]), where, 'is not a valid compose service name');
      const svc = merged.get(name) ?? { name, ports: [], profiles: null, healthTest: null };
      merged.set(name, svc);
      if (def === null || def === undefined) continue;
      if (!isRecord(def)) throw new ConfigError(c.file, lineAt(doc, lines, ['services', name]), where, 'must be a mapping');
      if (def.ports !== undefined && def.ports !== null) {
        if (!Array.isArray(def.ports)) throw new ConfigError(c.file, lineAt(doc, lines, ['services', name, 'ports']), `${where}.ports`, 'must be a list');
        def.ports.forEach((raw: unknown, i: number) => {
          const line = lineAt(doc, lines, ['services', name, 'ports', i]) ?? lineAt(doc, lines, ['services', name]);
          const shown = typeof raw === 'string' || typeof raw === 'number' ? ` ${JSON.stringify(String(raw))}` : '';
          const origin = `${c.file}${line === null ? '' : `:${line}`} ${where}.ports[${i}]${shown}`;
          // Compose merges `ports` by adding the override's items; the same item twice counts once.
          if (!svc.ports.some((p) => JSON.stringify(p.raw) === JSON.stringify(raw))) svc.ports.push({ raw, file: c.file, line, field: `${where}.ports[${i}]`, origin });
        });
      }
      if (def.profiles !== undefined) {
        const list = Array.isArray(def.profiles) ? def.profiles : null;
        if (list === null || !list.every((p): p is string => typeof p === 'string' && PROFILE.test(p))) {
          throw new ConfigError(c.file, lineAt(doc, lines, ['services', name, 'profiles']), `${where}.profiles`, 'must be a list of profile names');
        }
        svc.profiles = list.length === 0 ? null : list;
      }
      if (def.healthcheck !== undefined) svc.healthTest = healthText(def.healthcheck);
    }
  }
  return [...merged.values()];
}

/**
 * A health probe from a healthcheck that curls or wgets an http(s) URL: its path, when the URL's port
 * is this entry's container port (or the URL names none); anything else is probed by TCP connect.
 */
function healthFor(test: string | null, p: PublishedPort): HealthSpec {
  const tcp: HealthSpec = { kind: 'tcp', timeoutMs: null };
  if (test === null || !/\b(curl|wget)\b/.test(test)) return tcp;
  const m = /\bhttps?:\/\/[^\s"'`|;&)]+/.exec(test);
  if (!m) return tcp;
  let url: URL;
  try {
    url = new URL(m[0]);
  } catch {
    return tcp;
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (p.target !== null && port !== p.target) return tcp;
  const path = `${url.pathname}${url.search}`;
  if (/\s/.test(path) || !path.startsWith('/')) return tcp;
  return { kind: 'http', path, expect: null, timeoutMs: null, https: url.protocol === 'https:' };
}

function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return s === '' ? 'service' : s;
}

const isLocal = (ip: string): boolean => ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(ip);

/** Turns parsed compose files into catalogue entries. Throws ConfigError naming file, line and field. */
export function importCompose(files: readonly ComposeText[], vars: VarLookup): ImportResult {
  const entries: ImportedEntry[] = [];
  const notes: string[] = [];
  const ids = new Set<string>();
  for (const svc of mergeServices(files)) {
    const published: { p: PublishedPort; origin: string }[] = [];
    for (const item of svc.ports) {
      const r = typeof item.raw === 'string' || typeof item.raw === 'number' ? readShortPort(String(item.raw), vars) : isRecord(item.raw) ? readLongPort(item.raw, vars) : { problem: 'must be a port mapping string or a mapping' };
      if ('problem' in r) throw new ConfigError(item.file, item.line, item.field, r.problem);
      if ('skip' in r) {
        notes.push(`${item.origin}: skipped: ${r.skip}`);
        continue;
      }
      for (const p of r.ports) {
        // The same host port twice (IPv4 and IPv6 lines, say) is one entry.
        if (published.some((x) => x.p.port === p.port && x.p.protocol === p.protocol)) continue;
        published.push({ p, origin: item.origin });
      }
    }
    const several = published.length > 1;
    for (const { p, origin } of published) {
      let id = several ? `${slug(svc.name)}-${p.port}${p.protocol === 'udp' ? '-udp' : ''}` : slug(svc.name);
      for (let n = 2; ids.has(id); n++) id = `${several ? `${slug(svc.name)}-${p.port}` : slug(svc.name)}-${n}`;
      ids.add(id);
      entries.push({
        id,
        name: svc.name,
        port: p.port,
        protocol: p.protocol,
        env: p.env,
        bind: isLocal(p.hostIp) ? 'local' : null,
        docker: svc.name,
        profiles: svc.profiles,
        health: p.protocol === 'udp' ? null : healthFor(svc.healthTest, p),
        origin,
      });
    }
  }
  return { entries, notes };
}
