import { RevisionCommandBase } from '../cli/revision-base.js';

export default class Autogenerate extends RevisionCommandBase {
  static override summary = 'Create a revision from the differences between schema.prisma and the database (= revision --autogenerate).';
  static override examples = ['<%= config.bin %> autogenerate -m "add posts"', '<%= config.bin %> autogenerate -m "rename" --rename User.name=User.fullName'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Autogenerate);
    await this.runRevision(flags, true);
  }
}
