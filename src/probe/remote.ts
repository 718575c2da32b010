import { runRemoteScript, describeSshFailure, type SshSettings } from '../actions/ssh.js';
import type { Probe, ProbeData } from '../core/types.js';
import { probeDataFromRemote } from './remote-data.js';
import { collectionScript, newNonce } from './remote-script.js';

/**
 * Most bytes one collection may send back. The listener view of a busy server is well under a MiB;
 * `--all` at 15k sockets is about 4 MiB. Past this the host is reported, not parsed.
 */
export const MAX_REMOTE_BYTES = 64 * 1024 * 1024;

/** Longest one collection may take once connected (the connect itself is bounded by ConnectTimeout). */
export const REMOTE_COLLECT_TIMEOUT_MS = 60_000;

/** A remote host that could not be read, in words ("connection refused", "authentication failed"). */
export class RemoteHostError extends Error {}

/** Statistics of the last collection, for the bench. */
export interface RemoteStats {
  readonly scriptBytes: number;
  readonly outputBytes: number;
}

/**
 * A remote host as a probe: the collection script runs there over the system ssh, and its output is
 * read by the same parsers as this machine's /proc. Nothing is installed on the host; it needs a
 * POSIX sh, awk, ls and /proc.
 */
export class RemoteProbe implements Probe {
  readonly kind = 'linux' as const;
  last: RemoteStats | null = null;

  constructor(
    readonly target: string,
    private readonly ssh: SshSettings,
    private readonly options: { readonly all?: boolean; readonly timeoutMs?: number } = {},
  ) {}

  async collect(signal?: AbortSignal): Promise<ProbeData> {
    const takenAt = new Date().toISOString();
    const nonce = newNonce();
    const script = collectionScript(nonce, this.options.all ?? false);
    const r = await runRemoteScript(this.target, this.ssh, script, {
      maxBytes: MAX_REMOTE_BYTES,
      timeoutMs: this.options.timeoutMs ?? REMOTE_COLLECT_TIMEOUT_MS,
      signal,
    });
    this.last = { scriptBytes: Buffer.byteLength(script), outputBytes: r.stdout.length };
    if (r.notFound) throw new RemoteHostError('no ssh client on PATH (install openssh-client)');
    if (r.tooLarge) throw new RemoteHostError(`the remote host sent more than ${MAX_REMOTE_BYTES / 1024 / 1024} MiB: not read`);
    if (r.cancelled) throw new RemoteHostError('no answer in time: collection cancelled');
    if (r.exitCode !== 0) throw new RemoteHostError(describeSshFailure(r.exitCode, r.stderr, this.ssh));
    try {
      return probeDataFromRemote(r.stdout, nonce, takenAt, this.target);
    } catch (e) {
      throw new RemoteHostError(e instanceof Error ? e.message : String(e));
    }
  }
}
