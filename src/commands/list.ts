import type { CommandModule } from '../cli/context.js';
import { wantsColor } from '../cli/context.js';
import { writeText } from '../cli/write-text.js';
import { UsageError } from '../core/errors.js';
import { formatJsonBytes } from '../core/json.js';
import { loadWorld, takeSnapshot } from '../cli/world.js';
import type { Snapshot } from '../core/types.js';
import { hostHeading, hostSnapshots, hostsJson } from './hosts-report.js';

/** One line under the table: counts that tell whether to look further. */
export function listSummary(s: Snapshot): string {
  const count = (st: string): number => s.services.filter((v) => v.status === st).length;
  const live = s.conflicts.filter((c) => c.live).length;
  const parts = [
    `${s.listeners.length} socket${s.listeners.length === 1 ? '' : 's'}`,
    `services: ${count('up')} up, ${count('down')} down, ${count('conflict')} conflict${['inactive', 'unverified'].map((st) => (count(st) > 0 ? `, ${count(st)} ${st}` : '')).join('')}`,
    `${live} live conflict${live === 1 ? '' : 's'}${s.conflicts.length > live ? ` (+${s.conflicts.length - live} in the catalogue)` : ''}`,
  ];
  return parts.join(' · ') + (s.conflicts.length > 0 ? ' — see `vhtop conflicts`' : '');
}

/**
 * `vhtop list [--json] [--all]`: one snapshot, listeners mapped to the catalogue. Always exit 0:
 * listing is not a check. Also what `vhtop` prints when stdout is not a terminal.
 */
export const command: CommandModule = {
  name: 'list',
  summary: 'one snapshot: listeners (with --all every socket) mapped to the catalogue',
  usage: `Usage: vhtop list [--json] [--all]

  --json   the snapshot as one JSON document (fields: docs/json.md)
  --all    every socket (connections too), not only listening TCP and bound UDP sockets

Tables are cut to the terminal width on a TTY (80 when unknown); when stdout is not a
terminal they are cut to $COLUMNS if set, else not cut. Exit code 0.`,
  flags: { json: 'boolean', all: 'boolean' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`list takes no arguments (got ${JSON.stringify(args.positionals[0])})`);
    const all = args.flags.all === true;
    const multi = await hostSnapshots(args, ctx, { all });
    if (multi !== null) {
      if (args.flags.json) {
        ctx.stdout.write(hostsJson(multi.hosts));
        return 0;
      }
      const [{ listenerColumns, listenerRow, writeNotices }, { outputWidth, renderTable }] = await Promise.all([
        import('../presentation/report.js'),
        import('../presentation/table.js'),
      ]);
      for (const h of multi.hosts) {
        ctx.stdout.write(`${hostHeading(h)}\n`);
        if (!h.value) continue;
        const lines = renderTable(listenerColumns(all), h.value.listeners.map((l) => listenerRow(l, all)), { width: outputWidth(ctx), color: wantsColor(args, ctx) });
        ctx.stdout.write(`${lines.join('\n')}\n${listSummary(h.value)}\n`);
        writeNotices(ctx, h.value.notices.map((n) => `${h.target}: ${n}`));
      }
      return 0;
    }
    const world = await loadWorld(args, ctx, { once: true });
    const snap = await takeSnapshot(world, { all });
    if (args.flags.json) {
      // In pieces: the whole --all document is ~9 MB at 15k sockets (see formatJsonBytes and writeText).
      await writeText(ctx.stdout, formatJsonBytes(snap));
      return 0;
    }
    // The table code (and string-width with its Unicode tables) loads only for a table: --json skips it.
    const [{ listenerColumns, listenerRow, writeNotices }, { outputWidth, renderTable }] = await Promise.all([
      import('../presentation/report.js'),
      import('../presentation/table.js'),
    ]);
    const lines = renderTable(
      listenerColumns(all),
      snap.listeners.map((l) => listenerRow(l, all)),
      { width: outputWidth(ctx), color: wantsColor(args, ctx) },
    );
    ctx.stdout.write(`${lines.join('\n')}\n${listSummary(snap)}\n`);
    writeNotices(ctx, snap.notices);
    return 0;
  },
};
