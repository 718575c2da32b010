import type { CommandModule } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { countProblems, type ProblemCounts } from '../core/problems.js';
import { cleanText } from '../core/sanitize.js';
import { loadWorld, takeSnapshot } from '../core/world.js';
import { DEFAULT_STATUS_FORMAT, renderStatusLine, STATUS_FIELDS, validateFormat, type StatusSegment } from '../presentation/status-line.js';

/**
 * Exit code as `check`: 1 when a service is down, held by another program, exposed or unverified
 * (unless `--allow-unverified`). Health is not probed here: a status bar runs this every few seconds.
 */
export function statusExitCode(counts: readonly ProblemCounts[], allowUnverified: boolean): number {
  return counts.some((c) => c.failing - (allowUnverified ? c.unverified : 0) > 0) ? 1 : 0;
}

/** The segment of this machine. `--host` adds one segment per host (same shape, label = target). */
async function localSegment(args: Parameters<CommandModule['run']>[0], ctx: Parameters<CommandModule['run']>[1]): Promise<StatusSegment> {
  const world = await loadWorld(args, ctx);
  const snap = await takeSnapshot(world);
  return { label: 'vhtop', host: snap.host, profile: snap.profile, counts: countProblems(snap) };
}

/**
 * `vhtop status`: one short line of counts for a status bar or a prompt. It loads only the catalogue
 * and the probe (no tables, no health, no UI), so tmux can run it every `status-interval`.
 */
export const command: CommandModule = {
  name: 'status',
  summary: 'one line of counts for a status bar (tmux: --tmux), exit code as check',
  usage: `Usage: vhtop status [--tmux] [--format FMT] [--allow-unverified]

  --tmux              colour the counts with tmux styles (#[fg=red]...); # in names is escaped
  --format FMT        the line's format (default: '${DEFAULT_STATUS_FORMAT}'); fields:
${Object.entries(STATUS_FIELDS)
  .map(([k, v]) => `                        {${k}}  ${v}`)
  .join('\n')}
  --allow-unverified  an unverified service does not make the exit code 1

tmux: set -g status-right '#(vhtop status --tmux)'

Exit codes: 0 every service is up, 1 otherwise (as check), 2 usage or configuration error.`,
  flags: { tmux: 'boolean', format: 'string', 'allow-unverified': 'boolean' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`status takes no arguments (got ${cleanText(args.positionals.join(' '))})`);
    const format = typeof args.flags.format === 'string' ? args.flags.format : DEFAULT_STATUS_FORMAT;
    validateFormat(format);
    const segments = [await localSegment(args, ctx)];
    ctx.stdout.write(`${renderStatusLine(segments, { tmux: args.flags.tmux === true, format })}\n`);
    return statusExitCode(
      segments.map((s) => s.counts),
      args.flags['allow-unverified'] === true,
    );
  },
};
