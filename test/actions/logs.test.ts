import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeLogStream, openExclusiveLogStream, startLogStream } from '../../src/actions/compose-logs.js';
import { realExec } from '../../src/actions/exec.js';
import { pickLogSource, type LogRequest, type LogSource } from '../../src/actions/log-source.js';
import { fakeEnv, type FakeEnv } from './logs-helpers.js';
import { stateOf } from './kill-helpers.js';
import { waitFor } from '../helpers/poll.js';

let f: FakeEnv;
beforeEach(() => {
  f = fakeEnv();
});
afterEach(() => {
  activeLogStream()?.stop();
  f.cleanup();
});

function request(over: Partial<LogRequest> = {}): LogRequest {
  return { label: 'web', docker: 'web', pid: null, tail: 100, follow: false, composeFile: null, cwd: f.dir, registryFile: path.join(f.dir, 'registry.yaml'), env: f.env(), ...over };
}

type Runnable = Extract<LogSource, { kind: 'compose' | 'journal' | 'file' }>;
function runnable(s: LogSource): Runnable {
  if (s.kind === 'unavailable') throw new Error(s.message);
  return s;
}

describe('pickLogSource', () => {
  it('builds docker compose logs with -f, --no-color, --tail, --follow and -- before the name', async () => {
    writeFileSync(path.join(f.dir, 'compose.yaml'), 'services: {}\n');
    const s = await pickLogSource(request({ tail: 20, follow: true }), realExec);
    expect(s).toMatchObject({ kind: 'compose', file: 'docker', args: ['compose', '-f', path.join(f.dir, 'compose.yaml'), 'logs', '--no-color', '--tail', '20', '--follow', '--', 'web'] });
  });

  it('uses docker-compose without the plugin and leaves --follow out when not following', async () => {
    const s = await pickLogSource(request({ env: f.env({ VHTOP_FAKE_DOCKER: 'no-compose' }) }), realExec);
    expect(s).toMatchObject({ kind: 'compose', file: 'docker-compose', args: ['logs', '--no-color', '--tail', '100', '--', 'web'] });
  });

  it('refuses an invalid docker name without running anything', async () => {
    const s = await pickLogSource(request({ docker: '--rm' }), realExec);
    expect(s).toEqual({ kind: 'unavailable', message: 'registry docker name "--rm" of web is not a valid compose service name' });
    expect(f.calls()).toEqual([]);
  });

  it('uses journalctl -u for an owner in a systemd unit (procRoot fixture)', async () => {
    const procRoot = path.join(f.dir, 'proc');
    mkdirSync(path.join(procRoot, '4242'), { recursive: true });
    writeFileSync(path.join(procRoot, '4242', 'cgroup'), '0::/system.slice/myapp.service\n');
    const s = await pickLogSource(request({ docker: null, pid: 4242, procRoot, tail: 5, follow: true }), realExec);
    expect(s).toMatchObject({ kind: 'journal', file: 'journalctl', args: ['-u', 'myapp.service', '--no-pager', '-n', '5', '-f'] });
  });

  it('says plainly when no log source is known', async () => {
    const s = await pickLogSource(request({ docker: null, pid: process.pid, procRoot: path.join(f.dir, 'none') }), realExec);
    expect(s).toEqual({ kind: 'unavailable', message: expect.stringMatching(/^no log source for web; tried docker compose: no docker: name in the registry; journald: pid \d+ is not in a systemd system unit; its stdout\/stderr: fd 1 cannot be read/) });
  });
});

describe('log streams against the stand-ins', () => {
  it('runs the exact command line and cleans the escape-sequence line', async () => {
    const s = runnable(await pickLogSource(request({ tail: 7 }), realExec));
    const lines: string[] = [];
    const end = await startLogStream(s, realExec, (l) => lines.push(l), f.env()).done;
    expect(end).toEqual({ kind: 'finished' });
    expect(f.calls().at(-1)).toEqual(['docker', 'compose', 'logs', '--no-color', '--tail', '7', '--', 'web']);
    expect(lines).toEqual(['web-1  | first line from web', 'web-1  | red alert done', 'web-1  | last line']);
  });

  it('turns a daemon that is down into one line', async () => {
    const s = runnable(await pickLogSource(request(), realExec));
    const end = await startLogStream(s, realExec, () => undefined, f.env({ VHTOP_FAKE_DOCKER: 'daemon-down' })).done;
    expect(end).toEqual({ kind: 'failed', message: 'the Docker daemon is not running (cannot connect to the Docker daemon)' });
  });

  it('turns an unknown compose service into one line', async () => {
    const s = runnable(await pickLogSource(request(), realExec));
    const end = await startLogStream(s, realExec, () => undefined, f.env({ VHTOP_FAKE_DOCKER: 'unknown-service' })).done;
    expect(end).toEqual({ kind: 'failed', message: 'unknown compose service web' });
  });

  it('journalctl lines are cleaned too', async () => {
    const lines: string[] = [];
    const source: Runnable = { kind: 'journal', file: 'journalctl', args: ['-u', 'x.service', '--no-pager', '-n', '3'], label: 'x', service: 'x.service' };
    expect(await startLogStream(source, realExec, (l) => lines.push(l), f.env()).done).toEqual({ kind: 'finished' });
    expect(lines[1]).toBe('Nov 21 20:00:01 host app[42]: cleared?');
  });

  it('a systemd unit: the stand-in journalctl gets the exact argv, follows, and is ended with its group', async () => {
    const procRoot = path.join(f.dir, 'proc');
    mkdirSync(path.join(procRoot, '4242'), { recursive: true });
    writeFileSync(path.join(procRoot, '4242', 'cgroup'), '0::/system.slice/myapp.service\n');
    const s = runnable(await pickLogSource(request({ docker: null, pid: 4242, procRoot, tail: 9, follow: true }), realExec));
    const lines: string[] = [];
    const stream = openExclusiveLogStream(s, realExec, (l) => lines.push(l), f.env());
    await waitFor(() => lines.length === 3 && f.followerPids().length === 2);
    expect(f.calls()).toEqual([['journalctl', '-u', 'myapp.service', '--no-pager', '-n', '9', '-f']]);
    expect(lines).toEqual(['Nov 21 20:00:00 host app[42]: started', 'Nov 21 20:00:01 host app[42]: cleared?', 'Nov 21 20:00:02 host app[42]: ready']);
    const [sh, sleeper] = f.followerPids() as [number, number];
    stream.stop();
    expect(await stream.done).toEqual({ kind: 'stopped' });
    await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
  });

  it('one stream at a time: opening another stops the first and its whole process group', async () => {
    const s = runnable(await pickLogSource(request({ follow: true }), realExec));
    const seen: string[] = [];
    const first = openExclusiveLogStream(s, realExec, (l) => seen.push(l), f.env());
    await waitFor(() => seen.includes('web-1  | following') && f.followerPids().length === 2);
    const [sh, sleeper] = f.followerPids() as [number, number];
    const second = openExclusiveLogStream(s, realExec, () => undefined, f.env());
    expect(await first.done).toEqual({ kind: 'stopped' });
    await waitFor(() => stateOf(sh) === null && stateOf(sleeper) === null);
    expect(activeLogStream()).not.toBeNull();
    second.stop();
    expect(await second.done).toEqual({ kind: 'stopped' });
    expect(activeLogStream()).toBeNull();
  });
});
