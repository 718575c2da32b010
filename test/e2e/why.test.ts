import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { closedPort } from '../fixtures/why/servers.js';
import { isBuilt, runVhtop, standInDocker, startNodeServer, stopServers } from '../fixtures/why/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * `vhtop why` through the built CLI (`npx tsc -p .` first): real servers in child processes, temp
 * registries naming their ports, and a stand-in `docker` on PATH for the container cases.
 */

let dirs: { remove(): void }[] = [];
function workDir(): string {
  const t = tempDir('vhtop-why-');
  dirs.push(t);
  return t.dir;
}
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});
afterAll(stopServers);
beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/cli.js missing: run `npx tsc -p .` first');
});

function registry(dir: string, entries: string): void {
  writeFileSync(path.join(dir, 'registry.yaml'), `version: 1\nservices:\n${entries}`);
}

function gateway(port: number, processNames = '[node]'): string {
  return `  - id: gateway\n    name: API网关\n    port: ${port}\n    env: GATEWAY_PORT\n    group: app\n    process: ${processNames}\n    health: { http: /health }\n`;
}

function backend(port: number): string {
  return `  - id: backend\n    name: AI小说后端\n    port: ${port}\n    group: app\n    process: [uvicorn]\n    docker: backend\n    health: { http: /health }\n`;
}

/** Writes a compose file with the backend service (`name` in `dir`); returns its path. */
function composeFile(dir: string, name = 'compose.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, 'services:\n  backend:\n    image: x\n');
  return file;
}

/** A PATH with nothing on it: no docker, no docker-compose. */
function emptyPath(dir: string): string {
  const p = path.join(dir, 'empty-bin');
  mkdirSync(p, { recursive: true });
  return p;
}

describe('vhtop why (built CLI)', () => {
  it('healthy service: exit 0, the expected program, the probe result, nothing to do', async () => {
    const dir = workDir();
    const server = await startNodeServer(200);
    registry(dir, gateway(server.port));
    const r = await runVhtop(['why', 'gateway'], dir, { PATH: emptyPath(dir) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`gateway (API网关), TCP port ${server.port}: UP, HEALTHY`);
    expect(r.stdout).toContain(`node (PID ${server.pid}) listens on 127.0.0.1:${server.port} (IPv4): the expected program`);
    expect(r.stdout).toMatch(/health: HTTP 200 from \/health \([\d.]+ ms\)/);
    expect(r.stdout).toContain('next: nothing to do: gateway is up and healthy');
  });

  it('--json gives the same findings as data', async () => {
    const dir = workDir();
    const server = await startNodeServer(200);
    registry(dir, gateway(server.port));
    const r = await runVhtop(['why', 'gateway', '--json'], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      version: 1,
      service: { id: 'gateway', name: 'API网关', protocol: 'tcp', docker: null },
      verdict: 'healthy',
      ok: true,
      port: { port: server.port, defaultPort: server.port, source: 'default', envVar: 'GATEWAY_PORT', envFile: null },
      listeners: [{ address: '127.0.0.1', family: 4, pid: server.pid, process: 'node', own: true, status: 'expected' }],
      collisions: [],
      container: null,
      logs: null,
      health: { ok: true, detail: 'HTTP 200 from /health' },
      next: { text: 'nothing to do: gateway is up and healthy', command: null },
    });
    expect(typeof j.health.latencyMs).toBe('number');
    expect(j.findings.map((f: { topic: string }) => f.topic)).toEqual(['port', 'listener', 'health']);
  });

  it('unhealthy service (HTTP 500): exit 1', async () => {
    const dir = workDir();
    const server = await startNodeServer(500);
    registry(dir, gateway(server.port));
    const r = await runVhtop(['why', 'gateway'], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('UP, UNHEALTHY');
    expect(r.stdout).toContain("next: it listens but fails its health check (HTTP 500 from /health): look at gateway's own logs");
  });

  it('nothing listening: exit 1, and says so', async () => {
    const dir = workDir();
    const port = await closedPort();
    registry(dir, gateway(port));
    const r = await runVhtop(['why', 'gateway'], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`port ${port}: DOWN`);
    expect(r.stdout).toContain(`FAIL  nothing listens on TCP port ${port}`);
    expect(r.stdout).toContain(`next: start gateway so that it listens on port ${port}`);
  });

  it('the wrong program holds the port: names it and the fix', async () => {
    const dir = workDir();
    const server = await startNodeServer(200);
    registry(dir, gateway(server.port, '[gateway]'));
    const r = await runVhtop(['why', 'gateway'], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CONFLICT');
    expect(r.stdout).toContain(`node (PID ${server.pid}) holds 127.0.0.1:${server.port} (IPv4): not gateway's program`);
    expect(r.stdout).toMatch(new RegExp(`next: stop PID ${server.pid} \\(node\\) or set GATEWAY_PORT=\\d+`));
    // The wrong program is not probed: its answer says nothing about the gateway.
    expect(r.stdout).toContain("health probe not run: gateway's program is not listening");
  });

  it('env override in effect through --env FILE', async () => {
    const dir = workDir();
    const server = await startNodeServer(200);
    const idle = await closedPort();
    registry(dir, gateway(idle));
    const envFile = path.join(dir, 'prod.env');
    writeFileSync(envFile, `# moved\nGATEWAY_PORT=${server.port}\n`);
    const r = await runVhtop(['why', 'gateway', '--env', envFile], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`port ${server.port} comes from GATEWAY_PORT=${server.port} in ${envFile} (registry default ${idle})`);
    expect(r.stdout).toContain('UP, HEALTHY');
  });

  it('env override in effect through the environment, winning over ./.env', async () => {
    const dir = workDir();
    const server = await startNodeServer(200);
    const idle = await closedPort();
    registry(dir, gateway(idle));
    writeFileSync(path.join(dir, '.env'), `GATEWAY_PORT=${idle}\n`);
    const r = await runVhtop(['why', 'gateway'], dir, { PATH: emptyPath(dir), GATEWAY_PORT: String(server.port) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `port ${server.port} comes from GATEWAY_PORT=${server.port} in the environment (registry default ${idle}); it wins over GATEWAY_PORT=${idle} in ${path.join(dir, '.env')}`,
    );
  });

  it('exposed and a catalogue collision: both warned, the next step is to bind to loopback', async () => {
    const dir = workDir();
    const server = await startNodeServer(200, '0.0.0.0');
    const admin = `  - id: admin\n    name: 管理后台\n    port: ${server.port}\n    group: app\n    process: [node]\n    bind: local\n    health: { http: /health }\n`;
    const docs = `  - id: docs\n    name: Docs\n    port: ${server.port}\n    group: dev\n`;
    registry(dir, admin + docs);
    const r = await runVhtop(['why', 'admin'], dir, { PATH: emptyPath(dir) });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`WARN  exposed: the registry says bind: local, but it listens on 0.0.0.0:${server.port} (IPv4), reachable from other machines`);
    expect(r.stdout).toContain(`WARN  the catalogue also puts docs (Docs) on TCP port ${server.port}`);
    expect(r.stdout).toContain('next: bind admin to 127.0.0.1 instead of 0.0.0.0 (the registry says bind: local)');
    const j = JSON.parse((await runVhtop(['why', 'admin', '--json'], dir, { PATH: emptyPath(dir) })).stdout);
    expect(j.collisions).toEqual(['docs']);
    expect(j.listeners).toMatchObject([{ address: '0.0.0.0', pid: server.pid, own: true, exposed: true }]);
    expect(j.findings.map((f: { topic: string }) => f.topic)).toEqual(['port', 'listener', 'exposed', 'collision', 'health']);
  });

  it('docker missing: container state unknown, said honestly', async () => {
    const dir = workDir();
    registry(dir, backend(await closedPort()));
    composeFile(dir);
    const r = await runVhtop(['why', 'backend'], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WARN  docker not installed: container state unknown');
    expect(r.stdout).toContain('(docker is not installed here, so its container cannot be checked)');
  });

  it('container exited: runs the exact ps and logs command lines, shows cleaned log lines, points at the logs', async () => {
    const dir = workDir();
    const port = await closedPort();
    registry(dir, backend(port));
    const compose = composeFile(dir);
    const docker = standInDocker(dir, {
      ps: `${JSON.stringify({ Name: 'app-backend-1', Service: 'backend', State: 'exited', Status: 'Exited (1) 2 minutes ago', Health: '', ExitCode: 1 })}\n`,
      logs: 'backend-1  | Traceback (most recent call last):\nbackend-1  | ModuleNotFoundError: No module named \x1b[31mfastapi\x1b[0m\n',
    });
    const r = await runVhtop(['why', 'backend'], dir, { PATH: docker.bin });
    expect(r.code).toBe(1);
    expect(docker.calls()).toContainEqual(['compose', '-f', compose, 'ps', '--all', '--format', 'json', '--', 'backend']);
    expect(docker.calls()).toContainEqual(['compose', '-f', compose, 'logs', '--no-color', '--tail', '10', '--', 'backend']);
    expect(docker.calls().filter((c) => c[0] === 'compose' && (c.includes('ps') || c.includes('logs')))).toHaveLength(2);
    expect(r.stdout).toContain('FAIL  container backend exited with code 1 (Exited (1) 2 minutes ago)');
    expect(r.stdout).toContain('| backend-1  | ModuleNotFoundError: No module named fastapi');
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toContain('next: look at the logs: vhtop logs backend');
  });

  it('compose service up and healthy: container running, last log lines shown, exit 0', async () => {
    const dir = workDir();
    const server = await startNodeServer(200);
    registry(dir, backend(server.port).replace('process: [uvicorn]', 'process: [node]'));
    const compose = composeFile(dir);
    const docker = standInDocker(dir, {
      ps: JSON.stringify([{ Service: 'backend', State: 'running', Status: 'Up 4 minutes (healthy)', Health: 'healthy', ExitCode: 0 }]),
      logs: 'backend-1  | INFO:     Application startup complete.\n',
    });
    const r = await runVhtop(['why', 'backend'], dir, { PATH: docker.bin });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok    container backend is running (Up 4 minutes (healthy))');
    expect(r.stdout).toContain('info  last 1 log lines:');
    expect(r.stdout).toContain('| backend-1  | INFO:     Application startup complete.');
    expect(r.stdout).toContain('next: nothing to do: backend is up and healthy');
    expect(docker.calls()).toContainEqual(['compose', '-f', compose, 'logs', '--no-color', '--tail', '10', '--', 'backend']);
  });

  it('no container yet: start it with docker compose (an explicit --compose-file goes into the command)', async () => {
    const dir = workDir();
    registry(dir, backend(await closedPort()));
    const elsewhere = path.join(dir, 'deploy');
    mkdirSync(elsewhere);
    const compose = composeFile(elsewhere, 'docker-compose.yml');
    const docker = standInDocker(dir, { ps: '' });
    const r = await runVhtop(['why', 'backend', '--compose-file', compose], dir, { PATH: docker.bin });
    expect(r.code).toBe(1);
    expect(docker.calls()).toContainEqual(['compose', '-f', compose, 'ps', '--all', '--format', 'json', '--', 'backend']);
    // No container: there are no logs to ask for.
    expect(docker.calls().some((c) => c.includes('logs'))).toBe(false);
    expect(r.stdout).toContain('FAIL  no container for backend: never started, or removed');
    expect(r.stdout).toContain(`next: start it: docker compose -f ${compose} up -d backend`);
  });

  it('docker daemon down: says so instead of guessing', async () => {
    const dir = workDir();
    registry(dir, backend(await closedPort()));
    composeFile(dir);
    const docker = standInDocker(dir, {
      ps: '',
      failExit: 1,
      failStderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
    });
    const r = await runVhtop(['why', 'backend', '--json'], dir, { PATH: docker.bin });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.container).toMatchObject({ state: 'unknown', reason: 'daemon-down', detail: 'the Docker daemon is not running: container state unknown' });
    expect(j.logs).toBeNull();
    expect(j.next).toEqual({ text: 'start the Docker daemon, then the service: docker compose up -d backend', command: 'sudo systemctl start docker' });
  });

  it('unknown SERVICE: exit 2 with close matches, no stack trace', async () => {
    const dir = workDir();
    registry(dir, gateway(await closedPort()));
    const r = await runVhtop(['why', 'gatewy'], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vhtop: unknown service "gatewy" in .*registry\.yaml; did you mean gateway\?/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('missing SERVICE: exit 2', async () => {
    const dir = workDir();
    registry(dir, gateway(await closedPort()));
    const r = await runVhtop(['why'], dir, { PATH: emptyPath(dir) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vhtop why needs a SERVICE');
  });
});
