/**
 * HTTP routing of the exporter: a table of paths, each with the methods it answers. Authentication
 * comes first for every path (an unauthenticated client learns nothing, not even which paths exist),
 * then an unknown path is 404 and a known path asked with another method is 405. Nothing here
 * changes the machine: the exporter is read-only whatever `--read-only` says. A new endpoint is one
 * more entry in the table.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cleanText } from '../core/sanitize.js';

/** What a handler gets: the parsed URL (query included) and the response to write. */
export interface RouteRequest {
  readonly url: URL;
  readonly method: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/** One endpoint. */
export interface Route {
  readonly path: string;
  /** Methods it answers, upper case (HEAD is answered like GET, without the body). */
  readonly methods: readonly string[];
  handle(request: RouteRequest): Promise<void> | void;
}

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** Whether the request may go on (basic auth); absent = everyone may. */
  readonly authorize?: (req: IncomingMessage) => Promise<boolean>;
  /** Where a handler's failure is reported (one line). */
  readonly log: (line: string) => void;
}

/** Writes a whole response. Node leaves the body out of an answer to HEAD by itself. */
export function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const TEXT = 'text/plain; charset=utf-8';

/** A request handler for node's http/https server. */
export function createRouter(routes: readonly Route[], options: RouterOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const byPath = new Map(routes.map((r) => [r.path, r]));
  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (options.authorize && !(await options.authorize(req))) {
      send(res, 401, TEXT, 'Unauthorized\n', { 'WWW-Authenticate': 'Basic realm="vhtop"' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://exporter.invalid');
    const route = byPath.get(url.pathname);
    if (!route) {
      send(res, 404, TEXT, `Not found: this exporter serves ${routes.map((r) => r.path).join(', ')}\n`);
      return;
    }
    const method = req.method ?? 'GET';
    const allowed = route.methods.includes('GET') ? [...new Set([...route.methods, 'HEAD'])] : route.methods;
    if (!allowed.includes(method)) {
      send(res, 405, TEXT, 'Method not allowed: this exporter is read-only\n', { Allow: allowed.join(', ') });
      return;
    }
    await route.handle({ url, method, req, res });
  };
  return (req, res) => {
    dispatch(req, res).catch((e: unknown) => {
      options.log(`request failed: ${cleanText(e instanceof Error ? e.message : String(e))}`);
      if (!res.headersSent) send(res, 500, TEXT, 'Internal error\n');
      else res.destroy();
    });
  };
}
