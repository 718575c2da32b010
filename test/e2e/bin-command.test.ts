/**
 * The `vhtop` command (bin/vhtop): a closed standard output is an error (exit 74), because Node
 * itself would reopen it on /dev/null and report success for output nobody got. Output thrown away
 * on purpose (`> /dev/null`, a parent's `stdio: 'ignore'`) is not.
 */
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBuilt, ROOT } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const COMMAND = path.join(ROOT, 'bin', 'vhtop');
const REGISTRY = path.join(ROOT, 'registry.yaml');
const scratch = tempDir('vhtop-bin-');
afterAll(() => scratch.remove());

/** Runs a shell line with the command as $0, so the redirections are the shell's own. */
function shell(line: string) {
  const r = spawnSync('sh', ['-c', line, COMMAND], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stderr: r.stderr };
}

describe.skipIf(!isBuilt())('the vhtop command', () => {
  it.each([
    ['closed stdout', `"$0" list --registry ${REGISTRY} >&-`, 74],
    ['stdout to /dev/null', `"$0" list --registry ${REGISTRY} >/dev/null`, 0],
    ['stdout to a pipe', `"$0" list --registry ${REGISTRY} | cat >/dev/null`, 0],
  ])('%s: exit %i', (_what, line, code) => {
    const r = shell(line);
    expect(r.code).toBe(code);
    if (code === 74) expect(r.stderr.trim().split('\n')).toEqual(['vhtop: cannot write the output: standard output is closed']);
  });

  it("a parent's stdio 'ignore' is a deliberate discard, not an error", () => {
    const r = spawnSync(COMMAND, ['list', '--registry', REGISTRY], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    expect(r.status).toBe(0);
  });

  it('runs through a symlink, as npm installs it', () => {
    const link = path.join(scratch.dir, 'vhtop');
    symlinkSync(COMMAND, link);
    const r = spawnSync(link, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
