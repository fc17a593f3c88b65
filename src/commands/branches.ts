import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Branches extends ReviseCommand {
  static override summary = 'Show current branch points.';
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'Verbose output.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Branches);
    const { branches } = await import('../actions/inspect.js');
    await branches({ ...this.projectOptions(flags), verbose: flags.verbose });
  }
}
