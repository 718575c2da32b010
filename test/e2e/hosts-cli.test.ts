/**
 * `--host` against a real sshd on 127.0.0.1 (throwaway keys, its own config and known_hosts): the
 * remote snapshot of this machine has the same listeners and pids as the local one; a closed port
 * and a listener that never speaks are reported per host in words while the other hosts still answer;
 * check and conflicts name each failing host; the collection script runs under busybox sh and dash.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { remoteKillScript } from '../../src/actions/remote-kill.js';
import { waitFor } from '../helpers/poll.js';
import { startServe } from '../serve/serve-helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenerJson, SnapshotJson } from '../../src/core/json.js';
import { probeDataFromRemote } from '../../src/probe/remote-data.js';
import { collectionScript, newNonce } from '../../src/probe/remote-script.js';
import { LinuxProbe } from '../../src/probe/linux.js';
import { assertBuilt, httpHolder, pythonHolder, registry, runCli, stopAll, tempDir, type Holder } from './cli-helpers.js';
import { sshdMissing, startSshd, type TestSshd } from '../helpers/sshd.js';

type HostsJson = { version: number; hosts: (Partial<SnapshotJson> & { target: string; ok: boolean; error: string | null })[] };

const missing = sshdMissing();
if (missing) console.warn(`skipping --host tests: ${missing}`);

describe.skipIf(missing !== null)('--host over a real sshd', () => {
  let sshd: TestSshd;
  let work: { dir: string; cleanup: () => Promise<void> };
  let holder: Holder;
  let web: Holder;
  const env = (): Record<string, string> => ({ TMPDIR: sshd.dir });
  const cli = (args: string[]) => runCli([...args, '--ssh-config', sshd.config], { cwd: work.dir, env: env() });

  beforeAll(async () => {
    assertBuilt();
    sshd = await startSshd();
    holder = await pythonHolder('tcp,127.0.0.1,0', 'udp,127.0.0.1,0');
    web = await httpHolder(200);
    work = await tempDir({
      'registry.yaml': registry([
        { id: 'held', name: 'Held', port: holder.ports[0], group: 'app' },
        { id: 'web', name: 'Web', port: web.ports[0], group: 'app', health: { http: '/health' } },
      ]),
    });
  }, 60_000);

  afterAll(async () => {
    await stopAll();
    await sshd?.stop();
    await work?.cleanup();
  });

  it('the remote snapshot of this machine has the local listeners with the same pids', async () => {
    const before = JSON.parse((await runCli(['list', '--json'], { cwd: work.dir, env: env() })).stdout) as SnapshotJson;
    const remote = await cli(['list', '--json', '--host', 'box']);
    const after = JSON.parse((await runCli(['list', '--json'], { cwd: work.dir, env: env() })).stdout) as SnapshotJson;
    expect(remote.code).toBe(0);
    const doc = JSON.parse(remote.stdout) as HostsJson;
    expect(doc.version).toBe(1);
    expect(doc.hosts).toHaveLength(1);
    const host = doc.hosts[0]!;
    expect(host).toMatchObject({ target: 'box', ok: true, error: null, version: 1 });
    const key = (l: ListenerJson) => `${l.protocol}${l.family} ${l.address}:${l.port} ${l.process ?? '-'} ${l.command ?? '-'} ${l.pids.join(',')}`;
    // Listeners present in both local runs (the machine is shared: others come and go meanwhile).
    const stable = new Set(before.listeners!.map(key));
    const both = after.listeners!.map(key).filter((k) => stable.has(k));
    const remoteKeys = new Set(host.listeners!.map(key));
    expect(both.length).toBeGreaterThan(2);
    for (const k of both) expect(remoteKeys.has(k), k).toBe(true);
    const mine = host.listeners!.filter((l) => l.pid === holder.pid);
    expect(mine.map((l) => l.port).sort()).toEqual([...holder.ports].sort());
    expect(mine[0]).toMatchObject({ process: 'python3', user: expect.any(String) as string });
    expect(host.services!.find((s) => s.id === 'held')).toMatchObject({ status: 'up', pid: holder.pid });
  }, 120_000);

  it('a closed port and a silent listener are reported in words; the good host still answers', async () => {
    const r = await cli(['list', '--json', '--host', 'closed', '--host', 'silent', '--host', 'box', '--host', 'local']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as HostsJson;
    expect(doc.hosts.map((h) => h.target)).toEqual(['closed', 'silent', 'box', 'local']);
    expect(doc.hosts[0]).toMatchObject({ ok: false, error: 'connection refused' });
    expect(doc.hosts[0]!.listeners).toBeUndefined();
    expect(doc.hosts[1]).toMatchObject({ ok: false, error: 'timed out connecting (ConnectTimeout)' });
    expect(doc.hosts[2]).toMatchObject({ ok: true, error: null });
    expect(doc.hosts[3]).toMatchObject({ ok: true, error: null });
  }, 120_000);

  it('status prints one segment per host, labelled by its target; an unreachable host says so and fails', async () => {
    const good = await cli(['status', '--host', 'box', '--host', 'local']);
    expect(good.stdout.trim()).toMatch(/^box \d+↑ \d+↓ \d+⚠ \d+! local \d+↑ \d+↓ \d+⚠ \d+!$/);
    const bad = await cli(['status', '--tmux', '--host', 'box', '--host', 'closed']);
    expect(bad.code).toBe(1);
    expect(bad.stdout.trim()).toMatch(/^box .*↑.* closed #\[fg=red\]✗unreachable#\[default\]$/);
  }, 120_000);

  it('check and conflicts exit 1 naming each unreachable host; check passes on a good host', async () => {
    const good = await cli(['check', '--host', 'box']);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const bad = await cli(['check', '--host', 'box', '--host', 'closed']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('== closed: unreachable: connection refused');
    expect(bad.stdout).toContain('not fine: closed');
    const conflicts = await cli(['conflicts', '--host', 'closed', '--host', 'box']);
    expect(conflicts.code).toBe(1);
    expect(conflicts.stdout).toContain('closed');
    const json = JSON.parse((await cli(['check', '--json', '--only', 'held', '--host', 'box'])).stdout) as HostsJson;
    expect(json.hosts[0]!.services!.map((s) => s.id)).toEqual(['held']);
  }, 120_000);

  it('check --health probes a remote service through ssh -W', async () => {
    const r = await cli(['check', '--health', '--only', 'web', '--json', '--host', 'box']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as HostsJson;
    expect(doc.hosts[0]!.services![0]!.health).toMatchObject({ ok: true });
  }, 120_000);

  it('kill over ssh: dry run names the remote process, --yes kills it, a changed start time is never hit', async () => {
    const victim = await pythonHolder('tcp,127.0.0.1,0');
    const port = String(victim.ports[0]);
    const dry = await cli(['kill', '--dry-run', '--host', 'box', port]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would send SIGTERM to pid ${victim.pid} (python3`);
    expect(victim.child.exitCode).toBeNull();
    // The snippet itself, with a start time one tick off: the process is left alone.
    const stat = readFileSync(`/proc/${victim.pid}/stat`, 'utf8');
    const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const wrong = execFileSync('ssh', ['-F', sshd.config, '-T', '-o', 'BatchMode=yes', 'box', 'sh', '-s'], { input: remoteKillScript(victim.pid, start + 1, 'TERM', 1), encoding: 'utf8' });
    expect(wrong.trim()).toBe('changed');
    expect(victim.child.exitCode).toBeNull();
    const killed = await cli(['kill', '--yes', '--host', 'box', port]);
    expect(killed.code, killed.stderr).toBe(0);
    expect(killed.stdout).toContain(`${port}: killed: pid ${victim.pid} (python3) on box`);
    await waitFor(() => victim.child.exitCode !== null || victim.child.signalCode !== null, 20_000);
  }, 120_000);

  it('vhtop serve --host answers /probe?target= for configured targets only', async () => {
    const serve = await startServe(['--listen', '127.0.0.1:0', '--host', 'box', '--host', 'closed', '--ssh-config', sshd.config], work.dir);
    try {
      const base = serve.metricsUrl.replace(/metrics$/, '');
      const box = await fetch(`${base}probe?target=box`);
      expect(box.status).toBe(200);
      const text = await box.text();
      expect(text).toMatch(/^vhtop_up 1$/m);
      expect(text).toContain('service_id="held"');
      const closed = await (await fetch(`${base}probe?target=closed`)).text();
      expect(closed).toMatch(/^vhtop_up 0$/m);
      for (const bad of ['probe?target=evil', 'probe?target=-oProxyCommand=x', 'probe']) {
        const r = await fetch(`${base}${bad}`);
        expect(r.status, bad).toBe(400);
        await r.text();
      }
    } finally {
      await serve.stop();
    }
  }, 120_000);

  it('a target starting with "-" is refused before ssh runs', async () => {
    const r = await cli(['list', '--host', '-oProxyCommand=touch /tmp/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not starting with "-"');
  });
});

describe('the collection script under other shells', () => {
  let holder: Holder;
  beforeAll(async () => {
    holder = await pythonHolder('tcp,127.0.0.1,0', 'udp,::1,0');
  });
  afterAll(stopAll);
  for (const shell of [['busybox', 'sh', '-s'], ['dash', '-s']] as const) {
    const available = existsSync(`/bin/${shell[0]}`) || existsSync(`/usr/bin/${shell[0]}`);
    it.skipIf(!available)(`${shell.join(' ')} sends what the local probe sees`, async () => {
      const nonce = newNonce();
      const out = execFileSync(shell[0], shell.slice(1), { input: collectionScript(nonce, false), maxBuffer: 256 * 1024 * 1024 });
      const remote = probeDataFromRemote(out, nonce, new Date().toISOString(), 'x');
      const local = await new LinuxProbe().collect();
      const key = (s: { protocol: string; localAddress: string; localPort: number; inode: number; pids: readonly number[] }) =>
        `${s.protocol} ${s.localAddress}:${s.localPort} ${s.inode} ${s.pids.join(',')}`;
      const listening = (s: { state: string; protocol: string }) => s.state === 'LISTEN' || s.protocol === 'udp';
      const seen = new Set(remote.sockets.filter(listening).map(key));
      // The holder's sockets exist for the whole test; others on this shared machine come and go.
      const ours = local.sockets.filter(listening).filter((s) => s.pids.includes(holder.pid));
      expect(ours).toHaveLength(2);
      for (const s of ours) expect(seen.has(key(s)), key(s)).toBe(true);
      expect(remote.processes.get(holder.pid)).toMatchObject({ name: 'python3', uid: process.getuid?.() ?? 0 });
      expect(remote.sockets.every(listening)).toBe(true);
      for (const [pid, p] of remote.processes) {
        const l = local.processes.get(pid);
        if (l && l.startTime === p.startTime) expect({ ...p, cpuTicks: 0, rssBytes: 0, state: '' }).toEqual({ ...l, cpuTicks: 0, rssBytes: 0, state: '' });
      }
    });
  }
});
