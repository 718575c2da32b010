/**
 * Domain values -> table cells for `list`, `check` and `conflicts`. The only place these commands
 * turn a status into a tone; the status word is always printed.
 */
import { cleanText } from '../core/sanitize.js';
import { serviceNote } from '../core/status-text.js';
import type { Conflict, Listener, ServiceView } from '../core/types.js';
import { cellWidth } from './cells.js';
import type { Cell } from './cells.js';
import { type Column, columnWidths, renderTable, type TableOptions } from './table.js';
import { listenerTone, serviceTone } from './tones.js';

/** "1234" or "1234+2" when more processes share the socket; "?" when the owner cannot be seen. */
export function pidText(pid: number | null, pids: readonly number[] = []): string {
  if (pid === null) return '?';
  return pids.length > 1 ? `${pid}+${pids.length - 1}` : String(pid);
}

/** Short remarks that qualify a listener row. */
export function listenerNotes(l: Listener): string {
  const notes: string[] = [];
  if (l.exposed) notes.push('EXPOSED: bind local, listens on a non-loopback address');
  if (l.status === 'unverified' && l.pid === null && l.socketUid >= 0) notes.push(`socket uid ${l.socketUid}${l.socketUser !== null && l.socketUser !== String(l.socketUid) ? ` (${l.socketUser})` : ''}`);
  if (l.status === 'unverified' && l.pid !== null) notes.push('owner unconfirmed');
  if (l.dockerProxy) notes.push('docker-proxy (published by a container)');
  // The reason is in the JSON and in the notice line under the table; the row only says so. A socket
  // the kernel holds by itself (TIME-WAIT, inode 0) has no owner at all: "unknown" would send the
  // reader looking for a hidden process. The probes word those reasons "no owner: ...".
  if (l.ownerUnknown) notes.push(l.ownerUnknown.startsWith('no owner') ? 'no owner (kernel)' : 'owner unknown');
  return notes.join('; ');
}

/** Columns of the listener table; `all` adds the socket state and the remote end. */
export function listenerColumns(all: boolean): Column[] {
  return [
    { header: 'PROTO' },
    { header: 'ADDRESS', flex: true, min: 7 },
    { header: 'PORT', align: 'right' },
    ...(all ? [{ header: 'STATE' }, { header: 'REMOTE', flex: true, min: 6 }] : []),
    { header: 'PID', align: 'right' },
    { header: 'PROCESS', flex: true, min: 7 },
    { header: 'USER', flex: true, min: 4, drop: 3 },
    { header: 'SERVICE', flex: true, min: 7 },
    { header: 'STATUS' },
    { header: 'CONN', align: 'right', drop: 2 },
    { header: 'NOTE', flex: true, min: 4, drop: 1 },
    { header: 'COMMAND', flex: true, min: 7, drop: 4 },
  ];
}

/** One listener row. */
export function listenerRow(l: Listener, all: boolean): Cell[] {
  const tone = listenerTone(l.status, l.exposed);
  return [
    { text: `${l.protocol}${l.family === 6 ? '6' : ''}` },
    { text: l.address },
    { text: String(l.port) },
    ...(all ? [{ text: l.state }, { text: l.remotePort ? `${l.remoteAddress}:${l.remotePort}` : '' }] : []),
    { text: pidText(l.pid, l.pids) },
    { text: l.process ?? (l.pid === null ? '(unknown)' : '') },
    // Where the process cannot be seen, /proc/net still tells whose socket it is.
    { text: l.user ?? l.socketUser ?? '' },
    { text: l.service ?? '-' },
    { text: l.status, tone },
    { text: String(l.connections) },
    { text: listenerNotes(l), tone: l.exposed ? 'warn' : 'plain' },
    { text: l.command ?? '' },
  ];
}

/** Where the effective port came from, in words. */
export function portSourceText(s: ServiceView): string {
  if (s.portSource === 'default') return 'default';
  const via = s.portSource === 'environment' ? 'environment' : '.env';
  return `${s.envVar ?? 'env'} (${via})`;
}

/** Columns of the service table; `health` adds the health column. */
export function serviceColumns(health: boolean): Column[] {
  return [
    // Never cut: the id is what --only, kill, logs and why take.
    { header: 'ID' },
    { header: 'NAME', flex: true, min: 6 },
    { header: 'PORT', align: 'right' },
    { header: 'PROTO' },
    { header: 'FROM', flex: true, min: 7, drop: 2 },
    { header: 'STATUS' },
    { header: 'PID', align: 'right' },
    { header: 'PROCESS', flex: true, min: 7 },
    ...(health ? [{ header: 'HEALTH', flex: true, min: 8 }] : []),
    { header: 'NOTE', flex: true, min: 4, drop: 1 },
  ];
}

/** Health in a few words: "ok 12.5 ms", "FAIL HTTP 500 from /health", "-" when not probed. */
export function healthText(s: ServiceView): { text: string; ok: boolean | null } {
  if (!s.health) return { text: '-', ok: null };
  const ms = s.health.latencyMs === null ? '' : ` ${s.health.latencyMs.toFixed(1)} ms`;
  return s.health.ok ? { text: `ok${ms}`, ok: true } : { text: `FAIL ${s.health.detail}`, ok: false };
}

/** One service row. */
export function serviceRow(s: ServiceView, health: boolean): Cell[] {
  const h = healthText(s);
  return [
    { text: s.id },
    { text: s.name },
    { text: String(s.port) },
    { text: s.protocol },
    { text: portSourceText(s) },
    { text: s.status, tone: serviceTone(s.status) },
    { text: s.pid === null ? '-' : String(s.pid) },
    { text: s.process ?? '' },
    ...(health ? [{ text: h.text, tone: h.ok === null ? ('muted' as const) : h.ok ? ('good' as const) : ('bad' as const) }] : []),
    { text: serviceNote(s), tone: s.exposed || s.status === 'unverified' ? 'warn' : 'plain' },
  ];
}

/** Columns of the conflict table. */
export function conflictColumns(): Column[] {
  return [
    { header: 'PORT', align: 'right' },
    { header: 'PROTO' },
    { header: 'KIND' },
    { header: 'LIVE' },
    { header: 'SERVICES', flex: true, min: 8 },
    { header: 'HOLDER', flex: true, min: 6 },
    { header: 'FIX', flex: true, min: 12 },
  ];
}

/** One conflict row. */
export function conflictRow(c: Conflict): Cell[] {
  const holder = c.holder ? `${c.holder.pid ?? '?'} ${c.holder.process ?? '(unknown)'}` : '-';
  return [
    { text: String(c.port) },
    { text: c.protocol },
    { text: c.kind, tone: c.live ? 'bad' : 'warn' },
    { text: c.live ? 'live' : 'latent', tone: c.live ? 'bad' : 'muted' },
    { text: c.services.length > 0 ? c.services.join(', ') : '(none)' },
    { text: holder },
    { text: c.fix },
  ];
}

/**
 * The `conflicts` report. The fix is the point of the command, so it is never cut to "…": when the
 * terminal is too narrow for the FIX column in full, the table goes without it and each fix follows
 * as a line of its own (a long one wraps in the terminal, which is fine for a sentence).
 */
export function conflictReport(conflicts: readonly Conflict[], options: TableOptions): string[] {
  const columns = conflictColumns();
  const rows = conflicts.map(conflictRow);
  const fixAt = columns.length - 1;
  const cleaned = rows.map((r) => r.map((c) => ({ text: cleanText(c.text) })));
  const fitted = columnWidths(columns, cleaned, options.width)[fixAt] ?? 0;
  const needed = cleaned.reduce((w, r) => Math.max(w, cellWidth(r[fixAt]?.text ?? '')), 0);
  if (fitted >= needed) return renderTable(columns, rows, options);
  const table = renderTable(columns.slice(0, fixAt), rows.map((r) => r.slice(0, fixAt)), options);
  return [...table, '', ...conflicts.map((c) => `fix ${c.port}/${c.protocol}: ${cleanText(c.fix)}`)];
}

/** Partial-view notices ("not root: ...") as lines on stderr, so piped tables stay clean. */
export function writeNotices(ctx: { readonly stderr: { write(chunk: string): unknown } }, notices: readonly string[]): void {
  for (const n of notices) ctx.stderr.write(`vhtop: note: ${cleanText(n)}\n`);
}
