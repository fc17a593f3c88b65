import { Args } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Edit extends ReviseCommand {
  static override summary = 'Open a revision file in $EDITOR.';
  static override args = {
    revision: Args.string({ description: 'Revision: <rev>, a unique prefix, head, current.', required: true }),
  };

  async run(): Promise<void> {
    this.argv = this.argvWithNumericTargets();
    const { args, flags } = await this.parse(Edit);
    const { edit } = await import('../actions/edit.js');
    await edit({ ...this.projectOptions(flags), revision: args.revision });
  }
}
