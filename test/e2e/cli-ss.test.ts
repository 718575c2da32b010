/**
 * `vhtop list --json --all` against `ss -tulpn`: every socket ss shows appears with the same
 * owning pids, for TCP and UDP on IPv4 and IPv6. ss text is parsed here, in the test only.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenerJson, SnapshotJson } from '../../src/core/json.js';
import { assertBuilt, pythonHolder, registry, runCli, stopAll, tempDir, type Holder } from './cli-helpers.js';

const run = promisify(execFile);

interface SsSocket {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  pids: number[];
  line: string;
}

/** "0.0.0.0:53", "[::1]:631", "127.0.0.53%lo:53", "*:5353" -> address, port. */
function splitEndpoint(text: string): { address: string; port: number } {
  const cut = text.lastIndexOf(':');
  let address = text.slice(0, cut).replace(/^\[|\]$/g, '');
  address = address.replace(/%[^%]*$/, '');
  if (address.toLowerCase().startsWith('::ffff:') && address.includes('.')) address = address.slice(7);
  return { address, port: Number(text.slice(cut + 1)) };
}

async function ss(): Promise<SsSocket[]> {
  const { stdout } = await run('ss', ['-H', '-tulpn'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      const { address, port } = splitEndpoint(cols[4] as string);
      const pids = [...new Set([...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      return { protocol: cols[0] === 'udp' ? 'udp' : 'tcp', address, port, pids, line };
    });
}

const key = (s: { protocol: string; address: string; port: number }): string => `${s.protocol}|${s.address}|${s.port}`;

function sameAddress(ssAddr: string, l: ListenerJson): boolean {
  if (ssAddr === '*') return l.address === '0.0.0.0' || l.address === '::';
  return ssAddr === l.address;
}

let holders: Holder[] = [];
let cwd = '';
let cleanup: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  assertBuilt();
  holders = [
    await pythonHolder('tcp,0.0.0.0,0', 'tcp,::,same', 'udp,0.0.0.0,0', 'udp,::,same'),
    await pythonHolder('tcp,127.0.0.1,0', 'tcp,::1,0', 'udp,127.0.0.1,0', 'udp,::1,0'),
  ];
  const t = await tempDir({ 'registry.yaml': registry([{ id: 'x', name: 'x', port: 1, group: 'app' }]) });
  cwd = t.dir;
  cleanup = t.cleanup;
});
afterAll(async () => {
  await stopAll();
  await cleanup();
});

describe('list --json --all vs ss -tulpn', () => {
  it('shows every socket ss shows, with the same owning pids (null when ss shows none)', async () => {
    // Sockets of other programs come and go while we look: compare what ss saw both before and after.
    const before = await ss();
    const out = await runCli(['list', '--json', '--all'], { cwd });
    const after = new Set((await ss()).map((s) => `${key(s)}|${s.pids.join(',')}`));
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as SnapshotJson;
    const stable = before.filter((s) => after.has(`${key(s)}|${s.pids.join(',')}`));
    expect(stable.length).toBeGreaterThanOrEqual(8);
    for (const s of stable) {
      const match = doc.listeners.find(
        (l) => l.protocol === s.protocol && l.port === s.port && sameAddress(s.address, l) && (l.state === 'LISTEN' || l.state === 'UNCONN'),
      );
      expect(match, `ss: ${s.line}`).toBeDefined();
      expect({ line: s.line, pids: match?.pids }).toEqual({ line: s.line, pids: s.pids });
      expect(match?.pid).toBe(s.pids[0] ?? null);
    }
  });

  it('finds each of our sockets, TCP and UDP, IPv4 and IPv6, owned by our child', async () => {
    const doc = JSON.parse((await runCli(['list', '--json', '--all'], { cwd })).stdout) as SnapshotJson;
    const [wild, loop] = holders as [Holder, Holder];
    const mine = (h: Holder) => doc.listeners.filter((l) => l.pid === h.pid).map((l) => `${l.protocol}|${l.family}|${l.address}|${l.port}|${l.state}`).sort();
    const [wt, , wu] = wild.ports as [number, number, number, number];
    expect(mine(wild)).toEqual(
      [`tcp|4|0.0.0.0|${wt}|LISTEN`, `tcp|6|::|${wt}|LISTEN`, `udp|4|0.0.0.0|${wu}|UNCONN`, `udp|6|::|${wu}|UNCONN`].sort(),
    );
    const [lt4, lt6, lu4, lu6] = loop.ports as [number, number, number, number];
    expect(mine(loop)).toEqual(
      [`tcp|4|127.0.0.1|${lt4}|LISTEN`, `tcp|6|::1|${lt6}|LISTEN`, `udp|4|127.0.0.1|${lu4}|UNCONN`, `udp|6|::1|${lu6}|UNCONN`].sort(),
    );
    for (const l of doc.listeners.filter((x) => x.pid === wild.pid)) expect(l).toMatchObject({ process: 'python3', status: 'unexpected', service: null });
  });
});
