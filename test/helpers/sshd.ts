/**
 * A real OpenSSH server on 127.0.0.1 for the --host tests: throwaway host and client keys, its own
 * sshd_config, pid file and authorized_keys, and an ssh client config (with the known_hosts the test
 * writes) naming three hosts: `box` (the sshd), `closed` (a port nothing listens on) and `silent`
 * (a TCP listener that accepts and never speaks). Nothing outside its temp dir is touched but
 * /run/sshd, which sshd insists on.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { pollUntil } from './poll.js';
import { tempDir } from './temp-dir.js';

/** Where Debian puts sshd; it must be started by absolute path. */
export const SSHD = '/usr/sbin/sshd';

/** Why the ssh tests cannot run here, or null. */
export function sshdMissing(): string | null {
  if (!existsSync(SSHD)) return `${SSHD} not installed (apt-get install openssh-server; .ci/run does)`;
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'no ssh client on PATH (apt-get install openssh-client)';
  }
  return null;
}

/** A running test sshd and the client config that reaches it. */
export interface TestSshd {
  readonly dir: string;
  readonly port: number;
  /** The `ssh -F` file: hosts `box`, `closed`, `silent`. */
  readonly config: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (bound, then closed). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
}

/** Starts sshd and the silent listener; resolves once sshd accepts connections. */
export async function startSshd(options: { connectTimeoutS?: number } = {}): Promise<TestSshd> {
  const tmp = tempDir('vhtop-sshd-');
  const dir = tmp.dir;
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')), { mode: 0o600 });
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const closedPort = await freePort();
  const silent = net.createServer(() => {
    // Accepts and never answers: an ssh client waits for a banner that does not come.
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  const silentPort = (silent.address() as net.AddressInfo).port;
  const sshdConfig = path.join(dir, 'sshd_config');
  writeFileSync(sshdConfig, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_key')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'MaxSessions 50',
    'MaxStartups 50',
    'LogLevel ERROR',
    '',
  ].join('\n'));
  const hostPub = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
  const user = userInfo().username;
  const common = (p: number, timeout: number) => [
    '  HostName 127.0.0.1',
    `  Port ${p}`,
    `  User ${user}`,
    `  IdentityFile ${path.join(dir, 'client_key')}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${knownHosts}`,
    '  StrictHostKeyChecking yes',
    '  LogLevel ERROR',
    `  ConnectTimeout ${timeout}`,
  ];
  const config = path.join(dir, 'ssh_config');
  writeFileSync(config, [
    'Host box', ...common(port, 20),
    'Host closed', ...common(closedPort, 20),
    'Host silent', ...common(silentPort, options.connectTimeoutS ?? 3),
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', sshdConfig], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const up = await pollUntil(() => child.exitCode === null && listening(port), 20_000);
  if (!up) {
    child.kill('SIGKILL');
    silent.close();
    tmp.remove();
    throw new Error(`sshd did not start: ${stderr}`);
  }
  return {
    dir,
    port,
    config,
    async stop() {
      child.kill('SIGTERM');
      await pollUntil(() => child.exitCode !== null || child.signalCode !== null, 10_000);
      silent.close();
      tmp.remove();
    },
  };
}

/** Whether something listens on 127.0.0.1:`port` (from /proc/net/tcp, no connection made). */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  try {
    return readFileSync('/proc/net/tcp', 'latin1').split('\n').some((l) => l.includes(`0100007F:${hex} 00000000:0000 0A`));
  } catch {
    return false;
  }
}
