import type { CommandModule } from '../core/context.js';

// PLACEHOLDER: replaced by the real command.
export const command: CommandModule = {
  name: 'logs',
  summary: '(not built yet)',
  usage: 'vhtop logs',
  flags: {},
  async run() {
    throw new Error('vhtop logs is not built yet');
  },
};
