import { Flags } from '@oclif/core';
import { ReviseCommand } from '../cli/base.js';

export default class Check extends ReviseCommand {
  static override summary = 'Check whether autogenerate would produce new upgrade operations (exit 1 if so).';
  static override flags = {
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Check);
    const { check } = await import('../actions/revision.js');
    await check({ ...this.projectOptions(flags), json: flags.json });
  }
}
