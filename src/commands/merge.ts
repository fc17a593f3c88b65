import { Args, Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Merge extends ReviseCommand {
  static override summary = 'Merge two or more revisions (usually heads) into one.';
  static override strict = false;
  static override args = {
    revisions: Args.string({ description: 'Revisions to merge, e.g. heads, or two revision ids.', required: true }),
  };
  static override flags = {
    message: Flags.string({ char: 'm', description: 'Message string.' }),
    'rev-id': Flags.string({ description: 'Revision id to use instead of a generated one.' }),
    'branch-label': Flags.string({ description: 'Branch label to apply to the new revision.' }),
  };
  static override examples = ['<%= config.bin %> merge heads -m "merge feature branches"'];

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Merge);
    const { merge } = await import('../actions/revision.js');
    await merge({
      ...this.projectOptions(flags),
      revisions: argv as string[],
      message: flags.message,
      revId: flags['rev-id'],
      branchLabel: flags['branch-label'],
    });
  }
}
