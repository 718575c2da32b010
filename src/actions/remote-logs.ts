import { buildSnapshot } from '../core/snapshot.js';
import type { Catalogue, EnvSources, ServiceDef } from '../core/types.js';
import { RemoteProbe } from '../probe/remote.js';
import { composeLogArgs, validateDockerName } from './compose.js';
import { runWithInput } from './exec.js';
import { journalArgs, unitFromCgroup } from './journal.js';
import type { LogSource } from './log-source.js';
import { describeSshFailure, sshArgs, shellCommand, type SshSettings } from './ssh.js';
import { cleanText } from '../core/sanitize.js';

/** One word for the remote shell that parses ssh's joined command line. */
export function shellWord(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/**
 * The log source of `def` on a remote host, run through the same ssh connection: `docker compose
 * logs` there (with `--compose-file` as a path on that host), else `journalctl -u` for the systemd
 * unit of the port's owner there, else `tail` of the regular file its stdout or stderr points to
 * there (the same order as on this machine).
 */
export async function pickRemoteLogSource(
  target: string,
  ssh: SshSettings,
  def: ServiceDef,
  o: { readonly tail: number; readonly follow: boolean; readonly composeFile: string | null },
  world: { readonly catalogue: Catalogue; readonly env: EnvSources; readonly profile: string | null },
): Promise<LogSource> {
  const label = cleanText(def.id);
  const viaSsh = async (command: readonly string[], kind: 'compose' | 'journal' | 'file', service: string): Promise<LogSource> => ({
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
  const r = await runWithInput(ssh.ssh ?? 'ssh', await sshArgs(target, ssh, shellCommand(ssh)), outputProbeScript(pid), { maxBytes: 64 * 1024, timeoutMs: 30_000 });
  if (r.exitCode !== 0) return { kind: 'unavailable', message: `no log source known for ${label} on ${cleanText(target)}: ${describeSshFailure(r.exitCode, r.stderr, ssh)}` };
  const found = parseOutputProbe(r.stdout.toString('latin1'));
  if (found.unit !== null) return viaSsh(['journalctl', ...journalArgs(found.unit, o.tail, o.follow)], 'journal', found.unit);
  if ('path' in found.output) return viaSsh(['tail', '-n', String(o.tail), ...(o.follow ? ['-f'] : []), '--', found.output.path], 'file', found.output.path);
  return {
    kind: 'unavailable',
    message: `no log source for ${label} on ${cleanText(target)}; tried docker compose: no docker: name in the registry; journald: pid ${pid} is not in a systemd system unit; its stdout/stderr: ${found.output.why}`,
  };
}

const FD_MARK = '@@vhtop-fd';

/**
 * Run on the remote host (POSIX sh): the cgroup of `pid` (its systemd unit), then where its fd 1 and
 * 2 point and whether that is a regular file: where a `server > app.log 2>&1` writes.
 */
export function outputProbeScript(pid: number): string {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error('outputProbeScript: bad pid');
  return `p=${pid}
cat /proc/$p/cgroup 2>/dev/null
echo ${FD_MARK}
for fd in 1 2; do
  t=$(readlink /proc/$p/fd/$fd 2>/dev/null) || { echo "$fd unreadable"; continue; }
  if [ -f "$t" ]; then echo "$fd file $t"; else echo "$fd other $t"; fi
done
`;
}

/**
 * A log file path that needs no quoting: the remote command line is joined by ssh and parsed by the
 * remote login shell, so only plain words go there (no dependence on that shell's quoting rules).
 */
const PLAIN_PATH = /^\/[\w@%+=:,./-]+$/;

/** The answer of {@link outputProbeScript}: the systemd unit, else the regular file fd 1 (else 2) writes to. */
export function parseOutputProbe(text: string): { unit: string | null; output: { path: string } | { why: string } } {
  const at = text.indexOf(`\n${FD_MARK}\n`);
  const cgroup = at >= 0 ? text.slice(0, at) : text.startsWith(`${FD_MARK}\n`) ? '' : text;
  const rest = at >= 0 ? text.slice(at + FD_MARK.length + 2) : text.startsWith(`${FD_MARK}\n`) ? text.slice(FD_MARK.length + 1) : '';
  const unit = unitFromCgroup(cgroup);
  const seen: string[] = [];
  for (const line of rest.split('\n')) {
    const m = /^([12]) (unreadable|file|other)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const [, fd, kind, where = ''] = m;
    if (kind === 'file' && PLAIN_PATH.test(where)) return { unit, output: { path: where } };
    if (kind === 'unreadable') seen.push(`fd ${fd} cannot be read (no permission: try --sudo)`);
    else if (kind === 'file') seen.push(`fd ${fd} is ${cleanText(where).slice(0, 200)}, a file name with characters vhtop does not send to a remote shell`);
    else seen.push(`fd ${fd} is ${cleanText(where).slice(0, 200)}, not a regular file`);
  }
  return { unit, output: { why: seen.length > 0 ? seen.join(', ') : 'not readable' } };
}
