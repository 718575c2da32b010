/**
 * Bad registry / .env files through the real CLI (built by `npm test` before vitest runs): exit 2 and
 * exactly one line naming file, line and field — no stack trace.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

function vhtop(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/vhtop.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const CASES: ReadonlyArray<readonly [string, readonly string[], Record<string, string>, string]> = [
  ['port out of range', ['--registry', 'test/fixtures/registry/bad-port-range.yaml'], {}, 'bad-port-range.yaml:6: services[1].port: must be a whole number from 1 to 65535 (got 70000)'],
  ['unknown key', ['--registry', 'test/fixtures/registry/bad-unknown-entry-key.yaml'], {}, 'bad-unknown-entry-key.yaml:7: services[0].prot: unknown key'],
  ['duplicate id', ['--registry', 'test/fixtures/registry/bad-duplicate-id.yaml'], {}, 'bad-duplicate-id.yaml:7: services[1].id: duplicate id "redis"'],
  ['YAML syntax', ['--registry', 'test/fixtures/registry/bad-syntax.yaml'], {}, 'bad-syntax.yaml:5: YAML syntax error'],
  ['registry via $VHTOP_REGISTRY', [], { VHTOP_REGISTRY: 'test/fixtures/registry/bad-duplicate-key.yaml' }, 'bad-duplicate-key.yaml:7: services[0].port: duplicate key'],
  ['missing registry', ['--registry', 'test/fixtures/registry/missing.yaml'], {}, 'missing.yaml: cannot read the registry: no such file'],
  ['malformed .env line', ['--env', 'test/fixtures/env/bad-name.env'], {}, 'bad-name.env:3: "9LIVES" is not a valid variable name'],
  ['.env value not a port', ['--env', 'test/fixtures/env/bad-port.env'], {}, 'bad-port.env:2: GATEWAY_PORT: must be a port number from 1 to 65535 (got "80a80"'],
  ['environment value not a port', [], { GATEWAY_PORT: '80a80' }, 'environment: GATEWAY_PORT: must be a port number from 1 to 65535 (got "80a80"'],
];

describe('vhtop check with bad configuration', () => {
  it.each(CASES)('%s: exit 2, one line', async (_label, args, env, words) => {
    const r = await vhtop(['check', ...args], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(words);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
