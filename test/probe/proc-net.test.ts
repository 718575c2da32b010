import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIpv6, ipv4FromWord, ipv6FromHex } from '../../src/probe/inet-address.js';
import { type MutableSocket, parseNetTable, readNetTables } from '../../src/probe/proc-net.js';
import { lineFields, scanLine } from '../../src/probe/proc-net-line.js';
import { socketInode } from '../../src/probe/socket-owners.js';

const bytes = (hex: string): number[] => [...Buffer.from(hex.replace(/:/g, ''), 'hex')];

describe('formatIpv6 prints what ss (glibc inet_ntop) prints', () => {
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000005', '2001:db8:0:1::5'], // a lone zero group is not compressed
    ['fe800000000000000001000000000002', 'fe80::1:0:0:2'], // the longer run wins
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // the first of two equal runs wins
    ['20010db8000000000001000000000000', '2001:db8:0:0:1::'],
    ['00000000000000000000ffff7f000001', '127.0.0.1'], // IPv4-mapped: reported as the IPv4 address
    ['00000000000000000000000001020304', '::1.2.3.4'], // IPv4-compatible, as inet_ntop shows it
    ['ffffffffffffffffffffffffffffffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('%s -> %s', (hex, text) => {
    expect(formatIpv6(bytes(hex))).toBe(text);
  });
});

describe.runIf(endianness() === 'LE')('kernel hex words on a little-endian host', () => {
  it.each([
    [0x0100007f, '127.0.0.1'],
    [0x00000000, '0.0.0.0'],
    [0x1401a8c0, '192.168.1.20'],
    [0xffffffff, '255.255.255.255'],
  ])('IPv4 word %s -> %s', (word, text) => {
    expect(ipv4FromWord(word)).toBe(text);
  });

  it.each([
    ['00000000000000000000000001000000', '::1'],
    ['0000000000000000FFFF00000100007F', '127.0.0.1'],
    ['B80D0120000000000000000001000000', '2001:db8::1'],
    ['b80d0120000000000000000001000000', '2001:db8::1'],
  ])('IPv6 %s -> %s', (hex, text) => {
    expect(ipv6FromHex(hex)).toBe(text);
  });

  it('rejects IPv6 hex of the wrong shape', () => {
    expect(ipv6FromHex('0000')).toBeNull();
    expect(ipv6FromHex('G0000000000000000000000001000000')).toBeNull();
  });
});

describe.runIf(endianness() === 'LE')('parseNetTable', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  const good = '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0\n';
  const parse = (text: string, family: 4 | 6 = 4): { out: MutableSocket[]; bad: number } => {
    const out: MutableSocket[] = [];
    const bad = parseNetTable(text, 'tcp', family, out);
    return { out, bad };
  };

  it('reads one kernel line', () => {
    const { out, bad } = parse(header + good);
    expect(bad).toBe(0);
    expect(out).toEqual([
      { protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '0.0.0.0', remotePort: 0, state: 'LISTEN', inode: 4242, uid: 1000, pids: [], ownerUnknown: null },
    ]);
  });

  it('reads a 5-digit slot number and a line without trailing newline', () => {
    const { out } = parse(header + good.replace('   0:', '12345:').trimEnd());
    expect(out).toHaveLength(1);
  });

  it.each([
    ['garbage', 'not a socket line at all\n'],
    ['truncated', '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n'],
    ['bad hex address', good.replace('0100007F', '0100007G')],
    ['short address', good.replace('0100007F', '100007F')],
    ['IPv6 address in the IPv4 table', good.replace('0100007F', '00000000000000000000000001000000')],
    ['negative inode', good.replace(' 4242 ', ' -4242 ')],
    ['bad uid', good.replace(' 1000 ', ' 10x0 ')],
    ['bad state', good.replace(' 0A ', ' 0Z ')],
  ])('skips and counts a malformed line: %s', (_name, line) => {
    const { out, bad } = parse(header + line + good);
    expect(bad).toBe(1);
    expect(out).toHaveLength(1);
  });

  it('ignores blank lines and the header, and survives binary junk', () => {
    expect(parse(`${header}\n\n${good}`).bad).toBe(0);
    expect(parse('\u0000\u00ff\u0001:::\n' + good).bad).toBe(1);
  });

  it.each([
    ['01', 'ESTAB'], ['02', 'SYN-SENT'], ['03', 'SYN-RECV'], ['04', 'FIN-WAIT-1'], ['05', 'FIN-WAIT-2'],
    ['06', 'TIME-WAIT'], ['07', 'UNCONN'], ['08', 'CLOSE-WAIT'], ['09', 'LAST-ACK'], ['0A', 'LISTEN'],
    ['0B', 'CLOSING'], ['0C', 'SYN-RECV'], ['0D', 'UNKNOWN'],
  ])('state %s is %s', (code, state) => {
    expect(parse(good.replace(' 0A ', ` ${code} `)).out[0]?.state).toBe(state);
  });
});

describe('socketInode', () => {
  it.each([
    ['socket:[12345]', 12345],
    ['socket:[]', 0],
    ['socket:[12a]', 0],
    ['socket:[123', 0],
    ['pipe:[123]', 0],
    ['/dev/null', 0],
    ['anon_inode:[eventfd]', 0],
  ])('%s -> %s', (link, inode) => {
    expect(socketInode(link)).toBe(inode);
  });
});

describe('parseNetTable fast path (fixed columns) agrees with the regular expression', () => {
  const tables = [
    ['tcp', 'tcp', 4],
    ['tcp6', 'tcp', 6],
    ['udp', 'udp', 4],
    ['udp6', 'udp', 6],
  ] as const;

  it.each(tables)('on this machine\'s /proc/net/%s', (file, protocol, family) => {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${file}`, 'latin1');
    } catch {
      return; // no such table here (e.g. IPv6 disabled): nothing to compare
    }
    const fast: MutableSocket[] = [];
    const slow: MutableSocket[] = [];
    const badFast = parseNetTable(text, protocol, family, fast);
    const badSlow = parseNetTable(text, protocol, family, slow, { fastPath: false });
    expect(fast).toEqual(slow);
    expect(badFast).toBe(badSlow);
  });

  it('takes every line the kernel prints (so the fast path is what runs), and only those', () => {
    const f = lineFields();
    const v4 = '12345: 0100007F:1F90 0100007F:D431 01 00000000:00000000 02:000A1B2C 00000000  1000        0 4294967296 2 0000000000000000 20 4 30 10 -1';
    expect(scanLine(v4, 0, v4.length, 1, f)).toBe(true);
    expect(f).toMatchObject({ localPort: 8080, remotePort: 0xd431, state: 1, uid: 1000, inode: 4294967296 });
    const v6 = '   3: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   107       -1 99 1 0000000000000000 100 0 0 10 0';
    expect(scanLine(v6, 0, v6.length, 4, f)).toBe(true);
    expect(f).toMatchObject({ localPort: 80, state: 10, uid: 107, inode: 99 });
    for (const bad of [v4.replace(' 01 ', ' 0Z '), v4.replace('1000 ', '10x0 '), v4.replace(' 4294967296 ', ' -4 '), v4.slice(0, 60), v4.replace('12345:', '12345 ')]) {
      expect(scanLine(bad, 0, bad.length, 1, f)).toBe(false);
    }
    // Same answers as the regular expression for lines the fast path declines (they are parsed or counted there).
    const tricky = [v4.replace(' 4294967296 ', ' 4294967296\r'), v4, v4.replace('0100007F:1F90', '0100007f:1f90')].join('\n');
    const a: MutableSocket[] = [];
    const b: MutableSocket[] = [];
    expect(parseNetTable(tricky, 'tcp', 4, a)).toBe(parseNetTable(tricky, 'tcp', 4, b, { fastPath: false }));
    expect(a).toEqual(b);
  });
});

describe('readNetTables on a large table', () => {
  // A /proc of only net/ tables, made afresh for each test.
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'vhtop-net-'));
    mkdirSync(path.join(root, 'net'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A LISTEN line of /proc/net/tcp on 127.0.0.1. */
  const listenLine = (slot: number, port: number, inode: number, uid: number): string =>
    `${String(slot).padStart(4, ' ')}: 0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)}        0 ${inode} 1 0000000000000000 100 0 0 10 0`;

  it('reads a table of several text chunks exactly as one parse of the whole text', () => {
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    const lines = Array.from({ length: 6000 }, (_, i) => listenLine(i, 1024 + i, 5000 + i, 1000));
    lines[3000] = 'junk in the middle';
    const text = header + lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(600 * 1024); // more than two chunks
    writeFileSync(path.join(root, 'net', 'tcp'), text);
    const whole: MutableSocket[] = [];
    const bad = parseNetTable(text, 'tcp', 4, whole);
    for (const fastPath of [false, true]) {
      const got = readNetTables(root, { fastPath });
      expect(got.filesRead).toBe(1);
      expect(got.sockets).toEqual(whole);
      expect(got.sockets).toHaveLength(5999);
      expect(got.malformed.get('tcp')).toBe(bad);
      expect(bad).toBe(1);
    }
  });

  it('reads on past a line longer than its read buffer, and skips a table it cannot read', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => listenLine(i, 2000 + i, 9000 + i, 0));
    // 300 KB without a newline: no kernel line, and longer than all the buffer a streamed table uses.
    lines[400] = 'x'.repeat(300 * 1024);
    writeFileSync(path.join(root, 'net', 'tcp'), `${lines.join('\n')}\n`);
    // A directory opens but cannot be read: that table counts as not read, and adds no socket.
    mkdirSync(path.join(root, 'net', 'udp'));
    const got = readNetTables(root);
    expect(got.filesRead).toBe(1);
    expect(got.sockets.map((s) => s.inode)).toEqual(Array.from({ length: 1000 }, (_, i) => 9000 + i).filter((inode) => inode !== 9400));
    expect(got.malformed.get('tcp')).toBeGreaterThanOrEqual(1);
  });
});
