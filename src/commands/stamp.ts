import { Args, Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';
import { HOT_COMMANDS } from '../cli/invocations.js';

export default class Stamp extends ReviseCommand {
  static override summary = "'stamp' the revision table with the given revision(s); don't run any migrations.";
  static override strict = false;
  static override args = {
    revisions: Args.string({ description: 'Revision(s) to stamp: head, base, <rev>...', required: true }),
  };
  static override flags = {
    sql: Flags.boolean({ description: 'Print the SQL instead of running it.' }),
    purge: Flags.boolean({ description: 'Delete every row of the version table before stamping.' }),
    tag: Flags.string({
      description:
        'Arbitrary string handed to every revision as `op.tag` (Alembic: context.get_tag_argument()), e.g. to skip a data back-fill: `if (op.tag !== \'schema-only\') ...`.',
    }),
  };
  static override examples = ['<%= config.bin %> stamp head', '<%= config.bin %> stamp base --purge'];

  async run(): Promise<void> {
    this.argv = this.argvWithNumericTargets();
    const { argv, flags } = await this.parse(Stamp);
    await HOT_COMMANDS.stamp(flags, argv as string[]);
  }
}
