import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'proc');

/** A /proc fixture copied to a temp dir, with its fd symlinks made. */
export interface ProcTree {
  readonly root: string;
  /** Adds (or replaces) /proc/PID/fd/FD -> target. */
  link(pid: number, fd: number, target: string): void;
  remove(relative: string): void;
  cleanup(): void;
}

/**
 * Copies test/fixtures/proc/<name> to a temp dir and turns each "PID FD TARGET" line of its
 * fd-links.txt into a symlink (committing dangling symlinks to git is awkward; a text list is not).
 */
export function procTree(name: string): ProcTree {
  const root = mkdtempSync(path.join(tmpdir(), `vhtop-proc-${name}-`));
  cpSync(path.join(FIXTURES, name), root, { recursive: true });
  const tree: ProcTree = {
    root,
    link(pid, fd, target) {
      const dir = path.join(root, String(pid), 'fd');
      mkdirSync(dir, { recursive: true });
      rmSync(path.join(dir, String(fd)), { force: true });
      symlinkSync(target, path.join(dir, String(fd)));
    },
    remove(relative) {
      rmSync(path.join(root, relative), { recursive: true, force: true });
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (const line of readFileSync(path.join(root, 'fd-links.txt'), 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [pid, fd, target] = line.split(' ');
    tree.link(Number(pid), Number(fd), target as string);
  }
  return tree;
}

/** The fixture's passwd file. */
export function fixturePasswd(name: string): string {
  return path.join(FIXTURES, name, 'passwd');
}
