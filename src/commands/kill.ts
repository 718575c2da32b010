import type { CommandModule } from '../core/context.js';

// PLACEHOLDER: replaced by the real command.
export const command: CommandModule = {
  name: 'kill',
  summary: '(not built yet)',
  usage: 'vhtop kill',
  flags: {},
  async run() {
    throw new Error('vhtop kill is not built yet');
  },
};
