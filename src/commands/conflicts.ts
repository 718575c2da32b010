import { cleanText } from '../core/sanitize.js';
import { canBind } from '../actions/free-port.js';
import type { CommandModule } from '../cli/context.js';
import { wantsColor } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { cataloguePorts, fixText, nextFreePort } from '../core/conflicts.js';
import { formatJson } from '../core/json.js';
import { resolveServices } from '../core/resolve.js';
import type { Conflict, PortMove, Protocol } from '../core/types.js';
import { hostHeading, hostSnapshots, hostsJson } from './hosts-report.js';
import { loadWorld, takeSnapshot } from '../cli/world.js';
import { conflictReport, writeNotices } from '../presentation/report.js';
import { outputWidth } from '../presentation/table.js';

/** Checks a port by really binding it; injectable for tests of the retry logic. */
export type BindCheck = (port: number, protocol: Protocol) => Promise<boolean>;

/**
 * The core proposes ports no socket or catalogue entry uses; here each one is confirmed by binding
 * it, moving on to the next candidate when the bind fails (a port can be taken between the probe
 * and now, or be blocked in ways /proc does not show). One port per service across all conflicts.
 */
export async function confirmFixes(conflicts: readonly Conflict[], reserved: ReadonlySet<number>, bind: BindCheck): Promise<Conflict[]> {
  const taken = new Set(reserved);
  for (const c of conflicts) for (const m of c.moves ?? []) if (m.port !== null) taken.add(m.port);
  const confirmed = new Map<string, number | null>();
  const confirm = async (m: PortMove, protocol: Protocol): Promise<PortMove> => {
    if (m.port === null) return m;
    if (!confirmed.has(m.service)) {
      let port: number | null = m.port;
      while (port !== null && !(await bind(port, protocol))) {
        taken.add(port);
        port = nextFreePort(port, taken);
      }
      if (port !== null) taken.add(port);
      confirmed.set(m.service, port);
    }
    return { ...m, port: confirmed.get(m.service) ?? null };
  };
  const out: Conflict[] = [];
  for (const c of conflicts) {
    const moves: PortMove[] = [];
    for (const m of c.moves ?? []) moves.push(await confirm(m, c.protocol));
    const holders = c.holders ?? [];
    // No move (an overlap of two unexpected programs): the fix names no port, nothing to confirm.
    out.push({ ...c, moves, fix: moves.length > 0 ? fixText({ kind: c.kind, port: c.port, moves, holders }) : c.fix });
  }
  return out;
}

/** `vhtop conflicts`: detect-conflicts.sh of the VoiceHelper port document. Exit 1 when any conflict is live. */
export const command: CommandModule = {
  name: 'conflicts',
  summary: 'catalogue ports held by the wrong program and catalogue entries sharing a port, each with a fix',
  usage: `Usage: vhtop conflicts [--json]

Lists live conflicts (a catalogue port held by another program; different programs on the wildcard
and a specific address of one port) and catalogue collisions (two entries of one profile on one
port; live when anything listens there). Each comes with a fix: the env var to set and a port that
was just bound successfully, or what to do when the entry has no env var.

  --json   the snapshot as one JSON document (fields: docs/json.md)

Exit codes: 0 no live conflict, 1 at least one live conflict, 2 usage or configuration error.`,
  flags: { json: 'boolean' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError('conflicts takes no arguments');
    const multi = await hostSnapshots(args, ctx);
    if (multi !== null) {
      // Fixes name ports free on this machine only: on a remote host they are not confirmed by a bind.
      const hosts = multi.hosts;
      const failed = hosts.filter((h) => !h.ok || (h.value?.conflicts.some((c) => c.live) ?? false)).map((h) => cleanText(h.target));
      const code = failed.length > 0 ? 1 : 0;
      if (args.flags.json) {
        ctx.stdout.write(hostsJson(hosts));
        return code;
      }
      for (const h of hosts) {
        ctx.stdout.write(`${hostHeading(h)}\n`);
        if (!h.value) continue;
        if (h.value.conflicts.length === 0) ctx.stdout.write('no conflicts\n');
        else ctx.stdout.write(`${conflictReport(h.value.conflicts, { width: outputWidth(ctx), color: wantsColor(args, ctx) }).join('\n')}\n`);
        writeNotices(ctx, h.value.notices.map((n) => `${h.target}: ${n}`));
      }
      ctx.stdout.write(code === 0 ? `no live conflicts on ${hosts.length} hosts\n` : `live conflicts or unreachable: ${failed.join(', ')}\n`);
      return code;
    }
    const world = await loadWorld(args, ctx, { once: true });
    const snap = await takeSnapshot(world);
    const reserved = cataloguePorts(resolveServices(world.catalogue, world.env, null));
    const conflicts = await confirmFixes(snap.conflicts, reserved, canBind);
    const code = conflicts.some((c) => c.live) ? 1 : 0;
    if (args.flags.json) {
      ctx.stdout.write(formatJson({ ...snap, conflicts }));
      return code;
    }
    if (conflicts.length === 0) ctx.stdout.write('no conflicts\n');
    else {
      const lines = conflictReport(conflicts, { width: outputWidth(ctx), color: wantsColor(args, ctx) });
      const live = conflicts.filter((c) => c.live).length;
      ctx.stdout.write(`${lines.join('\n')}\n${live} live, ${conflicts.length - live} latent (catalogue only)\n`);
    }
    writeNotices(ctx, snap.notices);
    return code;
  },
};
