import { buildSnapshot } from '../core/snapshot.js';
import type { Catalogue, EnvSources, ServiceDef } from '../core/types.js';
import { RemoteProbe } from '../probe/remote.js';
import { composeLogArgs, validateDockerName } from './compose.js';
import { runWithInput } from './exec.js';
import { journalArgs, unitFromCgroup } from './journal.js';
import type { LogSource } from './log-source.js';
import { sshArgs, shellCommand, type SshSettings } from './ssh.js';
import { cleanText } from '../core/sanitize.js';

/** One word for the remote shell that parses ssh's joined command line. */
export function shellWord(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/**
 * The log source of `def` on a remote host, run through the same ssh connection: `docker compose
 * logs` there (with `--compose-file` as a path on that host), else `journalctl -u` for the systemd
 * unit of the port's owner there.
 */
export async function pickRemoteLogSource(
  target: string,
  ssh: SshSettings,
  def: ServiceDef,
  o: { readonly tail: number; readonly follow: boolean; readonly composeFile: string | null },
  world: { readonly catalogue: Catalogue; readonly env: EnvSources; readonly profile: string | null },
): Promise<LogSource> {
  const label = cleanText(def.id);
  const viaSsh = async (command: readonly string[], kind: 'compose' | 'journal', service: string): Promise<LogSource> => ({
    kind,
    file: ssh.ssh ?? 'ssh',
    args: await sshArgs(target, ssh, command.map(shellWord)),
    label: `${label} on ${cleanText(target)}`,
    service,
  });
  if (def.docker !== null) {
    if (!validateDockerName(def.docker)) return { kind: 'unavailable', message: `registry docker name of ${label} is not a valid compose service name` };
    return viaSsh(['docker', ...composeLogArgs(o.composeFile, def.docker, o.tail, o.follow)], 'compose', def.docker);
  }
  const data = await new RemoteProbe(target, ssh).collect();
  const snap = buildSnapshot(data, world.catalogue, world.env, { profile: world.profile, all: false });
  const pid = snap.services.find((s) => s.id === def.id)?.pid ?? null;
  if (pid === null) return { kind: 'unavailable', message: `no log source known for ${label} on ${cleanText(target)} (no docker: name in the registry and nothing listens)` };
  const r = await runWithInput(ssh.ssh ?? 'ssh', await sshArgs(target, ssh, shellCommand(ssh)), `cat /proc/${pid}/cgroup\n`, { maxBytes: 64 * 1024, timeoutMs: 30_000 });
  const unit = r.exitCode === 0 ? unitFromCgroup(r.stdout.toString('latin1')) : null;
  if (unit === null) return { kind: 'unavailable', message: `no log source known for ${label} on ${cleanText(target)} (its process is not in a systemd unit)` };
  return viaSsh(['journalctl', ...journalArgs(unit, o.tail, o.follow)], 'journal', unit);
}
