/**
 * Finding the SERVICE of `vhtop why SERVICE`, and the close matches a usage error lists.
 */
import { UsageError } from './errors.js';
import { cleanText, hasControlChars } from './sanitize.js';
import type { Catalogue, ResolvedService } from './types.js';
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

/**
 * The entry `id` of the active profile. Accepts the id, or a docker compose name that only one entry
 * uses. Unknown ids and ids outside the profile are usage errors (exit 2) with close matches.
 */
export function findService(id: string, resolved: readonly ResolvedService[], catalogue: Catalogue, profile: string | null): ResolvedService {
  const exact = resolved.find((s) => s.id === id);
  if (exact) return exact;
  const byDocker = resolved.filter((s) => s.docker === id);
  if (byDocker.length === 1 && byDocker[0]) return byDocker[0];
  const shown = JSON.stringify(cleanText(id));
  if (profile !== null && catalogue.services.some((s) => s.id === id)) {
    throw new UsageError(`service ${shown} is not in profile ${JSON.stringify(profile)}`);
  }
  const close = closeMatches(cleanText(id), resolved.map((s) => s.id));
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  // Cleaned, "back\x1b[0mend" would read as the real id "backend": say why it did not match.
  const tampered = hasControlChars(id) ? '; the name given holds control characters (removed above)' : '';
  throw new UsageError(`unknown service ${shown} in ${cleanText(catalogue.file)}${hint} (vhtop list shows every service)${tampered}`);
}
