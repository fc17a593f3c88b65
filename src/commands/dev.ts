import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Dev extends ReviseCommand {
  static override summary = 'After editing schema.prisma: autogenerate a revision, upgrade to it, run prisma generate.';
  static override description = `Brings the database to head, autogenerates a revision from schema.prisma (showing its warnings), upgrades to it, and runs \`prisma generate\` when the schema has a Prisma Client generator and the project has the prisma CLI.
With --amend, the last revision (applied to this database only, not committed to git) is downgraded, regenerated from the current schema under the same id, and upgraded again.`;
  static override examples = ['<%= config.bin %> dev -m "add posts"', '<%= config.bin %> dev --amend', '<%= config.bin %> dev -m "add posts" --no-generate'];
  static override flags = {
    message: Flags.string({ char: 'm', description: 'Message of the new revision (with --amend: default, the amended one\'s).' }),
    amend: Flags.boolean({ description: 'Replace the last revision by one regenerated from the current schema (downgrade, regenerate, upgrade).' }),
    generate: Flags.boolean({ description: 'Run prisma generate afterwards (when the project has a client generator and the prisma CLI).', default: true, allowNo: true }),
    rename: Flags.string({
      description: 'Treat a drop + add as a rename: Table=NewTable, or Table.column=Table.newColumn (repeatable).',
      multiple: true,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dev);
    const { dev } = await import('../actions/dev.js');
    await dev({
      ...this.projectOptions(flags),
      ...(flags.message !== undefined ? { message: flags.message } : {}),
      amend: flags.amend,
      generate: flags.generate,
      ...(flags.rename ? { renames: flags.rename } : {}),
    });
  }
}
