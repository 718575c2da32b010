import { Text } from 'ink';
import type { Snapshot } from '../../core/types.js';
import { cellWidth, truncateCells } from '../../presentation/cells.js';
import { formatAge } from '../format.js';
import { cleanText } from '../../core/sanitize.js';
import { INK_TONE, type Tone } from '../../presentation/tones.js';

/** Counts shown in the header. */
export interface Counts {
  readonly up: number;
  readonly down: number;
  readonly conflict: number;
  readonly unexpected: number;
  readonly exposed: number;
}

/** Counts of a snapshot (zeros before the first one). */
export function countSnapshot(snapshot: Snapshot | null): Counts {
  const c = { up: 0, down: 0, conflict: 0, unexpected: 0, exposed: 0 };
  if (!snapshot) return c;
  for (const s of snapshot.services) c[s.status]++;
  for (const l of snapshot.listeners) {
    if (l.status === 'unexpected') c.unexpected++;
    if (l.exposed) c.exposed++;
  }
  return c;
}

/** Props of {@link Header}. */
export interface HeaderProps {
  readonly snapshot: Snapshot | null;
  readonly profile: string | null;
  readonly paused: boolean;
  /** ms since the last refresh, or null before the first. */
  readonly age: number | null;
  readonly width: number;
  readonly color: boolean;
}

/** One line: counts first (they matter most in a narrow pane), then paused marker, age, profile, host. */
export function Header({ snapshot, profile, paused, age, width, color }: HeaderProps) {
  const c = countSnapshot(snapshot);
  const parts: { text: string; tone: Tone; bold?: boolean }[] = [
    { text: `up ${c.up}`, tone: 'good' },
    { text: `down ${c.down}`, tone: c.down > 0 ? 'muted' : 'plain' },
    { text: `conflict ${c.conflict}`, tone: c.conflict > 0 ? 'bad' : 'plain' },
    { text: `unexpected ${c.unexpected}`, tone: c.unexpected > 0 ? 'info' : 'plain' },
    { text: `exposed ${c.exposed}`, tone: c.exposed > 0 ? 'warn' : 'plain' },
  ];
  if (paused) parts.unshift({ text: 'PAUSED', tone: 'warn', bold: true });
  parts.push({ text: age === null ? 'loading…' : `${formatAge(age)} ago`, tone: 'muted' });
  parts.push({ text: `profile ${cleanText(profile ?? 'all')}`, tone: 'plain' });
  if (snapshot) parts.push({ text: cleanText(snapshot.host), tone: 'plain' });
  // Fit whole parts; the last one that does not fit is cut, the rest dropped.
  let used = 0;
  const shown: typeof parts = [];
  for (const p of parts) {
    const room = width - used - (shown.length > 0 ? 2 : 0);
    if (room <= 1) break;
    const text = truncateCells(p.text, room);
    shown.push({ ...p, text });
    used += (shown.length > 1 ? 2 : 0) + cellWidth(text);
    if (text !== p.text) break;
  }
  return (
    <Text wrap="truncate">
      {shown.map((p, i) => (
        <Text key={i} color={color ? INK_TONE[p.tone] : undefined} bold={p.bold === true}>
          {i > 0 ? '  ' : ''}
          {p.text}
        </Text>
      ))}
    </Text>
  );
}
