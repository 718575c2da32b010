/**
 * `vhtop serve`'s exporter: an HTTP(S) server answering /metrics from a snapshot no older than the
 * interval, with health probes on their own cadence. Built from plain parts so tests can start it in
 * process with a real probe and count its collections.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkHealth } from '../actions/health.js';
import { UsageError } from '../core/errors.js';
import type { Catalogue, HealthResult, Snapshot } from '../core/types.js';
import { HealthRunner } from '../actions/health-runner.js';
import { BasicAuth } from './basic-auth.js';
import { ExporterMetrics } from './metrics.js';
import type { ListenAddress } from './options.js';
import { createRouter, send, type Route } from './routes.js';
import { SharedCollector, type Outcome } from './shared-collector.js';
import type { WebConfig } from './web-config.js';

/** Health probes run this often with --health (the TUI's cadence), apart from scrapes. */
export const HEALTH_INTERVAL_MS = 10_000;

/** Everything the exporter needs; the command builds it from flags, tests by hand. */
export interface ExporterOptions {
  readonly listen: ListenAddress;
  readonly intervalMs: number;
  readonly health: boolean;
  readonly healthIntervalMs?: number;
  readonly webConfig: WebConfig | null;
  readonly unexpectedDetails: number;
  readonly version: string;
  readonly catalogue: Catalogue;
  /** One probe pass classified against the catalogue (takeSnapshot). */
  readonly collect: () => Promise<Snapshot>;
  /** One line for the operator (stderr in the command). */
  readonly log: (line: string) => void;
  /**
   * `--host` targets answered at `/probe?target=NAME` (the multi-target exporter pattern), each with
   * its own collection; only these names are accepted. Absent: no /probe endpoint.
   */
  readonly targets?: ReadonlyMap<string, () => Promise<Snapshot>>;
  /** Clock in ms for the snapshot's age (tests); default the real one. */
  readonly now?: () => number;
  /** More endpoints next to / and /metrics (same login, same 404/405 rules). */
  readonly routes?: readonly Route[];
}

/** A running exporter. */
export interface Exporter {
  /** Base URL, e.g. `http://127.0.0.1:9736/`. */
  readonly url: string;
  readonly port: number;
  /** Probe passes started so far: one per interval however many scrapes come. */
  readonly collections: () => number;
  /** Stops listening, ends open connections and the health timer. */
  close(): Promise<void>;
}

/** Starts listening. A bind failure is a UsageError naming the address (one line, exit 2). */
export async function startExporter(o: ExporterOptions): Promise<Exporter> {
  const collector = new SharedCollector({ collect: o.collect, maxAgeMs: o.intervalMs, now: o.now });
  const localOnly = new Set(o.catalogue.services.filter((s) => s.bind === 'local').map((s) => s.id));
  const metrics = new ExporterMetrics({ version: o.version, localOnly, unexpectedDetails: o.unexpectedDetails, selfPid: process.pid });

  const health = o.health ? startHealth(o, collector) : null;
  const page = createPage(collector, metrics, health, o.log);
  const auth = new BasicAuth(o.webConfig?.users ?? new Map());
  const routes: Route[] = [
    { path: '/metrics', methods: ['GET'], handle: async ({ res }) => {
      const { body, contentType } = await page();
      send(res, 200, contentType, body);
    } },
    { path: '/', methods: ['GET'], handle: ({ res }) => send(res, 200, 'text/html; charset=utf-8', INDEX_PAGE) },
    ...(o.routes ?? []),
  ];
  if (o.targets) routes.push(probeRoute(o, o.targets));
  const handler = createRouter(routes, { log: o.log, authorize: auth.enabled ? (req: IncomingMessage) => auth.allows(req.headers.authorization) : undefined });
  const tls = o.webConfig?.tls ?? null;
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: tls.minVersion, maxVersion: tls.maxVersion }, handler) : createHttpServer(handler);
  try {
    await listen(server, o.listen);
  } catch (e) {
    health?.stop();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const host = o.listen.host === '' ? '127.0.0.1' : o.listen.host.includes(':') ? `[${o.listen.host}]` : o.listen.host;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}/`,
    port,
    collections: () => collector.collections,
    close: () => {
      health?.stop();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * `/probe?target=NAME`: the metrics of one configured `--host` target, collected on demand and
 * shared for an interval like /metrics. Any other target is 400: the exporter never connects to a
 * host a scraper names.
 */
function probeRoute(o: ExporterOptions, targets: ReadonlyMap<string, () => Promise<Snapshot>>): Route {
  const localOnly = new Set(o.catalogue.services.filter((s) => s.bind === 'local').map((s) => s.id));
  const pages = new Map<string, () => Promise<{ body: string; contentType: string }>>();
  return {
    path: '/probe',
    methods: ['GET'],
    handle: async ({ url, res }) => {
      const target = url.searchParams.get('target');
      const collect = target === null ? undefined : targets.get(target);
      if (target === null || collect === undefined) {
        send(res, 400, 'text/plain; charset=utf-8', `unknown target: /probe?target= takes one of ${[...targets.keys()].join(', ')}\n`);
        return;
      }
      let page = pages.get(target);
      if (page === undefined) {
        const collector = new SharedCollector({ collect, maxAgeMs: o.intervalMs, now: o.now });
        const metrics = new ExporterMetrics({ version: o.version, localOnly, unexpectedDetails: o.unexpectedDetails, selfPid: -1 });
        page = createPage(collector, metrics, null, (line) => o.log(`${target}: ${line}`));
        pages.set(target, page);
      }
      const { body, contentType } = await page();
      send(res, 200, contentType, body);
    },
  };
}

const INDEX_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>vhtop exporter</title></head>
<body><h1>vhtop exporter</h1>
<p>The ports of this machine against its service catalogue, as Prometheus metrics: <a href="metrics">/metrics</a>.</p>
</body></html>
`;

function listen(server: Server, at: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      const shown = at.host === '' ? `:${at.port}` : at.host.includes(':') ? `[${at.host}]:${at.port}` : `${at.host}:${at.port}`;
      const why = e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EACCES' ? 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)' : e.code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : (e.code ?? e.message);
      reject(new UsageError(`cannot listen on ${shown}: ${why}`));
    };
    server.once('error', onError);
    server.listen({ host: at.host === '' ? undefined : at.host, port: at.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The health side: results as the runner delivers them, and a version that changes with them. */
interface HealthSide {
  results(): ReadonlyMap<string, HealthResult>;
  version(): number;
  stop(): void;
}

function startHealth(o: ExporterOptions, collector: SharedCollector): HealthSide {
  let results: ReadonlyMap<string, HealthResult> = new Map();
  let version = 0;
  const latest = (): Snapshot | null => {
    const last = collector.last;
    return last !== null && last.ok ? last.snapshot : null;
  };
  const runner = new HealthRunner({
    check: checkHealth,
    catalogue: o.catalogue,
    snapshot: latest,
    intervalMs: o.healthIntervalMs ?? HEALTH_INTERVAL_MS,
    onResults: (r) => {
      results = r;
      version += 1;
    },
  });
  // Each round looks at a snapshot no older than the interval, through the same shared collector.
  const round = (): void => void collector.get().then(() => runner.run());
  round();
  const timer = setInterval(round, o.healthIntervalMs ?? HEALTH_INTERVAL_MS);
  return {
    results: () => results,
    version: () => version,
    stop: () => {
      clearInterval(timer);
      runner.stop();
    },
  };
}

/**
 * The /metrics body. Concurrent scrapes of one outcome (and one set of health results) share one
 * rendering; renderings run one after another so gauges are never set while another is read.
 */
function createPage(collector: SharedCollector, metrics: ExporterMetrics, health: HealthSide | null, log: (line: string) => void): () => Promise<{ body: string; contentType: string }> {
  let cached: { outcome: Outcome; healthVersion: number; page: Promise<{ body: string; contentType: string }> } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let lastError: string | null = null;
  return async () => {
    const outcome = await collector.get();
    const healthVersion = health?.version() ?? 0;
    if (cached !== null && cached.outcome === outcome && cached.healthVersion === healthVersion) return cached.page;
    if (cached?.outcome !== outcome) {
      // One line when the probe starts or stops failing, not one per scrape.
      const error = outcome.ok ? null : outcome.error;
      if (error !== lastError) log(error === null ? 'probe works again' : `probe failed: ${error}`);
      lastError = error;
    }
    const page = queue.then(() => {
      metrics.apply(outcome, health?.results() ?? null);
      return metrics.render();
    });
    queue = page.catch(() => undefined);
    cached = { outcome, healthVersion, page };
    return page;
  };
}
