/**
 * The judgment of `vhtop check` (and of anything that reports like it): which selected services
 * fail, and one sentence each saying why. Pure.
 */
import { inactiveText, socketOwnerText, unseenAdvice } from './status-text.js';
import type { ServiceView } from './types.js';

/** How strict the check is. */
export interface CheckOptions {
  /**
   * The entries were picked one by one (`--only`): each is judged alone, so an `inactive` entry
   * fails. Otherwise a port passes when one of its alternatives (entries of other profiles) is up.
   */
  readonly judgedAlone: boolean;
  /** Accept `unverified` (something holds the port, its owner cannot be seen). */
  readonly allowUnverified: boolean;
}

/** A failing service and why. */
export interface CheckProblem {
  readonly id: string;
  readonly text: string;
}

function portOf(s: ServiceView): string {
  return `port ${s.port}${s.protocol === 'udp' ? '/udp' : ''}`;
}

/** Why `s` fails the check, or null when it passes. */
export function checkProblem(s: ServiceView, options: CheckOptions): string | null {
  switch (s.status) {
    case 'down':
      return `down: nothing listens on ${portOf(s)}`;
    case 'conflict':
      return `${portOf(s)} is held by ${s.process ?? 'another program'}${s.pid !== null ? ` (pid ${s.pid})` : ''}, not by its program`;
    case 'inactive':
      return options.judgedAlone ? `inactive: ${s.usedBy ? inactiveText(s.usedBy) : `${portOf(s)} is used by another profile's entry`}` : null;
    case 'unverified': {
      if (options.allowUnverified) break;
      const owner = s.unseenOwner;
      const who = s.process !== null ? `${s.process} (pid ${s.pid ?? '?'}, unconfirmed)` : owner ? socketOwnerText(owner) : 'an unseen owner';
      return `unverified: ${portOf(s)} is held by ${who}; ${unseenAdvice(owner?.reason ?? '')} (or pass --allow-unverified)`;
    }
    case 'up':
      break;
  }
  if (s.exposed) return `exposed: bind: local, but listens on ${s.exposedOn.map((a) => (a.includes(':') ? `[${a}]` : a)).join(' and ')} port ${s.port}`;
  if (s.health !== null && !s.health.ok) return `unhealthy: ${s.health.detail}`;
  return null;
}

/** Every failing service of `selected`, in order. */
export function checkProblems(selected: readonly ServiceView[], options: CheckOptions): CheckProblem[] {
  const out: CheckProblem[] = [];
  for (const s of selected) {
    const text = checkProblem(s, options);
    if (text !== null) out.push({ id: s.id, text });
  }
  return out;
}
