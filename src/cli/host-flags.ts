import path from 'node:path';
import type { SshSettings } from '../actions/ssh.js';
import { UsageError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import type { ParsedArgs } from './args.js';
import type { CliContext } from './context.js';

/**
 * The hosts asked for: every `--host` (repeatable; the parser joins them with commas), else
 * `$VHTOP_HOSTS` (comma-separated), else null (this machine only, the single-host outputs).
 * Duplicates are dropped; a target starting with `-` is refused (ssh would read it as an option).
 */
export function requestedHosts(args: ParsedArgs, env: Readonly<Record<string, string | undefined>>): string[] | null {
  const raw = typeof args.flags.host === 'string' ? args.flags.host : env.VHTOP_HOSTS;
  if (raw === undefined || raw.trim() === '') return null;
  const hosts: string[] = [];
  for (const part of raw.split(',')) {
    const t = part.trim();
    if (t === '') continue;
    if (t.startsWith('-') || /[\s\0]/.test(t) || t.length > 255) {
      throw new UsageError(`bad host ${JSON.stringify(cleanText(t))}: an ssh destination or Host alias (not starting with "-"), or "local"`);
    }
    if (!hosts.includes(t)) hosts.push(t);
  }
  return hosts.length > 0 ? hosts : null;
}

/** `--ssh-config` (resolved against the working directory) and `--sudo`. */
export function sshSettings(args: ParsedArgs, ctx: CliContext): SshSettings {
  const file = args.flags['ssh-config'];
  return { configFile: typeof file === 'string' ? path.resolve(ctx.cwd, file) : null, sudo: args.flags.sudo === true };
}
