import { describe, expect, it } from 'vitest';
import type { Conflict, Listener, ServiceView } from '../../src/core/types.js';
import { cellWidth } from '../../src/presentation/cells.js';
import { conflictReport, listenerNotes, serviceColumns, serviceRow } from '../../src/presentation/report.js';
import { renderTable } from '../../src/presentation/table.js';

const conflicts: Conflict[] = [
  {
    port: 3001, protocol: 'tcp', kind: 'catalogue', services: ['attu', 'grafana', 'frontend-dev-hmr'], holder: null, live: false,
    fix: 'move frontend-dev-hmr to another port in the registry (e.g. 3003, free now); set GRAFANA_PORT=3004',
  },
  {
    port: 8080, protocol: 'tcp', kind: 'wrong-owner', services: ['gateway'], holder: { pid: 4242, process: 'java\x1b[2J' }, live: true,
    fix: 'set GATEWAY_PORT=8082, or stop PID 4242 (java\u202e)',
  },
];

describe('conflictReport', () => {
  it('keeps the FIX column when every fix fits', () => {
    const lines = conflictReport(conflicts, { width: null, color: false });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^PORT +PROTO +KIND +LIVE +SERVICES +HOLDER +FIX$/);
    expect(lines[1]).toMatch(/3001 .* move frontend-dev-hmr .*GRAFANA_PORT=3004$/);
  });

  it('on a narrow terminal, never cuts a fix: the table goes without FIX and each fix follows whole', () => {
    const lines = conflictReport(conflicts, { width: 80, color: false });
    expect(lines[0]).not.toContain('FIX');
    for (const l of lines.slice(0, 3)) expect(cellWidth(l)).toBeLessThanOrEqual(80);
    expect(lines.slice(3)).toEqual([
      '',
      'fix 3001/tcp: move frontend-dev-hmr to another port in the registry (e.g. 3003, free now); set GRAFANA_PORT=3004',
      'fix 8080/tcp: set GATEWAY_PORT=8082, or stop PID 4242 (java\ufffd)',
    ]);
    expect(lines.join('\n')).not.toMatch(/[\x1b\u202e…]/);
  });
});

describe('service table', () => {
  const view = (id: string, name: string): ServiceView => ({
    id, name, group: 'app', port: 5432, defaultPort: 5432, envVar: null, portSource: 'default', protocol: 'tcp',
    status: 'down', pid: null, process: null, exposed: false, exposedOn: [], connections: 0, docker: null, health: null,
    usedBy: null, unseenOwner: null,
  });

  it('on a narrow terminal cuts the CJK name, never the id (what --only, kill, logs and why take)', () => {
    const rows = [view('frontend-dev-hmr', '前端开发服务器热更新端口'), view('test-postgres', '测试数据库')].map((v) => serviceRow(v, false));
    const lines = renderTable(serviceColumns(false), rows, { width: 60, color: false });
    expect(lines[1]).toMatch(/^frontend-dev-hmr {2}前端.*… +5432 +tcp +down/);
    expect(lines[2]).toMatch(/^test-postgres {5}测试.* +5432 +tcp +down/);
    for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(60);
  });
});

describe('listener notes', () => {
  const base = { exposed: false, dockerProxy: false } as const;
  it('tells a socket nobody owns (TIME-WAIT) from one whose owner cannot be seen', () => {
    expect(listenerNotes({ ...base, ownerUnknown: 'no owner: the kernel keeps TIME-WAIT sockets after the process closed them' } as Listener)).toBe('no owner (kernel)');
    expect(listenerNotes({ ...base, ownerUnknown: 'owner not visible: /proc is mounted with hidepid=invisible' } as Listener)).toBe('owner unknown');
    expect(listenerNotes({ ...base, ownerUnknown: null } as Listener)).toBe('');
  });
});
