/**
 * Who vhtop may signal. One table of cases: the next hostile target is one row. A single pid is
 * refused only for vhtop itself and its ancestors; a group kill is refused for vhtop's own group and
 * any ancestor's group. The scripted case runs a real shell script with its own background server.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SelfGuard } from '../../src/actions/process-tree.js';
import { refusalReason, unseenHint, type FrozenTarget } from '../../src/actions/kill-target.js';
import { BIN, isBuilt } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { stateOf } from './kill-helpers.js';

/** vhtop as pid 500 in group 400 (its script's group), started by 400 (sh) under 300 (a terminal shell, group 300). */
const GUARD: SelfGuard = { pid: 500, pgid: 400, ancestors: new Set([400, 300]), ancestorGroups: new Set([400, 300]) };

function target(over: Partial<FrozenTarget>): FrozenTarget {
  return {
    pid: 4242, startTime: 1, uid: 0, user: 'root', name: 'python3', command: 'python3 -m http.server', ppid: 400, pgid: 4242,
    state: 'S', port: 8080, protocol: 'tcp', inodes: [], chain: [], leader: { pid: 4242, startTime: 1, name: 'python3' },
    service: null, dockerService: null, dockerProxy: false, ...over,
  };
}

const CASES: ReadonlyArray<readonly [label: string, t: FrozenTarget, tree: boolean, expected: RegExp | null]> = [
  ['a server in vhtop\'s own group (a script\'s background job)', target({ pgid: 400, leader: { pid: 400, startTime: 1, name: 'sh' } }), false, null],
  ['its whole group with --tree: contains vhtop', target({ pgid: 400, leader: { pid: 400, startTime: 1, name: 'sh' } }), true, /^refusing group 400: it contains vhtop or its shell$/],
  ['vhtop itself', target({ pid: 500, pgid: 400 }), false, /vhtop itself/],
  ['the script that runs vhtop', target({ pid: 400, pgid: 400 }), false, /parent of vhtop/],
  ['the terminal shell', target({ pid: 300, pgid: 300 }), false, /parent of vhtop/],
  ['a group an ancestor is in, led by another process', target({ pgid: 300, leader: { pid: 300, startTime: 1, name: 'bash' } }), true, /contains vhtop or its shell/],
  ['an unrelated server alone', target({}), false, null],
  ['an unrelated group', target({ pid: 4243, pgid: 4242 }), true, null],
  ['pid 1', target({ pid: 1, pgid: 1 }), false, /not a process that can be killed/],
  ['a kernel thread', target({ ppid: 2, name: 'kworker/0:1' }), false, /kernel thread/],
  ['an impostor named docker-proxy is an ordinary process', target({ name: 'docker-proxy', command: '/tmp/docker-proxy -host-port 8080' }), false, null],
  ['a verified docker-proxy', target({ name: 'docker-proxy', dockerProxy: true, service: 'pg', dockerService: 'db' }), false, /published by a container.*docker compose stop db/],
];

describe('kill refusal rules', () => {
  it.each(CASES)('%s', (_label, t, tree, expected) => {
    const reason = refusalReason(t, GUARD, tree);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Runs `script` with sh as its own process group leader, as a CI job or a Makefile recipe runs. */
function runScript(script: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, NO_COLOR: '1', VHTOP: `${process.execPath} ${BIN}` };
  const child = spawn('sh', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

// The server writes its port, then its pid, to files once it listens; the script waits on that file.
const SERVER = `import os, socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
open('pid', 'w').write(str(os.getpid()))
open('port.tmp', 'w').write(str(s.getsockname()[1])); os.rename('port.tmp', 'port')
time.sleep(600)`;

const SCRIPT = (flags: string): string => `
python3 server.py >/dev/null 2>&1 &
until [ -s port ]; do sleep 0.05; done
$VHTOP kill "$(cat port)" --yes --timeout 2 ${flags}
echo "exit=$?"
`;

describe.runIf(isBuilt())('a script kills its own background server', () => {
  it('vhtop kill PORT --yes from the script that started the server: killed', async () => {
    const tmp = tempDir();
    try {
      writeFileSync(path.join(tmp.dir, 'server.py'), SERVER);
      const r = await runScript(SCRIPT(''), tmp.dir);
      const pid = Number(readFileSync(path.join(tmp.dir, 'pid'), 'utf8'));
      started.push(pid);
      expect(r.stderr).not.toContain('refusing');
      expect(r.stdout).toMatch(new RegExp(`killed pid ${pid} \\(python3\\) with SIGTERM`));
      expect(r.stdout).toContain('exit=0');
    } finally {
      tmp.remove();
    }
  });

  it('--tree from that script: refused, the group holds vhtop and the script', async () => {
    const tmp = tempDir();
    try {
      writeFileSync(path.join(tmp.dir, 'server.py'), SERVER);
      const r = await runScript(SCRIPT('--tree'), tmp.dir);
      const pid = Number(readFileSync(path.join(tmp.dir, 'pid'), 'utf8'));
      started.push(pid);
      expect(r.stderr).toMatch(/refusing group \d+: it contains vhtop or its shell/);
      expect(r.stdout).toContain('exit=1');
      expect(stateOf(pid)).not.toBeNull();
    } finally {
      tmp.remove();
    }
  });
});

describe('a holder vhtop cannot see', () => {
  it.each([
    ['not root: sudo would show it', 1000, '; try sudo'],
    ['root: it is in another PID namespace, sudo would not help', 0, '; it is in another PID namespace (a container?)'],
  ])('%s', (_label, uid, expected) => {
    expect(unseenHint('; ', '', uid)).toBe(expected);
  });
});
