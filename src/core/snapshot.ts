import type { Catalogue, EnvSources, ProbeData, Snapshot } from './types.js';

/** Options of {@link buildSnapshot}. */
export interface SnapshotOptions {
  /** Active profile; null = every profile. */
  readonly profile: string | null;
  /** Include every socket (list --all), not only listeners. */
  readonly all: boolean;
}

// PLACEHOLDER: replaced by the real classifier.
export function buildSnapshot(_data: ProbeData, _catalogue: Catalogue, _env: EnvSources, _options: SnapshotOptions): Snapshot {
  throw new Error('buildSnapshot is not built yet');
}
