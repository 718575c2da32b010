import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/why/why.js';
import type { FindingLevel, WhyVerdict } from '../../src/core/why/why-types.js';
import { container, entry, factsFor, listen, program, type FactsInput } from '../fixtures/why/facts.js';

const httpHealth = { kind: 'http' as const, path: '/health', expect: null, timeoutMs: null, https: false };
const gateway = entry({ id: 'gateway', name: 'API网关', port: 8080, env: 'GATEWAY_PORT', process: ['gateway'], health: httpHealth });
const admin = entry({ id: 'admin', port: 8081 });
const backend = entry({ id: 'backend', port: 8000, env: 'BACKEND_PORT', docker: 'backend', process: ['uvicorn'], health: httpHealth });

interface Case {
  readonly name: string;
  readonly input: FactsInput;
  readonly verdict: WhyVerdict;
  readonly next: string;
  readonly command?: string | null;
  /** Exit 0 expected; default: verdict healthy or up. */
  readonly ok?: boolean;
  /** Findings that must be present, as [level, text]. */
  readonly findings?: readonly (readonly [FindingLevel, string])[];
}

const cases: Case[] = [
  {
    name: 'healthy: the expected program listens and the probe passes',
    input: { defs: [gateway, admin], id: 'gateway', sockets: [listen(8080, [10])], procs: [program(10, 'gateway')], health: { ok: true, latencyMs: 3.2, detail: 'HTTP 200 from /health' } },
    verdict: 'healthy',
    next: 'nothing to do: gateway is up and healthy',
    command: null,
    findings: [
      ['info', 'port 8080 is the registry default (GATEWAY_PORT is not set)'],
      ['ok', 'gateway (PID 10) listens on 0.0.0.0:8080 (IPv4): the expected program'],
      ['ok', 'health: HTTP 200 from /health (3.2 ms)'],
    ],
  },
  {
    name: 'up without a probe',
    input: { defs: [admin], id: 'admin', sockets: [listen(8081, [11])], procs: [program(11, 'node')] },
    verdict: 'up',
    next: 'nothing to do: admin is up (no health probe configured)',
    findings: [['info', 'no health probe in the registry (add health: { http: /health })'], ['info', 'port 8081 is the registry default (no env var moves it)']],
  },
  {
    name: 'nothing listening (not a compose service)',
    input: { defs: [gateway], id: 'gateway' },
    verdict: 'down',
    next: 'start gateway so that it listens on port 8080',
    command: null,
    findings: [['fail', 'nothing listens on TCP port 8080'], ['info', "health probe not run: gateway's program is not listening"]],
  },
  {
    name: 'the wrong program holds the port (the seed: java on the gateway port)',
    input: { defs: [gateway, admin], id: 'gateway', sockets: [listen(8080, [1234])], procs: [program(1234, 'java', 'java -jar jenkins.war')] },
    verdict: 'conflict',
    next: 'stop PID 1234 (java) or set GATEWAY_PORT=8082',
    command: 'vhtop kill 8080',
    findings: [['fail', "java (PID 1234) holds 0.0.0.0:8080 (IPv4): not gateway's program"]],
  },
  {
    name: 'a port published by a container holds the port',
    input: { defs: [gateway], id: 'gateway', sockets: [listen(8080, [99])], procs: [{ ...program(99, 'docker-proxy', '/usr/bin/docker-proxy -proto tcp -host-port 8080'), dockerProxy: true }] },
    verdict: 'conflict',
    next: 'a container publishes port 8080: stop it (docker ps --filter publish=8080) or set GATEWAY_PORT=8081',
    command: 'docker ps --filter publish=8080',
  },
  {
    name: 'an entry without env var is moved in the registry',
    input: { defs: [entry({ id: 'grafana', port: 3000, process: ['grafana'] })], id: 'grafana', sockets: [listen(3000, [7])], procs: [program(7, 'node')] },
    verdict: 'conflict',
    next: 'stop PID 7 (node) or move grafana to another port in the registry (3001 is free)',
  },
  {
    name: 'env override in effect through the environment, shadowing .env',
    input: { defs: [gateway], id: 'gateway', processEnv: { GATEWAY_PORT: '9090' }, fileEnv: { GATEWAY_PORT: '9091' }, sockets: [listen(9090, [10])], procs: [program(10, 'gateway')], health: { ok: true, latencyMs: 1, detail: 'HTTP 200 from /health' } },
    verdict: 'healthy',
    next: 'nothing to do: gateway is up and healthy',
    findings: [['info', 'port 9090 comes from GATEWAY_PORT=9090 in the environment (registry default 8080); it wins over GATEWAY_PORT=9091 in /srv/app/.env']],
  },
  {
    name: 'env override from .env; the program still sits on the default port',
    input: { defs: [gateway], id: 'gateway', fileEnv: { GATEWAY_PORT: '9091' }, sockets: [listen(8080, [10])], procs: [program(10, 'gateway')] },
    verdict: 'down',
    next: 'restart gateway so that it reads GATEWAY_PORT=9091, or unset GATEWAY_PORT to keep port 8080',
    findings: [
      ['info', 'port 9091 comes from GATEWAY_PORT=9091 in /srv/app/.env (registry default 8080)'],
      ['warn', 'gateway (PID 10) still listens on the default port 8080: it did not pick up GATEWAY_PORT'],
    ],
  },
  {
    name: 'docker not installed: container state unknown',
    input: { defs: [backend], id: 'backend', container: container('backend', 'unknown', { reason: 'no-docker', detail: 'docker not installed: container state unknown' }) },
    verdict: 'down',
    next: 'start backend so that it listens on port 8000 (docker is not installed here, so its container cannot be checked)',
    findings: [['warn', 'docker not installed: container state unknown']],
  },
  {
    name: 'docker daemon down',
    input: { defs: [backend], id: 'backend', container: container('backend', 'unknown', { reason: 'daemon-down', detail: 'the Docker daemon is not running: container state unknown' }) },
    verdict: 'down',
    next: 'start the Docker daemon, then the service: docker compose up -d backend',
    command: 'sudo systemctl start docker',
    findings: [['warn', 'the Docker daemon is not running: container state unknown']],
  },
  {
    name: 'no container yet',
    input: { defs: [backend], id: 'backend', container: container('backend', 'absent') },
    verdict: 'down',
    next: 'start it: docker compose up -d backend',
    command: 'docker compose up -d backend',
    findings: [['fail', 'no container for backend: never started, or removed']],
  },
  {
    name: 'container crashed: read the logs',
    input: {
      defs: [backend],
      id: 'backend',
      container: container('backend', 'exited', { exitCode: 1, detail: 'Exited (1) 2 minutes ago' }),
      logs: { lines: ['Traceback (most recent call last):', 'ModuleNotFoundError: No module named fastapi'] },
    },
    verdict: 'down',
    next: 'look at the logs: vhtop logs backend',
    command: 'vhtop logs backend',
    findings: [['fail', 'container backend exited with code 1 (Exited (1) 2 minutes ago)'], ['info', 'last 2 log lines:']],
  },
  {
    name: 'container stopped cleanly, with a compose file that needs -f',
    input: { defs: [backend], id: 'backend', container: container('backend', 'exited', { exitCode: 0 }), composeCommand: ['docker', 'compose', '-f', '/srv/my app/compose.yaml'] },
    verdict: 'down',
    next: "start it: docker compose -f '/srv/my app/compose.yaml' up -d backend",
    command: "docker compose -f '/srv/my app/compose.yaml' up -d backend",
  },
  {
    name: 'container paused',
    input: { defs: [backend], id: 'backend', container: container('backend', 'paused'), composeCommand: ['docker-compose'] },
    verdict: 'down',
    next: 'unpause it: docker-compose unpause backend',
  },
  {
    name: 'container running but nothing on the port',
    input: { defs: [backend], id: 'backend', container: container('backend', 'running', { detail: 'Up 5 minutes' }), logs: { lines: [] } },
    verdict: 'down',
    next: 'the container runs but nothing listens on port 8000: check its port mapping (docker compose port backend 8000) and look at the logs: vhtop logs backend',
    findings: [['ok', 'container backend is running (Up 5 minutes)'], ['info', 'no log output']],
  },
  {
    name: 'listening but unhealthy (compose)',
    input: {
      defs: [backend],
      id: 'backend',
      sockets: [listen(8000, [50])],
      procs: [program(50, 'uvicorn')],
      container: container('backend', 'running', { health: 'unhealthy', detail: 'Up 1 minute (unhealthy)' }),
      health: { ok: false, latencyMs: 4.5, detail: 'HTTP 500 from /health' },
    },
    verdict: 'unhealthy',
    next: 'it listens but fails its health check (HTTP 500 from /health): look at the logs: vhtop logs backend',
    command: 'vhtop logs backend',
    findings: [['fail', 'health: HTTP 500 from /health (4.5 ms)'], ['warn', 'container backend is running but docker reports it unhealthy (Up 1 minute (unhealthy))']],
  },
  {
    name: 'listening but the probe times out (not compose)',
    input: { defs: [gateway], id: 'gateway', sockets: [listen(8080, [10])], procs: [program(10, 'gateway')], health: { ok: false, latencyMs: null, detail: 'no answer within 2 s' } },
    verdict: 'unhealthy',
    next: "it listens but fails its health check (no answer within 2 s): look at gateway's own logs",
    findings: [['fail', 'health: no answer within 2 s']],
  },
  {
    name: 'exposed: bind local on all interfaces, both families',
    input: {
      defs: [entry({ id: 'redis', port: 6379, process: ['redis-server'], bind: 'local' })],
      id: 'redis',
      sockets: [listen(6379, [30]), listen(6379, [30], { localAddress: '::', inode: 9999 })],
      procs: [program(30, 'redis-server')],
    },
    verdict: 'up',
    ok: false,
    next: 'bind redis to 127.0.0.1 instead of 0.0.0.0 (the registry says bind: local)',
    findings: [
      ['ok', 'redis-server (PID 30) listens on 0.0.0.0:6379 (IPv4) and [::]:6379 (IPv6): the expected program'],
      ['warn', 'exposed: the registry says bind: local, but it listens on 0.0.0.0:6379 (IPv4) and [::]:6379 (IPv6), reachable from other machines'],
    ],
  },
  {
    name: 'IPv6 loopback only',
    input: { defs: [admin], id: 'admin', sockets: [listen(8081, [11], { localAddress: '::1' })], procs: [program(11, 'node')] },
    verdict: 'up',
    next: 'nothing to do: admin is up (no health probe configured)',
    findings: [['warn', 'it listens on IPv6 loopback only: clients that use 127.0.0.1 cannot reach it']],
  },
  {
    name: 'a catalogue collision, and the other entry holds the port',
    input: {
      defs: [entry({ id: 'web', name: 'Web', port: 3000, env: 'WEB_PORT', process: ['web'] }), entry({ id: 'docs', name: 'Docs', port: 3000, process: ['docs'] })],
      id: 'web',
      sockets: [listen(3000, [20])],
      procs: [program(20, 'docs')],
    },
    verdict: 'conflict',
    next: "stop PID 20 (docs) (the catalogue's docs) or set WEB_PORT=3001",
    findings: [['warn', 'the catalogue also puts docs (Docs) on TCP port 3000']],
  },
  {
    name: 'an owner vhtop cannot see is unverified, never "the expected program"; the socket uid is named',
    input: { defs: [admin], id: 'admin', sockets: [listen(8081, [], { uid: 0, uidUser: 'root', ownerUnknown: 'owner not visible: socket of uid 0 and vhtop is not root' })] },
    verdict: 'unverified',
    next: 'cannot see the owner: run with sudo, then look again: sudo vhtop why admin',
    command: 'sudo vhtop why admin',
    findings: [['warn', 'a socket of uid 0 (root) whose process vhtop cannot see holds 0.0.0.0:8081 (IPv4): cannot see the owner: run with sudo']],
  },
  {
    name: 'an owner in another PID namespace: no sudo advice',
    input: { defs: [admin], id: 'admin', sockets: [listen(8081, [], { uid: 0, uidUser: 'root', ownerUnknown: 'owner not visible: held by a process outside this PID namespace, or closed during the scan' })] },
    verdict: 'unverified',
    next: 'cannot see the owner: it is in another namespace, then look again',
    command: null,
  },
  {
    name: 'profiles: the dev server holds 8080, so gateway (prod) is inactive; why does not advise stopping it',
    input: {
      defs: [entry({ id: 'gw', port: 8080, process: ['gateway'], profiles: ['prod'] }), entry({ id: 'gw-dev', port: 8080, process: ['main'], profiles: ['dev'] })],
      id: 'gw',
      sockets: [listen(8080, [12])],
      procs: [program(12, 'main')],
    },
    verdict: 'inactive',
    next: 'nothing to do: port used by gw-dev, profile dev; gw is its alternative in another profile',
    command: null,
    findings: [['info', "main (PID 12) (the catalogue's gw-dev) holds 0.0.0.0:8080 (IPv4): port used by gw-dev, profile dev, an alternative of gw in another profile"]],
  },
  {
    name: 'profiles: python3 that both alternatives expect is the expected program of each',
    input: {
      defs: [entry({ id: 'algo', port: 8000, process: ['python3'], profiles: ['prod'] }), entry({ id: 'algo-dev', port: 8000, process: ['uvicorn', 'python3'], profiles: ['dev'] })],
      id: 'algo-dev',
      sockets: [listen(8000, [13])],
      procs: [program(13, 'python3')],
    },
    verdict: 'up',
    next: 'nothing to do: algo-dev is up (no health probe configured)',
    findings: [['ok', 'python3 (PID 13) listens on 0.0.0.0:8000 (IPv4): the expected program']],
  },
];

describe('diagnose', () => {
  it.each(cases)('$name', (c) => {
    const d = diagnose(factsFor(c.input));
    expect(d.verdict).toBe(c.verdict);
    expect(d.ok).toBe(c.ok ?? (c.verdict === 'healthy' || c.verdict === 'up'));
    expect(d.next.text).toBe(c.next);
    if (c.command !== undefined) expect(d.next.command).toBe(c.command);
    const have = d.findings.map((f) => [f.level, f.text]);
    for (const want of c.findings ?? []) expect(have).toContainEqual(want);
    // Every diagnosis starts with where the port came from and ends with the health line.
    expect(d.findings[0]?.topic).toBe('port');
    expect(d.findings[d.findings.length - 1]?.topic).toBe('health');
  });

  it('cleans process names before they reach a finding', () => {
    const d = diagnose(factsFor({ defs: [gateway], id: 'gateway', sockets: [listen(8080, [5])], procs: [program(5, 'evil\x1b[2J\u202e')] }));
    const text = [...d.findings.map((f) => f.text), d.next.text].join('\n');
    expect(text).not.toMatch(/\x1b|\u202e/);
    expect(d.verdict).toBe('conflict');
  });

  it('skips the suggested port when a listener already holds it', () => {
    const d = diagnose(
      factsFor({ defs: [gateway], id: 'gateway', sockets: [listen(8080, [1]), listen(8081, [2])], procs: [program(1, 'java'), program(2, 'nginx')] }),
    );
    expect(d.next.text).toBe('stop PID 1 (java) or set GATEWAY_PORT=8082');
  });
});
