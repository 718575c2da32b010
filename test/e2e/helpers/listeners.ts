import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A real listening process started by a test. */
export interface RealListener {
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
}

/**
 * Starts `node -e` listening on port 0 of `host` (the OS picks a free port) and resolves once the
 * child prints its port. The caller must stop it (see {@link stopListener}).
 */
export function startNodeListener(host = '127.0.0.1'): Promise<RealListener> {
  const code = `require('net').createServer((s) => s.end()).listen(0, ${JSON.stringify(host)}, function () { console.log(this.address().port); });`;
  return startListener('node', ['-e', code]);
}

/** The same with python3 (a different owner program name for the tables). */
export function startPythonListener(host = '127.0.0.1'): Promise<RealListener> {
  const code = `import socket,sys,time\ns=socket.socket()\ns.bind((${JSON.stringify(host)},0))\ns.listen()\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)`;
  return startListener('python3', ['-c', code]);
}

function startListener(cmd: string, args: string[]): Promise<RealListener> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${cmd} listener exited early (${code})`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(\d+)\s/.exec(out);
      if (m && child.pid !== undefined) resolve({ port: Number(m[1]), pid: child.pid, child });
    });
  });
}

/** Kills a listener started by this test and waits for it to exit. */
export async function stopListener(l: RealListener | undefined): Promise<void> {
  if (!l || l.child.exitCode !== null || l.child.signalCode !== null) return;
  const gone = new Promise((r) => l.child.once('exit', r));
  l.child.kill('SIGKILL');
  await gone;
}

/**
 * A port that nothing listens on right now, for a "down" service. Picked at random BELOW the Linux
 * ephemeral range (32768+), because other tests bind port 0 concurrently and the OS would hand a
 * just-released ephemeral port to one of them.
 */
export async function closedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const srv = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      srv.once('error', () => resolve(false));
      srv.listen(port, '0.0.0.0', () => resolve(true));
    });
    if (free) {
      await new Promise((r) => srv.close(r));
      return port;
    }
  }
  throw new Error('no free port found in 20000..32000');
}
