/**
 * Global flags before or after the command, `--` ending the flags. One table of command lines; the
 * in-process runs go through the real `run()` of the CLI with a real registry file.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { parseArgs, splitCommand } from '../../src/cli/args.js';
import { captureContext } from '../helpers/cli-context.js';

describe('splitCommand', () => {
  it.each([
    ['command first', ['list', '--json'], 'list', ['--json']],
    ['a global flag with its value before the command', ['--profile', 'dev', 'list'], 'list', ['--profile', 'dev']],
    ['a flag value that is also a command name', ['--registry', 'list', 'check'], 'check', ['--registry', 'list']],
    ['--flag=value before the command', ['--profile=dev', 'list'], 'list', ['--profile=dev']],
    ['a switch before the command, flags after it', ['--read-only', 'kill', '8080', '--dry-run'], 'kill', ['--read-only', '8080', '--dry-run']],
    ['-- ends the flags: the next word is the command', ['--no-color', '--', 'list'], 'list', ['--no-color', '--']],
    ['after --, a dash word is a positional of the command', ['--', 'kill', '--yes'], 'kill', ['--', '--yes']],
  ])('%s', (_label, argv, command, rest) => {
    expect(splitCommand(argv)).toEqual({ command, rest });
  });

  it.each([[[]], [['--profile', 'dev']], [['--no-color', '--']], [['--interval', '1', '--read-only']]])('no command word in %j: the TUI', (argv) => {
    expect(splitCommand(argv)).toBeNull();
  });

  it('after --, everything is a positional', () => {
    expect(parseArgs(['--', '--yes', '8080'], { yes: 'boolean' })).toEqual({ flags: {}, positionals: ['--yes', '8080'] });
  });
});

/** The bundled catalogue: algo is prod, algo-dev is dev. */
const REGISTRY = path.resolve('registry.yaml');

async function vhtop(argv: string[]) {
  const c = captureContext({ env: { NO_COLOR: '1', VHTOP_CACHE_DIR: 'off' } });
  const code = await run(argv, c);
  return { code, out: c.out(), err: c.err() };
}

describe('global flags anywhere on the command line', () => {
  it('vhtop --profile X list equals vhtop list --profile X', async () => {
    const before = await vhtop(['--registry', REGISTRY, '--profile', 'dev', 'list', '--json', '--all']);
    const after = await vhtop(['list', '--json', '--all', '--registry', REGISTRY, '--profile', 'dev']);
    expect(before.err).toBe('');
    expect(before.code).toBe(0);
    const services = (out: string) => (JSON.parse(out) as { services: { id: string }[] }).services.map((s) => s.id);
    expect(services(before.out)).toEqual(services(after.out));
    expect(services(before.out)).toContain('algo-dev');
    expect(services(before.out)).not.toContain('algo');
  });

  it('vhtop --read-only kill 8080 --dry-run: read-only applies (exit 2, one line)', async () => {
    const r = await vhtop(['--read-only', 'kill', '8080', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('vhtop: kill is disabled under --read-only\n');
  });

  it('an unknown word before the command is still an unknown command', async () => {
    const r = await vhtop(['--no-color', 'lsit']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^vhtop: unknown command "lsit"/);
  });

  it('vhtop --help list shows the help of list', async () => {
    const r = await vhtop(['--help', 'list']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: vhtop list/);
  });
});
