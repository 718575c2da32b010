import { execFile } from 'node:child_process';
import path from 'node:path';
import { trackChild } from './cleanup.js';
import { startFarm, type SocketFarm } from './farm.js';
import { shortMeasureReps } from './options.js';
import { countSockets } from './proc.js';
import type { CommandCost, ScaleRow } from './report.js';
import { failureOf, runCommands, samplesOf, type RunSample, type TimedCommand } from './runner.js';
import { attempt, failed, measured, median, type Measured } from './stats.js';
import { mean } from './tick.js';
import type { WorkerResult } from './worker.js';

/** Progress goes to stderr so stdout stays the markdown table. */
export const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

/** Medians of the successful runs of `name`; a failure when any run failed (the table shows why). */
export function costOf(samples: readonly RunSample[], name: string): Measured<CommandCost> {
  const ok = samplesOf(samples, name);
  const failure = failureOf(samples, name);
  if (failure !== null) return failed(failure);
  if (ok.length === 0) return failed(`${name}: no runs`);
  return measured({
    wallMs: median(ok.map((s) => s.wallMs)),
    cpuMs: median(ok.map((s) => s.cpuMs)),
    maxRssKb: Math.max(...ok.map((s) => s.maxRssKb)),
  });
}

function runWorker(benchDir: string, root: string, reps: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    // Frames are a short measure: over 7, the 15k/50-row ratio moved between 1.1x and 2.3x from run to run.
    // --expose-gc: each frame is timed after the bench's copy of the snapshot left the young generation (frame.ts).
    const args = ['--expose-gc', path.join(benchDir, 'worker.js'), String(reps), String(shortMeasureReps(reps))];
    // The worker runs the TUI's components from tsc's output, where React picks its build from
    // NODE_ENV when first imported; the bundle users run always has the production build, so the
    // frames measure that one.
    const env = { ...process.env, NODE_ENV: 'production' };
    const child = execFile(process.execPath, args, { cwd: root, env, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(stderr.trim() || error.message));
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as WorkerResult);
    });
    trackChild(child);
  });
}

/** The commands timed side by side (node -e 0: the start-up every one-shot vhtop pays). */
export function timedCommands(root: string): TimedCommand[] {
  return [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    { name: 'ss -tan', argv: ['ss', '-tan'] },
    { name: 'ss -tanp', argv: ['ss', '-tanp'] },
    { name: 'lsof -i -P -n', argv: ['lsof', '-i', '-P', '-n'] },
    { name: 'vhtop list --json --all', argv: [process.execPath, path.join(root, 'bin', 'vhtop.js'), 'list', '--json', '--all'] },
  ];
}

/** One-shot commands at few sockets (the machine as it is): what start-up costs against Node's own. */
export interface StartupCosts {
  readonly nodeStart: Measured<CommandCost>;
  readonly list: Measured<CommandCost>;
  readonly check: Measured<CommandCost>;
  /** `vhtop status`, which tmux runs every status-interval: it holds to check's start-up target. */
  readonly status: Measured<CommandCost>;
  readonly machineSockets: number;
}

/**
 * `vhtop list --json` and `vhtop check` against `node -e 0`, round-robin, before any farm: a run of
 * each first (untimed) fills the registry cache as a user's earlier runs have.
 */
export async function measureStartup(reps: number, root: string): Promise<StartupCosts> {
  const bin = path.join(root, 'bin', 'vhtop.js');
  const commands: TimedCommand[] = [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    { name: 'vhtop list --json', argv: [process.execPath, bin, 'list', '--json'] },
    // Exit 1 (a catalogue service is down) is the normal answer on a bench machine.
    { name: 'vhtop check', argv: [process.execPath, bin, 'check'], okCodes: [0, 1] },
    { name: 'vhtop status', argv: [process.execPath, bin, 'status'], okCodes: [0, 1] },
  ];
  await runCommands(commands, 1, root);
  const samples = await attempt(() => runCommands(commands, reps, root));
  const cost = (name: string): Measured<CommandCost> => (samples.ok ? costOf(samples.value, name) : failed(samples.reason));
  return { nodeStart: cost('node -e 0'), list: cost('vhtop list --json'), check: cost('vhtop check'), status: cost('vhtop status'), machineSockets: countSockets() };
}

/** The one-shot against `ss -tanp` with TIME-WAIT sockets added to the farm's. */
export interface TimeWaitCosts {
  readonly timeWait: number;
  readonly machineSockets: number;
  readonly ssTanp: Measured<CommandCost>;
  readonly vhtop: Measured<CommandCost>;
}

/**
 * TIME-WAIT sockets have no owner (inode 0) but every tool still reads their lines. They expire
 * after ~60 s, so this round is short: `ss -tanp` and `vhtop list --json --all` only.
 */
async function measureTimeWait(farm: SocketFarm, count: number, reps: number, root: string): Promise<TimeWaitCosts> {
  const made = await farm.timeWait(count);
  const machineSockets = countSockets();
  log(`${made} TIME-WAIT sockets made; ${machineSockets} sockets on the machine`);
  const commands = timedCommands(root).filter((c) => c.name === 'ss -tanp' || c.name === 'vhtop list --json --all');
  const samples = await attempt(() => runCommands(commands, reps, root));
  const cost = (name: string): Measured<CommandCost> => (samples.ok ? costOf(samples.value, name) : failed(samples.reason));
  return { timeWait: made, machineSockets, ssTanp: cost('ss -tanp'), vhtop: cost('vhtop list --json --all') };
}

/**
 * Everything measured at one socket count: opens the farm, times the commands, runs the ticking
 * worker, and always stops the farm.
 */
export async function measureAt(sockets: number, reps: number, root: string, benchDir: string, timeWait = 0): Promise<ScaleRow> {
  const t0 = Date.now();
  const farm = await startFarm(sockets);
  const machineSockets = countSockets();
  log(`${farm.sockets} sockets open (farm pid ${farm.pid}) in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${machineSockets} on the machine`);
  try {
    const commands = timedCommands(root);
    log(`timing ${commands.map((c) => c.name).join(', ')}: ${reps} runs each`);
    const samples = await attempt(() => runCommands(commands, reps, root));
    const cost = (name: string): Measured<CommandCost> => (samples.ok ? costOf(samples.value, name) : failed(samples.reason));
    const commandRows = {
      sockets: farm.sockets,
      machineSockets,
      nodeStart: cost('node -e 0'),
      ssTan: cost('ss -tan'),
      ssTanp: cost('ss -tanp'),
      lsof: cost('lsof -i -P -n'),
      vhtop: cost('vhtop list --json --all'),
    };
    log('ticking one probe, then timing frames');
    const worker = await attempt(() => runWorker(benchDir, root, reps));
    // Last: the TIME-WAIT sockets stay ~60 s, and the worker's ticks must not see them.
    const withTimeWait = async (): Promise<Measured<TimeWaitCosts> | null> =>
      timeWait > 0 ? await attempt(() => measureTimeWait(farm, timeWait, reps, root)) : null;
    if (!worker.ok) {
      const why = `bench worker: ${worker.reason}`;
      return { ...commandRows, tick: failed(why), tickRssKb: failed(why), frames: failed(why), scrape: failed(why), timeWait: await withTimeWait() };
    }
    const w = worker.value;
    const tick = w.ticks.ok
      ? measured({ cpuMs: mean(w.ticks.value.cpuMs), wallMs: mean(w.ticks.value.wallMs), sockets: w.ticks.value.sockets })
      : w.ticks;
    const tickRssKb: Measured<number> = !w.ticks.ok ? w.ticks : w.peakRssKb !== null ? measured(w.peakRssKb) : failed('VmHWM of the worker unreadable');
    const scrape = w.scrapes.ok ? measured({ cpuMs: median(w.scrapes.value.cpuMs), wallMs: median(w.scrapes.value.wallMs) }) : w.scrapes;
    return { ...commandRows, tick, tickRssKb, frames: w.frames, scrape, timeWait: await withTimeWait() };
  } finally {
    await farm.stop();
  }
}
