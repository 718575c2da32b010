import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogPane } from '../../src/ui/components/LogPane.js';
import { activeLogStream } from '../../src/actions/compose-logs.js';
import { service } from './fixtures.js';
import { fakeEnv, type FakeEnv } from '../actions/logs-helpers.js';
import { stateOf, waitFor } from '../actions/kill-helpers.js';

let f: FakeEnv;
beforeEach(() => {
  f = fakeEnv();
});
afterEach(() => {
  activeLogStream()?.stop();
  f.cleanup();
});

function mount(docker: string | null, env: Record<string, string>, height = 12) {
  let closed = 0;
  const ui = render(
    <LogPane service={service({ id: 'web', docker })} pid={null} registryFile={`${f.dir}/registry.yaml`} composeFile={null} cwd={f.dir} width={80} height={height} env={env} onClose={() => closed++} />,
  );
  const frame = () => ui.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ui, frame, press, closed: () => closed };
}

describe('LogPane against the stand-in docker', () => {
  it('follows docker compose logs, cleaned, searches, and Esc stops the child group', async () => {
    // Two body lines: the pane must scroll to show a match.
    const p = mount('web', f.env(), 4);
    await waitFor(() => p.frame().includes('web-1  | following'));
    expect(p.frame()).toContain('logs: docker compose logs --no-color --tail 200 --follow -- web  [follow]');
    expect(p.frame()).not.toContain('red alert');
    await p.press('/', 'r', 'e', 'd', '\r');
    expect(p.frame()).toContain('[line 3/4]');
    expect(p.frame()).toContain('web-1  | red alert done');
    expect(p.frame()).not.toContain('\x1b');
    await p.press('n');
    expect(p.frame()).toContain('no earlier line contains "red"');
    await p.press('G');
    expect(p.frame()).toContain('[follow]');
    expect(p.frame()).not.toContain('red alert');
    const [sh, sleeper] = f.followerPids() as [number, number];
    await p.press('\x1b');
    expect(p.closed()).toBe(1);
    p.ui.unmount();
    await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
  });

  it('says docker is not installed in the pane', async () => {
    const p = mount('web', f.env({}, [f.binWith(['journalctl'])]));
    await waitFor(() => p.frame().includes('docker not installed'));
    p.ui.unmount();
  });

  it('says plainly when no log source is known', async () => {
    const p = mount(null, f.env());
    await waitFor(() => p.frame().includes('no log source for web; tried'));
    p.ui.unmount();
  });
});
