import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';
import { HOT_COMMANDS } from '../cli/invocations.js';

export default class History extends ReviseCommand {
  static override summary = 'List revisions in chronological order (newest first).';
  static override flags = {
    'rev-range': Flags.string({ char: 'r', description: 'Range of revisions, [start]:[end], e.g. base:head, -3:current, ae10:.' }),
    verbose: Flags.boolean({ char: 'v', description: 'Verbose output.' }),
    'indicate-current': Flags.boolean({ char: 'i', description: 'Mark the current revision(s) (reads the database).' }),
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    this.argv = this.argvWithNumericTargets();
    const { flags } = await this.parse(History);
    await HOT_COMMANDS.history(flags, []);
  }
}
