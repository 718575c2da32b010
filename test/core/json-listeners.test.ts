import { describe, expect, it } from 'vitest';
import { formatJson, formatJsonChunks } from '../../src/core/json.js';
import { jsonString } from '../../src/core/json-listeners.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import type { Listener, Snapshot } from '../../src/core/types.js';
import { catalogue, def, env, probeData, proc, sock } from './snapshot-fixtures.js';

/** Strings JSON.stringify escapes, or that look like they might need it. */
const HOSTILE = [
  '',
  'a"b',
  'back\\slash',
  '\\"',
  'tab\there',
  'nul\u0000byte',
  '\u001f\u007f\u0080\u009b[31m',
  'line\u2028sep\u2029para',
  'lone \ud800 high',
  'lone \udfff low',
  'reversed \udc00\ud800 pair',
  'ends in a high surrogate \ud83d',
  'emoji \ud83d\ude00 pair',
  'CJK 网关 服务',
  '"listeners": []',
  'bidi \u202e override',
  '\ufeff BOM and \ufffd',
];

describe('jsonString', () => {
  it('is JSON.stringify for every UTF-16 code unit alone and next to text', () => {
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `x${ch}`, `${ch}y`]) if (jsonString(s) !== JSON.stringify(s)) wrong.push(s);
    }
    expect(wrong).toEqual([]);
  });

  it('is JSON.stringify for hostile strings', () => {
    for (const s of HOSTILE) expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});

describe('the listeners written by hand', () => {
  const cat = catalogue(def({ id: 'gate"way', name: 'API网关', port: 8080, process: ['gateway'] }));

  /** Every listener string field hostile, cycling through HOSTILE; runs of equal values and changes both occur. */
  function hostileSnapshot(): Snapshot {
    const sockets = HOSTILE.flatMap((text, i) => [
      sock({ port: 8080, pids: [100 + i], localAddress: text, inode: 10 + i, uidUser: HOSTILE[(i + 1) % HOSTILE.length] }),
      sock({ port: 8080, pids: [100 + i], localAddress: text, state: 'ESTAB', remoteAddress: text, remotePort: 40000 + i, inode: 50 + i }),
      sock({ port: 9000 + i, protocol: 'udp', pids: [], ownerUnknown: text }),
      sock({ port: 7000 + i, pids: [100 + i, 200, 300] }),
    ]);
    const procs = HOSTILE.map((text, i) => ({ ...proc(100 + i, text, `${text} --flag ${HOSTILE[HOSTILE.length - 1 - i]}`), user: text }));
    return buildSnapshot(probeData(sockets, procs), cat, env(), { profile: null, all: true });
  }

  it('give byte-for-byte the text of JSON.stringify(document, null, 2), in any chunk size', () => {
    const snap = hostileSnapshot();
    expect(snap.listeners.length).toBe(HOSTILE.length * 4);
    const whole = formatJson(snap);
    // The hostile strings really reach the document (a serializer that dropped fields would differ anyway).
    expect(whole).toContain(JSON.stringify('lone \ud800 high'));
    for (const size of [1, 2, 7, 100]) expect([...formatJsonChunks(snap, size)].join('')).toBe(whole);
  });

  it('write numbers as JSON.stringify does (negative, -0, fractions, NaN, infinities) and nulls', () => {
    const snap = hostileSnapshot();
    const odd: Partial<Listener>[] = [
      { socketUid: -1, pid: null, process: null, user: null, command: null, socketUser: null, service: null },
      { port: -0, connections: 1.5, remotePort: Number.NaN, pids: [Number.POSITIVE_INFINITY, -0] },
      { family: 6, socketUid: 2 ** 32, pid: 4194304, exposed: true, dockerProxy: true, verified: false },
    ];
    const listeners = snap.listeners.slice(0, odd.length).map((l, i) => ({ ...l, ...odd[i] }) as Listener);
    const weird = { ...snap, listeners };
    expect([...formatJsonChunks(weird, 2)].join('')).toBe(formatJson(weird));
  });

  it("reuse the bytes of an owner's fields only when every value is the same", () => {
    const snap = hostileSnapshot();
    // All with one pids array (the probe shares one per process): each listener that changes one
    // value of the remembered runs comes right after one that has them all as the first has.
    const pids = Object.freeze([4242]);
    const base = { ...(snap.listeners[0] as Listener), pids };
    const changes: Partial<Listener>[] = [
      { pid: 7 }, { process: 'other' }, { user: 'bob' }, { command: 'other --x' }, { service: 'gate"way' }, { status: 'conflict' },
      { dockerProxy: !base.dockerProxy }, { ownerUnknown: 'gone' }, { verified: !base.verified }, { socketUid: base.socketUid + 1 }, { socketUser: 'carol' },
      { process: null, user: null, command: null, pid: null, service: null },
    ];
    const listeners = changes.flatMap((c) => [base, { ...base, ...c } as Listener, { ...base, ...c } as Listener]);
    const mixed = { ...snap, listeners };
    const whole = formatJson(mixed);
    for (const size of [1, 3, 400]) expect([...formatJsonChunks(mixed, size)].join('')).toBe(whole);
  });
});
