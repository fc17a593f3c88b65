import { Args, Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';
import { HOT_COMMANDS } from '../cli/invocations.js';

export default class Upgrade extends ReviseCommand {
  static override summary = 'Upgrade to a later revision (default: head).';
  static override args = {
    target: Args.string({ description: 'Revision to upgrade to: head, heads, <rev>, +2, label@head; with --sql also <from>:<to>.', default: 'head' }),
  };
  static override flags = {
    sql: Flags.boolean({ description: 'Print the SQL script to stdout instead of running it (offline mode).' }),
    tag: Flags.string({
      description:
        'Arbitrary string handed to every revision as `op.tag` (Alembic: context.get_tag_argument()), e.g. to skip a data back-fill: `if (op.tag !== \'schema-only\') ...`.',
    }),
  };
  static override examples = ['<%= config.bin %> upgrade head', '<%= config.bin %> upgrade +1', '<%= config.bin %> upgrade head --sql > upgrade.sql', '<%= config.bin %> upgrade head --tag schema-only'];

  async run(): Promise<void> {
    this.argv = this.argvWithNumericTargets();
    const { args, flags } = await this.parse(Upgrade);
    await HOT_COMMANDS.upgrade(flags, [args.target]);
  }
}
