import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Current extends ReviseCommand {
  static override summary = 'Display the current revision(s) of the database.';
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'Verbose output.' }),
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Current);
    const { current } = await import('../actions/inspect.js');
    await current({ ...this.projectOptions(flags), verbose: flags.verbose, json: flags.json });
  }
}
