import { describe, expect, it, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadEnvSources, parseEnvFile, parseEnvFileLines } from '../../src/core/env.js';
import { ConfigError } from '../../src/core/errors.js';

const FIXTURES = 'test/fixtures/env';
const fixture = (name: string): string => path.join(FIXTURES, name);

async function envError(file: string): Promise<ConfigError> {
  const e = await loadEnvSources(file, {}).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('loadEnvSources', () => {
  it('no file: only the process environment', async () => {
    const processEnv = { GATEWAY_PORT: '8082' };
    const env = await loadEnvSources(null, processEnv);
    expect(env).toEqual({ processEnv, fileEnv: {}, fileName: null, fileLines: {} });
  });

  it('reads a BOM + CRLF file with export prefixes, keeping lines', async () => {
    const file = fixture('bom-crlf.env');
    const env = await loadEnvSources(file, {});
    expect(env.fileName).toBe(file);
    expect(env.fileEnv).toEqual({ FRONTEND_PORT: '3000', GATEWAY_PORT: '8082' });
    expect(env.fileLines).toEqual({ FRONTEND_PORT: 2, GATEWAY_PORT: 3 });
  });

  it('a named file that does not exist is a ConfigError', async () => {
    const file = fixture('missing.env');
    expect((await envError(file)).message).toBe(`${file}: cannot read the .env file: no such file`);
  });
});

describe('parseEnvFile: the dialect', () => {
  // Each row: variable, expected value. Comments in dialect.env say what each line tests.
  const CASES: ReadonlyArray<readonly [string, string]> = [
    ['PLAIN', '8081'], // assigned twice: the last one wins
    ['SPACED', '9090'], // spaces around '='
    ['EXPORTED', '7000'], // export prefix
    ['INLINE', '3004'], // ` # comment` after an unquoted value
    ['HASH_IN_VALUE', 'a#b'], // '#' without a space before it is part of the value
    ['HASH_START', '#notacomment'],
    ['COMMENT_ONLY', ''],
    ['EMPTY', ''], // KEY=
    ['SINGLE', 'literal $PLAIN ${PLAIN} # not a comment'], // no expansion, no comment in single quotes
    ['DOUBLE', 'port 8080 and 9090\tescaped " $PLAIN'], // expansion uses the value at that line; escapes
    ['DEFAULTED', '5433'],
    ['DASH_DEFAULT', ''], // ${X-d}: X is set (empty), so no default
    ['COLON_DEFAULT', 'y'], // ${X:-d}: X empty, so the default
    ['FROM_PROCESS', '1234'], // the process environment is consulted first
    ['UNQUOTED_EXPAND', '8080/x'],
    ['DOLLAR_ALONE', 'cost $5'],
  ];
  const values = parseEnvFile(readFixture('dialect.env'), 'dialect.env', { HOME_PORT: '1234' });

  it.each(CASES)('%s = %j', (name, value) => {
    expect(Object.hasOwn(values, name)).toBe(true);
    expect(values[name]).toBe(value);
  });

  it('stores __proto__ and constructor as plain variables, without touching the prototype', () => {
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(Object.hasOwn(values, '__proto__')).toBe(true);
    expect(values.constructor).toBe('2');
    expect(Object.keys(values)).toHaveLength(CASES.length + 2);
  });

  it('records the line of the last assignment', () => {
    const { lines } = parseEnvFileLines(readFixture('dialect.env'), 'dialect.env');
    expect(lines.PLAIN).toBe(20);
    expect(lines.SPACED).toBe(5);
  });

  it('keeps a lone CR as a line end and an unrelated non-port value as it is', () => {
    expect(parseEnvFile('A=1\rB=x y\r', 'cr.env')).toEqual({ A: '1', B: 'x y' });
  });

  it('keeps U+2028 inside a value (regression: "." does not match it)', () => {
    expect(parseEnvFile('A=x\u2028y\n', 'ls.env')).toEqual({ A: 'x\u2028y' });
  });
});

// Malformed lines: [fixture, line, field, words].
const BAD: ReadonlyArray<readonly [string, number, string | null, string]> = [
  ['bad-no-equals.env', 2, null, 'expected NAME=VALUE'],
  ['bad-name.env', 3, null, '"9LIVES" is not a valid variable name'],
  ['bad-unterminated.env', 2, 'B', 'unterminated double quote'],
  ['bad-after-quote.env', 1, 'A', "unexpected text after the closing '"],
  ['bad-expansion.env', 1, 'A', '"${" without a closing "}"'],
];

describe('parseEnvFile: malformed lines name the file and the line', () => {
  it.each(BAD)('%s -> line %i', async (name, line, field, words) => {
    const file = fixture(name);
    const e = await envError(file);
    expect([e.file, e.line, e.field]).toEqual([file, line, field]);
    expect(e.message).toContain(words);
    expect(e.message.startsWith(`${file}:${line}: `)).toBe(true);
  });

  it('has a table row for every bad-*.env fixture except the port one (tested in resolve)', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.startsWith('bad-') && f !== 'bad-port.env').sort();
    expect(files).toEqual(BAD.map(([f]) => f).sort());
  });

  it('shows control characters in a bad name instead of printing them', () => {
    expect(() => parseEnvFile('\x1b[2J=1\n', 'evil.env')).toThrow('evil.env:1: "\ufffd[2J" is not a valid variable name');
  });
});

describe('loadEnvSources: file problems', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a directory given as --env', async () => {
    expect((await envError(dir)).message).toBe(`${dir}: cannot read the .env file: it is a directory`);
  });

  it('a file over the size cap', async () => {
    const file = path.join(dir, 'huge.env');
    writeFileSync(file, `A=${'x'.repeat(1024 * 1024)}\n`);
    expect((await envError(file)).message).toContain('larger than the 1 MiB (1048576 bytes) limit');
  });

  it('a file that is not UTF-8 names the line of the bad byte', async () => {
    const file = path.join(dir, 'latin1.env');
    writeFileSync(file, Buffer.concat([Buffer.from('A_PORT=1\r\n# caf'), Buffer.from([0xe9, 0x0d, 0x0a]), Buffer.from('B_PORT=2\n')]));
    expect((await envError(file)).message).toBe(`${file}:2: the .env file is not valid UTF-8 text (saved as Latin-1 or another legacy encoding?)`);
  });
});

function readFixture(name: string): string {
  return readFileSync(fixture(name), 'utf8');
}
