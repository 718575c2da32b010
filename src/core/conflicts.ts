/**
 * Conflicts and their fixes. Pure: the port a fix proposes is "free now" as far as the snapshot can
 * tell (no socket uses it, no catalogue entry claims it); `vhtop conflicts` then confirms it by binding.
 */
import { isHoldingSocket, isWildcard } from './match.js';
import { entriesByPort, portKey } from './classify.js';
import type { Conflict, Listener, PortMove, Protocol, ResolvedService, SocketEntry } from './types.js';

/** Highest TCP/UDP port. */
const MAX_PORT = 65535;

/** The first port above `after` that is not in `taken`, or null when none is left. */
export function nextFreePort(after: number, taken: ReadonlySet<number>): number | null {
  for (let p = after + 1; p <= MAX_PORT; p++) if (!taken.has(p)) return p;
  return null;
}

/**
 * Free ports handed out one by one: {@link take} returns the first port above a point that is
 * neither taken nor handed out already, and takes it. Runs of taken ports are skipped by
 * path-compressed jumps (a union-find over the port space), so N fixes above one busy port cost
 * about N steps in all, not N² (a registry of thousands of entries on one port).
 */
export class FreePortFinder {
  /**
   * jump[p] = 0 when p is free, else a port above p to look at next; MAX_PORT + 1 = none left.
   * Zero for free, not p itself, so a new finder is a zeroed array rather than a 65k-step loop,
   * which a one-shot command runs cold in the interpreter.
   */
  private readonly jump = new Int32Array(MAX_PORT + 2);
  /** Jumps followed so far (how a test sees that the search stays linear). */
  steps = 0;

  constructor(taken: Iterable<number> = []) {
    for (const p of taken) this.mark(p);
  }

  /** Marks `port` taken (anything that is not a port is ignored). */
  mark(port: number): void {
    if (Number.isInteger(port) && port >= 0 && port <= MAX_PORT) this.jump[port] = port + 1;
  }

  /** The first port above `after` that is free, now taken; null when none is left. */
  take(after: number): number | null {
    const p = this.find(Math.max(1, after + 1));
    if (p > MAX_PORT) return null;
    this.jump[p] = p + 1;
    return p;
  }

  private find(start: number): number {
    let root = start;
    while (this.jump[root] !== 0) {
      root = this.jump[root] as number;
      this.steps += 1;
    }
    // Point every port passed on the way straight at the answer.
    for (let p = start; p !== root; ) {
      const next = this.jump[p] as number;
      this.jump[p] = root;
      p = next;
    }
    return root;
  }
}

/** Ports a fix must never propose: every default and effective port of the whole catalogue. */
export function cataloguePorts(allEntries: readonly ResolvedService[]): Set<number> {
  const out = new Set<number>();
  for (const e of allEntries) {
    out.add(e.port);
    out.add(e.effectivePort);
  }
  return out;
}

/** Who holds a port, for texts: "PID 1234 (java)". */
function holderText(l: Pick<Listener, 'pid' | 'process'>): string {
  return `PID ${l.pid ?? '?'} (${l.process ?? 'unknown'})`;
}

/** Facts a fix sentence is built from. */
export interface FixFacts {
  readonly kind: Conflict['kind'];
  readonly port: number;
  readonly moves: readonly PortMove[];
  readonly holders: readonly Pick<Listener, 'pid' | 'process' | 'address'>[];
}

/**
 * The fix as one sentence, e.g. "set GATEWAY_PORT=8082, or stop PID 1234 (java)". An entry
 * without env var cannot be moved from outside: say what to do instead.
 */
export function fixText(f: FixFacts): string {
  const parts = f.moves.map((m) => {
    if (m.envVar !== null && m.port !== null) return `set ${m.envVar}=${m.port}`;
    if (m.envVar !== null) return `set ${m.envVar} to a free port (none left above the default)`;
    const where = m.port !== null ? ` (e.g. ${m.port}, free now)` : '';
    return `move ${m.service} to another port in the registry${where}`;
  });
  const stop = f.holders.map(holderText);
  if (f.moves.length === 0) {
    const addrs = [...new Set(f.holders.map((h) => h.address))].join(' and ');
    return `stop ${stop.join(' or ')}: different programs answer on port ${f.port} (${addrs})`;
  }
  const moveText = parts.join('; ');
  if (f.kind === 'wrong-owner' && stop.length > 0) {
    const noEnv = f.moves.every((m) => m.envVar === null);
    return noEnv ? `stop ${stop.join(' or ')} or ${moveText}` : `${moveText}, or stop ${stop.join(' or ')}`;
  }
  return moveText;
}

/**
 * Hands out fix ports: one per env var (entries sharing a variable, like a gateway and its dev
 * server, move together) or per entry without one; never twice, never a taken one. The port map
 * (65k entries, filled in a loop that runs cold in a one-shot command) is made on the first move:
 * a machine without conflicts never needs it.
 */
class PortAllocator {
  private readonly given = new Map<string, number | null>();
  private free: FreePortFinder | null = null;
  /** `markTaken` runs on the first move only: most snapshots have no conflict and never need it. */
  constructor(private readonly markTaken: (free: FreePortFinder) => void) {}
  move(e: ResolvedService): PortMove {
    const key = e.env !== null ? `env:${e.env}` : `id:${e.id}`;
    if (!this.given.has(key)) {
      if (this.free === null) {
        this.free = new FreePortFinder();
        this.markTaken(this.free);
      }
      this.given.set(key, this.free.take(e.port));
    }
    return { service: e.id, envVar: e.env, port: this.given.get(key) ?? null };
  }
}

/** Moves without repeats: one "set VAR=N" per variable. */
function uniqueMoves(moves: readonly PortMove[]): PortMove[] {
  const seen = new Set<string>();
  return moves.filter((m) => {
    const key = m.envVar !== null ? `env:${m.envVar}` : `id:${m.service}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Input of {@link findConflicts}. */
export interface ConflictInput {
  /** Resolved entries of the active profile. */
  readonly services: readonly ResolvedService[];
  /** Resolved entries of every profile (their ports are never proposed). */
  readonly allEntries: readonly ResolvedService[];
  /** Classified listeners (holding sockets are used). */
  readonly listeners: readonly Listener[];
  /** The snapshot's sockets: their local ports are in use (read only when a fix needs a free port). */
  readonly sockets: readonly Pick<SocketEntry, 'localPort'>[];
  /** Profile filter in effect; null = entries collide only when their profile sets meet. */
  readonly profile: string | null;
}

/** Wrong-owner conflicts (live) and catalogue collisions, each with a fix. Sorted by port. */
export function findConflicts(input: ConflictInput): Conflict[] {
  const alloc = new PortAllocator((free) => {
    const sockets = input.sockets;
    // Indexed: unoptimised (a one-shot command), a for-of makes an object per socket.
    for (let i = 0; i < sockets.length; i++) free.mark((sockets[i] as Pick<SocketEntry, 'localPort'>).localPort);
    for (const p of cataloguePorts(input.allEntries)) free.mark(p);
  });
  const byPort = entriesByPort(input.services);
  const holding = input.listeners.filter((l) => isHoldingSocket(l));
  const out: Conflict[] = [];

  // Catalogue collisions first, so a moved entry gets the same port in both kinds of conflict.
  for (const entries of byPort.values()) {
    if (entries.length < 2) continue;
    const first = entries[0] as ResolvedService;
    const onPort = holding.filter((l) => l.protocol === first.protocol && l.port === first.effectivePort);
    // Keep the entry that is running (if any), else prefer keeping entries that have no env var
    // (they can only move by editing the registry); move the ones that collide with a kept one.
    const running = entries.find((e) => onPort.some((l) => l.service === e.id && l.status === 'expected'));
    const rank = (e: ResolvedService): number => (e === running ? 0 : e.env === null ? 1 : 2);
    const order = [...entries].sort((a, b) => rank(a) - rank(b));
    const kept = new ProfileUnion();
    const moved = new ProfileUnion();
    const movedEntries: ResolvedService[] = [];
    for (const e of order) {
      if (input.profile !== null ? !kept.empty : kept.overlaps(e)) {
        moved.add(e);
        movedEntries.push(e);
      } else kept.add(e);
    }
    if (movedEntries.length === 0) continue;
    const movedSet = new Set(movedEntries);
    const involved = entries.filter((e) => movedSet.has(e) || input.profile !== null || moved.overlaps(e));
    const moves = uniqueMoves(movedEntries.map((e) => alloc.move(e)));
    const holder = onPort.find((l) => l.pid !== null) ?? onPort[0];
    out.push({
      port: first.effectivePort,
      protocol: first.protocol,
      kind: 'catalogue',
      services: involved.map((e) => e.id),
      holder: holder ? { pid: holder.pid, process: holder.process } : null,
      fix: fixText({ kind: 'catalogue', port: first.effectivePort, moves, holders: [] }),
      live: onPort.length > 0,
      moves,
      holders: [],
    });
  }

  // Live conflicts: listeners classified "conflict", one per port and holding program.
  const groups = new Map<string, Listener[]>();
  for (const l of holding) {
    if (l.status !== 'conflict' || l.pid === null) continue;
    const entries = byPort.get(portKey(l.protocol, l.port));
    // Off-catalogue overlaps are one conflict per port; catalogue ports one per wrong program.
    const k = entries ? `${portKey(l.protocol, l.port)}|${(l.process ?? '').toLowerCase()}` : `${portKey(l.protocol, l.port)}`;
    const group = groups.get(k);
    if (group) group.push(l);
    else groups.set(k, [l]);
  }
  for (const ls of groups.values()) {
    const l = ls[0] as Listener;
    const entries = byPort.get(portKey(l.protocol, l.port)) ?? [];
    // The holder that shadows the wildcard for local clients is the one to name first.
    const holders = uniqueByProgram([...ls].sort((a, b) => Number(isWildcard(a.address)) - Number(isWildcard(b.address))));
    const moves = uniqueMoves(entries.map((e) => alloc.move(e)));
    const main = holders[0] as Listener;
    out.push({
      port: l.port,
      protocol: l.protocol,
      kind: 'wrong-owner',
      services: entries.map((e) => e.id),
      holder: { pid: main.pid, process: main.process },
      fix: fixText({ kind: 'wrong-owner', port: l.port, moves, holders }),
      live: true,
      moves,
      holders: holders.map((h) => ({ pid: h.pid, process: h.process, address: h.address })),
    });
  }
  return out.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.kind.localeCompare(b.kind));
}

/**
 * The profiles of a set of entries, to ask "does this entry share a profile with any of them" in
 * one step instead of one comparison per entry (the same test as profilesOverlap in resolve.ts).
 */
class ProfileUnion {
  private everyProfile = false;
  private readonly names = new Set<string>();
  empty = true;

  add(e: Pick<ResolvedService, 'profiles'>): void {
    this.empty = false;
    if (e.profiles === null) this.everyProfile = true;
    else for (const p of e.profiles) this.names.add(p);
  }

  overlaps(e: Pick<ResolvedService, 'profiles'>): boolean {
    if (this.empty) return false;
    if (this.everyProfile || e.profiles === null) return true;
    return e.profiles.some((p) => this.names.has(p));
  }
}

/** One listener per program name (IPv4 + IPv6 twins of one program are named once). */
function uniqueByProgram(ls: readonly Listener[]): Listener[] {
  const seen = new Set<string>();
  return ls.filter((l) => {
    const name = (l.process ?? '').toLowerCase();
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
}

/** Protocol-qualified label of a port for tables: "8080/tcp". */
export function portLabel(port: number, protocol: Protocol): string {
  return `${port}/${protocol}`;
}
