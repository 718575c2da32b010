import { readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Docker's userland port publisher, by the basename of its executable. */
const PROXY_BINARY = 'docker-proxy';

/** The daemons that start docker-proxy (dockerd; containerd for some setups). */
const PROXY_PARENTS: ReadonlySet<string> = new Set(['dockerd', 'containerd']);

/** Executables that run containers: killing them breaks Docker, not one service. */
export const DOCKER_DAEMON_BINARIES: ReadonlySet<string> = new Set(['dockerd', 'containerd', 'containerd-shim', 'containerd-shim-runc-v2']);

/**
 * Basename of the executable of `pid` (`/proc/PID/exe`), without the " (deleted)" the kernel adds
 * after a package upgrade replaced the file; null when it cannot be read (gone, or not ours to read).
 * Unlike comm and argv, a process cannot choose this name without a file of that name.
 */
export function executableName(pid: number, procRoot = '/proc'): string | null {
  let target: string;
  try {
    target = readlinkSync(path.join(procRoot, String(pid), 'exe'));
  } catch {
    return null;
  }
  return path.basename(target.replace(/ \(deleted\)$/, ''));
}

/**
 * True only for Docker's real port publisher: the executable of `pid` is a `docker-proxy` binary and
 * its parent's executable is dockerd or containerd. A process that merely calls itself docker-proxy
 * (comm, argv[0], a symlink or a copied binary run by anyone else) is an ordinary process: it is not
 * "published by a container", does not satisfy a `docker:` entry and can be killed.
 * Unreadable facts (another user's process without root) count as not verified.
 */
export function isDockerProxyProcess(pid: number, procRoot = '/proc'): boolean {
  if (executableName(pid, procRoot) !== PROXY_BINARY) return false;
  const ppid = parentPid(pid, procRoot);
  const parent = ppid > 0 ? executableName(ppid, procRoot) : null;
  return parent !== null && PROXY_PARENTS.has(parent);
}

/** True when `pid` runs a Docker daemon executable (dockerd, containerd, a containerd shim). */
export function isDockerDaemonProcess(pid: number, procRoot = '/proc'): boolean {
  const exe = executableName(pid, procRoot);
  return exe !== null && DOCKER_DAEMON_BINARIES.has(exe);
}

/** Worth the exe check: a process that names itself docker-proxy (comm or argv[0]). */
export function claimsDockerProxy(name: string, argv0: string | undefined): boolean {
  return name === PROXY_BINARY || (argv0 !== undefined && path.basename(argv0) === PROXY_BINARY);
}

/** Field 4 of /proc/PID/stat (after the last ')', which ends the free-form name), or -1. */
function parentPid(pid: number, procRoot: string): number {
  let text: string;
  try {
    text = readFileSync(path.join(procRoot, String(pid), 'stat'), 'latin1');
  } catch {
    return -1;
  }
  const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : -1;
}
