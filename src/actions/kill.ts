import { setTimeout as sleep } from 'node:timers/promises';
import { unseenHint } from './kill-target.js';
import { readProcessInfo } from '../probe/proc-process.js';
import type { ProcessInfo } from '../core/types.js';
import { holdersOfInodes, holdingSockets, type SelfGuard } from './process-tree.js';
import { groupGone, groupStillAlive, verifyGroup } from './kill-group.js';
import { refusalReason, type FrozenTarget } from './kill-target.js';
import { sendGroupSignal, sendSignal, type KillSignal, type SendResult, type SignalName } from './signals.js';

/** How a kill ended, in the words the user sees. */
export type KillOutcomeKind = 'killed' | 'already exited' | 'zombie' | 'still alive' | 'permission denied' | 'process changed' | 'refused';

/** Result of {@link executeKill}. */
export interface KillOutcome {
  readonly kind: KillOutcomeKind;
  /** One sentence for the user. */
  readonly message: string;
  /** Signals actually delivered, in order (for --dry-run style reporting and tests). */
  readonly sent: readonly SignalName[];
  /** Other pids that still hold the killed process's sockets (forked workers, SO_REUSEPORT). */
  readonly remainingHolders: readonly number[];
}

/** Options of {@link executeKill}. */
export interface KillOptions {
  readonly signal: KillSignal;
  /** How long to wait after the first signal before KILL. */
  readonly timeoutMs: number;
  /** Kill the whole process group (after verifying its leader). */
  readonly tree: boolean;
  readonly guard: SelfGuard;
  readonly procRoot?: string;
  /** Poll period while waiting for the process to go. */
  readonly pollMs?: number;
  /** Extra holders of the port found by a fresh probe (SO_REUSEPORT listeners); optional. */
  readonly reprobeHolders?: (t: FrozenTarget) => Promise<readonly number[]>;
}

type Failure = { ok: false; outcome: KillOutcomeKind; message: string };
type Check = { ok: true; info: ProcessInfo } | Failure;

/** Re-reads the pid and compares its start time with the frozen one. */
function verify(t: FrozenTarget, procRoot: string): Check {
  const info = readProcessInfo(t.pid, procRoot);
  if (!info) return { ok: false, outcome: 'already exited', message: `pid ${t.pid} (${t.name}) already exited` };
  if (info.startTime !== t.startTime) {
    return { ok: false, outcome: 'process changed', message: `process changed — not killed: pid ${t.pid} is now ${info.name}, not the ${t.name} you confirmed` };
  }
  if (info.state === 'Z') return { ok: false, outcome: 'zombie', message: zombieMessage(t, info) };
  return { ok: true, info };
}

function zombieMessage(t: FrozenTarget, info: ProcessInfo): string {
  return `pid ${t.pid} (${t.name}) is a zombie: it has exited and parent ${info.ppid} must reap it`;
}

/** True when the frozen pid no longer runs: gone, a zombie, or replaced. */
function pidGone(t: FrozenTarget, procRoot: string): boolean {
  const info = readProcessInfo(t.pid, procRoot);
  return !info || info.startTime !== t.startTime || info.state === 'Z';
}

/**
 * Polls until the target no longer runs; true when it is gone. For a group kill that is the whole
 * group: a wrapper that ignores TERM must still get the KILL after its holder child died.
 */
async function waitGone(t: FrozenTarget, tree: boolean, procRoot: string, ms: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (tree ? groupGone(t, procRoot) : pidGone(t, procRoot)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
}

function denied(t: FrozenTarget): string {
  const sudo = process.getuid?.() === 0 ? '' : '; try again with sudo';
  return `permission denied: pid ${t.pid} (${t.name}) belongs to uid ${t.uid} (${t.user})${sudo}`;
}

/**
 * Kills a frozen target: re-verify, signal (CONT too when it was stopped), wait up to the timeout,
 * re-verify, KILL, then check whether anything else still holds its sockets. Never throws for an
 * ordinary outcome; every signal is preceded by a start-time check.
 */
export async function executeKill(t: FrozenTarget, o: KillOptions): Promise<KillOutcome> {
  const procRoot = o.procRoot ?? '/proc';
  const pollMs = o.pollMs ?? 50;
  const sent: SignalName[] = [];
  const done = (kind: KillOutcomeKind, message: string, remainingHolders: readonly number[] = []): KillOutcome => ({ kind, message, sent, remainingHolders });

  const refusal = refusalReason(t, o.guard, o.tree);
  if (refusal) return done('refused', refusal);

  // Each signal: verify right before sending. One pid: its start time. A group: the confirmed pid
  // too before the first signal, and the group leader (see verifyGroup) before every one.
  const signal = (sig: SignalName, first = false): SendResult | Failure => {
    if (!o.tree || first) {
      const check = verify(t, procRoot);
      if (!check.ok) return check;
    }
    if (o.tree) {
      const bad = verifyGroup(t, procRoot, first);
      if (bad) return bad;
    }
    const r = o.tree ? sendGroupSignal(t.pgid, sig) : sendSignal(t.pid, sig);
    if (r === 'sent') sent.push(sig);
    return r;
  };

  const first = signal(o.signal, true);
  if (typeof first === 'object') return done(first.outcome, first.message);
  if (first === 'denied') return done('permission denied', denied(t));
  if (first === 'gone') return done('already exited', `pid ${t.pid} (${t.name}) already exited`);
  // A stopped process keeps TERM pending until it runs again.
  const stopped = t.state === 'T' || readProcessInfo(t.pid, procRoot)?.state === 'T';
  if (stopped && o.signal !== 'KILL') signal('CONT');

  let gone = await waitGone(t, o.tree, procRoot, o.timeoutMs, pollMs);
  let how = `with SIG${o.signal}`;
  if (!gone && o.signal !== 'KILL') {
    const second = signal('KILL');
    if (second === 'denied') return done('permission denied', denied(t));
    if (typeof second === 'object' && second.outcome === 'process changed') return done('process changed', second.message);
    // It may have exited between the last poll and KILL: then the first signal did it.
    if (second === 'sent') how = `with SIGKILL after ${Math.round(o.timeoutMs / 100) / 10} s`;
    gone = await waitGone(t, o.tree, procRoot, Math.max(o.timeoutMs, 2000), pollMs);
  }
  if (!gone && o.tree) return done('still alive', groupStillAlive(t, procRoot));
  if (!gone) return done('still alive', `pid ${t.pid} (${t.name}) is still alive after SIGKILL (stuck in the kernel, state D?)`);

  // A zombie is dead but still listed until its parent reaps it; give the parent a moment.
  let after = readProcessInfo(t.pid, procRoot);
  for (let i = 0; i < 20 && after && after.startTime === t.startTime && after.state === 'Z'; i++) {
    await sleep(pollMs);
    after = readProcessInfo(t.pid, procRoot);
  }
  const zombie = after && after.startTime === t.startTime && after.state === 'Z' ? ` (a zombie until parent ${after.ppid} reaps it)` : '';
  const what = o.tree ? `process group ${t.pgid} (leader ${t.leader?.name ?? '?'})` : `pid ${t.pid} (${t.name})`;
  const { holders, unseen } = await remainingHolders(t, o, procRoot);
  const port = t.port !== null ? `port ${t.port}` : 'its socket';
  let rest = '';
  if (holders.length > 0) rest = `; ${port} is still held by pid ${holders.join(', ')} (another holder remains)`;
  else if (unseen) rest = `; ${port} is still in use by a process vhtop cannot see${unseenHint(' (', ')')}`;
  else if (t.port !== null) rest = `; port ${t.port} is free`;
  return done('killed', `killed ${what} ${how}${zombie}${rest}`, holders);
}

/**
 * Inodes that would keep the port open: the target's own sockets (a forked worker inherits them) and
 * every listening socket now on its port (SO_REUSEPORT siblings, an IPv6 twin, a fast restart).
 */
function socketsToCheck(t: FrozenTarget, procRoot: string): { inodes: number[]; onPort: number } {
  const onPort = t.port === null ? [] : holdingSockets(procRoot).filter((s) => s.port === t.port && (t.protocol === null || s.protocol === t.protocol)).map((s) => s.inode);
  return { inodes: [...new Set([...t.inodes, ...onPort])], onPort: onPort.length };
}

/**
 * Who still holds the port after the kill. `unseen`: a socket still listens on the port but no
 * readable process holds it (another user's process, seen without root).
 */
async function remainingHolders(t: FrozenTarget, o: KillOptions, procRoot: string): Promise<{ holders: number[]; unseen: boolean }> {
  const exclude = new Set<number>([t.pid]);
  const scan = () => {
    const s = socketsToCheck(t, procRoot);
    return { found: holdersOfInodes(s.inodes, exclude, procRoot), onPort: s.onPort };
  };
  let now = scan();
  // A group kill takes the whole group down; wait briefly for its members' fds to close.
  for (let i = 0; i < 10 && (now.found.length > 0 || now.onPort > 0) && o.tree; i++) {
    await sleep(o.pollMs ?? 50);
    now = scan();
  }
  const extra = o.reprobeHolders ? await o.reprobeHolders(t).catch(() => []) : [];
  const holders = [...new Set([...now.found, ...extra.filter((p) => p !== t.pid)])].sort((a, b) => a - b);
  return { holders, unseen: holders.length === 0 && now.onPort > 0 };
}
