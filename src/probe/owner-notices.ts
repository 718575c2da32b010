import type { SocketEntry } from '../core/types.js';

/** What one pass could see, for the words on sockets without an owner and for the notices. */
export interface Visibility {
  /** Effective uid the pass ran as (null: unknown platform). Not 0 means a partial view. */
  readonly euid: number | null;
  /** hidepid= of the proc mount, or null. */
  readonly hidepid: string | null;
  /** Processes whose open files could not be read. */
  readonly deniedPids: number;
}

/**
 * Why `s` shows no owner, in words. Shared by the local /proc probe and remote hosts, so a socket
 * without a visible owner is explained the same way wherever it was read.
 */
export function unknownOwnerReason(s: Pick<SocketEntry, 'inode' | 'state' | 'uid'>, v: Visibility): string {
  if (s.inode === 0) {
    return s.state === 'TIME-WAIT'
      ? 'no owner: the kernel keeps TIME-WAIT sockets after the process closed them'
      : 'no owner: a kernel-held socket (inode 0)';
  }
  if (v.euid !== null && v.euid !== 0 && s.uid !== v.euid) {
    return `owner not visible: socket of uid ${s.uid} and vhtop is not root`;
  }
  if (v.hidepid !== null) return `owner not visible: /proc is mounted with hidepid=${v.hidepid}`;
  if (v.deniedPids > 0) {
    return 'owner not visible: held by a process whose open files cannot be read, or outside this PID namespace';
  }
  return 'owner not visible: held by a process outside this PID namespace, or closed during the scan';
}

/** Notices about a partial view; `netDir` names where the tables were read (for malformed lines). */
export function visibilityNotices(v: Visibility, unknown: number, malformed: ReadonlyMap<string, number>, netDir: string): string[] {
  const notices: string[] = [];
  if (v.euid !== null && v.euid !== 0) {
    notices.push('not root: sockets of other users show no owner (run as root for the full view)');
  }
  if (v.hidepid !== null) {
    notices.push(`/proc is mounted with hidepid=${v.hidepid}: processes of other users are hidden`);
  }
  if (v.deniedPids > 0 && unknown > 0) {
    notices.push(`permission denied reading the open files of ${v.deniedPids} process${v.deniedPids === 1 ? '' : 'es'}: ${unknown} socket${unknown === 1 ? ' shows' : 's show'} no owner`);
  }
  for (const [file, count] of malformed) {
    notices.push(`skipped ${count} malformed line${count === 1 ? '' : 's'} in ${netDir}/${file}`);
  }
  return notices;
}
