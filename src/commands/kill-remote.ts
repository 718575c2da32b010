import type { ParsedArgs } from '../cli/args.js';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import { buildSnapshot } from '../core/snapshot.js';
import type { ParsedTarget } from '../actions/kill-resolve.js';
import { resolveKillTarget } from '../actions/kill-resolve.js';
import { killRemote, remoteRefusal } from '../actions/remote-kill.js';
import type { KillSignal } from '../actions/signals.js';
import { loadWorld } from '../cli/world.js';
import { sshSettings } from '../cli/host-flags.js';
import { RemoteProbe } from '../probe/remote.js';

/** What `vhtop kill --host TARGET` needs of the command line. */
export interface RemoteKillSettings {
  readonly signal: KillSignal;
  readonly timeoutMs: number;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly tree: boolean;
}

/**
 * `vhtop kill --host HOST TARGET...`: targets are resolved against the host's own snapshot (ports,
 * service ids, pids holding sockets there), and the host re-checks each start time right before the
 * signal. Returns the exit code.
 */
export async function killOnHost(host: string, targets: readonly ParsedTarget[], s: RemoteKillSettings, args: ParsedArgs, ctx: CliContext, confirm: (q: string) => Promise<'yes' | 'no' | 'abort'>): Promise<number> {
  if (s.tree) throw new UsageError('--tree is not available with --host');
  const world = await loadWorld(args, ctx);
  const ssh = sshSettings(args, ctx);
  let data;
  try {
    data = await new RemoteProbe(host, ssh).collect();
  } catch (e) {
    ctx.stderr.write(`${cleanText(host)}: unreachable: ${cleanText(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  const snapshot = buildSnapshot(data, world.catalogue, world.env, { profile: world.profile, all: false });
  const resolved = targets.map((t) => resolveKillTarget(t, snapshot, world.catalogue));
  let allOk = true;
  for (const r of resolved) {
    if ('problem' in r) {
      ctx.stderr.write(`${r.target}: ${r.problem} on ${cleanText(host)}\n`);
      allOk = false;
      continue;
    }
    for (const c of r.candidates) {
      const p = snapshot.processes.get(c.pid);
      if (!p) {
        ctx.stderr.write(`${c.target}: pid ${c.pid} holds no socket on ${cleanText(host)} (remote kill only reaches socket holders)\n`);
        allOk = false;
        continue;
      }
      const refusal = remoteRefusal(p);
      if (refusal) {
        ctx.stderr.write(`${c.target}: ${refusal}\n`);
        allOk = false;
        continue;
      }
      const what = `pid ${p.pid} (${p.name}, user ${p.user}) on ${cleanText(host)}`;
      if (s.dryRun) {
        ctx.stdout.write(`would send SIG${s.signal} to ${what}\n`);
        continue;
      }
      const answer = s.yes ? 'yes' : await confirm(`kill ${what} with SIG${s.signal}?`);
      if (answer === 'abort') return 1;
      if (answer === 'no') {
        ctx.stderr.write(`${c.target}: not killed (not confirmed)\n`);
        allOk = false;
        continue;
      }
      const outcome = await killRemote(host, ssh, p, s.signal, s.timeoutMs / 1000);
      (outcome.killed ? ctx.stdout : ctx.stderr).write(`${c.target}: ${outcome.message}\n`);
      allOk = outcome.killed && allOk;
    }
  }
  return allOk ? 0 : 1;
}
