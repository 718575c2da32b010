import { describe, expect, it } from 'vitest';
import { confirmFixes } from '../../src/commands/conflicts.js';
import type { Conflict, Protocol } from '../../src/core/types.js';

const wrongOwner: Conflict = {
  port: 8080,
  protocol: 'tcp',
  kind: 'wrong-owner',
  services: ['gateway'],
  holder: { pid: 20, process: 'java' },
  fix: 'set GATEWAY_PORT=8081, or stop PID 20 (java)',
  live: true,
  moves: [{ service: 'gateway', envVar: 'GATEWAY_PORT', port: 8081 }],
  holders: [{ pid: 20, process: 'java', address: '0.0.0.0' }],
};

describe('confirmFixes', () => {
  it('moves on from a port that fails to bind, skipping reserved ports', async () => {
    const tried: [number, Protocol][] = [];
    const bind = async (port: number, protocol: Protocol) => {
      tried.push([port, protocol]);
      return port !== 8081;
    };
    const [c] = await confirmFixes([wrongOwner], new Set([8082]), bind);
    expect(tried).toEqual([[8081, 'tcp'], [8083, 'tcp']]);
    expect(c).toMatchObject({ fix: 'set GATEWAY_PORT=8083, or stop PID 20 (java)', moves: [{ port: 8083 }] });
  });

  it('confirms each service once and keeps its port across conflicts; UDP binds UDP', async () => {
    const tried: [number, Protocol][] = [];
    const bind = async (port: number, protocol: Protocol) => {
      tried.push([port, protocol]);
      return true;
    };
    const udp: Conflict = { ...wrongOwner, protocol: 'udp', kind: 'catalogue', holders: [], fix: 'set GATEWAY_PORT=8081' };
    const out = await confirmFixes([udp, wrongOwner], new Set(), bind);
    expect(tried).toEqual([[8081, 'udp']]);
    expect(out.map((c) => c.fix)).toEqual(['set GATEWAY_PORT=8081', 'set GATEWAY_PORT=8081, or stop PID 20 (java)']);
  });

  it('leaves conflicts without moves as they are', async () => {
    const overlap: Conflict = { ...wrongOwner, services: [], moves: [], fix: 'stop PID 1 (a) or PID 2 (b): ...' };
    const [c] = await confirmFixes([overlap], new Set(), async () => false);
    expect(c?.fix).toBe('stop PID 1 (a) or PID 2 (b): ...');
  });
});
