/**
 * The Docker engine's view of published ports: which running container (and compose service) publishes
 * which host port. It lets a docker-proxy socket be matched to its compose service by the container's
 * labels and port mapping, and shows ports that no host process holds (`"userland-proxy": false`).
 */
import { realExec, type Exec } from '../actions/exec.js';
import { cleanText } from '../core/sanitize.js';
import { engineMayAnswer } from './engine-socket.js';
import type { Probe, ProbeData, Protocol, PublishedContainer } from '../core/types.js';

/** A whole `docker ps` must answer within this; a hung daemon must not stall a refresh. */
const DOCKER_PS_TIMEOUT_MS = 5_000;

const FORMAT = '{{.Names}}\t{{.Label "com.docker.compose.service"}}\t{{.Label "com.docker.compose.project"}}\t{{.Ports}}';

/** Parses `docker ps` `.Ports` ("127.0.0.1:8080->80/tcp, :::8080->80/tcp, 9000/tcp"): the published ones. */
export function parsePorts(text: string): PublishedContainer['ports'] {
  const out: { hostIp: string; port: number; protocol: Protocol }[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(.*):(\d+)(?:-(\d+))?->\d+(?:-\d+)?\/(tcp|udp)\s*$/.exec(part);
    if (!m) continue;
    const lo = Number(m[2]);
    const hi = m[3] === undefined ? lo : Number(m[3]);
    for (let p = lo; p <= hi && p - lo < 1000; p++) out.push({ hostIp: (m[1] ?? '').replace(/^\[|\]$/g, ''), port: p, protocol: m[4] as Protocol });
  }
  return out;
}

/** Parses the tab-separated rows of {@link FORMAT}. */
export function parseContainers(stdout: string): PublishedContainer[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [name = '', service = '', project = '', ports = ''] = line.split('\t');
      return { name: cleanText(name), service: service === '' ? null : cleanText(service), project: project === '' ? null : cleanText(project), ports: parsePorts(ports) };
    });
}

/** Running containers, or null when docker is missing, the daemon is down or it did not answer. */
export async function collectContainers(exec: Exec = realExec): Promise<PublishedContainer[] | null> {
  const r = await exec.run('docker', ['ps', '--no-trunc', '--format', FORMAT], { timeoutMs: DOCKER_PS_TIMEOUT_MS });
  if (r.notFound || r.cancelled || r.exitCode !== 0) return null;
  return parseContainers(r.stdout);
}

/**
 * Wraps a probe so that each pass also asks the engine (in parallel with the socket scan), when
 * {@link engineMayAnswer}; otherwise the pass is the socket scan alone, as with no engine.
 */
export function withContainers(probe: Probe, exec: Exec = realExec, mayAnswer: () => boolean = () => engineMayAnswer(process.env)): Probe {
  return {
    kind: probe.kind,
    async collect(): Promise<ProbeData> {
      if (!mayAnswer()) return probe.collect();
      const [data, containers] = await Promise.all([probe.collect(), collectContainers(exec)]);
      return containers === null ? data : { ...data, containers };
    },
  };
}
