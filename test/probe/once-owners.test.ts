import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProbeData } from '../../src/core/types.js';
import { LinuxProbe } from '../../src/probe/linux.js';
import { OnceOwners } from '../../src/probe/once-owners.js';
import { readNetTables } from '../../src/probe/proc-net.js';
import { SocketOwners } from '../../src/probe/socket-owners.js';
import { procTree, type ProcTree } from './proc-tree.js';

// The one-shot owner index must place every socket exactly where the TUI's cached one does: the
// fixture has shared sockets (300 and 301), one fd table holding a socket twice (301), pipes and
// eventfds, a socket in no fd table, and one process with enough fds to be read from inside its
// fd directory.

/** inode -> owners, and the processes: what both kinds of probe must agree on. */
function view(data: ProbeData): { sockets: string[]; processes: number[] } {
  return {
    sockets: data.sockets.map((s) => `${s.protocol}${s.family} ${s.localPort} #${s.inode} ${s.state} [${s.pids.join(',')}] ${s.ownerUnknown ?? ''}`).sort(),
    processes: [...data.processes.keys()].sort((a, b) => a - b),
  };
}

describe('OnceOwners (fixture tree "mixed")', () => {
  let tree: ProcTree;
  let wanted: Set<number>;

  beforeEach(() => {
    tree = procTree('mixed');
    // A big fd table: 70 fds, every tenth one a socket that is in /proc/net (shared with pid 100's 1001 once).
    for (let fd = 10; fd < 80; fd++) tree.link(600, fd, fd % 10 === 0 ? `socket:[${fd === 10 ? 1001 : 1006}]` : `pipe:[${fd}]`);
    wanted = new Set(readNetTables(tree.root).sockets.map((s) => s.inode).filter((i) => i > 0));
  });
  afterEach(() => tree.cleanup());

  it('places every wanted socket as the cached index does, from one pass', () => {
    const once = new OnceOwners(tree.root);
    const cached = new SocketOwners(tree.root);
    once.update(wanted);
    cached.update(wanted);
    expect(once.fullScans).toBe(1);
    expect(wanted.size).toBeGreaterThan(10);
    for (const inode of wanted) expect([inode, once.ownersOf(inode)]).toEqual([inode, cached.ownersOf(inode)]);
    // Shared between processes, ascending; held twice by one process, that pid once.
    expect(once.ownersOf(1030)).toEqual([300, 301]);
    expect(once.ownersOf(1001)).toEqual([100, 600]);
    expect(once.ownersOf(1006)).toEqual([600]);
    // Not in /proc/net: not indexed, whoever holds it.
    expect(once.ownersOf(4242)).toEqual([]);
    expect(once.knowsAll([...wanted].map((inode) => ({ inode })))).toBe(true);
    expect(once.knowsAll([{ inode: 31337 }])).toBe(false);
  });

  it('forgets a process and reads it again', () => {
    const once = new OnceOwners(tree.root);
    once.update(wanted);
    once.forgetPid(301);
    expect(once.ownersOf(1030)).toEqual([300]);
    once.forgetPid(600);
    expect(once.ownersOf(1001)).toEqual([100]);
    expect(once.ownersOf(1004)).toEqual([]);
    once.rescanPid(600, wanted);
    once.rescanPid(301, wanted);
    expect(once.ownersOf(1001)).toEqual([100, 600]);
    expect(once.ownersOf(1030)).toEqual([300, 301]);
    expect(once.ownersOf(1004)).toEqual([600]);
  });

  it('a second update reads everything again', () => {
    const once = new OnceOwners(tree.root);
    once.update(wanted);
    tree.remove('301');
    once.update(wanted);
    expect(once.fullScans).toBe(2);
    expect(once.ownersOf(1030)).toEqual([300]);
  });

  it('a one-shot probe sees what the default probe sees, and so does its second collect', async () => {
    const once = new LinuxProbe({ procRoot: tree.root, euid: 0, collectsOnce: true });
    const expected = view(await new LinuxProbe({ procRoot: tree.root, euid: 0 }).collect());
    expect(view(await once.collect())).toEqual(expected);
    expect(view(await once.collect())).toEqual(expected);
    expect(once.fullScans).toBe(2);
  });
});
