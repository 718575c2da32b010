import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanText } from '../core/sanitize.js';
import { claimsDockerProxy, isDockerProxyProcess } from './docker-proxy.js';
import type { ProcessInfo } from '../core/types.js';

/** Raw fields of /proc/PID/stat that vhtop uses. */
export interface ProcStat {
  readonly name: string;
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  readonly utime: number;
  readonly stime: number;
  /** Clock ticks since boot. */
  readonly startTime: number;
  /** Pages. */
  readonly rssPages: number;
}

/**
 * Parses /proc/PID/stat. The name (field 2) is in parentheses and may itself contain spaces and
 * ')' — a process can call itself "x) R 1 1" — so fields are split only after the LAST ')'.
 * Returns null for text that does not have the shape.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const name = text.slice(open + 1, close);
  // After ") ": field 3 (state) is rest[0]; field N is rest[N - 3].
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const num = (field: number): number => Number(rest[field - 3]);
  const stat: ProcStat = {
    name,
    state: rest[0] ?? '?',
    ppid: num(4),
    pgid: num(5),
    utime: num(14),
    stime: num(15),
    startTime: num(22),
    rssPages: num(24),
  };
  if (![stat.ppid, stat.pgid, stat.startTime].every(Number.isFinite)) return null;
  return stat;
}

/** Real uid from the `Uid:` line of /proc/PID/status, or -1. */
export function parseStatusUid(text: string): number {
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : -1;
}

const userNames = new Map<string, Map<number, string>>();

/**
 * uid -> user name from passwd text (a local /etc/passwd or a remote host's copy). The first entry of
 * a uid wins, as getpwuid() does; names are cleaned, since the file may come from another machine.
 */
export function parsePasswd(text: string): Map<number, string> {
  const table = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id && /^\d+$/.test(id) && !table.has(Number(id))) table.set(Number(id), cleanText(name));
  }
  return table;
}

/** uid -> user name from `${procRoot}/../etc/passwd` semantics: the real /etc/passwd for /proc, cached. */
export function userName(uid: number, passwdFile = '/etc/passwd'): string {
  let table = userNames.get(passwdFile);
  if (!table) {
    try {
      table = parsePasswd(readFileSync(passwdFile, 'utf8'));
    } catch {
      // No passwd file (containers, fixtures): numeric uids are still honest.
      table = new Map();
    }
    userNames.set(passwdFile, table);
  }
  return table.get(uid) ?? String(uid);
}

const PAGE_SIZE = 4096;

/**
 * One process from the texts of its /proc/PID/{stat,status,cmdline}, wherever they were read (this
 * machine's /proc or a remote host's, sent over ssh). `status` and `cmdline` may be missing (null).
 * Returns null when `stat` does not have the shape.
 */
export function processInfoFromTexts(pid: number, statText: string, statusText: string | null, cmdlineText: string | null, userOf: (uid: number) => string, exeIsDockerProxy: ((pid: number) => boolean) | null = null): ProcessInfo | null {
  const stat = parseProcStat(statText);
  if (!stat) return null;
  const uid = statusText === null ? -1 : parseStatusUid(statusText);
  const argv = cmdlineText === null ? [] : cmdlineText.split('\0').filter((a) => a !== '');
  const name = cleanText(stat.name);
  // Only a process that calls itself docker-proxy pays for the executable check (none for a
  // remote host: its executable cannot be checked from here, so the name alone proves nothing).
  const dockerProxy = exeIsDockerProxy !== null && claimsDockerProxy(stat.name, argv[0]) && exeIsDockerProxy(pid);
  return {
    ...(dockerProxy ? { dockerProxy } : {}),
    pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    name,
    command: argv.length > 0 ? cleanText(argv.join(' ')) : `[${name}]`,
    uid,
    user: uid >= 0 ? userOf(uid) : '?',
    startTime: stat.startTime,
    state: stat.state,
    cpuTicks: stat.utime + stat.stime,
    rssBytes: stat.rssPages * PAGE_SIZE,
  };
}

function readOrNull(file: string, encoding: BufferEncoding): string | null {
  try {
    return readFileSync(file, encoding);
  } catch {
    return null;
  }
}

/**
 * Reads one process from `${procRoot}/PID`. Returns null when it has gone (or never existed):
 * a process that exits mid-scan is skipped, never an error.
 */
export function readProcessInfo(pid: number, procRoot = '/proc', passwdFile = '/etc/passwd'): ProcessInfo | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const dir = path.join(procRoot, String(pid));
  // comm is bytes the process chose; decode as UTF-8 like every other text (invalid bytes become U+FFFD).
  const stat = readOrNull(path.join(dir, 'stat'), 'utf8');
  if (stat === null) return null;
  return processInfoFromTexts(pid, stat, readOrNull(path.join(dir, 'status'), 'latin1'), readOrNull(path.join(dir, 'cmdline'), 'utf8'), (uid) => userName(uid, passwdFile), (p) => isDockerProxyProcess(p, procRoot));
}
