/**
 * The TUI watching two targets (a real sshd on 127.0.0.1 and a closed port) in a real tmux pane: a
 * HOST column, the unreachable host as a row with its error while the good host's services show,
 * the `/host:NAME` filter, and keys that keep working while a host is down. Kill from a remote row
 * goes over ssh: the dialog names the host, and the python listener (started here; the loopback sshd
 * is this machine) dies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { shellQuote, startTmux, type TmuxSession } from './helpers/tmux.js';
import { assertBuilt, pythonHolder, registry, ROOT, stopAll, tempDir, type Holder } from './cli-helpers.js';
import { sshdMissing, startSshd, type TestSshd } from '../helpers/sshd.js';
import { waitFor } from '../helpers/poll.js';

const missing = sshdMissing();
if (missing) console.warn(`skipping the --host TUI test: ${missing}`);

describe.skipIf(missing !== null)('TUI with two hosts', () => {
  let sshd: TestSshd;
  let holder: Holder;
  let victim: Holder;
  let work: { dir: string; cleanup: () => Promise<void> };
  let session: TmuxSession | null = null;

  beforeAll(async () => {
    assertBuilt();
    sshd = await startSshd();
    holder = await pythonHolder('tcp,127.0.0.1,0');
    victim = await pythonHolder('tcp,127.0.0.1,0');
    work = await tempDir({
      'registry.yaml': registry([
        { id: 'remote-held', name: 'RemoteHeld', port: holder.ports[0], group: 'app' },
        { id: 'victim', name: 'Victim', port: victim.ports[0], group: 'app' },
      ]),
    });
  }, 60_000);

  afterAll(async () => {
    await session?.kill();
    await stopAll();
    await sshd?.stop();
    await work?.cleanup();
  });

  it('shows both hosts, the dead one as a row with its error, and filters by host', async () => {
    const argv = [process.execPath, path.join(ROOT, 'bin', 'vhtop.js'), '--host', 'box', '--host', 'closed', '--ssh-config', sshd.config, '--interval', '1'];
    session = await startTmux({ command: `${argv.map(shellQuote).join(' ')}; echo "exit=$?"; sleep 60`, width: 140, height: 30, cwd: work.dir, env: { TMPDIR: sshd.dir } });
    const s = session;
    const screen = await s.waitFor((t) => /HOST/.test(t) && /box\s+up\b.*RemoteHeld/.test(t) && /closed\s+down\b.*unreachable: connection refused/.test(t), 60_000);
    expect(screen).toMatch(new RegExp(`box\\s+up\\b.*RemoteHeld.*\\b${holder.ports[0]}\\b`));
    // Keys answer while the closed host keeps failing every interval.
    await s.send('/');
    await s.type('host:closed');
    await s.send('Enter');
    await s.waitFor((t) => t.includes('filter host:closed') && !t.includes('RemoteHeld') && t.includes('unreachable'), 30_000);
    await s.send('Escape');
    await s.waitFor('RemoteHeld', 30_000);
    await s.send('q');
    expect(await s.waitFor('exit=', 30_000)).toContain('exit=0');
  }, 180_000);

  it('kills the process of a remote row over ssh: the dialog and the outcome name the host', async () => {
    await session?.kill();
    const argv = [process.execPath, path.join(ROOT, 'bin', 'vhtop.js'), '--host', 'box', '--ssh-config', sshd.config, '--interval', '1'];
    session = await startTmux({ command: `${argv.map(shellQuote).join(' ')}; echo "exit=$?"; sleep 60`, width: 140, height: 30, cwd: work.dir, env: { TMPDIR: sshd.dir } });
    const s = session;
    await s.waitFor((t) => /box\s+up\b.*Victim/.test(t), 60_000);
    await s.send('/');
    await s.type('victim');
    await s.send('Enter');
    await s.waitFor((t) => t.includes('filter victim') && !t.includes('RemoteHeld') && /Victim/.test(t), 30_000);
    await s.send('x');
    const dialog = await s.waitFor((t) => t.includes('y kills'), 30_000);
    expect(dialog).toMatch(/host\s+box \(over ssh\)/);
    expect(dialog).toContain(`Kill pid ${victim.pid} (python3)?`);
    await s.send('y');
    await s.waitFor(`killed: pid ${victim.pid} (python3) on box`, 60_000);
    await waitFor(() => victim.child.exitCode !== null || victim.child.signalCode !== null, 20_000);
    expect(victim.child.signalCode).toBe('SIGTERM');
    await s.send('q');
    expect(await s.waitFor('exit=', 30_000)).toContain('exit=0');
  }, 180_000);
});
