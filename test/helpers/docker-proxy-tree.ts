/**
 * The process shape vhtop recognises as Docker's port publisher, built without Docker: a copy of
 * python3 whose executable is named `docker-proxy`, run by a copy of sh whose executable is named
 * `dockerd`. vhtop checks exactly these facts (/proc/PID/exe and the parent's exe); the real
 * docker-proxy under a real dockerd is tested where a Docker engine runs.
 */
import { copyFileSync, existsSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Executables in `dir`: `proxy` (python3 named docker-proxy) and `prefix`, which runs it under "dockerd". */
export interface ProxyTree {
  readonly proxy: string;
  /** Prepend to a command: `dockerd -c '"$0" "$@"; exit $?' CMD ARGS...` keeps "dockerd" as the parent. */
  readonly prefix: readonly string[];
}

/** A python3 that still runs when copied elsewhere (the system one; a relocated pyenv build may not). */
function copyablePython(): string {
  if (existsSync('/usr/bin/python3')) return realpathSync('/usr/bin/python3');
  return execFileSync('python3', ['-c', 'import os,sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).trim();
}

/** Copies the binaries into `dir`; null (with the reason) when the copied python does not run here. */
export function makeProxyTree(dir: string): ProxyTree | { readonly skip: string } {
  const proxy = path.join(dir, 'docker-proxy');
  const daemon = path.join(dir, 'dockerd');
  copyFileSync(copyablePython(), proxy);
  copyFileSync(realpathSync('/bin/sh'), daemon);
  try {
    execFileSync(proxy, ['-c', 'import socket'], { stdio: 'ignore' });
  } catch {
    return { skip: 'a copy of python3 does not run from another directory here' };
  }
  return { proxy, prefix: [daemon, '-c', '"$0" "$@"; exit $?'] };
}
