import { Text } from 'ink';
import { memo } from 'react';
import type { Counts } from '../counts.js';
import { cellWidth, truncateCells } from '../../presentation/cells.js';
import { cleanText } from '../../core/sanitize.js';
import { INK_TONE, type Tone } from '../../presentation/tones.js';


/** Props of {@link Header}. */
export interface HeaderProps {
  readonly counts: Counts;
  /** Host name of the snapshot, or null before the first. */
  readonly host: string | null;
  readonly profile: string | null;
  /** How the catalogue was obtained when it is not a registry file, e.g. "catalogue: compose.yaml, imported". */
  readonly catalogue?: string | null;
  readonly paused: boolean;
  /** Only what needs attention is listed (the `!` key, `--problems`, a small pane). */
  readonly problems?: boolean;
  /** "just now", "12s ago", "loading…" (see ageLabel). */
  readonly age: string;
  readonly width: number;
  readonly color: boolean;
}

/** One part of the header line; `short` is its narrow-pane form. */
export interface HeaderPart {
  readonly text: string;
  readonly short?: string;
  readonly tone: Tone;
  readonly bold?: boolean;
  /** May be cut to fit (else it is left out when it does not fit whole). */
  readonly cut?: boolean;
}

const SEPARATOR = '  ';

/**
 * The parts that fit in `width` cells, in order: a pane too narrow for the whole line first switches
 * the count labels to their short forms (so that the age still fits in 60 columns with the paused
 * marker), then parts that do not fit whole are left out ("profil…" would say nothing). Only the host
 * name, last and possibly a long FQDN, is cut to the room that is left.
 */
export function fitHeader(parts: readonly HeaderPart[], width: number): HeaderPart[] {
  const full = parts.map((p) => p.text).join(SEPARATOR);
  const chosen = cellWidth(full) <= width ? parts : parts.map((p) => ({ ...p, text: p.short ?? p.text }));
  let used = 0;
  const shown: HeaderPart[] = [];
  for (const p of chosen) {
    const room = width - used - (shown.length > 0 ? SEPARATOR.length : 0);
    const fits = cellWidth(p.text) <= room;
    if (!fits && !(p.cut === true && room >= 4)) continue;
    const text = fits ? p.text : truncateCells(p.text, room);
    shown.push({ ...p, text });
    used += (shown.length > 1 ? SEPARATOR.length : 0) + cellWidth(text);
  }
  return shown;
}

/** One line: paused marker and counts first (they matter most in a narrow pane), then age, profile, host. */
export const Header = memo(function Header({ counts: c, host, profile, catalogue, paused, problems, age, width, color }: HeaderProps) {
  const parts: HeaderPart[] = [
    { text: `up ${c.up}`, tone: 'good' },
    { text: `down ${c.down}`, tone: c.down > 0 ? 'muted' : 'plain' },
    { text: `conflict ${c.conflict}`, short: `confl ${c.conflict}`, tone: c.conflict > 0 ? 'bad' : 'plain' },
    { text: `unexpected ${c.unexpected}`, short: `unexp ${c.unexpected}`, tone: c.unexpected > 0 ? 'info' : 'plain' },
    { text: `exposed ${c.exposed}`, short: `expos ${c.exposed}`, tone: c.exposed > 0 ? 'warn' : 'plain' },
  ];
  // Says why rows are missing: a small pane starts with problems only.
  if (problems === true) parts.unshift({ text: 'PROBLEMS ONLY (! all)', short: 'PROBLEMS', tone: 'warn', bold: true });
  if (paused) parts.unshift({ text: 'PAUSED', tone: 'warn', bold: true });
  parts.push({ text: age, tone: 'muted' });
  parts.push({ text: `profile ${cleanText(profile ?? 'all')}`, tone: 'plain' });
  if (catalogue) parts.push({ text: cleanText(catalogue), tone: 'info' });
  if (host !== null) parts.push({ text: cleanText(host), tone: 'plain', cut: true });
  const shown = fitHeader(parts, width);
  return (
    <Text wrap="truncate">
      {shown.map((p, i) => (
        <Text key={i} color={color ? INK_TONE[p.tone] : undefined} bold={p.bold === true}>
          {i > 0 ? SEPARATOR : ''}
          {p.text}
        </Text>
      ))}
    </Text>
  );
});
