import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from '../cli/context.js';
import { COMPOSE_FILE_NAMES } from '../core/compose-files.js';
import { loadComposeImport } from '../core/compose-load.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';

/** The compose file docker compose would pick in `cwd`, or null. */
export function composeFileIn(cwd: string): string | null {
  for (const name of COMPOSE_FILE_NAMES) {
    try {
      if (statSync(path.join(cwd, name)).isFile()) return name;
    } catch {
      // not there: try the next name
    }
  }
  return null;
}

/**
 * `vhtop import [FILE...] [--write FILE] [--force]`: compose files -> a catalogue, one entry per
 * published host port, validated by the same loader `--registry` uses before it is printed or written.
 */
export const command: CommandModule = {
  name: 'import',
  summary: 'turn docker compose files into a catalogue (YAML on stdout or --write FILE)',
  usage: `Usage: vhtop import [FILE...] [--write FILE] [--force]

  FILE...        compose files, merged as \`docker compose -f A -f B\` merges them
                 (default: compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml here)
  --write FILE   write the catalogue to FILE instead of stdout (an existing FILE needs --force)
  --force        overwrite the --write file

One entry per published host port: id from the service name (with the port when it publishes
several), the published default port, env from \${VAR} or \${VAR:-default} (the value from the .env
beside the first file), udp from /udp, bind: local for a 127.0.0.1 or ::1 host address, docker = the
service, its profiles, an http health probe from a healthcheck that curls or wgets a URL, tcp otherwise.
Ports without a fixed host port are skipped with a note on stderr.`,
  flags: { write: 'string', force: 'boolean' },
  async run(args, ctx) {
    let files = [...args.positionals];
    if (files.length === 0) {
      const found = composeFileIn(ctx.cwd);
      if (found === null) throw new UsageError(`no compose file here (looked for ${COMPOSE_FILE_NAMES.join(', ')}); name one: vhtop import FILE`);
      files = [found];
    }
    if (args.flags.force && typeof args.flags.write !== 'string') throw new UsageError('option --force only applies with --write FILE');
    const target = typeof args.flags.write === 'string' ? path.resolve(ctx.cwd, args.flags.write) : null;
    if (target !== null && existsSync(target) && !args.flags.force) {
      throw new UsageError(`${cleanText(args.flags.write as string)} exists: add --force to overwrite it`);
    }
    const result = await loadComposeImport(files, ctx.cwd, target ?? 'import');
    for (const note of result.notes) ctx.stderr.write(`vhtop: note: ${cleanText(note)}\n`);
    if (target === null) {
      ctx.stdout.write(result.text);
      return 0;
    }
    try {
      // 'wx' refuses a file that appeared since the check above; --force replaces it.
      await writeFile(target, result.text, { encoding: 'utf8', flag: args.flags.force ? 'w' : 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'EEXIST') throw new UsageError(`${cleanText(args.flags.write as string)} exists: add --force to overwrite it`);
      throw new ConfigError(target, null, '--write', `cannot write the catalogue (${code})`);
    }
    ctx.stderr.write(`vhtop: wrote ${result.catalogue.services.length} entries to ${cleanText(target)}\n`);
    return 0;
  },
};
