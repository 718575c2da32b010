import net from 'node:net';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { canBind, findFreePorts } from '../../src/actions/free-port.js';

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c()));
});

function holdTcp(host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ host, port, ipv6Only: host.includes(':') }, () => {
      open.push(() => new Promise((d) => s.close(() => d())));
      resolve((s.address() as net.AddressInfo).port);
    });
  });
}

function holdUdp(): Promise<number> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '0.0.0.0', () => {
      open.push(() => new Promise((d) => s.close(() => d())));
      resolve(s.address().port);
    });
  });
}

describe('canBind (binds, never connects)', () => {
  it('false for a TCP port held on 0.0.0.0, on 127.0.0.1 only, or on :: only', async () => {
    expect(await canBind(await holdTcp('0.0.0.0'))).toBe(false);
    expect(await canBind(await holdTcp('127.0.0.1'))).toBe(false);
    expect(await canBind(await holdTcp('::'))).toBe(false);
  });

  it('true once released, and it releases what it bound', async () => {
    const port = await holdTcp('0.0.0.0');
    await open.splice(0)[0]?.();
    expect(await canBind(port)).toBe(true);
    expect(await canBind(port)).toBe(true);
    expect(await holdTcp('0.0.0.0', port)).toBe(port);
  });

  it('UDP is checked with UDP sockets', async () => {
    const port = await holdUdp();
    expect(await canBind(port, 'udp')).toBe(false);
  });

  it.each([0, -1, 65536, 1.5])('rejects %s', async (p) => expect(await canBind(p)).toBe(false));
});

describe('findFreePorts', () => {
  it('skips held and reserved ports', async () => {
    const held = await holdTcp('0.0.0.0');
    const ports = await findFreePorts(held, 2, { skip: new Set([held + 1]) });
    expect(ports).not.toContain(held);
    expect(ports).not.toContain(held + 1);
    expect(ports).toHaveLength(2);
  });
  it('stops at 65535', async () => {
    expect((await findFreePorts(65535, 3)).length).toBeLessThanOrEqual(1);
  });
});
