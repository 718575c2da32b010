import { Text } from 'ink';
import { memo } from 'react';
import type { Counts } from '../counts.js';
import { cellWidth, truncateCells } from '../../presentation/cells.js';
import { cleanText } from '../../core/sanitize.js';
import { INK_TONE, type Tone } from '../../presentation/tones.js';

export { countSnapshot, type Counts } from '../counts.js';

/** Props of {@link Header}. */
export interface HeaderProps {
  readonly counts: Counts;
  /** Host name of the snapshot, or null before the first. */
  readonly host: string | null;
  readonly profile: string | null;
  readonly paused: boolean;
  /** "just now", "12s ago", "loading…" (see ageLabel). */
  readonly age: string;
  readonly width: number;
  readonly color: boolean;
}

/** One line: counts first (they matter most in a narrow pane), then paused marker, age, profile, host. */
export const Header = memo(function Header({ counts: c, host, profile, paused, age, width, color }: HeaderProps) {
  const parts: { text: string; tone: Tone; bold?: boolean }[] = [
    { text: `up ${c.up}`, tone: 'good' },
    { text: `down ${c.down}`, tone: c.down > 0 ? 'muted' : 'plain' },
    { text: `conflict ${c.conflict}`, tone: c.conflict > 0 ? 'bad' : 'plain' },
    { text: `unexpected ${c.unexpected}`, tone: c.unexpected > 0 ? 'info' : 'plain' },
    { text: `exposed ${c.exposed}`, tone: c.exposed > 0 ? 'warn' : 'plain' },
  ];
  if (paused) parts.unshift({ text: 'PAUSED', tone: 'warn', bold: true });
  parts.push({ text: age, tone: 'muted' });
  parts.push({ text: `profile ${cleanText(profile ?? 'all')}`, tone: 'plain' });
  if (host !== null) parts.push({ text: cleanText(host), tone: 'plain' });
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
});
