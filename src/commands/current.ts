import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';
import { HOT_COMMANDS } from '../cli/invocations.js';

export default class Current extends ReviseCommand {
  static override summary = 'Display the current revision(s) of the database.';
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'Verbose output.' }),
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Current);
    await HOT_COMMANDS.current(flags, []);
  }
}
