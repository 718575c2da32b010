import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { KillDialog } from '../../src/ui/components/KillDialog.js';
import { listener, service, snapshot } from './fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeProxyTree } from '../helpers/docker-proxy-tree.js';
import { cleanupStarted, startListener, stateOf, waitFor, type Started } from '../actions/kill-helpers.js';

afterEach(() => cleanupStarted());

/** Mounts the dialog for a real listener; the snapshot says what the TUI would have seen. */
function mount(l: Pick<Started, 'pid' | 'port'>, extra: { docker?: string; proxy?: boolean } = {}) {
  const closed: (string | null)[] = [];
  const snap = snapshot({
    services: [service({ id: 'web', port: l.port, pid: l.pid, docker: extra.docker ?? null })],
    // inode 0: the dialog reads the real listening socket from /proc.
    listeners: [listener({ port: l.port, pid: l.pid, inode: 0, service: 'web', dockerProxy: extra.proxy ?? false })],
  });
  const ui = render(<KillDialog pid={l.pid} port={l.port} snapshot={snap} width={100} timeoutSeconds={1} onClose={(m) => closed.push(m)} />);
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const frame = () => ui.lastFrame() ?? '';
  return { ui, closed, press, frame };
}

describe('KillDialog with real processes', () => {
  it('shows pid, user, command, port; a chosen signal and y kill it', async () => {
    const l = await startListener('plain');
    const d = mount(l);
    expect(d.frame()).toContain(`Kill pid ${l.pid} (python3)?`);
    expect(d.frame()).toMatch(/user\s+root \(uid 0\)/);
    expect(d.frame()).toMatch(/command\s+\S*python3 -c/);
    expect(d.frame()).toMatch(new RegExp(`port\\s+${l.port}`));
    await d.press('i', 'y');
    await waitFor(() => d.closed.length === 1);
    expect(d.closed[0]).toContain(`killed pid ${l.pid} (python3) with SIGINT; port ${l.port} is free`);
    expect(stateOf(l.pid)).toBeNull();
    d.ui.unmount();
  });

  it('any other key cancels and the process lives', async () => {
    const l = await startListener('plain');
    const d = mount(l);
    await d.press('x');
    expect(d.closed).toEqual([null]);
    expect(stateOf(l.pid)).not.toBeNull();
    d.ui.unmount();
  });

  it('g kills the wrapper group after the leader is verified', async () => {
    const l = await startListener('wrapper');
    const d = mount(l);
    expect(d.frame()).toMatch(/parents\s+sh\(\d+\)/);
    await d.press('g');
    expect(d.frame()).toContain(`Kill process group ${l.child.pid} (leader sh`);
    await d.press('y');
    await waitFor(() => d.closed.length === 1);
    expect(d.closed[0]).toContain(`killed process group ${l.child.pid}`);
    await waitFor(() => stateOf(l.child.pid as number) === null && stateOf(l.pid) === null);
    d.ui.unmount();
  });

  it('offers the other holder of a forked server and kills it on y', async () => {
    const l = await startListener('fork');
    const d = mount(l);
    await d.press('y');
    await waitFor(() => d.frame().includes('still holds the port'));
    expect(d.frame()).toContain(`pid ${l.second} (python3) still holds the port: y kills it too`);
    // Only the offer asks now: the first question's prompt is gone.
    expect(d.frame()).not.toContain('y kills · any other key cancels');
    await d.press('y');
    await waitFor(() => d.closed.length === 1);
    expect(d.closed[0]).toContain(`killed pid ${l.second} (python3)`);
    expect(stateOf(l.pid)).toBeNull();
    expect(stateOf(l.second as number)).toBeNull();
    d.ui.unmount();
  });

  it('offers a SO_REUSEPORT sibling (its own socket) and kills it on y', async () => {
    const l = await startListener('reuseport');
    const d = mount(l);
    await d.press('y');
    await waitFor(() => d.frame().includes('still holds the port'));
    expect(d.frame()).toContain(`pid ${l.second} (python3) still holds the port: y kills it too`);
    await d.press('y');
    await waitFor(() => d.closed.length === 1);
    expect(d.closed[0]).toContain(`killed pid ${l.second} (python3) with SIGTERM`);
    expect(d.closed[0]).toContain(`port ${l.port} is free`);
    expect(stateOf(l.second as number)).toBeNull();
    d.ui.unmount();
  });

  it('never kills docker-proxy: points to the l key and the exact docker compose stop line', async () => {
    const { dir, remove } = tempDir('vhtop-proxy-');
    try {
      const tree = makeProxyTree(dir);
      if ('skip' in tree) return console.warn(`skipped: ${tree.skip}`);
      const l = await startListener('plain', tree.proxy, { prefix: tree.prefix });
      const d = mount(l, { docker: 'postgres', proxy: true });
      await d.press('y');
      expect(d.closed).toEqual([
        `not killed: not killing docker-proxy (pid ${l.pid}): port ${l.port} is published by a container; see its logs (l on its row) or stop it with: docker compose stop postgres`,
      ]);
      expect(stateOf(l.pid)).not.toBeNull();
      d.ui.unmount();
    } finally {
      remove();
    }
  });

  it('refuses vhtop itself: nothing is sent, the key closes with the reason', async () => {
    const d = mount({ pid: process.pid, port: 1 });
    expect(d.frame()).toContain('that is vhtop itself');
    await d.press('y');
    expect(d.closed).toEqual([expect.stringMatching(/^not killed: refusing pid \d+ \(.*\): that is vhtop itself$/)]);
    d.ui.unmount();
  });
});
