/**
 * HTTP basic auth against the bcrypt hashes of the web config. bcrypt is slow on purpose (tens of ms
 * per check in pure JavaScript), and Prometheus sends the same credentials every few seconds, so a
 * verified pair is remembered by a SHA-256 digest (never in clear); a wrong password is checked in
 * full every time.
 */
import { createHash } from 'node:crypto';
import { compare } from 'bcryptjs';

/** Most verified credential pairs remembered (a scraper or two in practice). */
const MAX_REMEMBERED = 256;

/** A valid hash of no password anyone knows: unknown users cost one bcrypt check too, so timing does not tell which users exist. */
const DUMMY_HASH = '$2b$10$lxBSV5doJQ2FNvhS3cUu1.Gor5w6Ny3rsD2lMf.WmzSoj8c7NI9k2';

/** The user and password of an `Authorization: Basic` header, or null. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks requests against `users` (user -> bcrypt hash). With no users every request passes. */
export class BasicAuth {
  private readonly verified = new Set<string>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  /** True when authentication is configured at all. */
  get enabled(): boolean {
    return this.users.size > 0;
  }

  /** Whether the request's Authorization header names a user and the right password. */
  async allows(header: string | undefined): Promise<boolean> {
    if (!this.enabled) return true;
    const creds = basicCredentials(header);
    if (creds === null) return false;
    const hash = this.users.get(creds.user);
    const digest = createHash('sha256').update(`${creds.user}\0${creds.password}\0${hash ?? ''}`).digest('hex');
    if (hash !== undefined && this.verified.has(digest)) return true;
    // Concurrent requests with the same credentials share one bcrypt check.
    let check = this.pending.get(digest);
    if (!check) {
      check = compare(creds.password, hash ?? DUMMY_HASH).then((ok) => ok && hash !== undefined);
      this.pending.set(digest, check);
    }
    try {
      const ok = await check;
      if (ok) {
        if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
        this.verified.add(digest);
      }
      return ok;
    } finally {
      this.pending.delete(digest);
    }
  }
}
