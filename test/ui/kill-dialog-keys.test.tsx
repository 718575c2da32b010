import { render, cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { KillDialog } from '../../src/ui/components/KillDialog.js';
import type { Killer } from '../../src/ui/killer.js';
import type { FrozenTarget } from '../../src/actions/kill-target.js';
import type { KillOptions } from '../../src/actions/kill.js';
import { footerText } from '../../src/ui/components/Footer.js';
import { KEY, mountApp } from './harness.js';
import { listener, seedScene, service, snapshot } from './fixtures.js';

afterEach(() => cleanup());

/** A frozen process as the system killer would freeze it; a wrapper's child unless `leader` is itself. */
function target(over: Partial<FrozenTarget> = {}): FrozenTarget {
  return {
    pid: 4242, startTime: 77, uid: 1000, user: 'dev', name: 'python3', command: 'python3 -m http.server 8080',
    ppid: 4240, pgid: 4240, state: 'S', port: 8080, protocol: 'tcp', inodes: [99], chain: [],
    leader: { pid: 4240, startTime: 70, name: 'sh' }, service: 'web', dockerService: null, dockerProxy: false, ...over,
  };
}

/** A killer that touches no process: it records what the dialog asked for. */
function recorder(options: { refusal?: string | null; remaining?: number[]; freeze?: FrozenTarget | null } = {}) {
  const calls: { target: FrozenTarget; options: KillOptions }[] = [];
  const stops: string[] = [];
  const killer: Killer = {
    guard: () => ({ pid: 1, pgid: 1, ancestors: new Set() }),
    freeze: () => (options.freeze === undefined ? target() : options.freeze),
    freezeHolder: (pid) => target({ pid, pgid: pid, leader: null }),
    refusal: (_t, _g, tree) => (tree ? null : (options.refusal ?? null)),
    kill: async (t, o) => {
      calls.push({ target: t, options: o });
      const remaining = calls.length === 1 ? (options.remaining ?? []) : [];
      return { kind: 'killed', message: `killed pid ${t.pid} with SIG${o.signal}`, sent: [o.signal], remainingHolders: remaining };
    },
    composeStop: async (svc) => {
      stops.push(svc);
      return { ok: true, message: `docker compose stop ${svc}: stopped` };
    },
  };
  return { killer, calls, stops };
}

function mount(killer: Killer) {
  const closed: (string | null)[] = [];
  const snap = snapshot({ services: [service({ id: 'web', port: 8080, pid: 4242 })], listeners: [listener({ port: 8080, pid: 4242, service: 'web' })] });
  const ui = render(<KillDialog pid={4242} port={8080} snapshot={snap} width={100} onClose={(m) => closed.push(m)} killer={killer} />);
  const frame = () => ui.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const until = async (test: () => boolean) => {
    for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(test()).toBe(true);
  };
  return { ui, closed, frame, press, until };
}

/** The signal the marker points at ("▶KILL"). */
const marked = (frame: string) => /▶(TERM|INT|HUP|KILL)/.exec(frame)?.[1] ?? null;

describe('KillDialog keys (a recording killer, no real process)', () => {
  it('a docker-proxy target is refused, S runs docker compose stop for its service instead and never kills', async () => {
    const proxy = target({ name: 'docker-proxy', dockerProxy: true, dockerService: 'gateway' });
    const { killer, calls, stops } = recorder({ freeze: proxy, refusal: 'it is docker-proxy: run docker compose stop gateway' });
    const d = mount(killer);
    await d.until(() => d.frame().includes('S runs docker compose stop gateway'));
    await d.press('S');
    await d.until(() => d.closed.length === 1);
    expect(stops).toEqual(['gateway']);
    expect(calls).toHaveLength(0);
    expect(d.closed[0]).toBe('docker compose stop gateway: stopped');
  });

  it('marks the chosen signal with ▶; t i h k pick it, Tab and s cycle, y kills with it', async () => {
    const { killer, calls } = recorder();
    const d = mount(killer);
    expect(d.frame()).toContain('Kill pid 4242 (python3)?');
    expect(marked(d.frame())).toBe('TERM');
    // The marker is text: only one signal carries it.
    expect(d.frame().match(/▶/g)).toHaveLength(1);
    for (const [key, sig] of [['k', 'KILL'], ['h', 'HUP'], ['i', 'INT'], ['t', 'TERM'], [KEY.tab, 'INT'], ['s', 'HUP']] as const) {
      await d.press(key);
      await d.until(() => marked(d.frame()) === sig);
    }
    await d.press('y');
    await d.until(() => d.closed.length === 1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.options).toMatchObject({ signal: 'HUP', tree: false });
    expect(calls[0]?.target.pid).toBe(4242);
    expect(d.closed[0]).toBe('killed pid 4242 with SIGHUP');
  });

  it('g switches to the process group and back; y then kills the group', async () => {
    const { killer, calls } = recorder();
    const d = mount(killer);
    await d.press('g');
    await d.until(() => d.frame().includes('Kill process group 4240 (leader sh'));
    await d.press('g');
    await d.until(() => d.frame().includes('Kill pid 4242'));
    await d.press('g', 'y');
    await d.until(() => d.closed.length === 1);
    expect(calls[0]?.options.tree).toBe(true);
  });

  it('Esc, n and any other key cancel without killing', async () => {
    for (const key of [KEY.escape, 'n', 'z', KEY.enter]) {
      const { killer, calls } = recorder();
      const d = mount(killer);
      await d.press(key);
      await d.until(() => d.closed.length === 1);
      expect(d.closed).toEqual([null]);
      expect(calls).toHaveLength(0);
      d.ui.unmount();
    }
  });

  it('a refused target closes with the reason, never killing', async () => {
    const { killer, calls } = recorder({ refusal: 'it is vhtop itself' });
    const d = mount(killer);
    expect(d.frame()).toContain('it is vhtop itself');
    await d.press('y');
    await d.until(() => d.closed.length === 1);
    expect(d.closed[0]).toBe('not killed: it is vhtop itself');
    expect(calls).toHaveLength(0);
  });

  it('offers the next holder of the port: y kills it too, another key closes', async () => {
    const { killer, calls } = recorder({ remaining: [5151] });
    const d = mount(killer);
    await d.press('y');
    await d.until(() => d.frame().includes('pid 5151 (python3) still holds the port'));
    await d.press('y');
    await d.until(() => d.closed.length === 1);
    expect(calls.map((c) => c.target.pid)).toEqual([4242, 5151]);
  });

  it('a process gone before the question closes with that message', async () => {
    const { killer, calls } = recorder({ freeze: null });
    const d = mount(killer);
    expect(d.frame()).toContain('pid 4242 is gone');
    await d.press('y');
    await d.until(() => d.closed.length === 1);
    expect(d.closed[0]).toContain('is gone');
    expect(calls).toHaveLength(0);
  });
});

describe('the App with the kill dialog open', () => {
  it("shows the dialog's keys in the footer, from the key table's kill mode; Ctrl-C still quits", async () => {
    const { killer, calls } = recorder();
    const app = mountApp({ snapshot: seedScene(), killer });
    await app.press('j', 'x'); // gateway, pid 300
    const f = await app.waitFrame((f) => f.includes('Kill pid'));
    expect(f.split('\n')).toContain(footerText('kill', false, 100));
    expect(f).toContain('y kill');
    expect(f).toContain('Esc cancel');
    await app.press('k', 'y');
    await app.waitFrame((f) => f.includes('killed pid 4242 with SIGKILL'));
    expect(calls[0]?.options.signal).toBe('KILL');
    // Back at the table: the table's footer again.
    expect(app.frame().split('\n')).toContain(footerText('table', false, 100));
    await app.press('x', KEY.ctrlC);
    expect(app.calls.quit).toBe(1);
  });
});
