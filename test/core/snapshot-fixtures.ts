/** Hand-built probe data and catalogue entries for the pure classification tests. */
import type { Catalogue, EnvSources, ProbeData, ProcessInfo, ResolvedService, ServiceDef, SocketEntry } from '../../src/core/types.js';

/** A socket; defaults: a TCP LISTEN on 0.0.0.0 with no owner. */
export function sock(p: Partial<SocketEntry> & { port: number; pids?: number[] }): SocketEntry {
  const { port, ...rest } = p;
  const family = rest.family ?? ((rest.localAddress ?? '0.0.0.0').includes(':') ? 6 : 4);
  return {
    protocol: 'tcp',
    localAddress: '0.0.0.0',
    localPort: port,
    remoteAddress: family === 6 ? '::' : '0.0.0.0',
    remotePort: 0,
    state: rest.protocol === 'udp' ? 'UNCONN' : 'LISTEN',
    inode: 1000 + port,
    uid: 1000,
    pids: [],
    ownerUnknown: rest.pids && rest.pids.length > 0 ? null : 'owner not visible',
    ...rest,
    family,
  };
}

/** A process; command defaults to its name. */
export function proc(pid: number, name: string, command = name): ProcessInfo {
  return { pid, ppid: 1, pgid: pid, name, command, uid: 1000, user: 'dev', startTime: 100, state: 'S', cpuTicks: 0, rssBytes: 0 };
}

/** ProbeData from sockets and processes. */
export function probeData(sockets: SocketEntry[], procs: ProcessInfo[] = [], notices: string[] = []): ProbeData {
  return {
    probe: 'linux',
    host: 'test-box',
    takenAt: '2026-11-21T20:30:00.000Z',
    sockets,
    processes: new Map(procs.map((p) => [p.pid, p])),
    notices,
  };
}

/** A registry entry. */
export function def(p: Partial<ServiceDef> & { id: string; port: number }): ServiceDef {
  return {
    name: p.id,
    protocol: 'tcp',
    env: null,
    group: 'app',
    profiles: null,
    process: null,
    docker: null,
    health: null,
    bind: null,
    line: 1,
    ...p,
  };
}

/** A resolved entry (effective port = default unless given). */
export function svc(p: Partial<ResolvedService> & { id: string; port: number }): ResolvedService {
  return { ...def(p), effectivePort: p.effectivePort ?? p.port, portSource: p.portSource ?? 'default' };
}

/** A catalogue from entries. */
export function catalogue(...services: ServiceDef[]): Catalogue {
  return { file: 'test.yaml', services };
}

/** Env sources; nothing set by default. */
export function env(processEnv: Record<string, string> = {}, fileEnv: Record<string, string> = {}): EnvSources {
  return { processEnv, fileEnv, fileName: null };
}
