import { spawn } from 'node:child_process';
import { trackChild } from './cleanup.js';

/** One command the runner times. */
export interface TimedCommand {
  /** Label used in the table, e.g. "ss -tanp". */
  readonly name: string;
  readonly argv: readonly string[];
  /** Exit codes that count as a good run (default only 0; `vhtop check` answers 1 when a service is down). */
  readonly okCodes?: readonly number[];
}

/** Exact cost of one run of one command, from wait4() of that very child. */
export interface RunSample {
  readonly name: string;
  readonly rep: number;
  /** Wall time from spawn to reap (includes exec and, for node, its start-up). */
  readonly wallMs: number;
  /** user + system CPU of the child (kernel rusage, microsecond resolution). */
  readonly cpuMs: number;
  /** Peak resident set of the child (ru_maxrss), KiB. */
  readonly maxRssKb: number;
  readonly exitCode: number;
  /** Last line of the child's stderr when it failed, else "". */
  readonly error: string;
}

/**
 * Runs each command with stdin and stdout on /dev/null and reaps it with os.wait4(), which returns
 * the rusage of exactly that child. Node's child_process cannot give a child's CPU time, and wall
 * time or /usr/bin/time (10 ms ticks) would be too coarse for a 20 ms `ss -tan`. Commands run
 * round-robin (a, b, c, a, b, c, ...) so drifting background load hits all of them alike.
 */
export const RUNNER_SCRIPT = String.raw`
import json, os, sys, tempfile, time
spec = json.loads(sys.argv[1])
err = tempfile.NamedTemporaryFile(prefix="vhtop-bench-", delete=False)
err.close()
try:
    for rep in range(spec["reps"]):
        for cmd in spec["commands"]:
            actions = [
                (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                (os.POSIX_SPAWN_OPEN, 2, err.name, os.O_WRONLY | os.O_TRUNC, 0),
            ]
            t0 = time.perf_counter()
            try:
                pid = os.posix_spawnp(cmd["argv"][0], cmd["argv"], os.environ, file_actions=actions)
            except OSError as e:
                print(json.dumps({"name": cmd["name"], "rep": rep, "wallMs": 0, "cpuMs": 0, "maxRssKb": 0, "exitCode": 127, "error": str(e)}))
                continue
            _, status, ru = os.wait4(pid, 0)
            wall = (time.perf_counter() - t0) * 1000
            code = os.waitstatus_to_exitcode(status)
            error = ""
            if code not in cmd.get("okCodes", [0]):
                with open(err.name, errors="replace") as f:
                    lines = [l.strip() for l in f.read().splitlines() if l.strip()]
                error = lines[-1] if lines else "exit code %d" % code
            print(json.dumps({"name": cmd["name"], "rep": rep, "wallMs": wall,
                              "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000, "maxRssKb": ru.ru_maxrss,
                              "exitCode": code, "error": error}), flush=True)
finally:
    os.unlink(err.name)
`;

/** Runs `commands` round-robin `reps` times each through {@link RUNNER_SCRIPT}. */
export function runCommands(commands: readonly TimedCommand[], reps: number, cwd = process.cwd()): Promise<RunSample[]> {
  const spec = JSON.stringify({ reps, commands });
  return new Promise((resolve, reject) => {
    // detached: its own process group, so a cleanup also kills the command being timed right now.
    const child = trackChild(spawn('python3', ['-c', RUNNER_SCRIPT, spec], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }), true);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', (e) => reject(new Error(`timing runner failed: ${e.message}`)));
    child.once('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`timing runner failed: ${stderr.trim() || (signal ?? `exit code ${code}`)}`));
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      resolve(lines.map((l) => JSON.parse(l) as RunSample));
    });
  });
}

/** Samples of one command, failures left out. */
export function samplesOf(samples: readonly RunSample[], name: string): RunSample[] {
  return samples.filter((s) => s.name === name && s.error === '');
}

/** The error of the first failed run of `name`, or null when every run succeeded. */
export function failureOf(samples: readonly RunSample[], name: string): string | null {
  const bad = samples.find((s) => s.name === name && s.error !== '');
  return bad ? `${name}: ${bad.error}` : null;
}
