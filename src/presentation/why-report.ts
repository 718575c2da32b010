/**
 * `vhtop why` output: the diagnosis as a short report for people (status words first, colour only
 * as an extra) and as JSON for scripts. Pure.
 */
import { ANSI_TONE, type Tone } from './tones.js';
import { cleanText } from '../core/sanitize.js';
import type { HealthResult, Listener, PortSource } from '../core/types.js';
import type { ContainerFacts, Diagnosis, Finding, FindingLevel, WhyFacts, WhyVerdict } from '../core/why/why-types.js';

/** One listener in the JSON. */
export interface WhyListenerJson {
  readonly address: string;
  readonly family: 4 | 6;
  readonly pid: number | null;
  readonly process: string | null;
  readonly command: string | null;
  /** Classification from the snapshot: expected | conflict | unexpected. */
  readonly status: Listener['status'];
  /** Catalogue id the listener is attributed to, or null. */
  readonly service: string | null;
  /** true: the service's own program (never an owner that cannot be seen or confirmed). */
  readonly own: boolean;
  readonly exposed: boolean;
  readonly dockerProxy: boolean;
  /** false: the owner cannot be seen or the probe cannot confirm it. */
  readonly verified: boolean;
  /** The socket's uid and user from /proc/net (known even when the process is not). */
  readonly socketUid: number;
  readonly socketUser: string | null;
}

/** `vhtop why --json` (version 1). */
export interface WhyJson {
  readonly version: 1;
  readonly service: { readonly id: string; readonly name: string; readonly protocol: 'tcp' | 'udp'; readonly docker: string | null };
  readonly verdict: WhyVerdict;
  readonly ok: boolean;
  readonly port: {
    readonly port: number;
    readonly defaultPort: number;
    readonly source: PortSource;
    readonly envVar: string | null;
    /** The .env file the value came from (source "env-file"), else null. */
    readonly envFile: string | null;
  };
  readonly listeners: readonly WhyListenerJson[];
  readonly collisions: readonly string[];
  readonly container: ContainerFacts | null;
  /** Last log lines, or why there are none; null when not a compose service or docker is unusable. */
  readonly logs: { readonly lines: readonly string[] } | { readonly unavailable: string } | null;
  readonly health: HealthResult | null;
  readonly findings: readonly Finding[];
  readonly next: { readonly text: string; readonly command: string | null };
}

function listenerJson(l: Listener, own: boolean): WhyListenerJson {
  return {
    address: l.address,
    family: l.family,
    pid: l.pid,
    process: l.process === null ? null : cleanText(l.process),
    command: l.command === null ? null : cleanText(l.command),
    status: l.status,
    service: l.service,
    own,
    exposed: l.exposed,
    dockerProxy: l.dockerProxy,
    verified: l.verified,
    socketUid: l.socketUid,
    socketUser: l.socketUser,
  };
}

/** The JSON form of a diagnosis. */
export function whyJson(facts: WhyFacts, d: Diagnosis): WhyJson {
  const s = facts.service;
  return {
    version: 1,
    service: { id: s.id, name: s.name, protocol: s.protocol, docker: s.docker },
    verdict: d.verdict,
    ok: d.ok,
    port: { port: s.effectivePort, defaultPort: s.port, source: s.portSource, envVar: s.env, envFile: s.portSource === 'env-file' ? facts.env.fileName : null },
    listeners: [...d.own.map((l) => listenerJson(l, true)), ...d.unseen.map((l) => listenerJson(l, false)), ...d.others.map((l) => listenerJson(l, false))],
    collisions: d.collisions,
    container: facts.container,
    logs: facts.logs,
    health: facts.health,
    findings: d.findings,
    next: d.next,
  };
}

const VERDICT_WORDS: Readonly<Record<WhyVerdict, [string, Tone]>> = {
  healthy: ['UP, HEALTHY', 'good'],
  up: ['UP', 'good'],
  unhealthy: ['UP, UNHEALTHY', 'bad'],
  down: ['DOWN', 'bad'],
  conflict: ['CONFLICT', 'bad'],
  inactive: ['INACTIVE', 'muted'],
  unverified: ['UNVERIFIED', 'warn'],
};

const LEVEL_WORDS: Readonly<Record<FindingLevel, [string, Tone]>> = {
  ok: ['ok  ', 'good'],
  info: ['info', 'plain'],
  warn: ['WARN', 'warn'],
  fail: ['FAIL', 'bad'],
};

/** The human report: a title line, one line per finding (log lines indented under theirs), the next step. */
export function whyText(facts: WhyFacts, d: Diagnosis, color: boolean): string {
  const paint = (text: string, tone: Tone): string => (color && ANSI_TONE[tone] !== '' ? `${ANSI_TONE[tone]}${text}\x1b[0m` : text);
  const s = facts.service;
  const [word, tone] = VERDICT_WORDS[d.verdict];
  const out = [`${s.id} (${cleanText(s.name)}), ${s.protocol.toUpperCase()} port ${s.effectivePort}: ${paint(word, tone)}`];
  for (const f of d.findings) {
    const [lw, lt] = LEVEL_WORDS[f.level];
    out.push(`  ${paint(lw, lt)}  ${f.text}`);
    if (f.topic === 'logs' && facts.logs !== null && 'lines' in facts.logs) {
      for (const line of facts.logs.lines) out.push(`        | ${cleanText(line)}`);
    }
  }
  out.push('', `next: ${d.next.text}`);
  return `${out.join('\n')}\n`;
}
