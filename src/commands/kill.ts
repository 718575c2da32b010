import { createInterface } from 'node:readline/promises';
import type { ParsedArgs } from '../cli/args.js';
import type { CliContext, CommandModule } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { LOCAL_TARGET } from '../core/hosts.js';
import { requestedHosts } from '../cli/host-flags.js';
import type { Snapshot } from '../core/types.js';
import { loadWorld, takeSnapshot, type World } from '../cli/world.js';
import { guardedStderr } from '../cli/process-output.js';
import { executeKill } from '../actions/kill.js';
import { otherListenerPids, parseKillTarget, resolveKillTarget, type KillCandidate } from '../actions/kill-resolve.js';
import { describeTarget, freezeTarget, refusalReason, type FrozenTarget } from '../actions/kill-target.js';
import { describeChain, selfGuard, type SelfGuard } from '../actions/process-tree.js';
import { parseKillSignal, type KillSignal } from '../actions/signals.js';

const USAGE = `Usage: vhtop kill TARGET... [--signal NAME] [--timeout SECONDS] [--dry-run] [--yes] [--tree]

TARGET is a port (8080 or :8080), a service id from the registry, or pid:N.
Sends TERM (or --signal INT|HUP|KILL), waits up to --timeout seconds (default 5), then KILL.
Before every signal the process is re-checked (same start time), so a reused pid is never hit.
  --dry-run   name what would be killed, kill nothing
  --yes       do not ask (needed without a terminal)
  --tree      kill the holder's whole process group (npm run dev, nodemon, sh -c wrappers)
  --host HOST resolve and kill on HOST over ssh (one host; the start time is re-checked there)
Exit codes: 0 all killed, 1 a target had no owner or could not be killed, 2 usage.`;

interface KillSettings {
  readonly signal: KillSignal;
  readonly timeoutMs: number;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly tree: boolean;
}

function settings(args: ParsedArgs, ctx: CliContext): KillSettings {
  if (args.flags['read-only']) throw new UsageError('kill is disabled under --read-only');
  if (args.positionals.length === 0) throw new UsageError('kill needs a TARGET: a port (8080), a service id or pid:N');
  const rawSignal = args.flags.signal;
  const signal = typeof rawSignal === 'string' ? parseKillSignal(rawSignal) : 'TERM';
  if (signal === null) throw new UsageError(`option --signal must be TERM, INT, HUP or KILL (got ${JSON.stringify(rawSignal)})`);
  const timeout = args.flags.timeout;
  const timeoutMs = typeof timeout === 'number' ? timeout * 1000 : 5000;
  const dryRun = args.flags['dry-run'] === true;
  const yes = args.flags.yes === true;
  if (!dryRun && !yes && !ctx.stdinIsTTY) throw new UsageError('no terminal to ask for confirmation: add --yes to kill (or --dry-run to see what would be killed)');
  return { signal, timeoutMs, dryRun, yes, tree: args.flags.tree === true };
}

/** The answer to a confirmation: `abort` is Ctrl-C (or the end of input): stop asking altogether. */
type Answer = 'yes' | 'no' | 'abort';

async function confirm(question: string): Promise<Answer> {
  const rl = createInterface({ input: process.stdin, output: guardedStderr() });
  // Ctrl-D closes the interface without an answer; question() would never settle.
  const closed = new Promise<Answer>((resolve) => rl.once('close', () => resolve('abort')));
  try {
    const answer = rl.question(`${question} [y/N] `).then((a): Answer => (/^y(es)?$/i.test(a.trim()) ? 'yes' : 'no'));
    return await Promise.race([answer, closed]);
  } catch {
    // readline rejects the question with an AbortError on Ctrl-C: a user's "no", not an internal error.
    return 'abort';
  } finally {
    rl.close();
  }
}

function wrapperHint(t: FrozenTarget, tree: boolean): string | null {
  if (tree || t.chain.length === 0 || t.pgid === t.pid || !t.leader) return null;
  return `  started under ${describeChain(t.chain)}; --tree kills its process group ${t.pgid} (leader ${t.leader.name})`;
}

/** true: killed; false: not killed; `abort`: the user cancelled, ask about nothing else. */
async function killOne(c: KillCandidate, s: KillSettings, guard: SelfGuard, world: World | null, ctx: CliContext): Promise<boolean | 'abort'> {
  const t = freezeTarget(c.pid, { port: c.port, inode: c.inode, service: c.service, dockerService: c.dockerService });
  if (!t) {
    ctx.stderr.write(`${c.target}: ${c.pid > 1 ? `pid ${c.pid} does not exist` : `refusing pid ${c.pid}: not a process that can be killed`}\n`);
    return false;
  }
  const refusal = refusalReason(t, guard, s.tree);
  if (refusal) {
    ctx.stderr.write(`${c.target}: ${refusal}\n`);
    return false;
  }
  const what = s.tree ? `process group ${t.pgid} of ${describeTarget(t)}` : describeTarget(t);
  const hint = wrapperHint(t, s.tree);
  if (s.dryRun) {
    ctx.stdout.write(`would send SIG${s.signal} to ${what}\n${hint ? `${hint}\n` : ''}`);
    return true;
  }
  if (hint) ctx.stderr.write(`${hint}\n`);
  const answer = s.yes ? 'yes' : await confirm(`kill ${what} with SIG${s.signal}?`);
  if (answer === 'abort') {
    ctx.stderr.write(`\n${c.target}: not killed (cancelled)\n`);
    return 'abort';
  }
  if (answer === 'no') {
    ctx.stderr.write(`${c.target}: not killed (not confirmed)\n`);
    return false;
  }
  const outcome = await executeKill(t, {
    signal: s.signal,
    timeoutMs: s.timeoutMs,
    tree: s.tree,
    guard,
    reprobeHolders: world && t.port !== null ? async (ft) => otherListenerPids(await takeSnapshot(world), ft.port as number, ft.pid) : undefined,
  });
  const line = `${c.target}: ${outcome.message}\n`;
  if (outcome.kind === 'killed') ctx.stdout.write(line);
  else ctx.stderr.write(line);
  if (outcome.remainingHolders.length > 0) ctx.stderr.write(`  to kill it too: vhtop kill ${outcome.remainingHolders.map((p) => `pid:${p}`).join(' ')}\n`);
  return outcome.kind === 'killed';
}

/** `vhtop kill`: stop the process behind a port or service, never the wrong one. */
export const command: CommandModule = {
  name: 'kill',
  summary: 'stop the process holding a port or service (TERM, then KILL)',
  usage: USAGE,
  flags: { signal: 'string', timeout: 'number', 'dry-run': 'boolean', yes: 'boolean', tree: 'boolean' },
  async run(args, ctx) {
    const s = settings(args, ctx);
    const targets = args.positionals.map(parseKillTarget);
    const hosts = requestedHosts(args, ctx.env);
    if (hosts !== null && hosts.length > 1) throw new UsageError('kill acts on one host at a time: give one --host');
    if (hosts !== null && hosts[0] !== LOCAL_TARGET) {
      const { killOnHost } = await import('./kill-remote.js');
      return killOnHost(hosts[0] as string, targets, s, args, ctx, confirm);
    }
    let world: World | null = null;
    let snapshot: Snapshot | null = null;
    if (targets.some((t) => t.kind !== 'pid')) {
      world = await loadWorld(args, ctx);
      snapshot = await takeSnapshot(world);
    }
    const guard = selfGuard();
    // Every target is resolved before anything is killed: a typo in the last one (an unknown
    // service is a usage error) must not leave the first ones already dead.
    const resolved = targets.map((t) => resolveKillTarget(t, snapshot, world?.catalogue));
    let allOk = true;
    for (const r of resolved) {
      if ('problem' in r) {
        ctx.stderr.write(`${r.target}: ${r.problem}\n`);
        allOk = false;
        continue;
      }
      for (const c of r.candidates) {
        const done = await killOne(c, s, guard, world, ctx);
        if (done === 'abort') return 1;
        allOk = done && allOk;
      }
    }
    return allOk ? 0 : 1;
  },
};
