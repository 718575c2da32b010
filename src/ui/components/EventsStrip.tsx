import { Box, Text } from 'ink';
import type { ChangeEvent, ChangeKind } from '../../core/events.js';
import { INK_TONE, type Tone } from '../../presentation/tones.js';
import { clockTime } from '../format.js';

/** Tone of each kind of change (the text says what happened; colour only adds to it). */
export const EVENT_TONE: Readonly<Record<ChangeKind, Tone>> = {
  'service-down': 'bad',
  'service-up': 'good',
  'service-conflict': 'bad',
  'service-unverified': 'warn',
  'port-freed': 'info',
  'unexpected-listener': 'info',
  'owner-changed': 'warn',
};

/** Props of {@link EventsStrip}. */
export interface EventsStripProps {
  readonly events: readonly ChangeEvent[];
  /** A note for the user (kill outcome, probe error) shown above the events. */
  readonly message: string | null;
  readonly lines: number;
  readonly color: boolean;
}

/** The newest changes of the session, one per line, with their time. */
export function EventsStrip({ events, message, lines, color }: EventsStripProps) {
  if (lines <= 0) return null;
  const items: { text: string; tone: Tone }[] = [];
  if (message) items.push({ text: message, tone: 'warn' });
  const room = lines - items.length;
  const recent = room > 0 ? events.slice(-room).reverse() : [];
  for (const e of recent) items.push({ text: `${clockTime(Date.parse(e.at))} ${e.text}`, tone: EVENT_TONE[e.kind] });
  if (items.length === 0) items.push({ text: 'events: no changes yet', tone: 'muted' });
  return (
    <Box flexDirection="column" height={lines}>
      {items.map((it, i) => (
        <Text key={i} wrap="truncate" color={color ? INK_TONE[it.tone] : undefined}>
          {it.text}
        </Text>
      ))}
    </Box>
  );
}
