import type { CommandModule } from '../core/context.js';

// PLACEHOLDER: replaced by the real command.
export const command: CommandModule = {
  name: 'list',
  summary: '(not built yet)',
  usage: 'vhtop list',
  flags: {},
  async run() {
    throw new Error('vhtop list is not built yet');
  },
};
