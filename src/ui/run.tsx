import type { ParsedArgs } from '../core/args.js';
import type { CliContext } from '../core/context.js';

// PLACEHOLDER: replaced by the real TUI.
export async function runTui(_args: ParsedArgs, _ctx: CliContext): Promise<number> {
  throw new Error('the TUI is not built yet');
}
