/** `list` driven through command.run() with an in-memory context, as `vhtop | cat` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../src/commands/list.js';
import { parseArgs } from '../../src/cli/args.js';
import type { CliContext } from '../../src/cli/context.js';
import { cellWidth } from '../../src/presentation/cells.js';

let child: ChildProcess;
let port = 0;
const registryFile = path.resolve('test/fixtures/cli/good.yaml');

beforeAll(async () => {
  // A python3 listener on a port the OS picks; it prints the port and exits when stdin closes.
  child = spawn('python3', ['-c', 'import socket,sys\ns=socket.socket()\ns.bind(("0.0.0.0",0))\ns.listen()\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  port = await new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
});
afterAll(() => {
  child.kill('SIGKILL');
});

function ctx(opts: { isTTY?: boolean; columns?: number; env?: Record<string, string> }) {
  let out = '';
  let err = '';
  const c: CliContext = {
    stdout: { write: (s: string) => (out += s), isTTY: opts.isTTY, columns: opts.columns },
    stderr: { write: (s: string) => (err += s) },
    stdinIsTTY: false,
    env: opts.env ?? {},
    cwd: process.cwd(),
  };
  return { c, out: () => out, err: () => err };
}

async function list(argv: string[], o: Parameters<typeof ctx>[0]) {
  const x = ctx(o);
  const code = await command.run(parseArgs(['--registry', registryFile, ...argv], command.flags), x.c);
  return { code, out: x.out(), err: x.err() };
}

describe('list run()', () => {
  it('prints an aligned table with our listener, its pid and the status word; no colour off a TTY', async () => {
    const r = await list([], {});
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^tcp +0\\.0\\.0\\.0 +${port} +${child.pid} +python3 .* unexpected `, 'm'));
    expect(r.out).not.toContain('\x1b');
    expect(r.out.split('\n')[0]).toMatch(/^PROTO +ADDRESS +PORT +PID +PROCESS +USER +SERVICE +STATUS +CONN/);
  });

  it('colour on a TTY, none under NO_COLOR or --no-color; the word is always there', async () => {
    const tty = await list([], { isTTY: true, columns: 200 });
    expect(tty.out).toMatch(/\x1b\[36munexpected/);
    for (const r of [await list([], { isTTY: true, columns: 200, env: { NO_COLOR: '1' } }), await list(['--no-color'], { isTTY: true, columns: 200 })]) {
      expect(r.out).not.toContain('\x1b');
      expect(r.out).toContain('unexpected');
    }
  });

  it('cuts to the terminal width on a TTY, keeping the port', async () => {
    const r = await list([], { isTTY: true, columns: 70, env: { NO_COLOR: '1' } });
    const lines = r.out.trimEnd().split('\n').slice(0, -1);
    for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(70);
    expect(r.out).toContain(` ${port} `);
  });

  it('--json is one JSON document and nothing else', async () => {
    const r = await list(['--json', '--all'], {});
    const doc = JSON.parse(r.out) as { listeners: { port: number; pid: number | null }[] };
    expect(doc.listeners.some((l) => l.port === port && l.pid === child.pid)).toBe(true);
  });
});
