/**
 * Hostile registry and .env inputs: one table of cases, so the next hostile input is one row. Each
 * row makes its file (or FIFO) in a fresh directory and names the one-line error it must give, and
 * what that line must never contain (a secret of the file, a value). A second table lists inputs that
 * once broke and must now load. The CLI part checks exit 2, one line, no hang.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/core/catalogue-load.js';
import { loadEnvSources } from '../../src/core/env.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Catalogue } from '../../src/core/types.js';
import { isBuilt, ROOT, runBuiltCli } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('vhtop-hostile-');
afterAll(() => tmp.remove());
let serial = 0;

/** A fresh file under the temp dir with `content`; returns its path. */
function file(name: string, content: string): string {
  const p = path.join(tmp.dir, `${serial++}-${name}`);
  writeFileSync(p, content);
  return p;
}

/** A named pipe nobody writes to: opening it for reading the usual way blocks forever. */
function fifo(name: string): string {
  const p = path.join(tmp.dir, `${serial++}-${name}`);
  execFileSync('mkfifo', [p]);
  return p;
}

const SHADOW = 'root:$y$j9T$SECRETSALT$SECRETHASH:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n';
const entry = (id: string, extra = ''): string => `  - { id: ${id}, name: ${id}, port: ${1000 + id.length}${extra} }\n`;
/** `A1=${A0}${A0}`, doubled `n` times: 900 bytes that would expand to terabytes. */
const doubling = (n: number): string => ['A0=xxxxxxxxxx', ...Array.from({ length: n }, (_, i) => `A${i + 1}=\${A${i}}\${A${i}}`)].join('\n') + '\n';
/** An alias bomb: each level a list of ten aliases of the level before, 12 levels deep. */
const aliasBomb = (): string => {
  const lines = ['version: 1', 'x-bomb:', '  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= 12; i++) lines.push(`  - &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nservices:\n  - { id: a, name: a, port: 1, aliases: *l12 }\n`;
};

/** One 360 KiB list used as the `aliases:` of four entries: few aliases, much text. */
const wideAliases = (): string =>
  `version: 1\nx-wide: &w [${Array.from({ length: 120_000 }, () => 'a').join(', ')}]\nservices:\n${['a', 'bb', 'ccc', 'dddd'].map((id) => entry(id, ', aliases: *w')).join('')}`;

type Kind = 'registry' | 'env';
/** [label, what the file is read as, makes the path, the error line after "PATH", text it must never show]. */
const HOSTILE: ReadonlyArray<readonly [string, Kind, () => string, string | RegExp, string | null]> = [
  ['a FIFO as --registry (no writer: must not block)', 'registry', () => fifo('f.yaml'), ': cannot read the registry: it is a named pipe (FIFO), not a regular file', null],
  ['a FIFO as --env', 'env', () => fifo('f.env'), ': cannot read the .env file: it is a named pipe (FIFO), not a regular file', null],
  ['/dev/zero as --registry', 'registry', () => '/dev/zero', ': cannot read the registry: it is a device, not a regular file', null],
  ['/etc/shadow-like text as --registry', 'registry', () => file('shadow', SHADOW), ': not a vhtop registry (a registry is a YAML mapping with "version: 1" and "services:")', 'SECRET'],
  ['a mapping without version or services', 'registry', () => file('conf.yaml', 'password: SECRET\nuser: root\n'), ': not a vhtop registry (a registry is a YAML mapping with "version: 1" and "services:")', 'SECRET'],
  ['a quoted unknown key holding a value is cut short', 'registry', () => file('k.yaml', `version: 1\nservices:\n${entry('a')}"token: SECRET": 1\n`), /:4: token…: unknown key/, 'SECRET'],
  ['a long unknown key is cut', 'registry', () => file('long.yaml', `version: 1\nservices:\n${entry('a')}${'k'.repeat(200)}: 1\n`), /:4: k{24}…: unknown key/, 'k'.repeat(25)],
  ['a .env line whose name holds a secret', 'env', () => file('s.env', 'root:$y$SECRET=1\n'), ':1: "root…" is not a valid variable name (letters, digits and "_", not starting with a digit)', 'SECRET'],
  ['.env ${VAR} doubling 40 times', 'env', () => file('bomb.env', doubling(40)), /:\d+: A\d+: expands to more than 4096 characters/, null],
  ['an alias bomb (10^12 items if expanded) fails at its first nested alias', 'registry', () => file('bomb.yaml', aliasBomb()), ':15: services[0].aliases[0]: must be a name without control characters (got an alias)', null],
  ['more aliases than the budget', 'registry', () => file('many.yaml', `version: 1\nservices:\n  - { id: a, name: &n A, port: 1, aliases: [${Array.from({ length: 1001 }, () => '*n').join(', ')}] }\n`), /:3: too many YAML aliases \(more than 1000\)/, null],
  ['aliases that stand for more than 1 MiB together', 'registry', () => file('wide.yaml', wideAliases()), /:\d+: services\[2\]\.aliases: YAML aliases stand for more than 1 MiB of text/, null],
  ['a file just over 1 MiB names exact sizes', 'registry', () => file('big.yaml', `version: 1\n#${'x'.repeat(1024 * 1024)}\n`), ': file is 1048589 bytes, larger than the 1 MiB (1048576 bytes) limit', null],
  ['group with capitals and spaces', 'registry', () => file('g.yaml', `version: 1\nservices:\n${entry('a', ', group: Front End')}`), /:3: services\[0\]\.group: must be a short lower-case word/, null],
];

async function loadAs(kind: Kind, p: string): Promise<unknown> {
  return kind === 'registry' ? loadCatalogue(p) : loadEnvSources(p, {});
}

describe('hostile configuration: one line, no content, no hang', () => {
  it.each(HOSTILE)('%s', async (_label, kind, make, expected, secret) => {
    const p = make();
    if (p.startsWith('/dev/') && !existsSync(p)) return console.warn(`skipped: no ${p} here`);
    const e = await loadAs(kind, p).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    const message = (e as ConfigError).message;
    expect(message.startsWith(p)).toBe(true);
    const rest = message.slice(p.length);
    if (typeof expected === 'string') expect(rest).toBe(expected);
    else expect(rest).toMatch(expected);
    expect(message).not.toContain('\n');
    if (secret !== null) expect(message).not.toContain(secret);
  });
});

const PD = 'x-profiles: &pd [dev, test]\nx-proc: &py [python3, uvicorn]\nx-health: &h { http: /health, timeout: 1 }\n';
/** [label, registry text, what the loaded catalogue must hold]. */
const ACCEPTED: ReadonlyArray<readonly [string, string, (c: Catalogue) => void]> = [
  [
    '40 entries reusing one anchor (profiles: *pd)',
    `version: 1\n${PD}services:\n${Array.from({ length: 40 }, (_, i) => `  - { id: s${i}, name: s${i}, port: ${2000 + i}, profiles: *pd, process: *py, health: *h }\n`).join('')}`,
    (c) => {
      expect(c.services).toHaveLength(40);
      expect(c.services[39]?.profiles).toEqual(['dev', 'test']);
      expect(c.services[39]?.health).toMatchObject({ kind: 'http', path: '/health' });
    },
  ],
  ['only id, name and port', 'version: 1\nservices:\n  - { id: a, name: A, port: 8000 }\n', (c) => expect(c.services[0]).toMatchObject({ id: 'a', port: 8000, group: null })],
  ['a free-form group', 'version: 1\nservices:\n  - { id: a, name: A, port: 8000, group: payments }\n', (c) => expect(c.services[0]?.group).toBe('payments')],
  ['top-level x- keys are ignored, whatever they hold', 'x-notes: { anything: [1, 2], "token: x": y }\nversion: 1\nservices:\n  - { id: a, name: A, port: 1 }\nx-more: 3\n', (c) => expect(c.services.map((s) => s.id)).toEqual(['a'])],
];

describe('inputs that once broke and must load', () => {
  it.each(ACCEPTED)('%s', async (_label, text, check) => {
    check(await loadCatalogue(file('ok.yaml', text)));
  });
});

describe.runIf(isBuilt())('hostile configuration through the CLI: exit 2, one line', () => {
  const env = { ...process.env, NO_COLOR: '1', VHTOP_CACHE_DIR: 'off' };
  it.each([
    ['--registry', () => fifo('cli.yaml'), 'cannot read the registry: it is a named pipe (FIFO)'],
    ['--env', () => fifo('cli.env'), 'cannot read the .env file: it is a named pipe (FIFO)'],
    ['--env', () => file('cli-bomb.env', doubling(40)), 'expands to more than 4096 characters'],
    ['--registry', () => file('cli-shadow', SHADOW), 'not a vhtop registry'],
  ] as const)('list %s', async (flag, make, words) => {
    const r = await runBuiltCli(['list', flag, make()], { cwd: ROOT, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(words);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('SECRET');
  });
});
