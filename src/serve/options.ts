/**
 * The flags of `vhtop serve`, checked once at start-up: every mistake is a UsageError (one line, exit 2).
 */
import { isIP } from 'node:net';
import type { ParsedArgs } from '../cli/args.js';
import { UsageError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';

/**
 * Default port of the exporter. No catalogue entry uses it, and it lies in the block Prometheus
 * exporters use (9100-9999) away from the ones everybody runs (node_exporter 9100, blackbox 9115).
 */
export const DEFAULT_PORT = 9736;

/** Default bind address: the metrics describe a host's service map, so only this host sees them unless told otherwise. */
export const DEFAULT_HOST = '127.0.0.1';

/** Default longest age of the snapshot a scrape answers with. */
export const DEFAULT_INTERVAL_S = 5;

/** Shortest `--interval`: below it a scraper would walk /proc continuously. */
export const MIN_INTERVAL_S = 0.1;

/** Most `vhtop_unexpected_listener_info` series one scrape may carry. */
export const MAX_UNEXPECTED_DETAILS = 10_000;

/** An address and port to listen on. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Everything `vhtop serve` was asked for (global flags aside). */
export interface ServeOptions {
  readonly listen: ListenAddress;
  readonly intervalMs: number;
  readonly health: boolean;
  readonly webConfigFile: string | null;
  /** 0 = no `vhtop_unexpected_listener_info` at all. */
  readonly unexpectedDetails: number;
}

/** The flag table of the command (global flags are added by the parser). */
export const SERVE_FLAGS = {
  listen: 'string',
  health: 'boolean',
  'web.config.file': 'string',
  'unexpected-details': 'int',
} as const;

/**
 * `ADDR:PORT`, `[V6ADDR]:PORT` or `:PORT` (all IPv4 and IPv6 addresses, as node_exporter's
 * `--web.listen-address=:9100`). Port 0 lets the system choose (the start-up line names it).
 */
export function parseListen(text: string): ListenAddress {
  const bad = (why: string): never => {
    throw new UsageError(`option --listen ${JSON.stringify(cleanText(text))}: ${why} (write ADDR:PORT, e.g. 127.0.0.1:${DEFAULT_PORT} or [::1]:${DEFAULT_PORT})`);
  };
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!m) return bad('not an address and port');
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port > 65535) bad('port must be 0..65535');
  if (m[1] !== undefined && isIP(host) !== 6) bad('brackets must hold an IPv6 address');
  if (m[2] !== undefined && host !== '' && isIP(host) !== 4) bad('the address must be an IPv4 address, or an IPv6 one in brackets');
  // '' = every address: node listens on :: (and 0.0.0.0 through it) when given no host.
  return { host, port };
}

/** Reads the serve flags from parsed arguments. */
export function serveOptions(args: ParsedArgs): ServeOptions {
  if (args.positionals.length > 0) throw new UsageError(`serve takes no arguments (got ${JSON.stringify(cleanText(args.positionals[0] ?? ''))})`);
  const listen = typeof args.flags.listen === 'string' ? parseListen(args.flags.listen) : { host: DEFAULT_HOST, port: DEFAULT_PORT };
  const interval = typeof args.flags.interval === 'number' ? args.flags.interval : DEFAULT_INTERVAL_S;
  if (interval < MIN_INTERVAL_S || interval > 86_400) throw new UsageError(`option --interval must be from ${MIN_INTERVAL_S} to 86400 seconds (got ${interval})`);
  const details = typeof args.flags['unexpected-details'] === 'number' ? args.flags['unexpected-details'] : 0;
  if (details > MAX_UNEXPECTED_DETAILS) throw new UsageError(`option --unexpected-details must be at most ${MAX_UNEXPECTED_DETAILS} (got ${details})`);
  const webConfig = args.flags['web.config.file'];
  return {
    listen,
    intervalMs: Math.round(interval * 1000),
    health: args.flags.health === true,
    webConfigFile: typeof webConfig === 'string' ? webConfig : null,
    unexpectedDetails: details,
  };
}
