import net from 'node:net';
import { LOCAL_TARGET } from '../core/hosts.js';
import { cleanText } from '../core/sanitize.js';
import type { HealthResult } from '../core/types.js';
import { runWithInput, spawnPiped } from './exec.js';
import { checkHealth, DEFAULT_HEALTH_TIMEOUT_MS, type HealthTarget } from './health.js';
import { sshArgs, type SshSettings } from './ssh.js';

/** `[host]:port` as `ssh -W` wants an IPv6 address. */
function forwardSpec(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * A loopback listener on this machine whose every connection is one `ssh -W HOST:PORT TARGET`
 * tunnel: the unchanged HTTP and WebSocket probes then see the service as the server itself does,
 * local-only services included.
 */
async function openTunnel(target: string, ssh: SshSettings, host: string, port: number): Promise<{ port: number; close(): void }> {
  const args = await sshArgs(target, ssh, [], ['-W', forwardSpec(host, port)]);
  const children = new Set<() => void>();
  const server = net.createServer((socket) => {
    const child = spawnPiped(ssh.ssh ?? 'ssh', args);
    children.add(child.stop);
    socket.pipe(child.stdin as NodeJS.WritableStream);
    (child.stdout as NodeJS.ReadableStream).pipe(socket);
    socket.on('error', () => child.stop());
    socket.on('close', () => child.stop());
    void child.done.then(() => {
      children.delete(child.stop);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () => {
      server.close();
      for (const stop of children) stop();
    },
  };
}

/**
 * `{ tcp: true }` through ssh: a tunnel that opens is a connection the service accepted; ssh says
 * "open failed" (and exits 255) when the server's connect was refused.
 */
async function tcpThroughSsh(target: string, ssh: SshSettings, t: HealthTarget): Promise<HealthResult> {
  const timeoutMs = t.spec.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const started = performance.now();
  const r = await runWithInput(ssh.ssh ?? 'ssh', await sshArgs(target, ssh, [], ['-W', forwardSpec(t.host, t.port)]), '', { maxBytes: 64 * 1024, timeoutMs });
  const latencyMs = Math.round(performance.now() - started);
  if (/open failed|connect failed/i.test(r.stderr)) {
    const why = /refused/i.test(r.stderr) ? 'connection refused' : cleanText(r.stderr.trim().split('\n').pop() ?? '').slice(0, 120);
    return { ok: false, latencyMs: null, detail: `${why} (on ${target})` };
  }
  if (r.exitCode === 255) return { ok: false, latencyMs: null, detail: `ssh failed (on ${target})` };
  return { ok: true, latencyMs, detail: 'connection accepted' };
}

/** Health of `targets` as `target` sees them: directly for `local`, through `ssh -W` otherwise. */
export async function hostHealth(target: string, ssh: SshSettings, targets: readonly HealthTarget[]): Promise<Map<string, HealthResult>> {
  if (target === LOCAL_TARGET) return checkHealth(targets);
  const results = new Map<string, HealthResult>();
  const tcp = targets.filter((t) => t.spec.kind === 'tcp');
  const other = targets.filter((t) => t.spec.kind !== 'tcp');
  const tunnels = await Promise.all(other.map((t) => openTunnel(target, ssh, t.host, t.port)));
  try {
    const [tunnelled, direct] = await Promise.all([
      checkHealth(other.map((t, i) => ({ ...t, host: '127.0.0.1', port: tunnels[i]?.port ?? 0 }))),
      Promise.all(tcp.map((t) => tcpThroughSsh(target, ssh, t))),
    ]);
    for (const [id, r] of tunnelled) results.set(id, r);
    tcp.forEach((t, i) => results.set(t.id, direct[i] as HealthResult));
  } finally {
    for (const t of tunnels) t.close();
  }
  return results;
}
