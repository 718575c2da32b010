/**
 * The shared data model of vhtop. Every layer speaks these types:
 * probe (OS) -> ProbeData -> buildSnapshot(catalogue, env) -> Snapshot -> view model / JSON.
 *
 * All values are plain data (no classes) so they can be frozen, compared in tests and serialised.
 */

/** Transport protocol of a socket or a catalogue entry. */
export type Protocol = 'tcp' | 'udp';

/** IP family of a socket. */
export type Family = 4 | 6;

/**
 * Socket state as `ss` names it. TCP states come from /proc/net/tcp*; a bound, unconnected UDP
 * socket is `UNCONN` (what `ss -ul` lists), a connected UDP socket is `ESTAB`.
 */
export type SocketState =
  | 'ESTAB'
  | 'SYN-SENT'
  | 'SYN-RECV'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'TIME-WAIT'
  | 'UNCONN'
  | 'CLOSE-WAIT'
  | 'LAST-ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'UNKNOWN';

/** Health probe of a catalogue entry (registry `health:`). Timeouts are milliseconds. */
export type HealthSpec =
  | { kind: 'http'; path: string; expect: number | null; timeoutMs: number | null; https: boolean }
  | { kind: 'tcp'; timeoutMs: number | null }
  | { kind: 'websocket'; path: string; timeoutMs: number | null };

/**
 * A free-form section name (a short lower-case word). The VoiceHelper port document's sections
 * (app, websocket, data, db-admin, monitoring, logging, dev, test) are examples, not a closed list.
 */
export type ServiceGroup = string;

/** One validated entry of registry.yaml. Optional keys are `null` when absent. */
export interface ServiceDef {
  readonly id: string;
  readonly name: string;
  /** Default port from the registry. */
  readonly port: number;
  readonly protocol: Protocol;
  /** Env var that moves the port, e.g. GATEWAY_PORT. */
  readonly env: string | null;
  /** null when the entry names none (the key is optional). */
  readonly group: ServiceGroup | null;
  /** null = every profile. */
  readonly profiles: readonly string[] | null;
  /** Names the expected owner may have (compared with the process name and argv[0] basename). */
  readonly process: readonly string[] | null;
  /** docker compose service name. */
  readonly docker: string | null;
  readonly health: HealthSpec | null;
  /** 'local' = must listen on loopback only. */
  readonly bind: 'local' | null;
  /** 1-based line in the registry file where this entry starts (for error messages). */
  readonly line: number;
  /**
   * Other names the VoiceHelper port document gives this same service (e.g. the gateway's WebSocket endpoints 实时对话 and
   * 系统通知, or "Neo4j Browser" for Neo4j on 7474). Optional; the registry loader always sets it ([] when none).
   */
  readonly aliases?: readonly string[];
}

/** A loaded registry. */
export interface Catalogue {
  /** Path the catalogue was read from (as given / resolved). */
  readonly file: string;
  readonly services: readonly ServiceDef[];
  /** True when the catalogue was made on the fly from a compose file (no registry was found). */
  readonly imported?: boolean;
}

/** Where the effective port of a service came from. */
export type PortSource = 'default' | 'env-file' | 'environment';

/** A catalogue entry with env overrides applied. */
export interface ResolvedService extends ServiceDef {
  readonly effectivePort: number;
  readonly portSource: PortSource;
}

/** Env values that can move ports: the process environment wins over the .env file. */
export interface EnvSources {
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly fileEnv: Readonly<Record<string, string>>;
  /** The .env file that was read, or null. */
  readonly fileName: string | null;
  /** Optional: 1-based line of each variable in the .env file (the last assignment wins), for error messages. */
  readonly fileLines?: Readonly<Record<string, number>>;
}

/** One socket as the OS reports it, with every process that holds it. */
export interface SocketEntry {
  readonly protocol: Protocol;
  readonly family: Family;
  /** Textual address: "0.0.0.0", "127.0.0.1", "::", "::1", "::ffff:127.0.0.1" is reported as "127.0.0.1" with family 6. */
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly state: SocketState;
  /** Socket inode (0 for TIME-WAIT and other ownerless sockets). */
  readonly inode: number;
  /** uid that created the socket (from /proc/net), -1 when unknown. */
  readonly uid: number;
  /** Every pid holding this socket, ascending. Empty when the owner cannot be seen. */
  readonly pids: readonly number[];
  /** Why the owner is unknown (e.g. "owner not visible: another namespace or no permission"); null when pids is non-empty. */
  readonly ownerUnknown: string | null;
  /**
   * Set when `pids` came from a source that cannot tie them to this very socket (the portable probe
   * reads netstat's text, which a process can fool with its own argv): why the attribution is not
   * confirmed. Absent or null: the probe saw the socket in each pid's fd table.
   */
  readonly ownerUnconfirmed?: string | null;
  /** User name of `uid` (from /etc/passwd), when the probe resolved it; absent or null otherwise. */
  readonly uidUser?: string | null;
}

/** What vhtop knows of one process. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Process group id. */
  readonly pgid: number;
  /** comm (/proc/PID/stat field 2), cleaned of control characters. */
  readonly name: string;
  /** argv joined by spaces, cleaned; falls back to `[name]` for kernel threads. */
  readonly command: string;
  readonly uid: number;
  /** User name from /etc/passwd, or the uid as text. */
  readonly user: string;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22): identifies a pid incarnation. */
  readonly startTime: number;
  /** Single-letter state from stat (R, S, D, T, Z, ...). */
  readonly state: string;
  /** utime + stime in clock ticks. */
  readonly cpuTicks: number;
  /** Resident set size in bytes. */
  readonly rssBytes: number;
  /**
   * Set by the probe when the process is Docker's real port publisher (its executable is a
   * docker-proxy binary and its parent dockerd or containerd); a name alone never sets it.
   */
  readonly dockerProxy?: boolean;
}

/** Raw result of one probe pass. Immutable once produced. */
export interface ProbeData {
  readonly probe: 'linux' | 'portable';
  readonly host: string;
  /** ISO time the pass started. */
  readonly takenAt: string;
  readonly sockets: readonly SocketEntry[];
  /** Every process that holds at least one socket in `sockets` (keyed by pid). */
  readonly processes: ReadonlyMap<number, ProcessInfo>;
  /** Human notices about partial views ("not root: sockets of other users show no owner", "hidepid"). */
  readonly notices: readonly string[];
  /**
   * Running containers and the host ports they publish, from the Docker engine; absent when the engine
   * was not asked or did not answer (then docker-proxy owners are matched by the catalogue alone).
   */
  readonly containers?: readonly PublishedContainer[];
}

/** A running container as the Docker engine reports it. */
export interface PublishedContainer {
  readonly name: string;
  /** Compose labels `com.docker.compose.service` / `.project`; null when not started by compose. */
  readonly service: string | null;
  readonly project: string | null;
  readonly ports: readonly { readonly hostIp: string; readonly port: number; readonly protocol: Protocol }[];
}

/** A source of ProbeData. Implementations: linux (/proc), portable (systeminformation + ps-list). */
export interface Probe {
  readonly kind: 'linux' | 'portable';
  /** One pass. Never throws for a process that vanished mid-scan; throws only when nothing can be read. */
  collect(): Promise<ProbeData>;
}

/**
 * Listener classification. `unverified`: a socket on a catalogue port whose owner cannot be seen
 * (not root, another namespace) or whose attribution the probe cannot confirm; it is never called
 * the expected program.
 */
export type ListenerStatus = 'expected' | 'conflict' | 'unexpected' | 'unverified';

/**
 * Service classification.
 * - `up`: the entry's own program holds the port.
 * - `down`: nothing holds the port.
 * - `conflict`: another program holds it.
 * - `inactive`: a same-port entry of another profile holds it with its own program (alternatives, not rivals).
 * - `unverified`: something holds it, but its owner cannot be seen or confirmed.
 */
export type ServiceStatus = 'up' | 'down' | 'conflict' | 'inactive' | 'unverified';

/** Who holds a socket whose owner cannot be seen: what /proc/net still tells (the socket's uid). */
export interface UnseenOwner {
  /** Why the owner is not seen or not confirmed ("owner not visible: not root", "another namespace", ...). */
  readonly reason: string;
  /** uid that created the socket, -1 when unknown. */
  readonly uid: number;
  /** User name of `uid`, or null when unknown. */
  readonly user: string | null;
}

/** Result of one health probe. */
export interface HealthResult {
  readonly ok: boolean;
  readonly latencyMs: number | null;
  /** A sentence a person understands: "HTTP 500 from /health", "connection refused". */
  readonly detail: string;
}

/** A listening TCP socket or bound UDP socket (with --all: any socket), classified. */
export interface Listener {
  /**
   * Stable identity across refreshes, unique within a snapshot: `${protocol}|${address}|${port}|${inode}`,
   * plus `|${remoteAddress}|${remotePort}` for a socket that does not hold its port (a connection).
   */
  readonly key: string;
  readonly protocol: Protocol;
  readonly family: Family;
  readonly address: string;
  readonly port: number;
  readonly state: SocketState;
  /** Primary owner (lowest pid holding the socket), null when not visible. */
  readonly pid: number | null;
  /** All owners. */
  readonly pids: readonly number[];
  readonly process: string | null;
  readonly user: string | null;
  readonly command: string | null;
  readonly service: string | null;
  readonly status: ListenerStatus;
  readonly exposed: boolean;
  /** Established sockets whose local port is this port. */
  readonly connections: number;
  /** Owner is docker-proxy (the port is published by a container). */
  readonly dockerProxy: boolean;
  readonly ownerUnknown: string | null;
  /**
   * The owner was seen and tied to this socket (Linux: the socket's inode in the pid's fd table).
   * false: no owner visible, or an attribution the probe cannot confirm. kill refuses an unverified owner.
   */
  readonly verified: boolean;
  /** uid that created the socket (from /proc/net), -1 when unknown; known even when the owner is not visible. */
  readonly socketUid: number;
  /** User name of `socketUid`, or null when unknown. */
  readonly socketUser: string | null;
  readonly inode: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The `--host` target this socket was seen on; set only when several hosts are shown together. */
  readonly host?: string;
}

/** A catalogue entry of the active profile with its live state. */
export interface ServiceView {
  readonly id: string;
  readonly name: string;
  readonly group: ServiceGroup | null;
  /** Effective port. */
  readonly port: number;
  readonly defaultPort: number;
  readonly envVar: string | null;
  readonly portSource: PortSource;
  readonly protocol: Protocol;
  readonly status: ServiceStatus;
  readonly pid: number | null;
  readonly process: string | null;
  readonly exposed: boolean;
  /** Non-loopback addresses a `bind: local` entry listens on (empty when not exposed). */
  readonly exposedOn: readonly string[];
  readonly connections: number;
  readonly docker: string | null;
  readonly health: HealthResult | null;
  /** The `--host` target; set only when several hosts are shown together. */
  readonly host?: string;
  /** Container that publishes the port when no host process holds it (no docker-proxy: NAT only). */
  readonly publishedBy?: string | null;
  /** When `inactive`: the same-port entry of another profile whose program holds the port, and its profiles. */
  readonly usedBy: { readonly service: string; readonly profiles: readonly string[] | null } | null;
  /** When `unverified`: what is known of the holder whose owner cannot be seen or confirmed. */
  readonly unseenOwner: UnseenOwner | null;
}

/** One step of a conflict's fix: move catalogue entry `service` to `port` (null: no free port found). */
export interface PortMove {
  readonly service: string;
  /** Env var that moves it; null when the entry has none (then the registry must change). */
  readonly envVar: string | null;
  readonly port: number | null;
}

/** A conflict: a catalogue port held by the wrong program, or catalogue entries sharing a port. */
export interface Conflict {
  readonly port: number;
  readonly protocol: Protocol;
  readonly kind: 'wrong-owner' | 'catalogue';
  readonly services: readonly string[];
  readonly holder: { readonly pid: number | null; readonly process: string | null } | null;
  /** e.g. "set GATEWAY_PORT=8082" */
  readonly fix: string;
  /** true when something really holds the port now (wrong-owner always; catalogue when any of them listens). */
  readonly live: boolean;
  /** The structured form of `fix`: entries to move and where (optional). */
  readonly moves?: readonly PortMove[];
  /** Every program holding the port (wrong-owner), the shadowing one first (optional). */
  readonly holders?: readonly { readonly pid: number | null; readonly process: string | null; readonly address: string }[];
}

/** The one truth every command and the TUI show. Immutable. */
export interface Snapshot {
  readonly version: 1;
  readonly host: string;
  readonly takenAt: string;
  readonly probe: 'linux' | 'portable';
  readonly profile: string | null;
  readonly listeners: readonly Listener[];
  readonly services: readonly ServiceView[];
  readonly conflicts: readonly Conflict[];
  /** Processes that hold sockets (for the Processes view and kill). */
  readonly processes: ReadonlyMap<number, ProcessInfo>;
  readonly notices: readonly string[];
  /** The `--host` targets merged into this snapshot (see mergeHostSnapshots); absent for one machine. */
  readonly hosts?: readonly string[];
}
