import { Args, Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Show extends ReviseCommand {
  static override summary = 'Show the revision(s) denoted by the given symbol.';
  static override args = {
    revision: Args.string({ description: 'Revision: <rev>, a unique prefix, head, heads, label@head, current.', required: true }),
  };
  static override flags = {
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    this.argv = this.argvWithNumericTargets();
    const { args, flags } = await this.parse(Show);
    const { show } = await import('../actions/inspect.js');
    await show({ ...this.projectOptions(flags), revision: args.revision, json: flags.json });
  }
}
