import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Test extends ReviseCommand {
  static override summary = "Test the revision history on a scratch database (pytest-alembic's checks); exit 1 on any failure.";
  static override description = `Creates a scratch database (SQLite: a temp file; PostgreSQL, MySQL: a temporary database on the configured server or --url), runs the checks, then drops it:
single head (or the --heads given), upgrade from empty to head, the models match the database at head, the stairway (every revision up, down, up: the downgrade leaves no trace), downgrade to base, and with --seed that rows survive every step. Irreversible revisions are reported, not failed.`;
  static override examples = ['<%= config.bin %> test', '<%= config.bin %> test --seed', '<%= config.bin %> test --seed prisma/seed.sql --junit revise-test.xml'];
  static override flags = {
    heads: Flags.string({ description: 'A head the history must have (repeatable); default: exactly one head.', multiple: true }),
    seed: Flags.string({
      description: 'Run with rows: a .sql or .ts seed file (run at head, then every revision down and up again), or "generated" for rows made up from the table shapes at every stairway step.',
    }),
    json: Flags.boolean({ description: 'Print the results as JSON.' }),
    junit: Flags.string({ description: 'Also write a JUnit XML report to this file.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Test);
    const { test } = await import('../actions/test.js');
    await test({
      ...this.projectOptions(flags),
      ...(flags.heads ? { heads: flags.heads } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed === 'generated' ? true : flags.seed } : {}),
      json: flags.json,
      ...(flags.junit !== undefined ? { junit: flags.junit } : {}),
    });
  }
}
