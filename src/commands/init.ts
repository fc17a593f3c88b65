import { Args, Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Init extends ReviseCommand {
  static override summary = 'Create a new migrations folder (Alembic: init).';
  static override args = {
    directory: Args.string({ description: 'Folder for the migration scripts.', default: 'migrations' }),
  };
  static override flags = {
    template: Flags.string({ char: 't', description: 'Template to use.', options: ['generic', 'multidb'], default: 'generic' }),
    database: Flags.string({ description: 'multidb: a database name (repeatable; default engine1, engine2).', multiple: true }),
  };
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init db/migrations', '<%= config.bin %> init --template multidb --database catalog --database monitoring'];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    const { init } = await import('../actions/init.js');
    await init({ ...this.projectOptions(flags), directory: args.directory, template: flags.template as 'generic' | 'multidb', databases: flags.database });
  }
}
