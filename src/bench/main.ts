/**
 * `npm run bench`: opens its own TCP sockets and measures vhtop against `ss` and `lsof` side by side.
 * See docs/bench.md for how to read the numbers.
 *
 * Child processes are started with node:child_process, not src/actions/exec.ts: the bench needs
 * what that door deliberately does not offer (a long-lived child fed through stdin, exact rusage
 * through a python wait4() runner, synchronous SIGKILL from signal handlers).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCleanups } from './cleanup.js';
import { measureIdle, type IdleCost } from './idle.js';
import { startFarm } from './farm.js';
import { log, measureAt, measureStartup, type StartupCosts } from './measure.js';
import { parseBenchArgs, USAGE, type BenchOptions } from './options.js';
import { machineInfo } from './proc.js';
import { measureRemote, remoteBenchMissing, renderRemote, REMOTE_SIZES } from './remote.js';
import { renderReport, type ScaleRow } from './report.js';
import { attempt, type Measured } from './stats.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const machine = machineInfo();
  // Idle first: it must see the machine as it is, without the farm's sockets.
  let idle: Measured<IdleCost> | null = null;
  if (options.idleSeconds > 0) {
    log(`idle CPU of the TUI over ${options.idleSeconds} s`);
    idle = await attempt(() => measureIdle(ROOT, options.idleSeconds));
  }
  let startup: Measured<StartupCosts> | undefined;
  if (options.startupReps > 0) {
    log('start-up: vhtop list --json and vhtop check against node -e 0, few sockets');
    startup = await attempt(() => measureStartup(options.startupReps, ROOT));
  }
  const rows: ScaleRow[] = [];
  for (const [i, size] of options.sizes.entries()) {
    const last = i === options.sizes.length - 1;
    rows.push(await measureAt(size, options.reps, ROOT, HERE, last ? options.timeWait : 0));
  }
  let busyIdle: Measured<IdleCost> | null = null;
  const BUSY_IDLE_FACTOR = 3;
  if (options.busySockets > 0) {
    // Three times as long: on a busy machine the TUI spaces its full reads by their cost (~20 s apart
    // at 25k sockets here), and the window must hold whole cycles of them.
    const seconds = options.idleSeconds * BUSY_IDLE_FACTOR;
    log(`idle CPU of the TUI over ${seconds} s with a farm of ${options.busySockets} sockets`);
    busyIdle = await attempt(async () => {
      const farm = await startFarm(options.busySockets);
      try {
        return await measureIdle(ROOT, seconds);
      } finally {
        await farm.stop();
      }
    });
  }
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  process.stdout.write(`${renderReport({ machine, when, reps: options.reps, rows, idle, busyIdle, ...(startup ? { startup, startupReps: options.startupReps } : {}) })}\n`);
  // The cost of one `--host` refresh, after the main table (additive: its own farm and sshd).
  const missing = remoteBenchMissing();
  if (missing !== null) log(`remote refresh not measured: ${missing}`);
  else {
    const remote = await attempt(() => measureRemote(REMOTE_SIZES, options.reps));
    process.stdout.write(remote.ok ? `\n${renderRemote(remote.value)}\n` : `\nremote refresh not measured: ${remote.reason}\n`);
  }
  return 0;
}

// Whatever happens (Ctrl-C, SIGTERM, an exception), the farm, the runner, the worker and the tmux
// server go with the bench.
process.on('exit', runCleanups);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    runCleanups();
    process.exit(code);
  });
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`failed: ${e instanceof Error ? e.message : String(e)}`);
    runCleanups();
    process.exit(1);
  },
);
