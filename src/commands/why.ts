import type { CommandModule } from '../core/context.js';

// PLACEHOLDER: replaced by the real command.
export const command: CommandModule = {
  name: 'why',
  summary: '(not built yet)',
  usage: 'vhtop why',
  flags: {},
  async run() {
    throw new Error('vhtop why is not built yet');
  },
};
