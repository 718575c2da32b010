import type { CommandModule } from '../core/context.js';

// PLACEHOLDER: replaced by the real command.
export const command: CommandModule = {
  name: 'free-port',
  summary: '(not built yet)',
  usage: 'vhtop free-port',
  flags: {},
  async run() {
    throw new Error('vhtop free-port is not built yet');
  },
};
