/**
 * Sentences that explain a service status, shared by `check`, `why`, the tables and the TUI so that
 * every output tells the same story. Built from snapshot text that the probe already cleaned.
 */
import type { ServiceView, UnseenOwner } from './types.js';

/** "profile dev", "profiles dev, test". */
export function profilesText(profiles: readonly string[] | null): string {
  if (profiles === null) return 'every profile';
  return `${profiles.length === 1 ? 'profile' : 'profiles'} ${profiles.join(', ')}`;
}

/** Why an `inactive` entry is not a problem: "port used by algo-dev, profile dev". */
export function inactiveText(usedBy: NonNullable<ServiceView['usedBy']>): string {
  return `port used by ${usedBy.service}, ${profilesText(usedBy.profiles)}`;
}

/** "socket of uid 0 (root)": what /proc/net tells about a holder whose process cannot be seen. */
export function socketOwnerText(owner: Pick<UnseenOwner, 'uid' | 'user'>): string {
  if (owner.uid < 0) return 'a socket of an unknown uid';
  const user = owner.user !== null && owner.user !== String(owner.uid) ? ` (${owner.user})` : '';
  return `a socket of uid ${owner.uid}${user}`;
}

/**
 * What to do about an owner that cannot be seen or confirmed: more rights help only when rights are
 * the reason; a process in another PID namespace stays unseen even for root.
 */
export function unseenAdvice(reason: string): string {
  if (/not root|permission|hidepid|cannot be read/i.test(reason)) return 'cannot see the owner: run with sudo';
  if (/namespace/i.test(reason)) return 'cannot see the owner: it is in another namespace';
  if (/confirm|netstat|portable/i.test(reason)) return 'cannot confirm the owner: use the Linux probe (--probe linux), as root';
  return 'cannot see the owner: run with sudo';
}

/** One short note for a service row, or '' when the status word says it all. */
export function serviceNote(s: ServiceView): string {
  const notes: string[] = [];
  if (s.status === 'conflict') notes.push(`port held by ${s.process ?? 'another program'}`);
  if (s.publishedBy) notes.push(`published by container ${s.publishedBy} (no docker-proxy: NAT only)`);
  if (s.status === 'inactive' && s.usedBy) notes.push(inactiveText(s.usedBy));
  if (s.status === 'unverified' && s.unseenOwner) {
    const who = s.process !== null ? `named ${s.process}, unconfirmed` : socketOwnerText(s.unseenOwner);
    notes.push(`${who}; ${unseenAdvice(s.unseenOwner.reason)}`);
  }
  if (s.exposed) notes.push(`EXPOSED: bind local, listens on ${s.exposedOn.join(', ')}`);
  return notes.join('; ');
}
