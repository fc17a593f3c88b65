import { RevisionCommandBase } from '../cli/revision-base.js';

export default class Revision extends RevisionCommandBase {
  static override summary = 'Create a new revision file.';
  static override examples = [
    '<%= config.bin %> revision -m "add posts"',
    '<%= config.bin %> revision --autogenerate -m "add posts"',
    '<%= config.bin %> revision -m "feature" --head base --branch-label feature',
  ];

  async run(): Promise<void> {
    const { flags } = await this.parse(Revision);
    await this.runRevision(flags, false);
  }
}
