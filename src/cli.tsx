import { createRequire } from 'node:module';
import { parseArgs, splitCommand, type ParsedArgs } from './cli/args.js';
import type { CliContext, CommandModule } from './cli/context.js';
import { isExpectedError, UsageError } from './core/errors.js';
import { cleanText } from './core/sanitize.js';
import { withoutFetch } from './cli/without-fetch.js';
import { NeedsFullCli } from './cli/full-cli.js';
/**
 * Every non-interactive command, in help order. Modules load on demand: a one-shot `vhtop list`
 * should not pay for parsing the kill, logs or TUI code (Node start-up is most of its cost).
 */
export const COMMANDS: ReadonlyArray<{ readonly name: string; load(): Promise<CommandModule> }> = [
  { name: 'list', load: async () => (await import('./commands/list.js')).command },
  { name: 'check', load: async () => (await import('./commands/check.js')).command },
  { name: 'conflicts', load: async () => (await import('./commands/conflicts.js')).command },
  { name: 'kill', load: async () => (await import('./commands/kill.js')).command },
  { name: 'logs', load: async () => (await import('./commands/logs.js')).command },
  { name: 'free-port', load: async () => (await import('./commands/free-port.js')).command },
  { name: 'why', load: async () => (await import('./commands/why.js')).command },
  { name: 'status', load: async () => (await import('./commands/status.js')).command },
  { name: 'import', load: async () => (await import('./commands/import.js')).command },
  { name: 'serve', load: async () => (await import('./commands/serve.js')).command },
];

/** Flags of the TUI itself (`vhtop` without a command). */
const TUI_FLAGS = { problems: 'boolean' } as const;

const GLOBAL_HELP = `Global options:
  --registry FILE      service catalogue (default: $VHTOP_REGISTRY, ./registry.yaml, a compose file here
                       imported on the fly, the bundled one)
  --env FILE           .env file with port overrides (default: ./.env when present)
  --profile NAME       only catalogue entries of this profile (prod, dev, test)
  --interval SECONDS   TUI refresh period (default 2)
  --no-color           no colour (NO_COLOR is honoured too)
  --read-only          no kill, for production servers
  --probe KIND         auto | linux (/proc) | portable (systeminformation + ps-list)
  --host TARGET        watch TARGET over ssh (repeatable; "local" = this machine; default $VHTOP_HOSTS)
  --ssh-config FILE    ssh config for --host (ssh -F FILE)
  --sudo               run the remote collection under sudo -n
  --help, --version
Global options may stand before or after the command; -- ends the options.`;

/** Set by the bundler (scripts/bundle.mjs) from package.json; absent when running tsc output or the sources. */
declare const __VHTOP_VERSION__: string | undefined;

function version(): string {
  if (typeof __VHTOP_VERSION__ === 'string') return __VHTOP_VERSION__;
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

async function mainHelp(): Promise<string> {
  const modules = await Promise.all(COMMANDS.map((c) => c.load()));
  const rows = modules.map((c) => `  vhtop ${c.name.padEnd(10)} ${c.summary}`);
  return [
    'vhtop: watch the ports of this machine against a service catalogue.',
    '',
    'Usage:',
    '  vhtop                 interactive TUI (q quits, ? shows keys)',
    '  vhtop --problems      the TUI showing only what needs attention (! toggles; the default below 80x20)',
    ...rows,
    '',
    GLOBAL_HELP,
    '',
    'Exit codes: 0 fine, 1 the checked condition failed, 2 usage or configuration error.',
  ].join('\n');
}

/** Runs one invocation and returns its exit code. Never throws for expected errors. */
export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    const split = splitCommand(argv);
    const entry = split && COMMANDS.find((c) => c.name === split.command);
    if (!entry) {
      if (split !== null) {
        throw new UsageError(`unknown command ${JSON.stringify(cleanText(split.command))} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
      }
      const args = parseArgs(argv, TUI_FLAGS);
      if (args.flags.help) return print(ctx, await mainHelp());
      if (args.flags.version) return print(ctx, version());
      const { runTui } = await importTui(ctx);
      // Without a terminal the TUI is the `list` table once; cli wires it in (ui never imports commands).
      return await runTui(args, ctx, async () => (await import('./commands/list.js')).command.run(args, ctx));
    }
    const cmd = await entry.load();
    const args: ParsedArgs = parseArgs(split.rest, cmd.flags);
    if (args.flags.help) return print(ctx, `${cmd.usage}\n\n${GLOBAL_HELP}`);
    if (args.flags.version) return print(ctx, version());
    return await cmd.run(args, ctx);
  } catch (e) {
    // The CommonJS build hands this invocation to the full one (cli-fast.ts); nothing was written yet.
    if (e instanceof NeedsFullCli) throw e;
    if (isExpectedError(e)) {
      ctx.stderr.write(`vhtop: ${cleanText(e.message)}\n`);
      return 2;
    }
    // A bug: still one line for the user; the stack only on request.
    const msg = e instanceof Error ? e.message : String(e);
    ctx.stderr.write(`vhtop: internal error: ${cleanText(msg)}\n`);
    if (ctx.env.VHTOP_DEBUG) ctx.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    return 70;
  }
}

/**
 * Loads the TUI. Ink decides once, when it is first imported, whether it runs "in CI" (CI or
 * CONTINUOUS_INTEGRATION set) and then draws only the last frame — a blank screen for a person who
 * runs `vhtop` on a terminal from a CI job shell. A terminal on stdout is the user's explicit
 * request for the live screen, so hide those variables while Ink loads, then put them back
 * (children such as `docker compose logs` still see them).
 */
async function importTui(ctx: CliContext): Promise<typeof import('./ui/run.js')> {
  if (ctx.stdout.isTTY !== true) return withoutFetch(() => import('./ui/run.js'));
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await withoutFetch(() => import('./ui/run.js'));
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}

function print(ctx: CliContext, text: string): number {
  ctx.stdout.write(`${text}\n`);
  return 0;
}
