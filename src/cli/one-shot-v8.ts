/**
 * V8 tuned for a command that runs once and exits on a busy machine.
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

/** From this many sockets on, a one-shot tunes V8 (see {@link tuneForOneShot}). */
export const MANY_SOCKETS = 2000;

/**
 * Two V8 settings for a one-shot command that reads a busy server, from {@link MANY_SOCKETS} sockets on.
 *
 * The young generation stays at its starting size (1 MB semi-spaces) instead of doubling up to 16 MB.
 * Nearly everything such a command allocates lives until it exits (sockets, owners, listeners), so a
 * bigger young generation only adds fresh memory for it to be copied through, and fresh memory is
 * what costs: on this machine kind every page a process touches for the first time costs ~14 us (a
 * 64 MB buffer takes ~230 ms to fill once). The optimizing compiler does not inline: in a process
 * that lives half a second its bigger compile jobs cost more (their memory too) than the faster code
 * gives back. Measured on `list --json --all` at 15k sockets: ~3,000 and ~1,600 fewer page faults,
 * ~9 % and ~5 % less wall time.
 *
 * A long-running process keeps V8's defaults: there both pay for themselves. On a quiet machine the
 * young generation never grows anyway and little gets optimised, and loading node:v8 (~4 ms, it pulls
 * in streams) would be most of what a one-shot adds to Node's start-up.
 *
 * Both flags are read when they apply (the young generation growing, a compile job starting), so
 * setting them at run time works. Only for the V8 versions known to have them (Node 20 to 24): an
 * unknown flag makes V8 print an error. True when they were set.
 */
export function tuneForOneShot(sockets: number | null = socketsInUse(), v8Version: string = process.versions.v8): boolean {
  const major = Number.parseInt(v8Version, 10);
  if (sockets === null || sockets < MANY_SOCKETS || !(major >= 11 && major <= 13)) return false;
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--no-turbo-inlining');
  return true;
}
