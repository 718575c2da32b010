import { describe, expect, it } from 'vitest';
import { parsePortQuery } from '../../src/core/why/why-port.js';

describe('parsePortQuery', () => {
  it.each([
    ['8000', { port: 8000, protocol: null }],
    [':8000', { port: 8000, protocol: null }],
    ['tcp/8000', { port: 8000, protocol: 'tcp' }],
    ['udp/53', { port: 53, protocol: 'udp' }],
    ['UDP/:53', { port: 53, protocol: 'udp' }],
    ['0', null],
    ['65536', null],
    ['gateway', null],
    ['sctp/80', null],
    ['80x', null],
  ] as const)('%s', (text, want) => expect(parsePortQuery(text)).toEqual(want));
});
