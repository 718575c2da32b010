import { readFileSync } from 'node:fs';

/**
 * The hidepid= option of the proc mount at `procRoot` (read from `${procRoot}/mounts`), or null when
 * processes of other users are visible. Values are "1", "2", "invisible", "noaccess", "ptraceable".
 */
export function hidepidOption(procRoot: string): string | null {
  let text: string;
  try {
    text = readFileSync(`${procRoot}/mounts`, 'utf8');
  } catch {
    return null;
  }
  return hidepidFromMounts(text, procRoot);
}

/** The hidepid= option in mounts text (this machine's or a remote host's), or null. */
export function hidepidFromMounts(text: string, procRoot: string): string | null {
  for (const line of text.split('\n')) {
    const [, mountPoint, type, options] = line.split(' ');
    if (type !== 'proc' || (mountPoint !== '/proc' && mountPoint !== procRoot) || !options) continue;
    for (const option of options.split(',')) {
      if (!option.startsWith('hidepid=')) continue;
      const value = option.slice('hidepid='.length);
      if (value !== '0' && value !== 'off') return value;
    }
  }
  return null;
}

/** Effective uid of this process, or null where the platform has none. */
export function effectiveUid(): number | null {
  return typeof process.geteuid === 'function' ? process.geteuid() : null;
}
