import type { Snapshot } from '../core/types.js';

/** Counts shown in the header. */
export interface Counts {
  readonly up: number;
  readonly down: number;
  readonly conflict: number;
  /** Entries of another profile whose same-port alternative holds the port: not a problem. */
  readonly inactive: number;
  /** Entries whose port is held by an owner that cannot be seen or confirmed. */
  readonly unverified: number;
  readonly unexpected: number;
  readonly exposed: number;
}

/** Counts of a snapshot (zeros before the first one). */
export function countSnapshot(snapshot: Snapshot | null): Counts {
  const c = { up: 0, down: 0, conflict: 0, inactive: 0, unverified: 0, unexpected: 0, exposed: 0 };
  if (!snapshot) return c;
  for (const s of snapshot.services) {
    // inactive (another profile's entry holds the port) and unverified are counted elsewhere.
    const status: string = s.status;
    if (status === 'up' || status === 'down' || status === 'conflict') c[status]++;
  }
  for (const l of snapshot.listeners) {
    if (l.status === 'unexpected') c.unexpected++;
    if (l.exposed) c.exposed++;
  }
  return c;
}
