import { parseArgs } from 'node:util';
import { MAX_FARM_SOCKETS } from './farm.js';

/** Socket counts of the default run: the growth table. */
export const DEFAULT_SCALE: readonly number[] = [1_000, 5_000, 15_000];

/** `npm run bench -- --help`. */
export const USAGE = `Usage: npm run bench -- [--sockets N] [--scale] [--reps K] [--idle-seconds S]
  --sockets N        one run at N sockets (N/3 listeners, each with a client; max ${MAX_FARM_SOCKETS})
  --scale            with --sockets: also 1,000 and 5,000 below N (default without --sockets: ${DEFAULT_SCALE.join(', ')})
  --reps K           repetitions per measure; medians are reported (default 7)
  --idle-seconds S   window of the idle-CPU test of the real TUI (default 20; 0 skips it)
  --busy-sockets N   the idle test again, over three times the window, with a farm of N sockets open
                     (default 19800, what a 20,000 fd limit allows; 0 skips it)
  --startup-reps K   repetitions of the start-up round at few sockets (default: 3 x --reps, at most 101:
                     a start-up is short and the noisiest measure; 0 skips it)
  --time-wait N      TIME-WAIT sockets added at the largest size for one more one-shot round (default 5000; 0 skips it)`;

/** Parsed bench options; `help` means print {@link USAGE} and stop. */
export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly reps: number;
  readonly idleSeconds: number;
  /** Farm size of the second idle test ("an idle TUI on a busy server"); 0 skips it. */
  readonly busySockets: number;
  /** Repetitions of the start-up round (list --json and check against node -e 0); 0 skips it. */
  readonly startupReps: number;
  /** TIME-WAIT sockets for the extra round at the largest size; 0 skips it. */
  readonly timeWait: number;
  readonly help: boolean;
}

function intOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^\d+$/.test(text) || v < min || v > max) throw new Error(`--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})`);
  return v;
}

/**
 * Repetitions for the shortest measures (a start-up, a frame): 3 x `reps`, at most 101. They last a
 * few ms, and their medians over 7 moved from one run to the next more than the targets allow.
 */
export function shortMeasureReps(reps: number): number {
  return Math.min(101, reps * 3);
}

/** Parses the bench's command line; throws an Error with one clear line for bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sockets: { type: 'string' },
      scale: { type: 'boolean' },
      reps: { type: 'string' },
      'idle-seconds': { type: 'string' },
      'busy-sockets': { type: 'string' },
      'time-wait': { type: 'string' },
      'startup-reps': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const reps = intOption('reps', values.reps, 7, 1, 101);
  const idleSeconds = intOption('idle-seconds', values['idle-seconds'], 20, 0, 3600);
  const busy = values['busy-sockets'] === '0' ? 0 : intOption('busy-sockets', values['busy-sockets'], 19_800, 3, MAX_FARM_SOCKETS);
  const timeWait = intOption('time-wait', values['time-wait'], 5_000, 0, 20_000);
  const help = values.help === true;
  const startupReps = intOption('startup-reps', values['startup-reps'], shortMeasureReps(reps), 0, 101);
  const rest = { reps, idleSeconds, busySockets: idleSeconds > 0 ? busy : 0, startupReps, timeWait, help };
  if (values.sockets === undefined) return { sizes: DEFAULT_SCALE, ...rest };
  const n = intOption('sockets', values.sockets, 0, 3, MAX_FARM_SOCKETS);
  const sizes = values.scale ? [...DEFAULT_SCALE.filter((s) => s < n), n] : [n];
  return { sizes, ...rest };
}
