/**
 * Stand-in executables for the log tests: test/fixtures/bin holds `docker`, `docker-compose` and
 * `journalctl` scripts that record their argv (one line per call, TAB-separated) and print lines.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Directory of the stand-ins. */
export const FAKE_BIN = path.resolve(import.meta.dirname, '..', 'fixtures', 'bin');

/** A scratch area with an argv record file and a pid record file. */
export interface FakeEnv {
  readonly dir: string;
  readonly argvFile: string;
  readonly pidFile: string;
  /** Environment with PATH = `bins` + the system dirs that hold sh and sleep (never the real docker). */
  env(extra?: Record<string, string>, bins?: readonly string[]): Record<string, string>;
  /** Recorded calls, each as [program, ...args]. */
  calls(): string[][];
  /** `sh sleep` pid pairs the stand-ins wrote while following. */
  followerPids(): number[];
  /** A bin directory with only the named stand-ins (e.g. no docker). */
  binWith(names: readonly string[]): string;
  cleanup(): void;
}

/** Makes a fresh scratch area. */
export function fakeEnv(): FakeEnv {
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-logs-'));
  const argvFile = path.join(dir, 'argv.txt');
  const pidFile = path.join(dir, 'pids.txt');
  writeFileSync(argvFile, '');
  writeFileSync(pidFile, '');
  let n = 0;
  return {
    dir,
    argvFile,
    pidFile,
    env(extra = {}, bins = [FAKE_BIN]) {
      // /bin and /usr/bin only: the machine may have a real docker in /usr/local/bin.
      return { PATH: [...bins, '/usr/bin', '/bin'].join(':'), HOME: dir, VHTOP_FAKE_ARGV: argvFile, VHTOP_FAKE_PIDS: pidFile, ...extra };
    },
    calls() {
      return readFileSync(argvFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t'));
    },
    followerPids() {
      return readFileSync(pidFile, 'utf8').split(/\s+/).filter((s) => s !== '').map(Number);
    },
    binWith(names) {
      const bin = path.join(dir, `bin${n++}`);
      mkdirSync(bin);
      for (const name of names) symlinkSync(path.join(FAKE_BIN, name), path.join(bin, name));
      return bin;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
