/**
 * Helpers for the CLI tests: real listeners in real child processes, the built binary run as a
 * user would, temp registries and .env files. Every child is tracked and killed by stopAll().
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killChildren } from '../helpers/child-set.js';

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'vhtop.js');

/** Fails early with a clear message when the CLI has not been built (npm test builds first). */
export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, 'dist', 'bundle', 'cli.js'))) throw new Error('dist/bundle/cli.js missing: run `npm run build` first');
}

/** Result of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/vhtop.js ...args` in `cwd` with a clean VHTOP_* / colour environment plus `env`. */
export function runCli(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VHTOP_') && k !== 'COLUMNS' && !k.endsWith('_PORT')));
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...base, ...opts.env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      // Another program's failure (timeout, buffer) must show up as itself, not as an exit code.
      if (err && typeof err.code !== 'number') throw err;
      const code = err ? (err.code as number) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A child process holding sockets. */
export interface Holder {
  readonly pid: number;
  /** The bound ports, in the order of the specs. */
  readonly ports: number[];
  readonly child: ChildProcess;
}

const children = new Set<ChildProcess>();

/** Starts `cmd args` and waits for its first stdout line: a JSON array of the ports it holds. */
export async function startHolder(cmd: string, args: string[]): Promise<Holder> {
  // stdin stays a pipe: the child exits on EOF, so even a crashed test run leaves no listener behind.
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ pid: child.pid as number, ports: JSON.parse(out.slice(0, nl)) as number[], child });
    });
    child.once('exit', (code) => reject(new Error(`holder ${cmd} exited early (${code}): ${err}`)));
  });
}

const PY_HOLDER = `
import json, socket, sys
socks, ports = [], []
for spec in sys.argv[1:]:
    proto, host, port = spec.split(',')
    port = ports[-1] if port == 'same' else int(port)
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, port))
    if proto == 'tcp':
        s.listen()
    socks.append(s)
    ports.append(s.getsockname()[1])
print(json.dumps(ports), flush=True)
sys.stdin.read()
`;

/**
 * A python3 process (comm "python3") holding sockets. Spec "tcp,0.0.0.0,0": protocol, address,
 * port (0 = let the OS choose, "same" = the previous spec's port). IPv6 sockets are v6-only.
 */
export function pythonHolder(...specs: string[]): Promise<Holder> {
  return startHolder('python3', ['-c', PY_HOLDER, ...specs]);
}

/** The same holder run through `exe` (e.g. a symlink to python3 named docker-proxy: comm follows the name). */
export function pythonHolderAs(exe: string, ...specs: string[]): Promise<Holder> {
  return startHolder(exe, ['-c', PY_HOLDER, ...specs]);
}

const NODE_HOLDER = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const s = net.createServer().listen({ host, port: Number(port), ipv6Only: host.includes(':') }, () => {
  process.stdout.write(JSON.stringify([s.address().port]) + '\\n');
});
process.stdin.on('end', () => process.exit(0)).resume();
`;

/** A node process (comm "node") listening on TCP `host`:`port`. */
export function nodeHolder(host: string, port: number): Promise<Holder> {
  return startHolder(process.execPath, ['-e', NODE_HOLDER, host, String(port)]);
}

/** Kills every holder this file started (only those). */
export async function stopAll(): Promise<void> {
  await killChildren(children);
}

/**
 * A port nothing listens on right now. Chosen below the kernel's ephemeral range (32768+) so that
 * the OS does not hand it to someone's port-0 bind a moment later, and checked by binding.
 */
export async function closedPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if ((await bindable(port)) && (await bindable(port, '::'))) return port;
  }
}

/** True when TCP `port` can be bound on `host` right now. */
export function bindable(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, ipv6Only: host.includes(':'), exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A temp directory with files; call the returned cleanup in afterEach. */
export async function tempDir(files: Record<string, string> = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vhtop-cli-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A registry document from entries given as YAML snippets' fields. */
export function registry(entries: Record<string, unknown>[]): string {
  const lines = ['version: 1', 'services:'];
  for (const e of entries) {
    let first = true;
    for (const [k, v] of Object.entries(e)) {
      lines.push(`${first ? '  - ' : '    '}${k}: ${JSON.stringify(v)}`);
      first = false;
    }
  }
  return `${lines.join('\n')}\n`;
}

const HTTP_HOLDER = `
import http.server, json, sys, threading
status = int(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(status if self.path == '/health' else 404)
        self.end_headers()
        self.wfile.write(b'{}')
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(('0.0.0.0', 0), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
print(json.dumps([srv.server_address[1]]), flush=True)
sys.stdin.read()
`;

/** A python3 HTTP server on 0.0.0.0 answering GET /health with `status` (404 elsewhere). */
export function httpHolder(status: number): Promise<Holder> {
  return startHolder('python3', ['-c', HTTP_HOLDER, String(status)]);
}
