import { Args, Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';
import { HOT_COMMANDS } from '../cli/invocations.js';

export default class Downgrade extends ReviseCommand {
  static override summary = 'Revert to a previous revision.';
  static override args = {
    target: Args.string({ description: 'Revision to downgrade to: base, <rev>, -1, label@-1; with --sql <from>:<to>.', required: true }),
  };
  static override flags = {
    sql: Flags.boolean({ description: 'Print the SQL script to stdout instead of running it (needs <from>:<to>).' }),
    tag: Flags.string({
      description:
        'Arbitrary string handed to every revision as `op.tag` (Alembic: context.get_tag_argument()), e.g. to skip a data back-fill: `if (op.tag !== \'schema-only\') ...`.',
    }),
  };
  static override examples = ['<%= config.bin %> downgrade -1', '<%= config.bin %> downgrade base', '<%= config.bin %> downgrade head:base --sql'];

  async run(): Promise<void> {
    this.argv = this.argvWithNumericTargets();
    const { args, flags } = await this.parse(Downgrade);
    await HOT_COMMANDS.downgrade(flags, [args.target]);
  }
}
