/**
 * The one next step of `vhtop why`: the most useful action for the state found, in the VoiceHelper port document's order
 * (wrong program on the port, then container not running, then not listening, then unhealthy).
 */
import { cataloguePorts, nextFreePort } from '../conflicts.js';
import { cleanText } from '../sanitize.js';
import type { Listener, ServiceView } from '../types.js';
import { inactiveText, unseenAdvice } from '../status-text.js';
import type { Diagnosis, NextStep, WhyFacts } from './why-types.js';
import { commandLine } from './why-text.js';

/** Inputs of {@link nextStep}: the facts plus what {@link diagnose} already worked out. */
export interface NextInput extends Pick<Diagnosis, 'verdict' | 'own' | 'unseen' | 'others'> {
  readonly facts: WhyFacts;
  /** The alternative entry that holds the port, when the verdict is inactive. */
  readonly usedBy: ServiceView['usedBy'];
  readonly exposed: readonly Listener[];
  readonly movedAway: Listener | null;
}

/** A port no listener in the snapshot holds and no catalogue entry claims, above the service's. */
export function suggestPort(facts: WhyFacts): number | null {
  const taken = cataloguePorts(facts.catalogue);
  for (const l of facts.snapshot.listeners) taken.add(l.port);
  return nextFreePort(facts.service.effectivePort, taken);
}

function moveText(facts: WhyFacts): string {
  const s = facts.service;
  const port = suggestPort(facts);
  if (s.env !== null && port !== null) return `set ${s.env}=${port}`;
  return `move ${s.id} to another port in the registry${port !== null ? ` (${port} is free)` : ''}`;
}

function conflictStep(facts: WhyFacts, holder: Listener): NextStep {
  const port = facts.service.effectivePort;
  const move = moveText(facts);
  if (holder.pid === null) {
    return { text: `see who holds port ${port} (run vhtop as root: the owner is not visible), or ${move}`, command: `sudo vhtop why ${facts.service.id}` };
  }
  const proc = cleanText(holder.process ?? 'unknown');
  if (holder.dockerProxy) {
    return { text: `a container publishes port ${port}: stop it (docker ps --filter publish=${port}) or ${move}`, command: `docker ps --filter publish=${port}` };
  }
  const other = holder.service !== null && holder.service !== facts.service.id ? ` (the catalogue's ${cleanText(holder.service)})` : '';
  return { text: `stop PID ${holder.pid} (${proc})${other} or ${move}`, command: `vhtop kill ${port}` };
}

function compose(facts: WhyFacts, ...words: string[]): string {
  return commandLine([...facts.composeCommand, ...words]);
}

function downStep(facts: WhyFacts, movedAway: Listener | null): NextStep {
  const s = facts.service;
  if (movedAway !== null && s.env !== null) {
    return { text: `restart ${s.id} so that it reads ${s.env}=${s.effectivePort}, or unset ${s.env} to keep port ${s.port}`, command: null };
  }
  const c = facts.container;
  const notListening = `start ${s.id} so that it listens on port ${s.effectivePort}`;
  if (c === null) return { text: notListening, command: null };
  const name = c.name;
  const logs = { text: `look at the logs: vhtop logs ${s.id}`, command: `vhtop logs ${s.id}` };
  switch (c.state) {
    case 'unknown':
      if (c.reason === 'no-docker') return { text: `${notListening} (docker is not installed here, so its container cannot be checked)`, command: null };
      if (c.reason === 'daemon-down') return { text: `start the Docker daemon, then the service: ${compose(facts, 'up', '-d', name)}`, command: 'sudo systemctl start docker' };
      return { text: `${notListening}; docker compose could not tell its container state`, command: null };
    case 'absent':
    case 'created': {
      const cmd = compose(facts, 'up', '-d', name);
      return { text: `start it: ${cmd}`, command: cmd };
    }
    case 'exited': {
      if (c.exitCode !== null && c.exitCode !== 0) return logs;
      const cmd = compose(facts, 'up', '-d', name);
      return { text: `start it: ${cmd}`, command: cmd };
    }
    case 'paused': {
      const cmd = compose(facts, 'unpause', name);
      return { text: `unpause it: ${cmd}`, command: cmd };
    }
    case 'running':
      return { text: `the container runs but nothing listens on port ${s.effectivePort}: check its port mapping (${compose(facts, 'port', name, String(s.effectivePort))}) and look at the logs: vhtop logs ${s.id}`, command: `vhtop logs ${s.id}` };
    default:
      return logs;
  }
}

/** The single next step for the diagnosed state. */
export function nextStep(input: NextInput): NextStep {
  const { facts, verdict } = input;
  const s = facts.service;
  const wrong = input.others.find((l) => l.status === 'conflict') ?? input.others[0];
  if (verdict === 'conflict' && wrong !== undefined) return conflictStep(facts, wrong);
  if (verdict === 'unverified') {
    const l = input.unseen[0];
    const advice = unseenAdvice(l?.ownerUnknown ?? 'the probe cannot confirm the owner');
    const sudo = advice.endsWith('run with sudo');
    return { text: `${advice}, then look again${sudo ? `: sudo vhtop why ${s.id}` : ''}`, command: sudo ? `sudo vhtop why ${s.id}` : null };
  }
  if (verdict === 'inactive' && input.usedBy !== null) {
    return { text: `nothing to do: ${inactiveText(input.usedBy)}; ${s.id} is its alternative in another profile`, command: null };
  }
  if (verdict === 'down') return downStep(facts, input.movedAway);
  if (verdict === 'unhealthy') {
    const why = facts.health !== null ? ` (${cleanText(facts.health.detail)})` : '';
    if (facts.container !== null) return { text: `it listens but fails its health check${why}: look at the logs: vhtop logs ${s.id}`, command: `vhtop logs ${s.id}` };
    return { text: `it listens but fails its health check${why}: look at ${s.id}'s own logs`, command: null };
  }
  if (input.exposed.length > 0) {
    return { text: `bind ${s.id} to 127.0.0.1 instead of ${input.exposed[0]?.address ?? 'all interfaces'} (the registry says bind: local)`, command: null };
  }
  if (facts.container !== null && facts.container.health === 'unhealthy') {
    return { text: `docker reports the container unhealthy: look at the logs: vhtop logs ${s.id}`, command: `vhtop logs ${s.id}` };
  }
  const how = verdict === 'healthy' ? 'up and healthy' : 'up (no health probe configured)';
  return { text: `nothing to do: ${s.id} is ${how}`, command: null };
}
