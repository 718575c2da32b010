import { UsageError } from '../core/errors.js';
import { unseenHint } from './kill-target.js';
import { isHoldingSocket } from '../core/match.js';
import { cleanText } from '../core/sanitize.js';
import { findService, type Registry } from '../core/service-lookup.js';
import type { Listener, Snapshot } from '../core/types.js';
import { freezeTarget, type FrozenTarget } from './kill-target.js';

/** A kill target as typed: a port (`8080`, `:8080`), a service id, or an explicit `pid:N`. */
export type ParsedTarget =
  | { readonly kind: 'port'; readonly text: string; readonly port: number }
  | { readonly kind: 'service'; readonly text: string; readonly id: string }
  | { readonly kind: 'pid'; readonly text: string; readonly pid: number };

/** One process to kill, with what the snapshot knows about why. */
export interface KillCandidate {
  readonly target: string;
  readonly pid: number;
  readonly port: number | null;
  readonly inode: number | null;
  readonly service: string | null;
  readonly dockerService: string | null;
}

/** A target that resolved to processes, or a sentence why it did not. */
export type Resolution = { readonly target: string; readonly candidates: readonly KillCandidate[] } | { readonly target: string; readonly problem: string };

/**
 * Parses one TARGET. Throws {@link UsageError} for text that is none of the forms, and for `pid:0`
 * or a negative pid (no process has one: a usage error, like port 0). `pid:1` parses and is refused
 * later with a reason.
 */
export function parseKillTarget(raw: string): ParsedTarget {
  const text = raw.trim();
  const pid = /^pid:(-?\d+)$/.exec(text);
  if (pid) {
    // Past 2^53 Number() rounds: the pid shown would not be the one typed.
    if (!Number.isSafeInteger(Number(pid[1]))) throw new UsageError(`bad target ${JSON.stringify(cleanText(raw))}: no such pid can exist`);
    if (Number(pid[1]) <= 0) throw new UsageError(`bad target ${JSON.stringify(cleanText(raw))}: a pid is a whole number from 1 up`);
    return { kind: 'pid', text, pid: Number(pid[1]) };
  }
  if (text.startsWith('pid:')) throw new UsageError(`bad target ${JSON.stringify(cleanText(raw))}: pid: needs a whole number`);
  const port = /^:?(\d+)$/.exec(text);
  if (port) {
    const n = Number(port[1]);
    if (n < 1 || n > 65535) throw new UsageError(`bad target ${JSON.stringify(cleanText(raw))}: a port is 1..65535`);
    return { kind: 'port', text, port: n };
  }
  if (/^[a-z0-9][a-z0-9-]*$/.test(text)) return { kind: 'service', text, id: text };
  throw new UsageError(`bad target ${JSON.stringify(cleanText(raw))}: give a port (8080, :8080), a service id or pid:N`);
}

function fromListeners(target: string, port: number, listeners: readonly Listener[], snapshot: Snapshot): Resolution {
  const owned = listeners.filter((l) => l.pid !== null);
  if (owned.length === 0) {
    if (listeners.length > 0) return { target, problem: `port ${port}: the owner is not visible (${listeners[0]?.ownerUnknown ?? 'no permission'})${unseenHint()}` };
    return { target, problem: `nothing listens on port ${port}` };
  }
  // A pid the probe named but could not tie to the socket (portable netstat text) may be a decoy.
  const unconfirmed = owned.find((l) => !l.verified);
  if (unconfirmed) {
    return { target, problem: `port ${port}: the owner is unverified (the probe names pid ${unconfirmed.pid} but cannot confirm it holds the socket); not killing it: look again with --probe linux, or name the process yourself with pid:N` };
  }
  // The primary holder of each socket; other holders are reported after the kill.
  const seen = new Set<number>();
  const candidates: KillCandidate[] = [];
  for (const l of owned) {
    const pid = l.pid as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const svc = l.service !== null ? snapshot.services.find((s) => s.id === l.service) : undefined;
    candidates.push({ target, pid, port, inode: l.inode > 0 ? l.inode : null, service: l.service, dockerService: svc?.docker ?? null });
  }
  return { target, candidates: candidates.slice(0, 1) };
}

/**
 * Resolves targets against one snapshot. A service resolves through its effective port; a port to the
 * lowest-pid owner of its listening socket(s). Unknown service ids are usage errors.
 */
export function resolveKillTarget(t: ParsedTarget, snapshot: Snapshot | null, catalogue?: Registry): Resolution {
  if (t.kind === 'pid') return { target: t.text, candidates: [{ target: t.text, pid: t.pid, port: null, inode: null, service: null, dockerService: null }] };
  if (!snapshot) throw new Error('a snapshot is needed to resolve ports and services');
  if (t.kind === 'port') {
    const ls = snapshot.listeners.filter((l) => l.port === t.port && isHoldingSocket(l));
    return fromListeners(t.text, t.port, ls, snapshot);
  }
  const svc = findService(t.id, snapshot.services, catalogue ?? { file: 'the registry', services: snapshot.services }, snapshot.profile);
  const ls = snapshot.listeners.filter((l) => l.port === svc.port && l.protocol === svc.protocol && isHoldingSocket(l));
  const r = fromListeners(t.text, svc.port, ls, snapshot);
  if ('problem' in r) return { target: t.text, problem: `service ${svc.id}: ${r.problem}` };
  return { target: t.text, candidates: r.candidates.map((c) => ({ ...c, service: svc.id, dockerService: svc.docker })) };
}

/** Pids other than `pid` that listen on `port` in `snapshot` (SO_REUSEPORT siblings, forked workers). */
export function otherListenerPids(snapshot: Snapshot, port: number, pid: number): number[] {
  const out = new Set<number>();
  for (const l of snapshot.listeners) {
    if (l.port !== port || !isHoldingSocket(l)) continue;
    for (const p of l.pids) if (p !== pid) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Freezes a process selected in the TUI with what the snapshot knows of it: the listener's socket
 * inode (so that the after-kill check looks at exactly that socket) and its catalogue service with
 * the compose name (for the `docker compose stop` hint). Null when the process is already gone.
 */
export function freezeFromSnapshot(pid: number, port: number | null, snapshot: Snapshot, procRoot?: string): FrozenTarget | null {
  const mine = snapshot.listeners.filter((l) => l.pids.includes(pid) && (port === null || l.port === port));
  const listener = mine.find(isHoldingSocket) ?? mine[0];
  const serviceId = listener?.service ?? null;
  const service = serviceId !== null ? snapshot.services.find((s) => s.id === serviceId) : undefined;
  return freezeTarget(pid, {
    port: port ?? listener?.port ?? null,
    inode: listener && listener.inode > 0 ? listener.inode : null,
    service: serviceId,
    dockerService: service?.docker ?? null,
    ...(procRoot !== undefined ? { procRoot } : {}),
  });
}
