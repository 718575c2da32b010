import type { CommandModule } from '../core/context.js';

// PLACEHOLDER: replaced by the real command.
export const command: CommandModule = {
  name: 'conflicts',
  summary: '(not built yet)',
  usage: 'vhtop conflicts',
  flags: {},
  async run() {
    throw new Error('vhtop conflicts is not built yet');
  },
};
