/**
 * V8's young generation for a command that runs once and exits on a busy machine.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { splitCommand } from './args.js';

/** Commands that keep running (a server, a log follower): they keep V8's own sizing. The TUI is no command. */
const LONG_RUNNING = new Set(['serve', 'logs']);

/** Whether `argv` runs a command that takes its data once and exits (list, check, status, conflicts...). */
export function runsOnce(argv: readonly string[]): boolean {
  const split = splitCommand(argv);
  return split !== null && !LONG_RUNNING.has(split.command);
}

/**
 * Sockets in this network namespace, from the kernel's counters ("sockets: used N" in
 * /proc/net/sockstat, one small read); null where there is no such file.
 */
export function socketsInUse(file = '/proc/net/sockstat'): number | null {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return null;
  }
  const m = /^sockets: used (\d+)/m.exec(text);
  return m === null ? null : Number(m[1]);
}

/** From this many sockets on, a one-shot keeps the young generation small (see {@link keepYoungGenerationSmall}). */
export const MANY_SOCKETS = 2000;

/**
 * Keeps V8's young generation at its starting size (1 MB semi-spaces) instead of letting it double
 * up to 16 MB while a one-shot command reads a busy server. Nearly everything such a command
 * allocates lives until it exits (sockets, owners, listeners), so a bigger young generation only
 * adds fresh memory for it to be copied through, and fresh memory is what costs: on this machine kind
 * every page a process touches for the first time costs ~14 us (a 64 MB buffer takes ~230 ms to
 * fill once). Measured on `list --json --all` at 15k sockets: ~3,000 fewer page faults, ~10 % less
 * wall time. A long-running process keeps V8's default: there a young generation that grows pays
 * for itself. On a quiet machine the young generation never grows anyway, and loading node:v8
 * (~4 ms, it pulls in streams) would be most of what a one-shot adds to Node's start-up: so only from
 * {@link MANY_SOCKETS} sockets on.
 *
 * The flag is read each time the young generation would grow, so setting it at run time works.
 * Only for the V8 versions known to have it (Node 20 to 24): an unknown flag makes V8 print an error.
 * True when the flag was set.
 */
export function keepYoungGenerationSmall(sockets: number | null = socketsInUse(), v8Version: string = process.versions.v8): boolean {
  const major = Number.parseInt(v8Version, 10);
  if (sockets === null || sockets < MANY_SOCKETS || !(major >= 11 && major <= 13)) return false;
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}
