import type { ListenerStatus, ServiceStatus } from '../core/types.js';

/** Semantic tone of a cell; renderers map tones to colours (or to nothing under NO_COLOR). */
export type Tone = 'good' | 'bad' | 'warn' | 'muted' | 'info' | 'plain';

/** The only place a status becomes a tone. The status word is always printed too. */
export function serviceTone(status: ServiceStatus): Tone {
  switch (status) {
    case 'up':
      return 'good';
    case 'down':
      return 'muted';
    case 'conflict':
      return 'bad';
    case 'inactive':
      return 'muted';
    case 'unverified':
      return 'warn';
  }
}

/** Tone of a listener row; exposed local-only services are a warning even when expected. */
export function listenerTone(status: ListenerStatus, exposed: boolean): Tone {
  if (status === 'conflict') return 'bad';
  if (exposed || status === 'unverified') return 'warn';
  return status === 'expected' ? 'good' : 'info';
}

/** ANSI SGR codes per tone, for the non-interactive tables. */
export const ANSI_TONE: Readonly<Record<Tone, string>> = {
  good: '\x1b[32m',
  bad: '\x1b[31;1m',
  warn: '\x1b[33m',
  muted: '\x1b[2m',
  info: '\x1b[36m',
  plain: '',
};

/** Ink colour names per tone, for the TUI. */
export const INK_TONE: Readonly<Record<Tone, string | undefined>> = {
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  muted: 'gray',
  info: 'cyan',
  plain: undefined,
};
