import { existsSync } from 'node:fs';
import type { Probe, ProbeData } from '../core/types.js';
import { LinuxProbe, type LinuxProbeOptions } from './linux.js';

/** `--probe` value. */
export type ProbeChoice = 'auto' | 'linux' | 'portable';

/**
 * The probe for `--probe`: `linux` reads /proc, `portable` uses systeminformation + ps-list, `auto`
 * takes linux where `${procRoot}/net/tcp` exists. Keep the returned instance for repeated collects:
 * it caches owners and process details between them.
 */
export function createProbe(choice: ProbeChoice, options: Pick<LinuxProbeOptions, 'procRoot' | 'allSocketsEvery' | 'verifyEvery' | 'fullReadShare' | 'collectsOnce'> = {}): Probe {
  const procRoot = options.procRoot ?? '/proc';
  if (choice === 'linux' || (choice === 'auto' && existsSync(`${procRoot}/net/tcp`))) {
    return new LinuxProbe({ ...options, procRoot });
  }
  return lazyPortableProbe();
}

/** The portable probe, loaded on first use so the linux path never pays for systeminformation. */
function lazyPortableProbe(): Probe {
  let loaded: Promise<Probe> | null = null;
  return {
    kind: 'portable',
    async collect(): Promise<ProbeData> {
      loaded ??= import('./portable.js').then((m) => new m.PortableProbe());
      return (await loaded).collect();
    },
  };
}
