/**
 * The real Docker engine for end-to-end tests: started when it is not running (and only then stopped
 * again, by the global teardown), a busybox image made without a registry, and compose projects that
 * are always taken down with `docker compose down -t 1` (containers outlive the test process otherwise).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The image every test container runs: busybox and a /www with a /health file for httpd. */
export const BUSYBOX_IMAGE = 'vhtop-test/busybox:1';

/** Where a dockerd this helper started is recorded, so that the global teardown stops only that one. */
export const STARTED_MARKER = path.join(tmpdir(), 'vhtop-test-dockerd.json');

/** Directories the real docker client and its compose plugin are found in. */
const DOCKER_DIRS = ['/usr/local/bin', '/usr/bin', '/bin'];

/** Result of one docker run. */
export interface DockerRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real docker client (never a shell). */
export function docker(args: readonly string[], opts: { cwd?: string; input?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<DockerRun> {
  return new Promise((resolve) => {
    const child = execFile(dockerPath() ?? 'docker', [...args], { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...opts.env } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 127;
      resolve({ code, stdout, stderr: err !== null && typeof err.code !== 'number' ? `${stderr}${err.message}` : stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Absolute path of the real docker client, or null. */
export function dockerPath(): string | null {
  return DOCKER_DIRS.map((d) => path.join(d, 'docker')).find((p) => existsSync(p)) ?? null;
}

function dockerdPath(): string | null {
  return ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd'].find((p) => existsSync(p)) ?? null;
}

/** Start time of a process (clock ticks since boot, /proc/PID/stat field 22), or null. */
export function startTimeOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}

async function engineAnswers(): Promise<boolean> {
  return (await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 })).code === 0;
}

/** Why the engine cannot be used here, or null when it answers (started now if it was not running). */
export async function ensureEngine(): Promise<string | null> {
  if (dockerPath() === null) return 'no docker client installed (.ci/docker-engine installs the engine)';
  const compose = await docker(['compose', 'version'], { timeoutMs: 20_000 });
  if (compose.code !== 0 || !/version v?2\./i.test(compose.stdout)) return 'no docker compose v2 plugin (.ci/docker-engine installs it)';
  if (await engineAnswers()) return null;
  const dockerd = dockerdPath();
  if (dockerd === null) return 'dockerd is not installed (.ci/docker-engine installs it)';
  if (process.getuid?.() !== 0) return 'the Docker daemon is not running and only root can start it';
  const lock = `${STARTED_MARKER}.lock`;
  let mine = false;
  try {
    mkdirSync(lock);
    mine = true;
  } catch {
    // another test file is starting it: wait for it below
  }
  if (mine) {
    try {
      if (!(await engineAnswers())) {
        // detached = setsid(): its own session, so a test's process-group kill never reaches it. These
        // flags leave the host's firewall and forwarding settings alone; docker-proxy still serves ports.
        const child = spawn(dockerd, ['--iptables=false', '--ip-forward=false', '--ip-masq=false'], { detached: true, stdio: 'ignore' });
        child.unref();
        if (child.pid !== undefined) writeFileSync(STARTED_MARKER, JSON.stringify({ pid: child.pid, startTime: startTimeOf(child.pid) }));
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const end = Date.now() + 90_000;
  while (Date.now() < end) {
    if (await engineAnswers()) return null;
    await sleep(250);
  }
  return 'dockerd was started but did not answer `docker info` within 90 s';
}

/** Makes {@link BUSYBOX_IMAGE} from the host's static busybox (`docker import`, no registry). */
export async function ensureBusyboxImage(): Promise<string | null> {
  if ((await docker(['image', 'inspect', BUSYBOX_IMAGE], { timeoutMs: 30_000 })).code === 0) return null;
  if (!existsSync('/bin/busybox')) return 'busybox is not installed (.ci/docker-engine installs busybox-static)';
  const root = mkdtempSync(path.join(tmpdir(), 'vhtop-busybox-'));
  try {
    mkdirSync(path.join(root, 'bin'));
    mkdirSync(path.join(root, 'www'));
    mkdirSync(path.join(root, 'tmp'));
    writeFileSync(path.join(root, 'www', 'health'), 'ok\n');
    writeFileSync(path.join(root, 'bin', 'busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
    for (const tool of ['sh', 'httpd', 'nc', 'sleep', 'echo', 'wget', 'cat', 'true', 'false', 'ls', 'rm', 'touch', 'test', 'kill', 'printf']) {
      symlinkSync('busybox', path.join(root, 'bin', tool));
    }
    const tar = await new Promise<Buffer>((resolve, reject) => {
      execFile('tar', ['-C', root, '-c', '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, out) => (err ? reject(err) : resolve(out)));
    });
    const r = await new Promise<DockerRun>((resolve) => {
      const child = execFile(dockerPath() ?? 'docker', ['import', '-', BUSYBOX_IMAGE], { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
      });
      child.stdin?.end(tar);
    });
    // Two test files may import at once: the loser's failure is fine when the image is there now.
    if (r.code !== 0 && (await docker(['image', 'inspect', BUSYBOX_IMAGE])).code !== 0) return `docker import failed: ${r.stderr.trim()}`;
    return null;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Engine and image ready, or the reason they are not (the test then skips and prints it). */
export async function engineReady(): Promise<string | null> {
  return (await ensureEngine()) ?? (await ensureBusyboxImage());
}

/** A compose project in its own directory, with a unique project name. */
export interface ComposeProject {
  readonly dir: string;
  readonly name: string;
  /** `docker compose -p NAME -f ... ARGS` in the project directory. */
  compose(args: readonly string[], timeoutMs?: number): Promise<DockerRun>;
  /** Always `docker compose down -t 1`, then the directory goes. */
  down(): Promise<void>;
}

/**
 * Writes `files` (name -> text) into a fresh directory and returns the project; `composeFiles` are
 * the `-f` files in order (default: compose.yaml).
 */
export function composeProject(prefix: string, files: Readonly<Record<string, string>>, composeFiles: readonly string[] = ['compose.yaml']): ComposeProject {
  const dir = mkdtempSync(path.join(tmpdir(), `vhtop-${prefix}-`));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const name = `vhtop${prefix.replace(/[^a-z0-9]/g, '')}${process.pid}${Math.floor(Math.random() * 1e6)}`;
  const fileArgs = composeFiles.flatMap((f) => ['-f', f]);
  const compose = (args: readonly string[], timeoutMs = 180_000) => docker(['compose', '-p', name, ...fileArgs, ...args], { cwd: dir, timeoutMs });
  return {
    dir,
    name,
    compose,
    async down() {
      await compose(['down', '-t', '1', '--remove-orphans']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A PATH for vhtop under test: a directory with the real docker client and the plain tools, never the
 * system directories (which may hold other things named docker).
 */
export function dockerPathDir(parent: string): string {
  const bin = path.join(parent, 'docker-bin');
  mkdirSync(bin, { recursive: true });
  const real = dockerPath();
  if (real !== null && !existsSync(path.join(bin, 'docker'))) symlinkSync(real, path.join(bin, 'docker'));
  return bin;
}

/** A busybox service that serves /www on `port` inside the container (httpd answers /health). */
export function httpService(port: number, extra = ''): string {
  return `    image: ${BUSYBOX_IMAGE}\n    init: true\n    command: ["httpd", "-f", "-p", "${port}", "-h", "/www"]\n${extra}`;
}

/**
 * Free loopback TCP ports, one per name (the kernel picks them: two runs of the same test file at
 * once never ask for the same port, as fixed numbers would).
 */
export async function freePorts(count: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
