import type { CommandModule } from '../core/context.js';
import { useColor } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { formatJson } from '../core/json.js';
import { cleanText } from '../core/sanitize.js';
import type { Catalogue, HealthResult, ServiceView, Snapshot } from '../core/types.js';
import { loadWorld, takeSnapshot } from '../core/world.js';
import { serviceColumns, serviceRow, writeNotices } from '../presentation/report.js';
import { outputWidth, renderTable } from '../presentation/table.js';

/** Services named by `--only a,b` (all when absent). Unknown or out-of-profile ids are usage errors. */
export function selectServices(snap: Snapshot, catalogue: Catalogue, only: string | undefined): ServiceView[] {
  if (only === undefined) return [...snap.services];
  const ids = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('option --only needs at least one service id');
  for (const id of ids) {
    if (snap.services.some((s) => s.id === id)) continue;
    const safe = JSON.stringify(cleanText(id));
    if (catalogue.services.some((s) => s.id === id)) throw new UsageError(`service ${safe} is not in profile ${JSON.stringify(snap.profile)}`);
    throw new UsageError(`unknown service ${safe} in --only (known: ${snap.services.map((s) => s.id).join(', ')})`);
  }
  return snap.services.filter((s) => ids.includes(s.id));
}


/** Every selected service up (and, with health results, none failing). */
export function allGood(selected: readonly ServiceView[]): boolean {
  return selected.every((s) => s.status === 'up' && (s.health === null || s.health.ok));
}

/** `vhtop check`: the seed's check-ports.sh. Exit 0 all selected up (and healthy), 1 otherwise. */
export const command: CommandModule = {
  name: 'check',
  summary: 'exit 0 when every selected service is up (and healthy with --health), 1 otherwise',
  usage: `Usage: vhtop check [--json] [--health] [--only ID,...]

  --only ID,...  check only these catalogue ids (an unknown id is a usage error, exit 2)
  --health       also run each up service's health probe (registry \`health:\`)
  --json         the snapshot as one JSON document; "services" holds the selected ones

Exit codes: 0 every selected service is up (and healthy), 1 otherwise, 2 usage or configuration error.`,
  flags: { json: 'boolean', health: 'boolean', only: 'string' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`check takes no arguments; use --only ${cleanText(args.positionals.join(','))}`);
    const world = await loadWorld(args, ctx);
    const snap = await takeSnapshot(world);
    const only = typeof args.flags.only === 'string' ? args.flags.only : undefined;
    let selected = selectServices(snap, world.catalogue, only);
    const withHealth = args.flags.health === true;
    if (withHealth) {
      // Loaded only for --health: the probes pull in node:net, node:tls and node:crypto, a sizeable
      // part of a plain `vhtop check`'s start-up.
      const [{ checkHealth }, { healthTargets }] = await Promise.all([import('../actions/health.js'), import('../actions/health-targets.js')]);
      const results: Map<string, HealthResult> = await checkHealth(healthTargets(snap, selected, world.catalogue));
      selected = selected.map((s) => ({ ...s, health: results.get(s.id) ?? null }));
    }
    const code = allGood(selected) ? 0 : 1;
    if (args.flags.json) {
      ctx.stdout.write(formatJson({ ...snap, services: selected }));
      return code;
    }
    const lines = renderTable(
      serviceColumns(withHealth),
      selected.map((s) => serviceRow(s, withHealth)),
      { width: outputWidth(ctx), color: useColor(args, ctx) },
    );
    const bad = selected.filter((s) => s.status !== 'up' || s.health?.ok === false).length;
    const verdict = code === 0 ? `all ${selected.length} up${withHealth ? ' and healthy' : ''}` : `${bad} of ${selected.length} not ${withHealth ? 'up and healthy' : 'up'}`;
    ctx.stdout.write(`${lines.join('\n')}\n${verdict}\n`);
    writeNotices(ctx, snap.notices);
    return code;
  },
};
