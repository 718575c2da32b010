/**
 * Stand-in executables for the log tests: test/fixtures/bin holds `docker`, `docker-compose` and
 * `journalctl` scripts that record their argv (one line per call, TAB-separated) and print lines.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Directory of the stand-ins. */
export const FAKE_BIN = path.resolve(import.meta.dirname, '..', 'fixtures', 'bin');

/** A scratch area with an argv record file and a pid record file. */
export interface FakeEnv {
  readonly dir: string;
  readonly argvFile: string;
  readonly pidFile: string;
  /** Environment with PATH = `bins` + a directory of plain system tools (sh, sleep, ...; never a real docker). */
  env(extra?: Record<string, string>, bins?: readonly string[]): Record<string, string>;
  /** Recorded calls, each as [program, ...args]. */
  calls(): string[][];
  /** `sh sleep` pid pairs the stand-ins wrote while following. */
  followerPids(): number[];
  /** A bin directory with only the named stand-ins (e.g. no docker). */
  binWith(names: readonly string[]): string;
  cleanup(): void;
}

/** Programs the stand-ins and the CLI may look up on PATH; docker and docker-compose are never among them. */
const SYSTEM_TOOLS = ['sh', 'bash', 'sleep', 'cat', 'env', 'basename', 'printf', 'ps', 'kill', 'setsid', 'tmux'];

/**
 * A directory with links to the system tools only. The system directories themselves may hold a real
 * docker (the Debian package puts it in /usr/bin), so a test's PATH never names them.
 */
export function systemToolsDir(parent: string): string {
  const tools = path.join(parent, 'system-tools');
  mkdirSync(tools, { recursive: true });
  for (const name of SYSTEM_TOOLS) {
    const found = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => path.join(d, name)).find((p) => existsSync(p));
    if (found !== undefined && !existsSync(path.join(tools, name))) symlinkSync(found, path.join(tools, name));
  }
  if (!existsSync(path.join(tools, 'node'))) symlinkSync(process.execPath, path.join(tools, 'node'));
  return tools;
}

/** Makes a fresh scratch area. */
export function fakeEnv(): FakeEnv {
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-logs-'));
  const tools = systemToolsDir(dir);
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
      return { PATH: [...bins, tools].join(':'), HOME: dir, VHTOP_FAKE_ARGV: argvFile, VHTOP_FAKE_PIDS: pidFile, ...extra };
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
