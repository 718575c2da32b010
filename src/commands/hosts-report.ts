import type { ParsedArgs } from '../cli/args.js';
import type { CliContext } from '../cli/context.js';
import type { HostOutcome } from '../core/hosts.js';
import { requestedHosts, sshSettings } from '../cli/host-flags.js';
import { snapshotToJson } from '../core/json.js';
import { cleanText } from '../core/sanitize.js';
import type { Snapshot } from '../core/types.js';
import { loadWorld, type World } from '../cli/world.js';

/** Snapshots of every `--host` (or `$VHTOP_HOSTS`), or null when none is asked for. */
export async function hostSnapshots(args: ParsedArgs, ctx: CliContext, options: { readonly all?: boolean } = {}): Promise<{ world: World; hosts: HostOutcome<Snapshot>[] } | null> {
  const targets = requestedHosts(args, ctx.env);
  if (targets === null) return null;
  // Loaded only with --host: the ssh side pulls in the child-process library, a sizeable part of a
  // one-shot command's start-up that a single-host run never uses.
  const { collectHosts, hostProbes } = await import('../cli/hosts.js');
  const world = await loadWorld(args, ctx, { once: true });
  const hosts = await collectHosts(hostProbes(targets, world, sshSettings(args, ctx), options), world, options);
  return { world, hosts };
}

/** `{"version": 1, "hosts": [{"target", "ok", "error", ...the single-host document}]}`. */
export function hostsJson(hosts: readonly HostOutcome<Snapshot>[]): string {
  const doc = {
    version: 1,
    hosts: hosts.map((h) => ({ target: h.target, ok: h.ok, error: h.error, ...(h.value ? snapshotToJson(h.value) : {}) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The line that opens one host's part of a text report. */
export function hostHeading(h: HostOutcome<Snapshot>): string {
  const name = h.value && h.value.host !== h.target ? ` (${cleanText(h.value.host)})` : '';
  return `== ${cleanText(h.target)}${name}${h.ok ? '' : `: unreachable: ${cleanText(h.error ?? '')}`}`;
}
