import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from '../../src/cli/args.js';
import { captureContext } from '../helpers/cli-context.js';
import { UsageError } from '../../src/core/errors.js';
import { command, runWhy } from '../../src/commands/why.js';
import type { Exec, ExecOptions } from '../../src/actions/exec.js';
import { httpServer, type TestServer } from '../fixtures/why/servers.js';

/** In-process runs of the command with a recording exec (the e2e tests run the real one). */

const servers: TestServer[] = [];
let dir = '';
afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const ctx = (env: Record<string, string>, tty: boolean) => captureContext({ env, cwd: dir, isTTY: tty });

function recordingExec(): { exec: Exec; calls: { file: string; args: readonly string[]; options: ExecOptions | undefined }[] } {
  const calls: { file: string; args: readonly string[]; options: ExecOptions | undefined }[] = [];
  return {
    calls,
    exec: {
      async run(file, args, options) {
        calls.push({ file, args, options });
        if (args[0] === 'compose' && args[1] === 'version') return { exitCode: 0, stdout: 'v2', stderr: '', notFound: false, cancelled: false };
        if (args.includes('ps')) return { exitCode: 0, stdout: '{"Service":"api","State":"running","Status":"Up"}', stderr: '', notFound: false, cancelled: false };
        return { exitCode: 0, stdout: 'api-1 | ready', stderr: '', notFound: false, cancelled: false };
      },
      stream() {
        throw new Error('not used');
      },
    },
  };
}

describe('vhtop why (command)', () => {
  it('declares its flags', () => {
    expect(command.flags).toEqual({ json: 'boolean', 'compose-file': 'string' });
    expect(() => parseArgs(['api', '--follow'], command.flags)).toThrow(UsageError);
  });

  it('status words stay without colour; colour only on a TTY and never under NO_COLOR', async () => {
    const s = await httpServer(200);
    servers.push(s);
    dir = mkdtempSync(path.join(tmpdir(), 'vhtop-why-cmd-'));
    writeFileSync(path.join(dir, 'registry.yaml'), `version: 1\nservices:\n  - id: api\n    name: API\n    port: ${s.port}\n    group: app\n    docker: api\n    health: { http: /health }\n`);
    const { exec, calls } = recordingExec();
    const tty = ctx({ PATH: '/nowhere' }, true);
    expect(await runWhy(parseArgs(['api'], command.flags), tty, exec)).toBe(0);
    expect(tty.out()).toContain('\x1b[32mUP, HEALTHY\x1b[0m');
    const plain = ctx({ PATH: '/nowhere', NO_COLOR: '1' }, true);
    expect(await runWhy(parseArgs(['api'], command.flags), plain, exec)).toBe(0);
    expect(plain.out()).toContain('UP, HEALTHY');
    expect(plain.out()).not.toContain('\x1b');
    // compose runs with the context's environment: its PATH decides which docker answers.
    const ps = calls.find((c) => c.args.includes('ps'));
    expect(ps?.options?.env?.PATH).toBe('/nowhere');
    expect(ps?.args).toEqual(['compose', 'ps', '--all', '--format', 'json', '--', 'api']);
  });

  it('two SERVICE arguments are a usage error', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vhtop-why-cmd-'));
    await expect(runWhy(parseArgs(['a', 'b'], command.flags), ctx({}, false))).rejects.toThrow(/takes one SERVICE/);
    // Extra words are shown escaped: no escape sequence or bidi override reaches the terminal.
    await expect(runWhy(parseArgs(['a', 'b\x1b[2J\u202e'], command.flags), ctx({}, false))).rejects.toThrow(
      'vhtop why takes one SERVICE or PORT (got also "b\\u001b[2J\ufffd")',
    );
  });
});
