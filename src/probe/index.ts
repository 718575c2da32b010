import type { Probe } from '../core/types.js';

/** `--probe` value. */
export type ProbeChoice = 'auto' | 'linux' | 'portable';

// PLACEHOLDER: replaced by the real probe factory.
export function createProbe(_choice: ProbeChoice): Probe {
  throw new Error('probes are not built yet');
}
