/** Bad input ends in exit 2 with one line naming file, line and field; and `free-port` really binds. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, bindable, pythonHolder, ROOT, runCli, stopAll, tempDir } from './cli-helpers.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'cli');
let cwd = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  assertBuilt();
  const t = await tempDir();
  cwd = t.dir;
  cleanup = t.cleanup;
  return () => cleanup();
});
afterEach(() => stopAll());

function expectOneLine(stderr: string, ...parts: (string | RegExp)[]): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  for (const p of parts) expect(lines[0]).toMatch(p);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('bad input: exit 2, one line, no stack trace', () => {
  it.each(['list', 'check', 'conflicts', 'free-port'])('%s with a registry port out of range', async (cmd) => {
    const r = await runCli([cmd, '--registry', path.join(FIX, 'bad-port.yaml')], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, 'bad-port.yaml:5', /port/, /70000/);
  });

  it('an unknown registry key', async () => {
    const r = await runCli(['list', '--registry', path.join(FIX, 'bad-key.yaml')], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, 'bad-key.yaml:7', /colour/);
  });

  it('a .env value that is not a port names the file, line and variable', async () => {
    const r = await runCli(['check', '--registry', path.join(FIX, 'good.yaml'), '--env', path.join(FIX, 'bad-port.env')], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, 'bad-port.env:3', /GATEWAY_PORT/, /80a80/);
  });

  it('an environment value that is not a port names the variable', async () => {
    const r = await runCli(['conflicts', '--registry', path.join(FIX, 'good.yaml')], { cwd, env: { GATEWAY_PORT: 'http' } });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, /GATEWAY_PORT/, /environment/);
  });

  it.each([
    [['list', '--bogus'], /--bogus/],
    [['check', '--only'], /--only/],
    [['free-port', '--from', 'abc'], /--from/],
    [['free-port', '--count', '0'], /--count/],
    [['free-port', '--from', '70000'], /--from/],
    [['list', 'extra'], /no arguments/],
    [['check', '--registry', path.join(FIX, 'good.yaml'), '--only', 'nope'], /"nope"/],
  ])('%j', async (args, msg) => {
    const r = await runCli(args, { cwd });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, msg);
  });
});

describe('every kind of unreadable registry or .env: exit 2, one line naming the file (and line, where there is one)', () => {
  const REG = path.join(ROOT, 'test', 'fixtures', 'registry');
  it.each([
    ['a registry that is a directory', ['--registry', REG], [`${REG}: cannot read the registry: it is a directory`]],
    ['an empty registry', ['--registry', path.join(REG, 'bad-empty.yaml')], ['bad-empty.yaml:1: version: is required']],
    ['a registry that is not UTF-8', ['--registry', 'latin1.yaml'], ['latin1.yaml:3: the registry is not valid UTF-8 text']],
    ['a YAML alias bomb', ['--registry', path.join(REG, 'bad-alias-bomb.yaml')], ['bad-alias-bomb.yaml:3: services[0]:']],
    ['too many aliases', ['--registry', path.join(REG, 'bad-alias-count.yaml')], ['bad-alias-count.yaml:1008: too many YAML aliases (more than 1000)']],
    ['a missing --env file', ['--env', 'nope.env'], ['nope.env: cannot read the .env file: no such file']],
    ['an --env file that is a directory', ['--env', '.'], [': cannot read the .env file: it is a directory']],
    ['an --env file that is not UTF-8', ['--env', 'latin1.env'], ['latin1.env:2: the .env file is not valid UTF-8 text']],
    ['--profile bogus', ['--profile', 'bogus'], ['unknown profile "bogus"', 'dev, prod, test']],
    ['--probe bogus', ['--probe', 'bogus'], ['option --probe must be auto, linux or portable (got "bogus")']],
    ['--interval -1', ['--interval', '-1'], ['option --interval needs a number (got "-1")']],
    ['--registry without a value', ['--registry'], ['option --registry needs a value']],
  ])('%s', async (_label, args, parts) => {
    const t = await tempDir({});
    try {
      await writeFile(path.join(t.dir, 'latin1.yaml'), Buffer.from('version: 1\nservices:\n  - id: caf\xe9\n', 'latin1'));
      await writeFile(path.join(t.dir, 'latin1.env'), Buffer.from('A_PORT=1\nB_PORT=caf\xe9\n', 'latin1'));
      for (const cmd of ['list', 'check', 'conflicts']) {
        const r = await runCli([cmd, ...args], { cwd: t.dir });
        expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
        expect(r.stdout).toBe('');
        expectOneLine(r.stderr, ...parts.map((p) => new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))));
      }
    } finally {
      await t.cleanup();
    }
  });
});

describe('free-port', () => {
  it('returns K ascending ports >= N that can all be bound on 0.0.0.0 and ::', async () => {
    // Other tests bind ports too: a port may be taken between the answer and our check, so a
    // fresh answer is asked for (at most 3 times) before calling it a failure.
    let unbindable: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await runCli(['free-port', '--registry', path.join(FIX, 'good.yaml'), '--from', '21000', '--count', '3', '--json'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { version: number; from: number; count: number; ports: number[] };
      expect(doc).toMatchObject({ version: 1, from: 21000, count: 3 });
      expect(doc.ports).toHaveLength(3);
      expect([...doc.ports].sort((a, b) => a - b)).toEqual(doc.ports);
      expect(doc.ports.every((p) => p >= 21000)).toBe(true);
      unbindable = [];
      for (const p of doc.ports) if (!(await bindable(p, '0.0.0.0')) || !(await bindable(p, '::'))) unbindable.push(p);
      if (unbindable.length === 0) break;
    }
    expect(unbindable).toEqual([]);
  });

  it('skips a port held on IPv6 only and a catalogue port', async () => {
    const held = await pythonHolder('tcp,::,0');
    const [port] = held.ports as [number];
    const t = await tempDir({ 'registry.yaml': `version: 1\nservices:\n  - id: a\n    name: a\n    port: ${port + 1}\n    group: app\n` });
    try {
      const r = await runCli(['free-port', '--from', String(port), '--count', '2'], { cwd: t.dir });
      expect(r.code, r.stderr).toBe(0);
      const ports = r.stdout.trim().split('\n').map(Number);
      expect(ports).toHaveLength(2);
      expect(ports).not.toContain(port);
      expect(ports).not.toContain(port + 1);
      expect(ports.every((p) => p > port + 1)).toBe(true);
    } finally {
      await t.cleanup();
    }
  });

  it('exit 1 when the range runs out', async () => {
    const r = await runCli(['free-port', '--registry', path.join(FIX, 'good.yaml'), '--from', '65535', '--count', '2'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/only [01] of 2 free ports/);
  });
});
