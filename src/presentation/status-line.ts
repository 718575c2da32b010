/**
 * The one-line summary of `vhtop status`, for a status bar (tmux `status-right`) or a shell prompt.
 * One segment per host: `vhtop 31↑ 2↓ 1⚠ 1!`; several hosts' segments are joined by spaces.
 */
import type { ProblemCounts } from '../core/problems.js';
import { cleanText } from '../core/sanitize.js';
import { UsageError } from '../core/errors.js';

/** The default format of one segment. `{attention}` is exposed + unexpected + unverified. */
export const DEFAULT_STATUS_FORMAT = '{label} {up}↑ {down}↓ {conflict}⚠ {attention}!';

/** One host's part of the line. */
export interface StatusSegment {
  /** What the segment is called: "vhtop" for this machine, the host target with `--host`. */
  readonly label: string;
  /** Host name the probe saw. */
  readonly host: string;
  readonly profile: string | null;
  readonly counts: ProblemCounts;
  /** Set when the host could not be read (ssh failed): the segment says so instead of counts. */
  readonly unreachable?: boolean;
}

/** How to render: plain text, or with tmux styles (`#[fg=red]`) and `#` escaped in names. */
export interface StatusStyle {
  readonly tmux: boolean;
  readonly format: string;
}

/** Fields a `--format` may use, with what each stands for (for `status --help`). */
export const STATUS_FIELDS: Readonly<Record<string, string>> = {
  label: '"vhtop", or the host target',
  host: 'host name',
  profile: 'active profile ("all" without --profile)',
  up: 'services up',
  down: 'services down',
  conflict: 'services whose port another program holds',
  unverified: 'services whose listener has an owner vhtop cannot see',
  exposed: 'local-only services listening on all interfaces',
  unexpected: 'listening sockets no catalogue entry expects',
  inactive: 'entries whose port another profile uses',
  attention: 'exposed + unexpected + unverified',
  problems: 'services that make check fail',
  total: 'services in the profile',
};

/** tmux colour of a count: only a count that needs attention is coloured. */
function tone(field: string, value: number): string | null {
  if (field === 'up') return value > 0 ? 'green' : null;
  if (value === 0) return null;
  if (field === 'down' || field === 'conflict' || field === 'problems') return 'red';
  if (field === 'exposed' || field === 'unexpected' || field === 'unverified' || field === 'attention') return 'yellow';
  return null;
}

/** tmux expands `#` in status text: a name that contains one must not become a format. */
export function escapeTmux(text: string): string {
  return text.replace(/#/g, '##');
}

function numbers(c: ProblemCounts): Record<string, number> {
  return {
    up: c.up,
    down: c.down,
    conflict: c.conflict,
    unverified: c.unverified,
    exposed: c.exposed,
    unexpected: c.unexpected,
    inactive: c.inactive,
    attention: c.exposed + c.unexpected + c.unverified,
    problems: c.failing,
    total: c.services,
  };
}

/** Checks a `--format` before anything is probed: an unknown `{field}` is a usage error. */
export function validateFormat(format: string): void {
  for (const m of format.matchAll(/\{([^{}]*)\}/g)) {
    const name = m[1] ?? '';
    if (!(name in STATUS_FIELDS)) {
      throw new UsageError(`option --format: unknown field {${cleanText(name).slice(0, 40)}} (fields: ${Object.keys(STATUS_FIELDS).map((f) => `{${f}}`).join(' ')})`);
    }
  }
}

/**
 * One segment as text. With tmux styles a count is coloured by what it means (the glyph after it
 * too: `#[fg=red]2↓#[default]`), and names are escaped; the format's own text is the user's.
 */
export function renderSegment(segment: StatusSegment, style: StatusStyle): string {
  if (segment.unreachable === true) {
    // No counts to show: a made-up 0↑ would read as "all down". The label and a cross say it plainly.
    const label = cleanText(segment.label);
    return style.tmux ? `${escapeTmux(label)} #[fg=red]✗unreachable#[default]` : `${label} ✗unreachable`;
  }
  const values = numbers(segment.counts);
  const names: Record<string, string> = {
    label: segment.label,
    host: segment.host,
    profile: segment.profile ?? 'all',
  };
  // A count's glyph is the non-space text right after its field ("{down}↓").
  return style.format.replace(/\{([a-z]+)\}([^\s{]*)/g, (_all, field: string, glyph: string) => {
    if (field in names) {
      const text = cleanText(names[field] ?? '');
      return (style.tmux ? escapeTmux(text) : text) + glyph;
    }
    const value = values[field] ?? 0;
    const colour = style.tmux ? tone(field, value) : null;
    return colour ? `#[fg=${colour}]${value}${glyph}#[default]` : `${value}${glyph}`;
  });
}

/** The whole line: every host's segment, in order. */
export function renderStatusLine(segments: readonly StatusSegment[], style: StatusStyle): string {
  return segments.map((s) => renderSegment(s, style)).join(' ');
}
