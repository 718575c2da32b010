/**
 * The one lookup of a service named on the command line (`why`, `logs`, `kill`, `check --only`):
 * one wording, one did-you-mean and one exit code (2, a usage error) for an id that is not there.
 */
import { UsageError } from './errors.js';
import { cleanText, hasControlChars } from './sanitize.js';
import { editDistance } from './edit-distance.js';

/**
 * Ids close to `word`: a small edit distance (a third of the length, at least 1), or one contains the
 * other ("gate" -> gateway). Nearest first, at most five.
 */
export function closeMatches(word: string, ids: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  return ids
    .map((id) => ({ id, d: editDistance(w, id) }))
    .filter(({ id, d }) => d <= limit || (w.length >= 3 && (id.includes(w) || w.includes(id))))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, 5)
    .map(({ id }) => id);
}

/** The whole registry (every profile): where an id outside the active profile is found, and its file for the message. */
export interface Registry {
  readonly file: string;
  readonly services: readonly { readonly id: string }[];
}

/** What a lookup can pick from: catalogue entries, resolved services or a snapshot's service views. */
export interface NamedService {
  readonly id: string;
  readonly docker: string | null;
}

/**
 * The entry `id` among `candidates` (the active profile's services). Accepts the id, or a docker
 * compose name that only one entry uses. Unknown ids and ids outside the profile are usage errors
 * (exit 2) with close matches.
 */
export function findService<T extends NamedService>(id: string, candidates: readonly T[], catalogue: Registry, profile: string | null): T {
  const exact = candidates.find((s) => s.id === id);
  if (exact) return exact;
  const byDocker = candidates.filter((s) => s.docker === id);
  if (byDocker.length === 1 && byDocker[0]) return byDocker[0];
  const shown = JSON.stringify(cleanText(id));
  if (profile !== null && catalogue.services.some((s) => s.id === id)) {
    throw new UsageError(`service ${shown} is not in profile ${JSON.stringify(profile)}`);
  }
  const close = closeMatches(cleanText(id), candidates.map((s) => s.id));
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  // Cleaned, "back\x1b[0mend" would read as the real id "backend": say why it did not match.
  const tampered = hasControlChars(id) ? '; the name given holds control characters (removed above)' : '';
  throw new UsageError(`unknown service ${shown} in ${cleanText(catalogue.file)}${hint} (vhtop list shows every service)${tampered}`);
}
