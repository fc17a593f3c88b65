import { ReviseCommand } from '../cli/base.js';

export default class ListTemplates extends ReviseCommand {
  static override summary = 'List the templates `init` can use.';

  async run(): Promise<void> {
    const { flags } = await this.parse(ListTemplates);
    const { listTemplates } = await import('../actions/init.js');
    await listTemplates(this.projectOptions(flags));
  }
}
