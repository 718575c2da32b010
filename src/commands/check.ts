import type { CommandModule } from '../cli/context.js';
import { wantsColor } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { findService } from '../core/service-lookup.js';
import { checkProblems, type CheckOptions } from '../core/check-verdict.js';
import { formatJson } from '../core/json.js';
import { cleanText } from '../core/sanitize.js';
import type { Catalogue, HealthResult, ServiceView, Snapshot } from '../core/types.js';
import { loadWorld, takeSnapshot } from '../cli/world.js';
import { serviceColumns, serviceRow, writeNotices } from '../presentation/report.js';
import { outputWidth, renderTable } from '../presentation/table.js';
import { hostHeading, hostSnapshots, hostsJson } from './hosts-report.js';

/** Services named by `--only a,b` (all when absent). Unknown or out-of-profile ids are usage errors. */
export function selectServices(snap: Snapshot, catalogue: Catalogue, only: string | undefined): ServiceView[] {
  if (only === undefined) return [...snap.services];
  const ids = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('option --only needs at least one service id');
  const chosen = new Set(ids.map((id) => findService(id, snap.services, catalogue, snap.profile).id));
  return snap.services.filter((s) => chosen.has(s.id));
}


const DEFAULT_OPTIONS: CheckOptions = { judgedAlone: false, allowUnverified: false };

/**
 * Every selected service passes: up (an `inactive` alternative passes unless judged alone), not
 * exposed, and with health results none failing.
 */
export function allGood(selected: readonly ServiceView[], options: CheckOptions = DEFAULT_OPTIONS): boolean {
  return checkProblems(selected, options).length === 0;
}

/** `vhtop check`: check-ports.sh of the VoiceHelper port document. Exit 0 all selected up (and healthy), 1 otherwise. */
export const command: CommandModule = {
  name: 'check',
  summary: 'exit 0 when every selected service is up (and healthy with --health), 1 otherwise',
  usage: `Usage: vhtop check [--json] [--health] [--only ID,...] [--allow-unverified]

  --only ID,...        check only these catalogue ids, each judged alone (an unknown id is a
                       usage error, exit 2)
  --health             also run each up service's health probe (registry \`health:\`)
  --allow-unverified   accept a port whose holder cannot be seen (not root, another namespace)
  --json               the snapshot as one JSON document; "services" holds the selected ones

A service passes when its own program holds its port. Without --only, entries of different
profiles on one port are alternatives: the port passes when one of them is up (the others are
"inactive"). A bind: local service listening on a non-loopback address fails.

Exit codes: 0 every selected service passes, 1 otherwise, 2 usage or configuration error.`,
  flags: { json: 'boolean', health: 'boolean', only: 'string', 'allow-unverified': 'boolean' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`check takes no arguments; use --only ${cleanText(args.positionals.join(','))}`);
    const only = typeof args.flags.only === 'string' ? args.flags.only : undefined;
    const options: CheckOptions = { judgedAlone: only !== undefined, allowUnverified: args.flags['allow-unverified'] === true };
    const multi = await hostSnapshots(args, ctx);
    if (multi !== null) {
      const withHealth = args.flags.health === true;
      const ssh = (await import('../cli/host-flags.js')).sshSettings(args, ctx);
      let code = 0;
      const hosts = await Promise.all(multi.hosts.map(async (h) => {
        if (!h.value) {
          code = 1;
          return { host: h, selected: [] as ServiceView[] };
        }
        let selected = selectServices(h.value, multi.world.catalogue, only);
        if (withHealth) {
          const [{ healthTargets }, { hostHealth }] = await Promise.all([import('../actions/health-targets.js'), import('../actions/remote-health.js')]);
          const results = await hostHealth(h.target, ssh, healthTargets(h.value, selected, multi.world.catalogue));
          selected = selected.map((s) => ({ ...s, health: results.get(s.id) ?? null }));
        }
        if (!allGood(selected, options)) code = 1;
        return { host: h, selected };
      }));
      if (args.flags.json) {
        ctx.stdout.write(hostsJson(hosts.map(({ host, selected }) => (host.value ? { ...host, value: { ...host.value, services: selected } } : host))));
        return code;
      }
      for (const { host, selected } of hosts) {
        ctx.stdout.write(`${hostHeading(host)}\n`);
        if (!host.value) continue;
        const lines = renderTable(serviceColumns(withHealth), selected.map((s) => serviceRow(s, withHealth)), { width: outputWidth(ctx), color: wantsColor(args, ctx) });
        const problems = checkProblems(selected, options);
        const verdict = problems.length === 0 ? `all ${selected.length} pass` : `${problems.length} of ${selected.length} not ${withHealth ? 'up and healthy' : 'up'}:`;
        const reasons = problems.map((p) => `  ${p.id}: ${cleanText(p.text)}`);
        ctx.stdout.write(`${lines.join('\n')}\n${[`${cleanText(host.target)}: ${verdict}`, ...reasons].join('\n')}\n`);
        writeNotices(ctx, host.value.notices.map((n) => `${host.target}: ${n}`));
      }
      const failed = hosts.filter(({ host, selected }) => !host.ok || !allGood(selected, options)).map(({ host }) => cleanText(host.target));
      ctx.stdout.write(failed.length === 0 ? `all ${hosts.length} hosts fine\n` : `not fine: ${failed.join(', ')}\n`);
      return code;
    }
    const world = await loadWorld(args, ctx, { once: true });
    const snap = await takeSnapshot(world);
    let selected = selectServices(snap, world.catalogue, only);
    const withHealth = args.flags.health === true;
    if (withHealth) {
      // Loaded only for --health: the probes pull in node:net, node:tls and node:crypto, a sizeable
      // part of a plain `vhtop check`'s start-up.
      const [{ checkHealth }, { healthTargets }] = await Promise.all([import('../actions/health.js'), import('../actions/health-targets.js')]);
      const results: Map<string, HealthResult> = await checkHealth(healthTargets(snap, selected, world.catalogue));
      selected = selected.map((s) => ({ ...s, health: results.get(s.id) ?? null }));
    }
    const problems = checkProblems(selected, options);
    const code = problems.length === 0 ? 0 : 1;
    if (args.flags.json) {
      ctx.stdout.write(formatJson({ ...snap, services: selected }));
      return code;
    }
    const lines = renderTable(
      serviceColumns(withHealth),
      selected.map((s) => serviceRow(s, withHealth)),
      { width: outputWidth(ctx), color: wantsColor(args, ctx) },
    );
    const inactive = selected.filter((s) => s.status === 'inactive').length;
    const alternatives = !options.judgedAlone && inactive > 0 ? ` (${inactive} inactive: another profile's entry holds the port)` : '';
    const verdict =
      code === 0
        ? `all ${selected.length} ${alternatives === '' ? 'up' : 'pass'}${withHealth ? ' and healthy' : ''}${alternatives}`
        : `${problems.length} of ${selected.length} not ${withHealth ? 'up and healthy' : 'up'}:`;
    const reasons = problems.map((p) => `  ${p.id}: ${cleanText(p.text)}`);
    ctx.stdout.write(`${lines.join('\n')}\n${[verdict, ...reasons].join('\n')}\n`);
    writeNotices(ctx, snap.notices);
    return code;
  },
};
