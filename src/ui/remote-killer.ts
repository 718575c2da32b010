import type { Snapshot } from '../core/types.js';
import { cleanText } from '../core/sanitize.js';
import type { FrozenTarget } from '../actions/kill-target.js';
import type { KillOutcomeKind } from '../actions/kill.js';
import { killRemote, remoteRefusal, type RemoteKillWord } from '../actions/remote-kill.js';
import { selfGuard } from '../actions/process-tree.js';
import type { SshSettings } from '../actions/ssh.js';
import type { Killer } from './killer.js';

const KINDS: Readonly<Record<RemoteKillWord, KillOutcomeKind>> = {
  killed: 'killed',
  gone: 'already exited',
  changed: 'process changed',
  zombie: 'zombie',
  denied: 'permission denied',
  alive: 'still alive',
};

/**
 * The killer for the rows of one remote host: a row's pid is a pid of that host, never of this
 * machine, so nothing here reads this machine's /proc or signals here. The target is frozen from the
 * host's own newest snapshot (pid, start time, user and command as read over ssh), and the kill
 * snippet runs through the same ssh connection, re-reading /proc/PID/stat on the host right before
 * each signal: a pid that names another process by then is left alone. A process group kill and
 * docker compose stop are not offered over ssh.
 */
export function remoteKiller(target: string, ssh: SshSettings, snapshotOf: () => Snapshot | null): Killer {
  const host = cleanText(target);
  return {
    // The dialog asks for it; the local guard only matters to the local killer's refusal.
    guard: () => selfGuard(),
    freeze(pid, port): FrozenTarget | null {
      const snap = snapshotOf();
      const p = snap?.processes.get(pid);
      if (!snap || !p) return null;
      const mine = snap.listeners.filter((l) => l.pids.includes(pid) && (port === null || l.port === port));
      const listener = mine[0];
      const serviceId = listener?.service ?? null;
      const service = serviceId !== null ? snap.services.find((s) => s.id === serviceId) : undefined;
      const protocols = new Set(mine.map((l) => l.protocol));
      return {
        pid: p.pid,
        startTime: p.startTime,
        uid: p.uid,
        user: p.user,
        name: p.name,
        command: p.command,
        ppid: p.ppid,
        pgid: p.pgid,
        state: p.state,
        port: port ?? listener?.port ?? null,
        protocol: protocols.size === 1 ? ([...protocols][0] ?? null) : null,
        inodes: mine.map((l) => l.inode).filter((i) => i > 0),
        chain: [],
        // No leader: the dialog offers no process group kill over ssh.
        leader: null,
        service: serviceId,
        dockerService: service?.docker ?? null,
        dockerProxy: false,
      };
    },
    freezeHolder: () => null,
    refusal(t, _guard, tree) {
      if (tree) return `a process group kill is not available on ${host}`;
      return remoteRefusal(t);
    },
    async kill(t, options) {
      if (options.tree) return { kind: 'refused', message: `not killed: a process group kill is not available on ${host}`, sent: [], remainingHolders: [] };
      const out = await killRemote(target, ssh, t, options.signal, options.timeoutMs / 1000);
      const kind: KillOutcomeKind = out.word !== null ? KINDS[out.word] : 'refused';
      return { kind, message: out.message, sent: out.word === 'killed' ? [options.signal] : [], remainingHolders: [] };
    },
    composeStop: async (service) => ({ ok: false, message: `docker compose stop ${cleanText(service)} runs on this machine only: use docker compose on ${host}` }),
  };
}
