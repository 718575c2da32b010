import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalArgs, systemdUnitOf, unitFromCgroup } from '../../src/actions/journal.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('unitFromCgroup', () => {
  it.each([
    ['0::/system.slice/nginx.service\n', 'nginx.service'],
    ['0::/system.slice/system-getty.slice/getty@tty1.service\n', 'getty@tty1.service'],
    ['12:pids:/\n1:name=systemd:/system.slice/redis-server.service\n0::/\n', 'redis-server.service'],
    ['0::/user.slice/user-1000.slice/user@1000.service/app.slice/dev.service\n', null],
    ['0::/user.slice/user-1000.slice/session-3.scope\n', null],
    ['0::/\n', null],
    ['0::/system.slice/docker-abc.scope\n', null],
    ['0::/system.slice/evil\u001b[2J.service\n', null],
    ['', null],
  ])('%j -> %s', (text, unit) => {
    expect(unitFromCgroup(text)).toBe(unit);
  });
});

describe('systemdUnitOf', () => {
  it('reads PID/cgroup under procRoot and ignores bad pids', () => {
    const { dir: root, remove } = tempDir('vhtop-cg-');
    try {
      mkdirSync(path.join(root, '77'));
      writeFileSync(path.join(root, '77', 'cgroup'), '0::/system.slice/api.service\n');
      expect(systemdUnitOf(77, root)).toBe('api.service');
      expect(systemdUnitOf(78, root)).toBeNull();
      expect(systemdUnitOf(Number.NaN, root)).toBeNull();
      expect(systemdUnitOf(0, root)).toBeNull();
    } finally {
      remove();
    }
  });

  it('journalArgs carries tail and follow', () => {
    expect(journalArgs('a.service', 50, false)).toEqual(['-u', 'a.service', '--no-pager', '-n', '50']);
    expect(journalArgs('a.service', 50, true)).toEqual(['-u', 'a.service', '--no-pager', '-n', '50', '-f']);
  });
});
