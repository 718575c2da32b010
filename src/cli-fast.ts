/**
 * Entry of the CommonJS build of the CLI (dist/bundle/cli.cjs, see cli/full-cli.ts): runs an
 * invocation with the commands this build holds and hands any other to the full ES module bundle.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { guardOutput, processContext, run } from './cli.js';
import { NeedsFullCli } from './cli/full-cli.js';

/** Set by the bundler: the directory of this file, where the full bundle's cli.js sits too. */
declare const __dirname: string;

/** Entry point used by bin/vhtop.js. */
export async function main(argv: readonly string[]): Promise<void> {
  guardOutput();
  let code: number;
  try {
    code = await run(argv, processContext());
  } catch (e) {
    if (!(e instanceof NeedsFullCli)) throw e;
    const full = (await import(pathToFileURL(path.join(__dirname, 'cli.js')).href)) as typeof import('./cli.js');
    code = await full.run(argv, processContext());
  }
  process.exitCode = code;
}
