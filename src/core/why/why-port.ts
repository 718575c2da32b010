/**
 * `vhtop why PORT` (8000, :8000, udp/53) as pure functions: who holds a port (pid, user, command,
 * since when), which catalogue entries claim it, how to free it, and a port that binds now. The
 * command (src/commands/why.ts) gathers the start times and the free port; nothing here touches the OS.
 */
import { isHoldingSocket } from '../match.js';
import { cleanText } from '../sanitize.js';
import { inactiveText, profilesText, socketOwnerText, unseenAdvice } from '../status-text.js';
import type { Protocol, ResolvedService, ServiceStatus, Snapshot } from '../types.js';
import { addressText, commandLine } from './why-text.js';

/** A port as typed: `8000`, `:8000`, `tcp/8000`, `udp/53`. `protocol` null: both. */
export interface PortQuery {
  readonly port: number;
  readonly protocol: Protocol | null;
}

/** Parses a PORT argument, or null when the text is not one (then it is a service id). Throws nothing. */
export function parsePortQuery(text: string): PortQuery | null {
  const m = /^(?:(tcp|udp)\/)?:?(\d{1,5})$/i.exec(text.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { port, protocol: m[1] ? (m[1].toLowerCase() as Protocol) : null };
}

/** One socket holding the port. */
export interface PortHolder {
  readonly protocol: Protocol;
  readonly address: string;
  readonly family: 4 | 6;
  readonly pid: number | null;
  readonly process: string | null;
  readonly user: string | null;
  readonly command: string | null;
  /** ISO time the process started, null when unknown. */
  readonly since: string | null;
  /** false: the owner cannot be seen or the probe cannot confirm it. */
  readonly verified: boolean;
  readonly socketUid: number;
  readonly socketUser: string | null;
  readonly dockerProxy: boolean;
  /** Catalogue entry the socket is attributed to, and its classification. */
  readonly service: string | null;
  readonly status: string;
  /** Why the owner cannot be seen, null when it can. */
  readonly ownerUnknown: string | null;
}

/** A catalogue entry whose effective port is this one. */
export interface PortClaim {
  readonly id: string;
  readonly name: string;
  readonly protocol: Protocol;
  readonly profiles: readonly string[] | null;
  /** Its status in the snapshot; null when the entry is outside the active profile. */
  readonly status: ServiceStatus | null;
  readonly docker: string | null;
}

/** One way to free the port. */
export interface FreeStep {
  readonly text: string;
  /** A command line to copy, or null. */
  readonly command: string | null;
}

/** `vhtop why PORT --json` (version 1). */
export interface PortReport {
  readonly version: 1;
  readonly port: number;
  readonly protocol: Protocol | null;
  readonly holders: readonly PortHolder[];
  readonly claims: readonly PortClaim[];
  readonly free: readonly FreeStep[];
  /** A port near this one that binds right now (null when none was found or none was looked for). */
  readonly freePort: number | null;
}

/** Facts the command gathered besides the snapshot. */
export interface PortFacts {
  readonly query: PortQuery;
  readonly snapshot: Snapshot;
  /** Resolved entries of every profile (claims are listed whatever the active profile). */
  readonly entries: readonly ResolvedService[];
  /** Start time (ISO) per pid, where known. */
  readonly startedAt: ReadonlyMap<number, string>;
  readonly freePort: number | null;
  /** How a person runs compose here, e.g. ["docker", "compose"]. */
  readonly composeCommand: readonly string[];
}

function matches(q: PortQuery, protocol: Protocol, port: number): boolean {
  return port === q.port && (q.protocol === null || q.protocol === protocol);
}

/** `udp/53`, or `8000` for TCP (what kill and why take). */
function portArg(protocol: Protocol, port: number): string {
  return protocol === 'udp' ? `udp/${port}` : String(port);
}

function freeSteps(holders: readonly PortHolder[], claims: readonly PortClaim[], facts: PortFacts): FreeStep[] {
  const steps: FreeStep[] = [];
  const seen = new Set<string>();
  const push = (step: FreeStep): void => {
    const k = `${step.text}|${step.command ?? ''}`;
    if (!seen.has(k)) steps.push(step);
    seen.add(k);
  };
  for (const h of holders) {
    const arg = portArg(h.protocol, facts.query.port);
    if (!h.verified) {
      const advice = unseenAdvice(h.ownerUnknown ?? 'the probe cannot confirm the owner');
      const sudo = advice.endsWith('run with sudo');
      push({ text: `${advice}, to see who holds it`, command: sudo ? `sudo vhtop why ${arg}` : null });
      continue;
    }
    const claim = claims.find((c) => c.id === h.service);
    if (h.dockerProxy) {
      if (claim?.docker) {
        push({ text: `a container publishes it: stop the compose service ${claim.docker}`, command: commandLine([...facts.composeCommand, 'stop', claim.docker]) });
      } else push({ text: 'a container publishes it: find and stop the container', command: `docker ps --filter publish=${facts.query.port}` });
      continue;
    }
    if (h.protocol === 'tcp') push({ text: `stop ${cleanText(h.process ?? '?')} (pid ${h.pid ?? '?'})`, command: `vhtop kill ${facts.query.port}` });
    else push({ text: `stop ${cleanText(h.process ?? '?')} (pid ${h.pid ?? '?'})`, command: `vhtop kill pid:${h.pid ?? '?'}` });
  }
  return steps;
}

/** Builds the report. Pure. */
export function diagnosePort(facts: PortFacts): PortReport {
  const q = facts.query;
  const holders: PortHolder[] = facts.snapshot.listeners
    .filter((l) => isHoldingSocket(l) && matches(q, l.protocol, l.port))
    .map((l) => ({
      protocol: l.protocol,
      address: l.address,
      family: l.family,
      pid: l.pid,
      process: l.process,
      user: l.user,
      command: l.command,
      since: l.pid !== null ? (facts.startedAt.get(l.pid) ?? null) : null,
      verified: l.verified,
      socketUid: l.socketUid,
      socketUser: l.socketUser,
      dockerProxy: l.dockerProxy,
      service: l.service,
      status: l.status,
      ownerUnknown: l.ownerUnknown,
    }));
  const views = new Map(facts.snapshot.services.map((s) => [s.id, s]));
  const claims: PortClaim[] = facts.entries
    .filter((e) => matches(q, e.protocol, e.effectivePort))
    .map((e) => ({ id: e.id, name: e.name, protocol: e.protocol, profiles: e.profiles, status: views.get(e.id)?.status ?? null, docker: e.docker }));
  return { version: 1, port: q.port, protocol: q.protocol, holders, claims, free: freeSteps(holders, claims, facts), freePort: facts.freePort };
}

function holderLine(h: PortHolder, port: number): string {
  const where = `${h.protocol.toUpperCase()} ${addressText({ ...h, port })}`;
  if (h.pid === null) {
    return `${where}: ${socketOwnerText({ uid: h.socketUid, user: h.socketUser })}; ${unseenAdvice(h.ownerUnknown ?? '')}`;
  }
  const since = h.since !== null ? `, since ${h.since}` : '';
  const unconfirmed = h.verified ? '' : ' (named by the probe, unconfirmed)';
  const proxy = h.dockerProxy ? ' (a port published by a container)' : '';
  return `${where}: pid ${h.pid} ${cleanText(h.process ?? '?')}${unconfirmed}${proxy}, user ${cleanText(h.user ?? '?')}${since}\n      command: ${cleanText(h.command ?? '?')}`;
}

function claimLine(c: PortClaim, report: PortReport, snapshot: Snapshot): string {
  const view = snapshot.services.find((s) => s.id === c.id);
  const status = c.status === null ? `not in profile ${cleanText(snapshot.profile ?? '')}` : c.status;
  const extra = view?.status === 'inactive' && view.usedBy ? ` (${inactiveText(view.usedBy)})` : '';
  const proto = report.protocol === null ? ` ${c.protocol}` : '';
  return `${c.id} (${cleanText(c.name)})${proto}, ${profilesText(c.profiles)}: ${status}${extra}`;
}

/** The human report. */
export function portText(report: PortReport, snapshot: Snapshot): string {
  const label = report.protocol === null ? `port ${report.port}` : `${report.protocol.toUpperCase()} port ${report.port}`;
  const out: string[] = [`${label}: ${report.holders.length === 0 ? 'free (nothing listens)' : 'in use'}`];
  out.push('held by:');
  if (report.holders.length === 0) out.push('  nothing');
  for (const h of report.holders) out.push(`  ${holderLine(h, report.port)}`);
  out.push('claimed in the catalogue by:');
  if (report.claims.length === 0) out.push('  no entry');
  for (const c of report.claims) out.push(`  ${claimLine(c, report, snapshot)}`);
  if (report.free.length > 0) {
    out.push('to free it:');
    for (const f of report.free) out.push(`  ${f.text}${f.command !== null ? `: ${f.command}` : ''}`);
  }
  if (report.freePort !== null) out.push(`a port that binds now: ${report.freePort}`);
  return `${out.join('\n')}\n`;
}
