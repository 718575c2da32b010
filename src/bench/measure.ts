import { execFile } from 'node:child_process';
import path from 'node:path';
import { trackChild } from './cleanup.js';
import { startFarm } from './farm.js';
import { countSockets } from './proc.js';
import type { CommandCost, ScaleRow } from './report.js';
import { failureOf, runCommands, samplesOf, type RunSample, type TimedCommand } from './runner.js';
import { attempt, failed, measured, median, type Measured } from './stats.js';
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
    const args = [path.join(benchDir, 'worker.js'), String(reps), String(reps)];
    // Same React build as bin/vhtop.js gives the TUI (production unless NODE_ENV says otherwise): the
    // frames measure what users run. React picks its build when first imported, so it goes in the env.
    const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' };
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

/**
 * Everything measured at one socket count: opens the farm, times the commands, runs the ticking
 * worker, and always stops the farm.
 */
export async function measureAt(sockets: number, reps: number, root: string, benchDir: string): Promise<ScaleRow> {
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
    if (!worker.ok) {
      const why = `bench worker: ${worker.reason}`;
      return { ...commandRows, tick: failed(why), tickRssKb: failed(why), frames: failed(why), scrape: failed(why) };
    }
    const w = worker.value;
    const tick = w.ticks.ok
      ? measured({ cpuMs: median(w.ticks.value.cpuMs), wallMs: median(w.ticks.value.wallMs), sockets: w.ticks.value.sockets })
      : w.ticks;
    const tickRssKb: Measured<number> = !w.ticks.ok ? w.ticks : w.peakRssKb !== null ? measured(w.peakRssKb) : failed('VmHWM of the worker unreadable');
    const scrape = w.scrapes.ok ? measured({ cpuMs: median(w.scrapes.value.cpuMs), wallMs: median(w.scrapes.value.wallMs) }) : w.scrapes;
    return { ...commandRows, tick, tickRssKb, frames: w.frames, scrape };
  } finally {
    await farm.stop();
  }
}
