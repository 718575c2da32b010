/**
 * `vhtop why SERVICE` as a pure function: the "why is port 8000 not listening?" walk of the VoiceHelper port document, from
 * gathered facts to findings and one next step. No OS access here; src/commands/why.ts gathers.
 */
import { cleanText } from '../sanitize.js';
import { isHoldingSocket, isLoopback } from '../match.js';
import { profilesOverlap } from '../resolve.js';
import type { Listener, ResolvedService, ServiceView } from '../types.js';
import { inactiveText, unseenAdvice } from '../status-text.js';
import type { Diagnosis, Finding, WhyFacts, WhyVerdict } from './why-types.js';
import { containerFinding, familyWarning, listenerSentences, ownerText, portFinding, addressText } from './why-text.js';
import { nextStep } from './why-next.js';


/** Holding sockets (LISTEN / bound UDP) on `port` and `protocol`. */
export function listenersOn(listeners: readonly Listener[], port: number, protocol: ResolvedService['protocol']): Listener[] {
  return listeners.filter((l) => l.port === port && l.protocol === protocol && isHoldingSocket(l));
}

/**
 * Splits the listeners on the service's port into its own (classified expected for it, or held by an
 * alternative's program that this entry expects too, as the snapshot's `up` says), unseen (an owner
 * that cannot be seen or confirmed: never called its program) and others (another program, or
 * another catalogue entry's).
 */
export function splitListeners(id: string, onPort: readonly Listener[], view?: ServiceView): { own: Listener[]; unseen: Listener[]; others: Listener[] } {
  const unseen = onPort.filter((l) => !l.verified);
  const sharedUp = (l: Listener): boolean => view?.status === 'up' && l.status === 'expected' && l.pid !== null && l.pid === view.pid;
  const own = onPort.filter((l) => l.verified && ((l.status === 'expected' && l.service === id) || sharedUp(l)));
  const others = onPort.filter((l) => l.verified && !own.includes(l));
  return { own, unseen, others };
}

/** Other entries of the profile on the same port and protocol that can run at the same time. */
export function collisionsOf(s: ResolvedService, catalogue: readonly ResolvedService[]): ResolvedService[] {
  return catalogue.filter((o) => o.id !== s.id && o.effectivePort === s.effectivePort && o.protocol === s.protocol && profilesOverlap(o, s));
}

/** True when a listener breaks `bind: local` (the classifier's flag, or a non-loopback address). */
function isExposed(s: ResolvedService, l: Listener): boolean {
  return l.exposed || (s.bind === 'local' && !isLoopback(l.address));
}

function verdictOf(own: readonly Listener[], unseen: readonly Listener[], others: readonly Listener[], facts: WhyFacts, view: ServiceView | undefined): WhyVerdict {
  if (own.length === 0) {
    if (others.some((l) => l.status === 'conflict')) return 'conflict';
    if (unseen.length > 0) return 'unverified';
    if (others.length > 0) return view?.status === 'inactive' ? 'inactive' : 'conflict';
    return 'down';
  }
  // Own and a wrong program both on the port (e.g. 0.0.0.0 and 127.0.0.1): clients may reach either.
  if (others.some((l) => l.status === 'conflict')) return 'conflict';
  if (facts.health === null) return 'up';
  return facts.health.ok ? 'healthy' : 'unhealthy';
}

/** Draws the diagnosis from the facts. Pure. */
export function diagnose(facts: WhyFacts): Diagnosis {
  const s = facts.service;
  const findings: Finding[] = [portFinding(s, facts.env)];
  const onPort = listenersOn(facts.snapshot.listeners, s.effectivePort, s.protocol);
  const view = facts.snapshot.services.find((v) => v.id === s.id);
  const { own, unseen, others } = splitListeners(s.id, onPort, view);

  if (onPort.length === 0) {
    findings.push({ topic: 'listener', level: 'fail', text: `nothing listens on ${s.protocol.toUpperCase()} port ${s.effectivePort}` });
  }
  for (const text of listenerSentences(own)) findings.push({ topic: 'listener', level: 'ok', text: `${text}: the expected program` });
  for (const l of unseen) {
    const reason = l.ownerUnknown ?? 'the probe cannot confirm which process holds the socket';
    findings.push({ topic: 'listener', level: 'warn', text: `${ownerText(l)} holds ${addressText(l)}: ${unseenAdvice(reason)}` });
  }
  for (const l of others) {
    const whose = l.service !== null && l.service !== s.id ? ` (the catalogue's ${cleanText(l.service)})` : '';
    if (view?.status === 'inactive' && view.usedBy !== null && l.service === view.usedBy.service) {
      findings.push({ topic: 'listener', level: 'info', text: `${ownerText(l)}${whose} holds ${addressText(l)}: ${inactiveText(view.usedBy)}, an alternative of ${s.id} in another profile` });
      continue;
    }
    findings.push({ topic: 'listener', level: 'fail', text: `${ownerText(l)}${whose} holds ${addressText(l)}: not ${s.id}'s program` });
  }
  const family = familyWarning(own);
  if (family !== null) findings.push({ topic: 'listener', level: 'warn', text: family });
  const exposed = own.filter((l) => isExposed(s, l));
  if (exposed.length > 0) {
    findings.push({
      topic: 'exposed',
      level: 'warn',
      text: `exposed: the registry says bind: local, but it listens on ${exposed.map(addressText).join(' and ')}, reachable from other machines`,
    });
  }
  const movedAway = defaultPortHolder(facts, onPort.length);
  if (movedAway !== null) {
    findings.push({ topic: 'listener', level: 'warn', text: `${ownerText(movedAway)} still listens on the default port ${s.port}: it did not pick up ${s.env}` });
  }
  const collisions = collisionsOf(s, facts.catalogue);
  if (collisions.length > 0) {
    findings.push({
      topic: 'collision',
      level: 'warn',
      text: `the catalogue also puts ${collisions.map((c) => `${c.id} (${cleanText(c.name)})`).join(', ')} on ${s.protocol.toUpperCase()} port ${s.effectivePort}`,
    });
  }
  if (facts.container !== null) findings.push(containerFinding(facts.container));
  if (facts.logs !== null) {
    if ('unavailable' in facts.logs) findings.push({ topic: 'logs', level: 'info', text: `logs unavailable: ${facts.logs.unavailable}` });
    else findings.push({ topic: 'logs', level: 'info', text: facts.logs.lines.length === 0 ? 'no log output' : `last ${facts.logs.lines.length} log lines:` });
  }
  findings.push(healthFinding(facts, own.length > 0));

  const verdict = verdictOf(own, unseen, others, facts, view);
  return {
    verdict,
    ok: (verdict === 'healthy' || verdict === 'up') && exposed.length === 0,
    own,
    unseen,
    others,
    collisions: collisions.map((c) => c.id),
    findings,
    next: nextStep({ facts, verdict, own, unseen, others, exposed, movedAway, usedBy: view?.usedBy ?? null }),
  };
}

/**
 * When an env var moved the port and nothing listens on the new one, a listener on the old default
 * port that belongs to no other catalogue entry is most likely the service itself, started before the
 * variable was set.
 */
function defaultPortHolder(facts: WhyFacts, onNewPort: number): Listener | null {
  const s = facts.service;
  if (s.portSource === 'default' || s.env === null || onNewPort > 0 || s.port === s.effectivePort) return null;
  const claimed = facts.catalogue.some((o) => o.id !== s.id && o.effectivePort === s.port && o.protocol === s.protocol);
  if (claimed) return null;
  return listenersOn(facts.snapshot.listeners, s.port, s.protocol)[0] ?? null;
}

function healthFinding(facts: WhyFacts, listening: boolean): Finding {
  const spec = facts.service.health;
  if (facts.health !== null) {
    const latency = facts.health.latencyMs !== null ? ` (${facts.health.latencyMs} ms)` : '';
    return { topic: 'health', level: facts.health.ok ? 'ok' : 'fail', text: `health: ${cleanText(facts.health.detail)}${latency}` };
  }
  if (spec === null) return { topic: 'health', level: 'info', text: 'no health probe in the registry (add health: { http: /health })' };
  return { topic: 'health', level: 'info', text: listening ? 'health probe not run' : `health probe not run: ${facts.service.id}'s program is not listening` };
}
