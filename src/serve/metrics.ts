/**
 * The snapshot as Prometheus metrics: another view of the one snapshot, like `--json`. One prom-client
 * Registry per exporter (never the global one), no default process metrics: the names and labels
 * below are the whole interface. Never a pid label (a new series per restart), never `service` or
 * `instance` (they clash with the labels Prometheus adds to a target). Durations in seconds.
 */
import { Gauge, Registry } from 'prom-client';
import type { HealthResult, Listener, ListenerStatus, Protocol, ServiceStatus, Snapshot } from '../core/types.js';
import type { Outcome } from './shared-collector.js';

/** Every state of `vhtop_service_state`: a state-set, one series per state, 1 for the current one. */
export const SERVICE_STATES = ['up', 'down', 'conflict', 'inactive', 'unverified'] as const;

// Every status the classifier can give must be one of the states above (a compile-time check).
const everyStatusIsAState: readonly (typeof SERVICE_STATES)[number][] = [] as ServiceStatus[];
void everyStatusIsAState;

const CLASSIFICATIONS: readonly ListenerStatus[] = ['expected', 'unexpected', 'conflict'];
const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp'];

/** What the metrics are built from besides the snapshot. */
export interface MetricsOptions {
  readonly version: string;
  /** Ids of the `bind: local` entries: only they get `vhtop_service_exposed`. */
  readonly localOnly: ReadonlySet<string>;
  /** Most `vhtop_unexpected_listener_info` series; 0 = none. */
  readonly unexpectedDetails: number;
  /**
   * The exporter's own pid: its own /metrics socket is not reported as unexpected (otherwise every
   * host whose catalogue does not list the exporter would raise the unexpected-listener alert).
   */
  readonly selfPid?: number;
}

/** The exporter's gauges in their own registry. */
export class ExporterMetrics {
  readonly registry = new Registry();
  private readonly g;

  constructor(private readonly options: MetricsOptions) {
    const registers = [this.registry];
    this.g = {
      state: new Gauge({ name: 'vhtop_service_state', help: 'Catalogue entry state: 1 for the current state, 0 for the others.', labelNames: ['service_id', 'state'] as const, registers }),
      info: new Gauge({ name: 'vhtop_service_info', help: 'Catalogue facts of an entry of the active profile (always 1).', labelNames: ['service_id', 'name', 'port', 'protocol', 'group', 'docker'] as const, registers }),
      exposed: new Gauge({ name: 'vhtop_service_exposed', help: '1 when a bind: local entry listens on a non-loopback address.', labelNames: ['service_id'] as const, registers }),
      probeSuccess: new Gauge({ name: 'vhtop_service_probe_success', help: 'Result of the health probe of an up entry (1 healthy, 0 failing).', labelNames: ['service_id'] as const, registers }),
      probeDuration: new Gauge({ name: 'vhtop_service_probe_duration_seconds', help: 'How long the last health probe of an entry took.', labelNames: ['service_id'] as const, registers }),
      listeners: new Gauge({ name: 'vhtop_listeners', help: 'Listening sockets by protocol and classification.', labelNames: ['protocol', 'classification'] as const, registers }),
      conflicts: new Gauge({ name: 'vhtop_port_conflicts', help: 'Live port conflicts.', registers }),
      unattributed: new Gauge({ name: 'vhtop_unattributed_sockets', help: 'Listening sockets whose owner cannot be seen.', registers }),
      up: new Gauge({ name: 'vhtop_up', help: '1 when the last probe pass succeeded.', registers }),
      duration: new Gauge({ name: 'vhtop_scrape_duration_seconds', help: 'Duration of the probe pass and classification behind this answer.', registers }),
      build: new Gauge({ name: 'vhtop_build_info', help: 'vhtop version (always 1).', labelNames: ['version'] as const, registers }),
      unexpected: new Gauge({ name: 'vhtop_unexpected_listener_info', help: 'Unexpected listeners (capped by --unexpected-details; always 1).', labelNames: ['protocol', 'address', 'port', 'process'] as const, registers }),
    };
    this.g.build.set({ version: options.version }, 1);
  }

  /**
   * Sets every gauge from one outcome and the current health results (null without --health).
   * A failed pass leaves only the exporter's own health: stale service states would page people.
   */
  apply(outcome: Outcome, health: ReadonlyMap<string, HealthResult> | null): void {
    for (const g of [this.g.state, this.g.info, this.g.exposed, this.g.probeSuccess, this.g.probeDuration, this.g.listeners, this.g.conflicts, this.g.unattributed, this.g.unexpected]) g.reset();
    this.g.up.set(outcome.ok ? 1 : 0);
    this.g.duration.set(outcome.durationSeconds);
    if (!outcome.ok) return;
    this.applySnapshot(outcome.snapshot, health);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  private applySnapshot(snap: Snapshot, health: ReadonlyMap<string, HealthResult> | null): void {
    const g = this.g;
    for (const s of snap.services) {
      for (const state of SERVICE_STATES) g.state.set({ service_id: s.id, state }, s.status === state ? 1 : 0);
      g.info.set({ service_id: s.id, name: s.name, port: String(s.port), protocol: s.protocol, group: s.group ?? '', docker: s.docker ?? '' }, 1);
      if (this.options.localOnly.has(s.id)) g.exposed.set({ service_id: s.id }, s.exposed ? 1 : 0);
      const result = health?.get(s.id);
      if (result !== undefined) {
        g.probeSuccess.set({ service_id: s.id }, result.ok ? 1 : 0);
        if (result.latencyMs !== null) g.probeDuration.set({ service_id: s.id }, result.latencyMs / 1000);
      }
    }
    const counts = new Map<string, number>();
    for (const p of PROTOCOLS) for (const c of CLASSIFICATIONS) counts.set(`${p}|${c}`, 0);
    let unattributed = 0;
    for (const l of snap.listeners) {
      if (this.isSelf(l)) continue;
      const key = `${l.protocol}|${l.status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (l.pids.length === 0) unattributed += 1;
    }
    for (const [key, n] of counts) {
      const [protocol = '', classification = ''] = key.split('|');
      g.listeners.set({ protocol, classification }, n);
    }
    g.conflicts.set(snap.conflicts.filter((c) => c.live).length);
    g.unattributed.set(unattributed);
    this.applyUnexpected(snap);
  }

  private isSelf(l: Listener): boolean {
    return l.status === 'unexpected' && this.options.selfPid !== undefined && l.pids.includes(this.options.selfPid);
  }

  /** The first N unexpected listeners by port and address; one series per distinct label set. */
  private applyUnexpected(snap: Snapshot): void {
    const cap = this.options.unexpectedDetails;
    if (cap === 0) return;
    const unexpected = snap.listeners
      .filter((l) => l.status === 'unexpected' && !this.isSelf(l))
      .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address));
    const seen = new Set<string>();
    for (const l of unexpected) {
      if (seen.size >= cap) break;
      const labels = { protocol: l.protocol, address: l.address, port: String(l.port), process: l.process ?? '' };
      const key = JSON.stringify(labels);
      if (seen.has(key)) continue;
      seen.add(key);
      this.g.unexpected.set(labels, 1);
    }
  }
}
