import { claimsDockerProxy, isDockerProxyProcess } from './docker-proxy.js';
import { hostname } from 'node:os';
import { cleanText } from '../core/sanitize.js';
import type { Family, Probe, ProbeData, ProcessInfo, Protocol, SocketEntry, SocketState } from '../core/types.js';
import { userName } from './proc-process.js';

/** One connection as systeminformation's networkConnections() reports it. */
export interface PortableConnection {
  readonly protocol: string;
  readonly localAddress: string;
  readonly localPort: string | number;
  readonly peerAddress: string;
  readonly peerPort: string | number;
  readonly state: string;
  readonly pid: number | null | undefined;
}

/** One process as ps-list reports it. */
export interface PortableProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly name: string;
  readonly cmd?: string | undefined;
  readonly uid?: number | undefined;
  readonly startTime?: Date | undefined;
}

// netstat (Linux, BSD, macOS), Windows netstat and ss spell states differently; vhtop speaks ss.
const STATE_NAMES: Readonly<Record<string, SocketState>> = {
  ESTABLISHED: 'ESTAB', ESTAB: 'ESTAB',
  SYN_SENT: 'SYN-SENT', 'SYN-SENT': 'SYN-SENT',
  SYN_RECV: 'SYN-RECV', SYN_RECEIVED: 'SYN-RECV', 'SYN-RECV': 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1', FIN_WAIT_1: 'FIN-WAIT-1', 'FIN-WAIT-1': 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2', FIN_WAIT_2: 'FIN-WAIT-2', 'FIN-WAIT-2': 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT', 'TIME-WAIT': 'TIME-WAIT',
  CLOSE: 'UNCONN', CLOSED: 'UNCONN', UNCONN: 'UNCONN',
  CLOSE_WAIT: 'CLOSE-WAIT', 'CLOSE-WAIT': 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK', 'LAST-ACK': 'LAST-ACK',
  LISTEN: 'LISTEN', LISTENING: 'LISTEN',
  CLOSING: 'CLOSING',
};

/** Address as vhtop reports it: no brackets or zone, "*" as the wildcard, v4-mapped as the bare IPv4. */
function normaliseAddress(raw: string, family: Family): string {
  let a = raw.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (a === '*' || a === '') return family === 4 ? '0.0.0.0' : '::';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1] as string;
  return a.toLowerCase();
}

function portNumber(raw: string | number): number {
  const n = typeof raw === 'number' ? raw : Number.parseInt(raw, 10);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : 0;
}

/** Maps one systeminformation connection to a SocketEntry, or null for a protocol vhtop does not watch. */
export function socketFromConnection(c: PortableConnection): SocketEntry | null {
  const proto = c.protocol.toLowerCase();
  const protocol: Protocol | null = proto.startsWith('tcp') ? 'tcp' : proto.startsWith('udp') ? 'udp' : null;
  if (!protocol) return null;
  const family: Family = proto.endsWith('6') || (!proto.endsWith('4') && c.localAddress.includes(':')) ? 6 : 4;
  const raw = c.state.trim().toUpperCase();
  const peerPort = portNumber(c.peerPort);
  // netstat prints no state for UDP: bound-only is what ss calls UNCONN, a peer means connected.
  const state: SocketState = STATE_NAMES[raw] ?? (protocol === 'udp' && raw === '' ? (peerPort === 0 ? 'UNCONN' : 'ESTAB') : 'UNKNOWN');
  const pid = typeof c.pid === 'number' && c.pid > 0 ? c.pid : null;
  return {
    protocol,
    family,
    localAddress: normaliseAddress(c.localAddress, family),
    localPort: portNumber(c.localPort),
    remoteAddress: normaliseAddress(c.peerAddress, family),
    remotePort: peerPort,
    state,
    inode: 0,
    uid: -1,
    pids: pid === null ? [] : [pid],
    ownerUnknown: pid === null ? (state === 'TIME-WAIT' ? 'no owner: the kernel keeps TIME-WAIT sockets after the process closed them' : 'owner not visible to the portable probe (not root, or another namespace)') : null,
  };
}

/**
 * Text netstat prints in its own columns: a `PID/name` owner or a socket state word. (Addresses are
 * left out: `gunicorn -b 0.0.0.0:8000` is an ordinary command line.)
 */
const NETSTAT_LIKE = /(^|\s)\d+\/\S|(^|\s)(LISTEN|ESTABLISHED|TIME_WAIT|CLOSE_WAIT|SYN_SENT|SYN_RECV|FIN_WAIT[12]|LAST_ACK|CLOSING)(\s|$)/;

/**
 * Why the portable probe cannot tie pids to sockets in this pass, or null when it can trust them.
 * systeminformation reads the owner out of netstat's text, and netstat prints each owner's argv[0]:
 * a process that names itself with netstat-like text (`exec -a 'x 1234/LISTEN'`) can shift the
 * columns and make another pid appear to own a socket. While any such name exists, every
 * attribution of the pass is unconfirmed (which line it shifted cannot be told).
 */
export function spoofingReason(processes: readonly PortableProcess[]): string | null {
  for (const p of processes) {
    if (NETSTAT_LIKE.test(p.name) || NETSTAT_LIKE.test(p.cmd ?? '')) {
      return `the portable probe reads owners from netstat's text, and pid ${p.pid} names itself with netstat-like text: owners cannot be confirmed`;
    }
  }
  return null;
}

/** Maps one ps-list process to ProcessInfo; fields ps-list cannot give are 0 / -1 / "?". */
export function processFromPsList(p: PortableProcess): ProcessInfo {
  const name = cleanText(p.name);
  const uid = typeof p.uid === 'number' ? p.uid : -1;
  // The name alone proves nothing; where /proc exists the executable and parent are checked.
  const dockerProxy = claimsDockerProxy(p.name, p.cmd?.split(' ')[0]) && isDockerProxyProcess(p.pid);
  return {
    ...(dockerProxy ? { dockerProxy } : {}),
    pid: p.pid,
    ppid: p.ppid,
    pgid: -1,
    name,
    command: p.cmd ? cleanText(p.cmd) : `[${name}]`,
    uid,
    user: uid >= 0 ? userName(uid) : '?',
    // Not clock ticks here: milliseconds since the epoch still tell two incarnations of a pid apart.
    startTime: p.startTime instanceof Date && !Number.isNaN(p.startTime.getTime()) ? p.startTime.getTime() : 0,
    state: '?',
    cpuTicks: 0,
    rssBytes: 0,
  };
}

/**
 * Fallback probe for systems without /proc (macOS, Windows) and for `--probe portable`:
 * systeminformation's networkConnections() plus ps-list. Both are loaded only when used. On Linux
 * systeminformation runs netstat/ss itself; vhtop never parses that text.
 */
export class PortableProbe implements Probe {
  readonly kind = 'portable' as const;

  async collect(): Promise<ProbeData> {
    const takenAt = new Date().toISOString();
    const [{ default: si }, { default: psList }] = await Promise.all([import('systeminformation'), import('ps-list')]);
    const [connections, processes] = await Promise.all([si.networkConnections(), psList()]);
    const listed = new Map(processes.map((p) => [p.pid, p]));
    const unconfirmed = spoofingReason(processes);
    const sockets: SocketEntry[] = [];
    const byPid = new Map<number, ProcessInfo>();
    for (const c of connections) {
      let s = socketFromConnection(c);
      if (!s) continue;
      const pid = s.pids[0];
      const p = pid === undefined ? undefined : listed.get(pid);
      if (pid !== undefined && !p) s = { ...s, pids: [], ownerUnknown: 'owner exited during the scan' };
      else if (p && !byPid.has(p.pid)) byPid.set(p.pid, processFromPsList(p));
      if (unconfirmed !== null && s.pids.length > 0) s = { ...s, ownerUnconfirmed: unconfirmed };
      sockets.push(s);
    }
    return {
      probe: 'portable',
      host: hostname(),
      takenAt,
      sockets,
      processes: byPid,
      notices: [
        'portable probe (systeminformation + ps-list): one owner per socket, bound UDP sockets may be missing, no CPU or memory figures',
        ...(unconfirmed !== null ? [`${unconfirmed}; kill refuses them (use --probe linux)`] : []),
      ],
    };
  }
}
