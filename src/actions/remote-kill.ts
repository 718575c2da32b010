import { cleanText } from '../core/sanitize.js';
import type { ProcessInfo } from '../core/types.js';
import { runWithInput } from './exec.js';
import type { KillSignal } from './signals.js';
import { describeSshFailure, sshArgs, shellCommand, type SshSettings } from './ssh.js';

/**
 * The kill snippet run on the remote host. Right before each signal it reads /proc/PID/stat again and
 * compares the start time (field 22) with the one seen when the target was resolved: a pid that now
 * names another process is never signalled. TERM (or the chosen signal), a wait of up to the timeout,
 * then KILL after the same check. Prints one word: killed, gone, changed, zombie, denied, alive.
 */
export function remoteKillScript(pid: number, startTime: number, signal: KillSignal, timeoutS: number): string {
  if (!Number.isSafeInteger(pid) || pid <= 1 || !Number.isSafeInteger(startTime) || startTime < 0) throw new Error('remoteKillScript: bad target');
  const ticks = Math.max(1, Math.round(timeoutS * 5));
  return `p=${pid}; want=${startTime}
st() { s=$(cat /proc/$p/stat 2>/dev/null) || return 1; s=\${s##*) }; set -- $s; echo "$1 \${20}"; }
same() { cur=$(st) || return 1; set -- $cur; [ "$2" = "$want" ] || return 1; [ "$1" != Z ]; }
nap() { sleep 0.2 2>/dev/null || sleep 1; }
cur=$(st) || { echo gone; exit 0; }
set -- $cur
[ "$2" = "$want" ] || { echo changed; exit 0; }
[ "$1" = Z ] && { echo zombie; exit 0; }
same || { echo changed; exit 0; }
kill -s ${signal} $p 2>/dev/null || { echo denied; exit 0; }
i=0
while [ $i -lt ${ticks} ]; do
  nap
  same || { echo killed; exit 0; }
  i=$((i + 1))
done
same || { echo killed; exit 0; }
kill -s KILL $p 2>/dev/null || { echo denied; exit 0; }
i=0
while [ $i -lt 10 ]; do nap; same || { echo killed; exit 0; }; i=$((i + 1)); done
echo alive
`;
}

/**
 * Docker's own processes, refused by name on a remote host: their executables cannot be checked from
 * here, and refusing a look-alike is the safe side (stop the container with docker compose instead).
 */
const DOCKER_DAEMONS: ReadonlySet<string> = new Set(['docker-proxy', 'dockerd', 'containerd', 'containerd-shim', 'containerd-shim-runc-v2']);

/** Why a remote process must not be killed, or null. */
export function remoteRefusal(p: Pick<ProcessInfo, 'pid' | 'ppid' | 'name'>): string | null {
  if (p.pid <= 1) return `refusing pid ${p.pid}: not a process that can be killed`;
  if (p.ppid === 2 || p.pid === 2) return `refusing pid ${p.pid} (${p.name}): a kernel thread`;
  if (DOCKER_DAEMONS.has(p.name)) return `refusing pid ${p.pid} (${p.name}): a docker daemon; stop the container with docker compose stop`;
  return null;
}

const WORDS: Readonly<Record<string, string>> = {
  killed: 'killed',
  gone: 'already exited',
  changed: 'process changed — not killed',
  zombie: 'zombie (its parent must reap it)',
  denied: 'permission denied (try --sudo)',
  alive: 'still alive after KILL',
};

/** What the remote kill snippet answered: one of its words, or null when ssh or the answer failed. */
export type RemoteKillWord = 'killed' | 'gone' | 'changed' | 'zombie' | 'denied' | 'alive';

/** Runs the kill snippet on `target`; the outcome in words and whether the process is gone. */
export async function killRemote(
  target: string,
  ssh: SshSettings,
  p: Pick<ProcessInfo, 'pid' | 'startTime' | 'name'>,
  signal: KillSignal,
  timeoutS: number,
): Promise<{ killed: boolean; message: string; word: RemoteKillWord | null }> {
  const script = remoteKillScript(p.pid, p.startTime, signal, timeoutS);
  const r = await runWithInput(ssh.ssh ?? 'ssh', await sshArgs(target, ssh, shellCommand(ssh)), script, { maxBytes: 4096, timeoutMs: (timeoutS + 30) * 1000 });
  if (r.exitCode !== 0) return { killed: false, message: `not killed on ${cleanText(target)}: ${describeSshFailure(r.exitCode, r.stderr, ssh)}`, word: null };
  const word = r.stdout.toString('latin1').trim().split('\n').pop() ?? '';
  const text = WORDS[word] ?? `unexpected answer ${JSON.stringify(cleanText(word).slice(0, 40))}`;
  const known = Object.hasOwn(WORDS, word) ? (word as RemoteKillWord) : null;
  return { killed: word === 'killed', message: `${text}: pid ${p.pid} (${cleanText(p.name)}) on ${cleanText(target)}`, word: known };
}
