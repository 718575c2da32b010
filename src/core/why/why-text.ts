/**
 * Sentences of `vhtop why`, each a pure function of facts. Untrusted parts (process names, docker's
 * words) are cleaned where they enter the facts; the values from the registry and .env are cleaned here.
 */
import { cleanText } from '../sanitize.js';
import { isLoopback, isWildcard } from '../match.js';
import type { EnvSources, Listener, ResolvedService } from '../types.js';
import type { ContainerFacts, Finding } from './why-types.js';
import { socketOwnerText } from '../status-text.js';

function envValue(record: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Where the effective port came from: default, the .env file or the environment, naming the variable. */
export function portFinding(s: ResolvedService, env: EnvSources): Finding {
  const name = s.env;
  const fileName = cleanText(env.fileName ?? '.env');
  if (s.portSource === 'environment' && name !== null) {
    const inFile = envValue(env.fileEnv, name);
    const shadow = inFile !== undefined && inFile !== '' && inFile.trim() !== String(s.effectivePort)
      ? `; it wins over ${name}=${cleanText(inFile)} in ${fileName}`
      : '';
    return { topic: 'port', level: 'info', text: `port ${s.effectivePort} comes from ${name}=${s.effectivePort} in the environment (registry default ${s.port})${shadow}` };
  }
  if (s.portSource === 'env-file' && name !== null) {
    return { topic: 'port', level: 'info', text: `port ${s.effectivePort} comes from ${name}=${s.effectivePort} in ${fileName} (registry default ${s.port})` };
  }
  const why = name === null ? 'no env var moves it' : `${name} is not set`;
  return { topic: 'port', level: 'info', text: `port ${s.effectivePort} is the registry default (${why})` };
}

/** "0.0.0.0:8000 (IPv4)", "[::1]:8000 (IPv6)". */
export function addressText(l: Pick<Listener, 'address' | 'port' | 'family'>): string {
  const host = l.address.includes(':') ? `[${l.address}]` : l.address;
  return `${host}:${l.port} (IPv${l.family})`;
}

/**
 * "python3 (PID 4321)", "docker-proxy (PID 99, a published container port)", "a socket of uid 0
 * (root) whose process vhtop cannot see", "python3 (PID 7, named by the probe, unconfirmed)".
 */
export function ownerText(l: Pick<Listener, 'pid' | 'process' | 'dockerProxy'> & Partial<Pick<Listener, 'verified' | 'socketUid' | 'socketUser'>>): string {
  if (l.pid === null) return `${socketOwnerText({ uid: l.socketUid ?? -1, user: l.socketUser ?? null })} whose process vhtop cannot see`;
  const proc = cleanText(l.process ?? 'unknown');
  if (l.verified === false) return `${proc} (PID ${l.pid}, named by the probe, unconfirmed)`;
  return l.dockerProxy ? `${proc} (PID ${l.pid}, a port published by a container)` : `${proc} (PID ${l.pid})`;
}

/** Groups listeners by owner so one program on 0.0.0.0 and :: reads as one sentence. */
export function listenerSentences(listeners: readonly Listener[]): string[] {
  const byOwner = new Map<string, Listener[]>();
  for (const l of listeners) {
    const key = `${l.pid ?? '?'}|${l.process ?? ''}`;
    byOwner.set(key, [...(byOwner.get(key) ?? []), l]);
  }
  return [...byOwner.values()].map((group) => {
    const first = group[0] as Listener;
    return `${ownerText(first)} listens on ${group.map(addressText).join(' and ')}`;
  });
}

/**
 * A warning when the service listens only on IPv6 loopback: clients that use 127.0.0.1 (or a
 * "localhost" that resolves to IPv4) cannot reach it. Null otherwise.
 */
export function familyWarning(own: readonly Listener[]): string | null {
  if (own.length === 0) return null;
  const reachableOver4 = own.some((l) => l.family === 4 || (l.address.includes('.') && !l.address.startsWith('::')) || isWildcard(l.address));
  if (reachableOver4) return null;
  const allLoop = own.every((l) => isLoopback(l.address));
  return allLoop ? 'it listens on IPv6 loopback only: clients that use 127.0.0.1 cannot reach it' : null;
}

/** The container finding. */
export function containerFinding(c: ContainerFacts): Finding {
  const name = cleanText(c.name);
  const detail = c.detail !== '' ? ` (${c.detail})` : '';
  switch (c.state) {
    case 'running': {
      if (c.health === 'unhealthy') return { topic: 'container', level: 'warn', text: `container ${name} is running but docker reports it unhealthy${detail}` };
      return { topic: 'container', level: 'ok', text: `container ${name} is running${detail}` };
    }
    case 'unknown':
      return { topic: 'container', level: 'warn', text: c.detail };
    case 'absent':
      return { topic: 'container', level: 'fail', text: `no container for ${name}: never started, or removed` };
    case 'exited': {
      const code = c.exitCode !== null ? ` with code ${c.exitCode}` : '';
      return { topic: 'container', level: 'fail', text: `container ${name} exited${code}${detail}` };
    }
    case 'created':
      return { topic: 'container', level: 'fail', text: `container ${name} was created but never started${detail}` };
    case 'restarting':
      return { topic: 'container', level: 'fail', text: `container ${name} keeps restarting${detail}` };
    default:
      return { topic: 'container', level: 'fail', text: `container ${name} is ${c.state}${detail}` };
  }
}

/** "docker compose up -d gateway": words joined, quoted for a POSIX shell where needed. */
export function commandLine(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
