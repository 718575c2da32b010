/**
 * Global teardown of the test run: stops a dockerd that a test started (and only that one: same pid
 * and start time as recorded), unless containers are still running, which would mean another run
 * uses the engine now.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { docker, STARTED_MARKER, startTimeOf } from './docker-engine.js';

export default function setup(): () => Promise<void> {
  return async () => {
    if (!existsSync(STARTED_MARKER)) return;
    let started: { pid?: unknown; startTime?: unknown };
    try {
      started = JSON.parse(readFileSync(STARTED_MARKER, 'utf8')) as typeof started;
    } catch {
      return;
    }
    const pid = typeof started.pid === 'number' ? started.pid : null;
    if (pid === null || startTimeOf(pid) !== started.startTime) {
      rmSync(STARTED_MARKER, { force: true });
      return;
    }
    const running = await docker(['ps', '-q'], { timeoutMs: 20_000 });
    if (running.code === 0 && running.stdout.trim() !== '') return;
    process.kill(pid, 'SIGTERM');
    const end = Date.now() + 30_000;
    while (Date.now() < end && startTimeOf(pid) === started.startTime) await sleep(100);
    rmSync(STARTED_MARKER, { force: true });
  };
}
