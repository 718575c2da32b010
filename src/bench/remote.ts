/**
 * The cost of one remote refresh (`--host`): a throwaway sshd on 127.0.0.1 (its own keys, config,
 * known_hosts), the bench's socket farm, and the collection script run through the real ssh client
 * with the master connection already open (as on every TUI tick after the first). Reported: bytes of
 * script sent, bytes received, wall time of the whole refresh (ssh, remote script, parsing).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { RemoteProbe } from '../probe/remote.js';
import { addCleanup, trackChild } from './cleanup.js';
import { startFarm } from './farm.js';
import { log } from './measure.js';
import { median } from './stats.js';

/** Socket counts of the remote rows. */
export const REMOTE_SIZES: readonly number[] = [1_000, 15_000];

/** One measured size. */
export interface RemoteRow {
  readonly sockets: number;
  readonly scriptBytes: number;
  readonly outputBytes: number;
  readonly wallMs: number;
  readonly allOutputBytes: number;
  readonly allWallMs: number;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Starts the loopback sshd; returns the ssh config naming it `bench`, and a stop function. */
async function loopbackSshd(): Promise<{ config: string; stop(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-bench-sshd-'));
  for (const k of ['host_key', 'client_key']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, k)], { stdio: 'ignore' });
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')));
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  writeFileSync(path.join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`, 'PasswordAuthentication no', 'PermitRootLogin prohibit-password',
    'StrictModes no', 'UsePAM no', 'LogLevel ERROR', '',
  ].join('\n'));
  const hostPub = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  const config = path.join(dir, 'ssh_config');
  writeFileSync(config, [
    'Host bench', '  HostName 127.0.0.1', `  Port ${port}`, `  User ${userInfo().username}`, `  IdentityFile ${dir}/client_key`,
    '  IdentitiesOnly yes', `  UserKnownHostsFile ${dir}/known_hosts`, '  StrictHostKeyChecking yes', '',
  ].join('\n'));
  const child = trackChild(spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' }));
  const remove = addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    config,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      remove();
    },
  };
}

/** Why the remote rows cannot be measured here, or null. */
export function remoteBenchMissing(): string | null {
  return existsSync('/usr/sbin/sshd') ? null : '/usr/sbin/sshd not installed (apt-get install openssh-server)';
}

/** Measures one remote refresh at each of `sizes`, `reps` times each (median). */
export async function measureRemote(sizes: readonly number[], reps: number): Promise<RemoteRow[]> {
  const sshd = await loopbackSshd();
  const settings = { configFile: sshd.config, sudo: false };
  const rows: RemoteRow[] = [];
  try {
    for (const size of sizes) {
      const farm = await startFarm(size);
      try {
        log(`remote refresh at ${farm.sockets} sockets over the loopback sshd: ${reps} runs`);
        const time = async (all: boolean) => {
          const probe = new RemoteProbe('bench', settings, { all });
          await probe.collect(); // opens (or reuses) the master connection
          const walls: number[] = [];
          for (let i = 0; i < reps; i++) {
            const t0 = performance.now();
            await probe.collect();
            walls.push(performance.now() - t0);
          }
          return { wallMs: median(walls), scriptBytes: probe.last?.scriptBytes ?? 0, outputBytes: probe.last?.outputBytes ?? 0 };
        };
        const listening = await time(false);
        const all = await time(true);
        rows.push({ sockets: farm.sockets, ...listening, allOutputBytes: all.outputBytes, allWallMs: all.wallMs });
      } finally {
        await farm.stop();
      }
    }
  } finally {
    sshd.stop();
  }
  return rows;
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

/** The markdown table of {@link measureRemote}. */
export function renderRemote(rows: readonly RemoteRow[]): string {
  return [
    '**One remote refresh (`--host`) over the loopback sshd** (master connection open; script sent on stdin, output parsed locally):',
    '',
    '| farm sockets | script sent | received (listeners) | wall (listeners) | received (`--all`) | wall (`--all`) |',
    '|--:|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.sockets.toLocaleString('en-US')} | ${r.scriptBytes} B | ${kib(r.outputBytes)} | ${r.wallMs.toFixed(0)} ms | ${kib(r.allOutputBytes)} | ${r.allWallMs.toFixed(0)} ms |`),
  ].join('\n');
}
