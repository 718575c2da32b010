import { Box, Text } from 'ink';
import type { ChangeEvent } from '../../core/events.js';
import { INK_TONE } from '../../presentation/tones.js';
import { clockTime } from '../format.js';
import { MAX_EVENTS } from '../live.js';
import { EVENT_TONE } from './EventsStrip.js';

/** Props of {@link EventLog}. */
export interface EventLogProps {
  /** Every event kept this session, oldest first. */
  readonly events: readonly ChangeEvent[];
  /** How many of the newest events are scrolled past. */
  readonly top: number;
  /** Lines available, title included. */
  readonly height: number;
  readonly color: boolean;
}

/**
 * The session's changes, newest first, one per line (`e` opens it, moving keys scroll it). The strip
 * under the table has room for the newest few only; this is where the rest of the session stays.
 */
export function EventLog({ events, top, height, color }: EventLogProps) {
  const rows = Math.max(1, height - 1);
  const n = events.length;
  const skip = Math.min(Math.max(0, top), Math.max(0, n - rows));
  const shown = events.slice(Math.max(0, n - skip - rows), n - skip).reverse();
  const range = n > rows ? `, ${skip + 1}-${skip + shown.length} of ${n}` : '';
  const title = n === 0 ? 'Events this session: no changes yet' : `Events this session, newest first (${n}${range}; the last ${MAX_EVENTS} are kept)`;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      {shown.map((e, i) => (
        <Text key={i} wrap="truncate" color={color ? INK_TONE[EVENT_TONE[e.kind]] : undefined}>
          {`${clockTime(Date.parse(e.at))} ${e.text}`}
        </Text>
      ))}
    </Box>
  );
}
