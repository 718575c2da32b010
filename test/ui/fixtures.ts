import type { Listener, ProcessInfo, ServiceView, Snapshot } from '../../src/core/types.js';

/** A service row with sensible defaults. */
export function service(over: Partial<ServiceView> & { id: string }): ServiceView {
  return {
    name: over.id,
    group: 'app',
    port: 8080,
    defaultPort: over.port ?? 8080,
    envVar: null,
    portSource: 'default',
    protocol: 'tcp',
    status: 'up',
    pid: null,
    process: null,
    exposed: false,
    exposedOn: [],
    connections: 0,
    docker: null,
    health: null,
    usedBy: null,
    unseenOwner: null,
    ...over,
  };
}

/** A listener row; `key` is derived like the classifier derives it. */
export function listener(over: Partial<Listener> & { port: number }): Listener {
  const base = {
    protocol: 'tcp' as const,
    family: 4 as const,
    address: '0.0.0.0',
    state: 'LISTEN' as const,
    pid: null,
    pids: over.pid != null ? [over.pid] : [],
    process: null,
    user: null,
    command: null,
    service: null,
    status: 'unexpected' as const,
    exposed: false,
    connections: 0,
    dockerProxy: false,
    ownerUnknown: null,
    verified: over.pid != null,
    socketUid: -1,
    socketUser: null,
    inode: over.port * 10,
    remoteAddress: '0.0.0.0',
    remotePort: 0,
    ...over,
  };
  return { key: `${base.protocol}|${base.address}|${base.port}|${base.inode}`, ...base };
}

/** A process with defaults. */
export function proc(over: Partial<ProcessInfo> & { pid: number }): ProcessInfo {
  return {
    ppid: 1,
    pgid: over.pid,
    name: 'node',
    command: 'node server.js',
    uid: 1000,
    user: 'dev',
    startTime: 1000,
    state: 'S',
    cpuTicks: 0,
    rssBytes: 10 * 1024 * 1024,
    ...over,
  };
}

/** A snapshot from parts. */
export function snapshot(parts: {
  services?: ServiceView[];
  listeners?: Listener[];
  processes?: ProcessInfo[];
  takenAt?: string;
  notices?: string[];
  host?: string;
}): Snapshot {
  return {
    version: 1,
    host: parts.host ?? 'test-box',
    takenAt: parts.takenAt ?? '2026-11-21T20:00:00.000Z',
    probe: 'linux',
    profile: null,
    listeners: parts.listeners ?? [],
    services: parts.services ?? [],
    conflicts: [],
    processes: new Map((parts.processes ?? []).map((p) => [p.pid, p])),
    notices: parts.notices ?? [],
  };
}

/** The seed-like scene: Chinese names, one conflict, one down, an unexpected listener. */
export function seedScene(): Snapshot {
  return snapshot({
    services: [
      service({ id: 'gateway', name: 'API网关', port: 8080, status: 'conflict', pid: 300, process: 'java' }),
      service({ id: 'user-svc', name: '用户服务', port: 8081, status: 'up', pid: 301, process: 'node' }),
      service({ id: 'order-svc', name: '订单服务', port: 8082, status: 'down' }),
      service({ id: 'grafana', name: 'Grafana', port: 3000, status: 'up', pid: 302, process: 'grafana' }),
    ],
    listeners: [
      listener({ port: 8080, pid: 300, process: 'java', command: 'java -jar jenkins.war', service: 'gateway', status: 'conflict', user: 'root' }),
      listener({ port: 8081, pid: 301, process: 'node', command: 'node user.js', service: 'user-svc', status: 'expected', user: 'dev' }),
      listener({ port: 3000, pid: 302, process: 'grafana', command: 'grafana server', service: 'grafana', status: 'expected', user: 'grafana' }),
      listener({ port: 9999, pid: 303, process: 'python3', command: 'python3 -m http.server 9999', status: 'unexpected', exposed: false, user: 'dev' }),
    ],
    processes: [
      proc({ pid: 300, name: 'java', command: 'java -jar jenkins.war', user: 'root' }),
      proc({ pid: 301, name: 'node', command: 'node user.js' }),
      proc({ pid: 302, name: 'grafana', command: 'grafana server', user: 'grafana' }),
      proc({ pid: 303, name: 'python3', command: 'python3 -m http.server 9999' }),
    ],
  });
}
