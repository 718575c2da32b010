import { afterAll, describe, expect, it } from 'vitest';
import { createProbe } from '../../src/probe/index.js';
import { type PortableConnection, processFromPsList, socketFromConnection } from '../../src/probe/portable.js';
import { startChild, stopChildren } from './children.js';

const conn = (over: Partial<PortableConnection>): PortableConnection => ({
  protocol: 'tcp', localAddress: '0.0.0.0', localPort: '80', peerAddress: '0.0.0.0', peerPort: '*', state: 'LISTEN', pid: 10, ...over,
});

describe('portable mapping of systeminformation connections', () => {
  it.each([
    // what netstat / ss / Windows / macOS give                          -> protocol, family, address, port, state, remote port
    [conn({}), ['tcp', 4, '0.0.0.0', 80, 'LISTEN', 0]],
    [conn({ protocol: 'tcp6', localAddress: '::', peerAddress: '::' }), ['tcp', 6, '::', 80, 'LISTEN', 0]],
    [conn({ protocol: 'tcp6', localAddress: '::ffff:127.0.0.1' }), ['tcp', 6, '127.0.0.1', 80, 'LISTEN', 0]],
    [conn({ protocol: 'tcp', localAddress: '[::1]', state: 'LISTENING' }), ['tcp', 6, '::1', 80, 'LISTEN', 0]],
    [conn({ protocol: 'tcp4', localAddress: '*', localPort: 22 }), ['tcp', 4, '0.0.0.0', 22, 'LISTEN', 0]],
    [conn({ state: 'ESTABLISHED', peerAddress: '10.0.0.2', peerPort: '50000' }), ['tcp', 4, '0.0.0.0', 80, 'ESTAB', 50000]],
    [conn({ state: 'TIME_WAIT' }), ['tcp', 4, '0.0.0.0', 80, 'TIME-WAIT', 0]],
    [conn({ state: 'FIN_WAIT_2' }), ['tcp', 4, '0.0.0.0', 80, 'FIN-WAIT-2', 0]],
    [conn({ state: 'CLOSE_WAIT' }), ['tcp', 4, '0.0.0.0', 80, 'CLOSE-WAIT', 0]],
    [conn({ protocol: 'udp', state: '', localPort: '53' }), ['udp', 4, '0.0.0.0', 53, 'UNCONN', 0]],
    [conn({ protocol: 'udp6', state: '', localAddress: 'fe80::1%eth0', peerAddress: '::', localPort: '546' }), ['udp', 6, 'fe80::1', 546, 'UNCONN', 0]],
    [conn({ protocol: 'udp', state: '', peerAddress: '1.1.1.1', peerPort: '53' }), ['udp', 4, '0.0.0.0', 80, 'ESTAB', 53]],
  ])('%j', (c, [protocol, family, address, port, state, remotePort]) => {
    expect(socketFromConnection(c)).toMatchObject({ protocol, family, localAddress: address, localPort: port, state, remotePort, pids: [10], ownerUnknown: null });
  });

  it('keeps a socket without pid, with a reason, and ignores other protocols', () => {
    expect(socketFromConnection(conn({ pid: null }))).toMatchObject({ pids: [], ownerUnknown: expect.stringMatching(/^owner not visible/) });
    expect(socketFromConnection(conn({ pid: 0 }))?.pids).toEqual([]);
    expect(socketFromConnection(conn({ protocol: 'unix' }))).toBeNull();
  });

  it('cleans process names and command lines', () => {
    const p = processFromPsList({ pid: 5, ppid: 1, name: 'evil\u001b[2J', cmd: 'evil \u202egnp.exe', uid: 0 });
    expect(p).toMatchObject({ pid: 5, ppid: 1, name: 'evil', command: 'evil \ufffdgnp.exe', uid: 0, user: 'root' });
  });
});

describe.runIf(process.platform === 'linux' || process.platform === 'darwin')('portable probe on this machine', () => {
  afterAll(stopChildren);

  it('sees a real listener with its pid', async () => {
    const child = await startChild(`s = tcp(socket.AF_INET, '127.0.0.1'); done(s.getsockname()[1])`);
    const probe = createProbe('portable');
    expect(probe.kind).toBe('portable');
    const data = await probe.collect();
    expect(data.probe).toBe('portable');
    const socket = data.sockets.find((s) => s.localPort === child.values[0] && s.state === 'LISTEN');
    expect(socket).toMatchObject({ protocol: 'tcp', family: 4, localAddress: '127.0.0.1', pids: [child.pid] });
    expect(data.processes.get(child.pid)?.name).toMatch(/^python3/);
    expect(data.notices.some((n) => n.startsWith('portable probe'))).toBe(true);
  });
});
