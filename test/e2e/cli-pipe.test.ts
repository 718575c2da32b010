/**
 * Output into a pipe whose reader has gone (`vhtop list | head -1`): no EPIPE stack trace, and the
 * command's own exit code stands (`set -o pipefail; vhtop check | head -1` must still fail).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, closedPort, registry, ROOT, tempDir } from './cli-helpers.js';

let cwd = '';
let cleanup: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  assertBuilt();
  // One catalogue entry on a port nothing listens on: `check` fails, with exit code 1.
  const t = await tempDir({ 'registry.yaml': registry([{ id: 'gone', name: 'gone', port: await closedPort(), group: 'app' }]) });
  cwd = t.dir;
  cleanup = t.cleanup;
});
afterAll(() => cleanup());

type Run = { code: number | null; signal: string | null; stderr: string };

/** Runs the CLI with stdout, stderr or both a pipe closed before the CLI has even started. */
function runIntoClosedPipe(args: readonly string[], closed: 'stdout' | 'stderr' | 'both' = 'stdout'): Promise<Run> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'vhtop.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (closed !== 'stderr') child.stdout.destroy();
  else child.stdout.resume();
  if (closed !== 'stdout') child.stderr.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** Runs the CLI with stdout on /dev/full: every write fails with ENOSPC. */
function runIntoFullDisk(args: readonly string[]): Promise<Run> {
  const full = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'vhtop.js'), ...args], { cwd, stdio: ['ignore', full, 'pipe'] });
  closeSync(full);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

describe('stdout closed by the reader', () => {
  it.each([
    [['list'], 0],
    [['list', '--json', '--all'], 0],
    [['check'], 1],
    [['check', '--json'], 1],
    [['--help'], 0],
  ] as const)('%j: exit %i, no stack trace', async (args, code) => {
    const r = await runIntoClosedPipe(args);
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code, signal: null });
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |internal error/);
  });
});

describe('stderr closed, or both (`vhtop check 2>&1 | head -1`)', () => {
  it.each([
    [['check'], 1],
    [['list'], 0],
  ] as const)('both closed, %j: exit %i', async (args, code) => {
    const r = await runIntoClosedPipe(args, 'both');
    expect({ code: r.code, signal: r.signal }).toEqual({ code, signal: null });
  });

  it('stderr closed, stdout open: a command that fails and says why on stderr still exits 1', async () => {
    // Regression: process.exit(undefined) on stderr's EPIPE reset the exit code to 0. free-port
    // writes "only N of 2 free ports" to stderr on every machine, so the EPIPE surely happens.
    const r = await runIntoClosedPipe(['free-port', '--from', '65535', '--count', '2'], 'stderr');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
  });
});

describe.runIf(existsSync('/dev/full'))('stdout on a full disk (`vhtop list > /dev/full`)', () => {
  it.each([['list'], ['check', '--json'], ['list', '--json', '--all']])('%s: exit 74 with one line, not a silent success or a stack trace', async (...args) => {
    const r = await runIntoFullDisk(args);
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr).toMatch(/^vhtop: cannot write the output: ENOSPC/m);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  });
});

describe('flags are checked off a terminal too', () => {
  it('vhtop --interval 0 | cat: exit 2, one line', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'vhtop.js'), '--interval', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('vhtop: option --interval needs a number of seconds from 0.2 to 86400 (got 0)\n');
  });
});
