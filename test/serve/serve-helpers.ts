/**
 * Helpers for the exporter tests: `vhtop serve` as a child process, a real Prometheus (temp config and
 * TSDB on a free loopback port), promtool, and a TLS certificate made by openssl. Every child is
 * tracked and stopped by stopServeChildren().
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, ROOT } from '../helpers/built-cli.js';
import { closedPort } from '../e2e/cli-helpers.js';
import { killChildren } from '../helpers/child-set.js';

export { ROOT };

/** Whether `cmd` is on PATH. */
export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const children = new Set<ChildProcess>();

/** The environment of a run: the runner's, without VHTOP_* and *_PORT (they would move ports). */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('VHTOP_') && !k.endsWith('_PORT'))) as Record<string, string>;
  return { ...base, VHTOP_CACHE_DIR: 'off', ...extra };
}

/** Polls an async condition until it holds (or throws "not reached: what" after `limitMs`). */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, limitMs = 120_000): Promise<T> {
  const end = Date.now() + limitMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`not reached: ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    await sleep(100);
  }
}

/** A running `vhtop serve`. */
export interface ServeChild {
  readonly child: ChildProcess;
  /** The metrics URL from its start-up line. */
  readonly metricsUrl: string;
  /** host:port, for a Prometheus target. */
  readonly target: string;
  stderr(): string;
  /** SIGTERM, then the exit code and signal. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `vhtop serve ...args` in `cwd` and waits for its "listening on URL" line. */
export function startServe(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<ServeChild> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (https?:\/\/(\S+?)\/metrics)/.exec(out);
      if (m) {
        resolve({
          child,
          metricsUrl: m[1] as string,
          target: m[2] as string,
          stderr: () => err,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((r) => reject(new Error(`vhtop serve exited early (${r.code ?? r.signal}): ${err}`)));
  });
}

/** A running Prometheus. */
export interface PromServer {
  readonly url: string;
  /** Instant query: the result vector. */
  query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Active alerts. */
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  stop(): Promise<void>;
}

/**
 * Starts Prometheus with `config` (YAML text) in `dir` (its TSDB goes there too) on a free loopback
 * port and waits until it is ready. Retries another port if the chosen one was taken meanwhile.
 */
export async function startPrometheus(dir: string, config: string): Promise<PromServer> {
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  for (let attempt = 0; ; attempt++) {
    const port = await closedPort();
    const child = spawn('prometheus', [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    const url = `http://127.0.0.1:${port}/`;
    try {
      await eventually('Prometheus ready', async () => {
        if (gone) throw new Error(`prometheus exited: ${err}`);
        return (await fetch(`${url}-/ready`)).ok;
      });
    } catch (e) {
      if (gone && attempt < 3 && /address already in use/.test(err)) continue;
      throw e;
    }
    const api = async <T>(p: string): Promise<T> => {
      const res = await fetch(`${url}api/v1/${p}`);
      const body = (await res.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success') throw new Error(`prometheus: ${body.error ?? res.status}`);
      return body.data;
    };
    return {
      url,
      query: async (q) => (await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`query?query=${encodeURIComponent(q)}`)).result,
      alerts: async () => (await api<{ alerts: { labels: Record<string, string>; state: string }[] }>('alerts')).alerts,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }
}

/** A self-signed certificate for 127.0.0.1 (and a second, unrelated key), made by openssl in `dir`. */
export function makeCertificate(dir: string): { cert: string; key: string; otherKey: string } {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  const otherKey = path.join(dir, 'other.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=vhtop-test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  execFileSync('openssl', ['genrsa', '-out', otherKey, '2048'], { stdio: 'ignore' });
  return { cert, key, otherKey };
}

/** Stops every child this file started (SIGKILL: a test that failed midway must not leave them). */
export async function stopServeChildren(): Promise<void> {
  await killChildren(children);
}
