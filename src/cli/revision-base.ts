import { Flags, type Interfaces } from '@oclif/core';
import { ReviseCommand } from './base.js';

/** `revision` and `autogenerate` share every flag; `autogenerate` is `revision --autogenerate`. */
export abstract class RevisionCommandBase extends ReviseCommand {
  static override flags = {
    message: Flags.string({ char: 'm', description: 'Message string to use with the revision.' }),
    autogenerate: Flags.boolean({ description: 'Populate the revision from the differences between schema.prisma and the database.' }),
    'rev-id': Flags.string({ description: 'Revision id to use instead of a generated one.' }),
    head: Flags.string({ description: 'Head revision (or base) to build the new revision upon.', default: 'head' }),
    'branch-label': Flags.string({ description: 'Branch label to apply to the new revision.', multiple: true }),
    splice: Flags.boolean({ description: "Allow a non-head revision as the 'head' to splice onto." }),
    'depends-on': Flags.string({ description: 'Revision(s) or branch label(s) the new revision depends on.', multiple: true }),
    'version-path': Flags.string({ description: 'Version folder to write the new revision into.' }),
    'allow-empty': Flags.boolean({ description: 'With --autogenerate: write the revision even when no changes are detected.' }),
    rename: Flags.string({
      description: 'Treat a drop + add as a rename: Table=NewTable, or Table.column=Table.newColumn (repeatable).',
      multiple: true,
    }),
  };

  protected async runRevision(flags: RevisionFlags, forceAutogenerate: boolean): Promise<void> {
    const { revision } = await import('../actions/revision.js');
    await revision({
      ...this.projectOptions(flags),
      message: flags.message,
      autogenerate: forceAutogenerate || flags.autogenerate,
      revId: flags['rev-id'],
      head: flags.head,
      branchLabels: flags['branch-label'],
      splice: flags.splice,
      dependsOn: flags['depends-on'],
      versionPath: flags['version-path'],
      allowEmpty: flags['allow-empty'],
      renames: flags.rename,
    });
  }
}

export type RevisionFlags = Interfaces.InferredFlags<typeof RevisionCommandBase.flags & typeof ReviseCommand.baseFlags>;
