import type { CommandModule } from '../core/context.js';

// PLACEHOLDER: replaced by the real command.
export const command: CommandModule = {
  name: 'check',
  summary: '(not built yet)',
  usage: 'vhtop check',
  flags: {},
  async run() {
    throw new Error('vhtop check is not built yet');
  },
};
