import type { CommandModule } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { checkProblems } from '../core/check-verdict.js';
import { countProblems } from '../core/problems.js';
import { requestedHosts } from '../cli/host-flags.js';
import { cleanText } from '../core/sanitize.js';
import { loadWorld, takeSnapshot } from '../cli/world.js';
import { DEFAULT_STATUS_FORMAT, renderStatusLine, STATUS_FIELDS, validateFormat, type StatusSegment } from '../presentation/status-line.js';

/** One host's segment and whether `check` would fail there. */
interface HostStatus {
  readonly segment: StatusSegment;
  readonly failing: boolean;
}

/**
 * This machine's segment. `--host` adds one segment per host (same shape, label = the target).
 * The verdict is `check`'s own (core/check-verdict.ts): down, held by another program, exposed, or
 * unverified unless `--allow-unverified`. Health is not probed: a status bar runs this every few seconds.
 */
async function localStatus(args: Parameters<CommandModule['run']>[0], ctx: Parameters<CommandModule['run']>[1]): Promise<HostStatus> {
  const world = await loadWorld(args, ctx, { once: true });
  const snap = await takeSnapshot(world);
  const failing = checkProblems(snap.services, { judgedAlone: false, allowUnverified: args.flags['allow-unverified'] === true }).length > 0;
  return { segment: { label: 'vhtop', host: snap.host, profile: snap.profile, counts: countProblems(snap) }, failing };
}

/** One segment per `--host` target, labelled by the target; an unreachable host fails the exit code. */
async function hostStatuses(args: Parameters<CommandModule['run']>[0], ctx: Parameters<CommandModule['run']>[1]): Promise<HostStatus[]> {
  const { hostSnapshots } = await import('./hosts-report.js');
  const multi = await hostSnapshots(args, ctx);
  const allowUnverified = args.flags['allow-unverified'] === true;
  return (multi?.hosts ?? []).map((h) => {
    if (!h.value) {
      const counts = { up: 0, down: 0, conflict: 0, inactive: 0, unverified: 0, exposed: 0, unhealthy: 0, unexpected: 0, services: 0, failing: 0 };
      return { segment: { label: h.target, host: h.target, profile: null, counts, unreachable: true }, failing: true };
    }
    const failing = checkProblems(h.value.services, { judgedAlone: false, allowUnverified }).length > 0;
    return { segment: { label: h.target, host: h.value.host, profile: h.value.profile, counts: countProblems(h.value) }, failing };
  });
}

/**
 * `vhtop status`: one short line of counts for a status bar or a prompt. It loads only the catalogue
 * and the probe (no tables, no health, no UI), so tmux can run it every `status-interval`.
 */
export const command: CommandModule = {
  name: 'status',
  summary: 'one line of counts for a status bar (tmux: --tmux), exit code as check',
  usage: `Usage: vhtop status [--tmux] [--format FMT] [--allow-unverified] [--host TARGET]...

  --tmux              colour the counts with tmux styles (#[fg=red]...); # in names is escaped
  --format FMT        the line's format (default: '${DEFAULT_STATUS_FORMAT}'); fields:
${Object.entries(STATUS_FIELDS)
  .map(([k, v]) => `                        {${k}}  ${v}`)
  .join('\n')}
  --allow-unverified  an unverified service does not make the exit code 1
  --host TARGET       one segment per host, labelled by the target ("box ✗unreachable" when ssh fails)

tmux: set -g status-right '#(vhtop status --tmux)'

Exit codes: 0 every service is up, 1 otherwise (as check), 2 usage or configuration error.`,
  flags: { tmux: 'boolean', format: 'string', 'allow-unverified': 'boolean' },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`status takes no arguments (got ${cleanText(args.positionals.join(' '))})`);
    const format = typeof args.flags.format === 'string' ? args.flags.format : DEFAULT_STATUS_FORMAT;
    validateFormat(format);
    const hosts = requestedHosts(args, ctx.env) === null ? [await localStatus(args, ctx)] : await hostStatuses(args, ctx);
    ctx.stdout.write(`${renderStatusLine(hosts.map((h) => h.segment), { tmux: args.flags.tmux === true, format })}\n`);
    return hosts.some((h) => h.failing) ? 1 : 0;
  },
};
