import type { SshSettings } from '../actions/ssh.js';
import { LOCAL_TARGET, type HostOutcome } from '../core/hosts.js';
import { buildSnapshot } from '../core/snapshot.js';
import type { Probe, Snapshot } from '../core/types.js';
import type { World } from './world.js';
import { RemoteProbe } from '../probe/remote.js';

/** One watched host and where its data comes from. */
export interface HostProbe {
  readonly target: string;
  /** null for `local`: this machine, read by the world's own probe. */
  readonly remote: RemoteProbe | null;
  readonly probe: Probe;
}

/** A probe per target: `local` is the world's probe, anything else a {@link RemoteProbe}. */
export function hostProbes(targets: readonly string[], world: World, ssh: SshSettings, options: { readonly all?: boolean } = {}): HostProbe[] {
  return targets.map((target) => {
    if (target === LOCAL_TARGET) return { target, remote: null, probe: world.probe };
    const remote = new RemoteProbe(target, ssh, { all: options.all ?? false });
    return { target, remote, probe: remote };
  });
}

/** Error text of a failed host, one line. */
export function hostError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

/** One host's snapshot, or its error in words; never throws. */
export async function collectHost(h: HostProbe, world: World, options: { readonly all?: boolean } = {}): Promise<HostOutcome<Snapshot>> {
  try {
    const data = await h.probe.collect();
    const value = buildSnapshot(data, world.catalogue, world.env, { profile: world.profile, all: options.all ?? false });
    return { target: h.target, ok: true, error: null, value };
  } catch (e) {
    return { target: h.target, ok: false, error: hostError(e), value: null };
  }
}

/** Every host at once: a slow or dead host costs its own timeout, not the others'. */
export function collectHosts(hosts: readonly HostProbe[], world: World, options: { readonly all?: boolean } = {}): Promise<HostOutcome<Snapshot>[]> {
  return Promise.all(hosts.map((h) => collectHost(h, world, options)));
}
