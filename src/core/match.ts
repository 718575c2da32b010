/**
 * Matching a socket and its owners against catalogue entries: address kinds and owner names.
 * Pure functions; no OS access.
 */
import type { ProcessInfo, ResolvedService, SocketEntry } from './types.js';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z). */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** True for the any-address of either family (0.0.0.0, ::, *), which overlaps every other address. */
export function isWildcard(address: string): boolean {
  const a = address.toLowerCase();
  return a === '0.0.0.0' || a === '::' || a === '*' || a === '::ffff:0.0.0.0' || a === '0:0:0:0:0:0:0:0';
}

/**
 * A socket that "holds" its port for other programs: a listening TCP socket or a bound, unconnected
 * UDP socket (what `ss -tul` lists). Established sockets never hold a port against a service.
 */
export function isHoldingSocket(s: Pick<SocketEntry, 'protocol' | 'state'>): boolean {
  return s.protocol === 'tcp' ? s.state === 'LISTEN' : s.state === 'UNCONN';
}

/**
 * True when the probe verified the process as docker's userland port publisher (by its executable
 * and its parent, never by its name: any process can call itself docker-proxy).
 */
export function isDockerProxy(proc: Pick<ProcessInfo, 'dockerProxy'> | undefined): boolean {
  return proc?.dockerProxy === true;
}

/** Basename of argv[0] (first word of the command line), lower-case; '' for kernel threads "[name]". */
export function argv0Base(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? '';
  if (first.startsWith('[')) return '';
  const base = first.slice(first.lastIndexOf('/') + 1);
  return base.toLowerCase();
}

/**
 * Names under which a process may be recognised: its comm and the basename of argv[0],
 * both lower-case. comm is cut to 15 bytes by the kernel, which {@link ownerMatches} allows for.
 */
export function processNames(proc: Pick<ProcessInfo, 'name' | 'command'>): string[] {
  const names = [proc.name.toLowerCase()];
  const base = argv0Base(proc.command);
  if (base && !names.includes(base)) names.push(base);
  return names;
}

/** Linux keeps only the first 15 bytes of a process name in comm. */
const COMM_LENGTH = 15;

/**
 * Does `proc` look like the expected owner of `def`? Entries without `process` accept any owner;
 * a docker-proxy owner is accepted for an entry that names a docker compose service.
 */
export function ownerMatches(def: Pick<ResolvedService, 'process' | 'docker'>, proc: ProcessInfo): boolean {
  if (def.docker !== null && isDockerProxy(proc)) return true;
  if (def.process === null) return true;
  const have = processNames(proc);
  const comm = proc.name.toLowerCase();
  return def.process.some((want) => {
    const w = want.toLowerCase();
    return have.includes(w) || (comm.length === COMM_LENGTH && w.length > COMM_LENGTH && w.startsWith(comm));
  });
}

/**
 * Identity of "the same program" for sockets sharing a port (forked servers, SO_REUSEPORT,
 * IPv4 + IPv6 pairs): the lower-case process name. Sockets without a visible owner have none.
 */
export function programOf(proc: Pick<ProcessInfo, 'name'> | undefined): string | null {
  return proc ? proc.name.toLowerCase() : null;
}

/**
 * The address a client on this machine should connect to for a listener bound to `address`:
 * loopback of the socket's family for a wildcard bind, else the bound address itself — a socket bound
 * to 127.0.0.5 refuses connections to 127.0.0.1. IPv4-mapped addresses are reduced to IPv4.
 */
export function connectHost(address: string, family: 4 | 6): string {
  if (address === '' || isWildcard(address)) return family === 4 || address.includes('.') ? '127.0.0.1' : '::1';
  return address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
