import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class EnsureVersion extends ReviseCommand {
  static override summary = 'Create the alembic_version table if it does not exist.';
  static override flags = {
    sql: Flags.boolean({ description: 'Print the CREATE TABLE instead of running it.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EnsureVersion);
    const { ensureVersion } = await import('../actions/migrate.js');
    await ensureVersion({ ...this.projectOptions(flags), sql: flags.sql });
  }
}
