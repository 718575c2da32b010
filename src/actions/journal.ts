import { readFileSync } from 'node:fs';
import path from 'node:path';

const UNIT_NAME = /^[A-Za-z0-9:_.@\\-]+\.service$/;

/**
 * The systemd system unit a process runs in, from `${procRoot}/PID/cgroup` (cgroup v2 `0::/...` or the
 * v1 `name=systemd` line): the last `*.service` segment of its path. Units under `user@UID.service`
 * belong to a user manager (`journalctl -u` would not find them) and give null, as does anything
 * unreadable or a name that is not a plain unit name.
 */
export function systemdUnitOf(pid: number, procRoot = '/proc'): string | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  let text: string;
  try {
    text = readFileSync(path.join(procRoot, String(pid), 'cgroup'), 'latin1');
  } catch {
    return null;
  }
  return unitFromCgroup(text);
}

/** Parses cgroup file text; see {@link systemdUnitOf}. */
export function unitFromCgroup(text: string): string | null {
  // Hybrid hierarchies have both lines and only one of them may name the unit.
  const lines = text.split('\n').filter((l) => l.startsWith('0::') || /^\d+:name=systemd:/.test(l));
  for (const line of lines) {
    const cgPath = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
    const segments = cgPath.split('/').filter((s) => s !== '');
    if (segments.some((s) => /^user@\d+\.service$/.test(s))) return null;
    const unit = [...segments].reverse().find((s) => s.endsWith('.service'));
    if (unit !== undefined) return UNIT_NAME.test(unit) ? unit : null;
  }
  return null;
}

/** `journalctl` arguments for the last `tail` lines of `unit`, following when asked. */
export function journalArgs(unit: string, tail: number, follow: boolean): string[] {
  return ['-u', unit, '--no-pager', '-n', String(tail), ...(follow ? ['-f'] : [])];
}
