import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';
import { HOT_COMMANDS } from '../cli/invocations.js';

export default class Heads extends ReviseCommand {
  static override summary = 'Show current available heads in the script directory.';
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'Verbose output.' }),
    'resolve-dependencies': Flags.boolean({ description: 'Treat dependency versions as down revisions.' }),
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Heads);
    await HOT_COMMANDS.heads(flags, []);
  }
}
