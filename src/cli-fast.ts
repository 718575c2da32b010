/**
 * Entry of the CommonJS build of the CLI (dist/bundle/cli.cjs, see cli/full-cli.ts): runs an
 * invocation with the commands this build holds and hands any other to the full ES module bundle.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliContext } from './cli/context.js';
import { run } from './cli.js';
import { processContext } from './cli/process-output.js';
import { NeedsFullCli } from './cli/full-cli.js';
import { runsOnce, tuneForOneShot } from './cli/one-shot-v8.js';

/** Set by the bundler: the directory of this file, where the full bundle's cli.js sits too. */
declare const __dirname: string;

/**
 * Loads an ES module. bin/vhtop.js passes its own `import()`: this file may be compiled from a V8
 * code cache (bin/load-cli.cjs), and Node 20 cannot import() from code compiled that way.
 */
export type ImportModule = (url: string) => Promise<unknown>;

/** Runs one invocation here, or in the full bundle when it needs a module this build leaves out. */
export async function runAnywhere(argv: readonly string[], ctx: CliContext, importModule: ImportModule): Promise<number> {
  try {
    return await run(argv, ctx);
  } catch (e) {
    if (!(e instanceof NeedsFullCli)) throw e;
    const full = (await importModule(pathToFileURL(path.join(__dirname, 'cli.js')).href)) as typeof import('./cli.js');
    return await full.run(argv, ctx);
  }
}

/** Entry point used by bin/vhtop.js. */
export async function main(argv: readonly string[], importModule: ImportModule): Promise<void> {
  if (runsOnce(argv)) tuneForOneShot();
  process.exitCode = await runAnywhere(argv, processContext(), importModule);
}
