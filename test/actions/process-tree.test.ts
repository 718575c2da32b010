import { afterAll, describe, expect, it } from 'vitest';
import { holdersOfInodes, listeningInodes, listeningSocketsOf } from '../../src/actions/process-tree.js';
import { procTree } from '../probe/proc-tree.js';

/**
 * The kill's socket look-ups on the probe's /proc fixture (test/fixtures/proc/mixed, fd links from
 * its fd-links.txt): which sockets listen, which a pid holds, who else holds them after a kill.
 */
const tree = procTree('mixed');
afterAll(() => tree.cleanup());

describe('listeningInodes', () => {
  it('maps listening TCP and unconnected UDP sockets of all four tables to their port', () => {
    const listening = listeningInodes(tree.root);
    expect(listening.get(1001)).toBe(8080); // tcp 0.0.0.0:8080 LISTEN
    expect(listening.get(1002)).toBe(5432); // tcp 127.0.0.1:5432 LISTEN
    expect(listening.get(1003)).toBe(8080); // tcp6 [::]:8080 LISTEN
    expect(listening.get(1010)).toBe(53); // udp 0.0.0.0:53 UNCONN
    expect(listening.get(1012)).toBe(5353); // udp6 [::]:5353 UNCONN
    expect(listening.has(1011)).toBe(false); // udp connected (state 01)
    expect(listening.has(1060)).toBe(false); // not in any table
  });

  it('is empty for a root without net tables', () => {
    expect(listeningInodes(`${tree.root}/nowhere`).size).toBe(0);
  });
});

describe('listeningSocketsOf', () => {
  it('keeps only the listening sockets of the pid, on the port when one is given', () => {
    const listening = listeningInodes(tree.root);
    expect(listeningSocketsOf(100, null, listening, tree.root)).toEqual([1001, 1003]);
    expect(listeningSocketsOf(700, null, listening, tree.root)).toEqual([1010, 1012]); // udp :53, udp6 :5353
    expect(listeningSocketsOf(700, 5353, listening, tree.root)).toEqual([1012]);
    expect(listeningSocketsOf(100, 5432, listening, tree.root)).toEqual([]);
    expect(listeningSocketsOf(200, 5432, listening, tree.root)).toEqual([1002]);
  });

  it('is empty for a pid that does not exist', () => {
    expect(listeningSocketsOf(999_999, null, listeningInodes(tree.root), tree.root)).toEqual([]);
  });
});

describe('holdersOfInodes', () => {
  it('finds the other holders of a shared socket, ascending, without the excluded pid', () => {
    expect(holdersOfInodes([1030], new Set([300]), tree.root)).toEqual([301]);
    expect(holdersOfInodes([1030], new Set(), tree.root)).toEqual([300, 301]);
    expect(holdersOfInodes([1002, 1001], new Set(), tree.root)).toEqual([100, 200]);
  });

  it('is empty for no inodes, an unheld inode, or an unreadable root', () => {
    expect(holdersOfInodes([], new Set(), tree.root)).toEqual([]);
    expect(holdersOfInodes([424242], new Set(), tree.root)).toEqual([]);
    expect(holdersOfInodes([1030], new Set(), `${tree.root}/nowhere`)).toEqual([]);
  });
});
