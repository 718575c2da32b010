import { cleanText } from '../core/sanitize.js';
import type { ProbeData, ProcessInfo, SocketEntry } from '../core/types.js';
import { unknownOwnerReason, visibilityNotices, type Visibility } from './owner-notices.js';
import { type MutableSocket, NET_TABLES, NO_PIDS, parseNetTable } from './proc-net.js';
import { hidepidFromMounts } from './proc-notices.js';
import { parsePasswd, processInfoFromTexts } from './proc-process.js';
import { socketInode } from './socket-owners.js';

/** One section of the collection script's output. */
export interface RemoteSection {
  readonly name: string;
  readonly arg: string;
  readonly body: Buffer;
}

/**
 * Cuts the script's output at its markers (`\n<nonce> name arg\n`). Bytes before the first marker
 * (a login banner, a shell's noise) are dropped; a marker line longer than 64 bytes is not one of ours.
 */
export function splitSections(out: Buffer, nonce: string): RemoteSection[] {
  const marker = Buffer.from(`\n${nonce} `, 'latin1');
  const sections: RemoteSection[] = [];
  let at = out.indexOf(marker);
  while (at >= 0) {
    const headStart = at + marker.length;
    const headEnd = out.indexOf(10, headStart);
    if (headEnd < 0 || headEnd - headStart > 64) break;
    const [name = '', arg = ''] = out.toString('latin1', headStart, headEnd).split(' ');
    const next = out.indexOf(marker, headEnd);
    sections.push({ name, arg, body: out.subarray(headEnd + 1, next < 0 ? out.length : next) });
    at = next;
  }
  return sections;
}

/** What the remote side said besides the sockets. */
interface Parts {
  hostname: string | null;
  euid: number | null;
  hidepid: string | null;
  denied: number;
  ended: boolean;
  links: Map<number, number[]>;
  stat: Map<number, string>;
  status: Map<number, string>;
  cmdline: Map<number, string>;
  passwd: Map<number, string>;
}

function pidOf(arg: string): number | null {
  return /^[1-9]\d{0,9}$/.test(arg) ? Number(arg) : null;
}

/** `PID socket:[INODE]` lines; the link text goes through the same reader as a local readlink. */
function readLinks(text: string, parts: Parts): void {
  for (const line of text.split('\n')) {
    const [a = '', b = ''] = line.split(' ');
    if (a === 'denied') {
      parts.denied = /^\d+$/.test(b) ? Number(b) : 0;
      continue;
    }
    const pid = pidOf(a);
    const inode = socketInode(b);
    if (pid === null || inode === 0) continue;
    const pids = parts.links.get(inode);
    if (pids === undefined) parts.links.set(inode, [pid]);
    else if (!pids.includes(pid)) pids.push(pid);
  }
}

/**
 * Turns one run of the collection script into ProbeData with the parsers of the local probe:
 * /proc/net tables, socket links, /proc/PID/stat, status and cmdline, passwd. Everything here came
 * from another machine: names are cleaned, numbers checked, unknown sections ignored. Throws when the
 * script did not finish (its `end` section is missing): a cut-off answer is not a snapshot.
 */
export function probeDataFromRemote(out: Buffer, nonce: string, takenAt: string, fallbackHost: string): ProbeData {
  const parts: Parts = {
    hostname: null, euid: null, hidepid: null, denied: 0, ended: false,
    links: new Map(), stat: new Map(), status: new Map(), cmdline: new Map(), passwd: new Map(),
  };
  const sockets: MutableSocket[] = [];
  const malformed = new Map<string, number>();
  for (const s of splitSections(out, nonce)) {
    const pid = pidOf(s.arg);
    switch (s.name) {
      case 'hostname': parts.hostname = cleanText(s.body.toString('utf8').trim()).slice(0, 255) || null; break;
      case 'uid': { const t = s.body.toString('latin1').trim(); parts.euid = /^\d{1,10}$/.test(t) ? Number(t) : null; break; }
      case 'mounts': { const h = hidepidFromMounts(s.body.toString('latin1'), '/proc'); parts.hidepid = h === null ? null : cleanText(h).slice(0, 32); break; }
      case 'net': {
        const table = NET_TABLES.find((t) => t.file === s.arg);
        if (!table) break;
        const bad = parseNetTable(s.body.toString('latin1'), table.protocol, table.family, sockets);
        if (bad > 0) malformed.set(table.file, bad);
        break;
      }
      case 'links': readLinks(s.body.toString('latin1'), parts); break;
      case 'stat': if (pid !== null) parts.stat.set(pid, s.body.toString('utf8')); break;
      case 'status': if (pid !== null) parts.status.set(pid, s.body.toString('latin1')); break;
      case 'cmdline': if (pid !== null) parts.cmdline.set(pid, s.body.toString('utf8')); break;
      case 'passwd': parts.passwd = parsePasswd(s.body.toString('utf8')); break;
      case 'end': parts.ended = true; break;
      default: break;
    }
  }
  if (!parts.ended) throw new Error('the remote collection script did not finish (no end marker)');
  return assemble(parts, sockets, malformed, takenAt, fallbackHost);
}

function assemble(parts: Parts, sockets: MutableSocket[], malformed: ReadonlyMap<string, number>, takenAt: string, fallbackHost: string): ProbeData {
  const processes = new Map<number, ProcessInfo>();
  const userOf = (uid: number): string => parts.passwd.get(uid) ?? String(uid);
  for (const [pid, stat] of parts.stat) {
    const info = processInfoFromTexts(pid, stat, parts.status.get(pid) ?? null, parts.cmdline.get(pid) ?? null, userOf);
    if (info) processes.set(pid, info);
  }
  const vis: Visibility = { euid: parts.euid, hidepid: parts.hidepid, deniedPids: parts.denied };
  const shared = new Map<string, readonly number[]>();
  let unknown = 0;
  for (const s of sockets) {
    const holders = s.inode > 0 ? parts.links.get(s.inode) : undefined;
    // Only holders whose details arrived: a process that exited between the two reads is not shown.
    const pids = holders ? holders.filter((p) => processes.has(p)).sort((a, b) => a - b) : [];
    if (pids.length > 0) {
      const key = pids.join(',');
      let frozen = shared.get(key);
      if (frozen === undefined) shared.set(key, (frozen = Object.freeze(pids)));
      s.pids = frozen;
      continue;
    }
    s.pids = NO_PIDS;
    s.ownerUnknown = holders ? 'owner exited during the scan' : unknownOwnerReason(s, vis);
    if (s.inode > 0) {
      unknown++;
      // /proc/net still tells who created the socket, as for this machine.
      s.uidUser = userOf(s.uid);
    }
  }
  return {
    probe: 'linux',
    host: parts.hostname ?? fallbackHost,
    takenAt,
    sockets: Object.freeze(sockets as SocketEntry[]),
    processes,
    notices: Object.freeze(visibilityNotices(vis, unknown, malformed, '/proc/net')),
  };
}
