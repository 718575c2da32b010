import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** A python3 child holding sockets; it exits when its stdin closes. */
export interface SocketChild {
  readonly pid: number;
  /** Whitespace-separated numbers of the child's first line (ports, forked pids). */
  readonly values: readonly number[];
  readonly process: ChildProcess;
}

// Every child carries this token in its argv so cleanup only ever kills what these tests started.
const MARKER = `vhtop-probe-test-${process.pid}-${Date.now()}`;

const started: SocketChild[] = [];
const extraPids: number[] = [];

const PRELUDE = `
import os, socket, sys
def tcp(fam, addr, port=0, reuse=False):
    s = socket.socket(fam, socket.SOCK_STREAM)
    if reuse: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((addr, port)); s.listen(16); return s
def udp(fam, addr, port=0):
    s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((addr, port)); return s
def done(*values):
    print(*values, flush=True); sys.stdin.read()
`;

/** Starts python3 running PRELUDE + `body`; resolves once it printed its first line. */
export async function startChild(body: string, args: readonly string[] = []): Promise<SocketChild> {
  const child = spawn('python3', ['-c', PRELUDE + body, MARKER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => resolve(l));
    child.once('exit', (code) => reject(new Error(`python3 exited (${code}) before it was ready: ${stderr}`)));
    child.once('error', reject);
  });
  const values = line.trim().split(/\s+/).map(Number);
  const entry: SocketChild = { pid: child.pid as number, values, process: child };
  started.push(entry);
  return entry;
}

/** Remembers a pid the children forked, so cleanup can make sure it is gone. */
export function trackForked(pid: number): void {
  extraPids.push(pid);
}

function ours(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MARKER);
  } catch {
    return false;
  }
}

/** Ends every child started here (closing stdin first, then SIGKILL for anything still ours). */
export async function stopChildren(): Promise<void> {
  for (const c of started.splice(0)) {
    c.process.stdin?.end();
    if (c.process.exitCode === null) c.process.kill('SIGKILL');
  }
  for (const pid of extraPids.splice(0)) {
    if (ours(pid)) process.kill(pid, 'SIGKILL');
  }
}

/** One socket line of `ss -tuanpe`, parsed here in the test (product code never reads ss text). */
export interface SsSocket {
  readonly protocol: 'tcp' | 'udp';
  readonly state: string;
  readonly address: string;
  readonly port: number;
  readonly peerPort: number;
  readonly pids: readonly number[];
  readonly inode: number;
}

function splitEndpoint(text: string): { address: string; port: number } {
  const at = text.lastIndexOf(':');
  let address = text.slice(0, at).replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) address = mapped[1] as string;
  const port = text.slice(at + 1);
  return { address, port: port === '*' ? 0 : Number(port) };
}

/** Runs `ss` with `flags` (must include -n, -p, -e) and parses every tcp/udp line. */
export function ss(flags: string): SsSocket[] {
  const out = execFileSync('ss', [flags], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const sockets: SsSocket[] = [];
  for (const line of out.split('\n')) {
    const m = /^(tcp|udp)\s+(\S+)\s+\d+\s+\d+\s+(\S+)\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[5] as string;
    const users = /users:\(\((.*)\)\)/.exec(rest)?.[1] ?? '';
    const pids = [...new Set([...users.matchAll(/pid=(\d+),fd=/g)].map((p) => Number(p[1])))].sort((a, b) => a - b);
    const local = splitEndpoint(m[3] as string);
    sockets.push({
      protocol: m[1] as 'tcp' | 'udp',
      state: m[2] as string,
      address: local.address,
      port: local.port,
      peerPort: splitEndpoint(m[4] as string).port,
      pids,
      inode: Number(/ino:(\d+)/.exec(rest)?.[1] ?? 0),
    });
  }
  return sockets;
}
