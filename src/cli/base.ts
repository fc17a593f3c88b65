import { Command, Flags } from '@oclif/core';
import { reportFailure } from './errors.js';
import { projectOptions } from './invocations.js';
import { consoleOutput, type Output } from './output.js';

/**
 * Every revise command extends this: the global flags (`--url`, `--schema`,
 * `--cwd`) and one-line error reporting. Commands stay thin: parse, then
 * `await import()` the action (so `revise --help` loads no database driver,
 * Prisma or esbuild) and hand it these options.
 */
export abstract class ReviseCommand extends Command {
  static override baseFlags = {
    url: Flags.string({
      description: 'Database URL (overrides REVISE_DATABASE_URL and the URL the schema or prisma.config.ts names).',
      helpGroup: 'GLOBAL',
    }),
    schema: Flags.string({
      description: 'Path to schema.prisma (file or folder).',
      helpGroup: 'GLOBAL',
    }),
    name: Flags.string({
      char: 'n',
      description: 'Only this database, in a multi-database project (package.json#revise.databases); default: all of them.',
      helpGroup: 'GLOBAL',
    }),
    cwd: Flags.string({
      description: 'Project folder (default: the current directory).',
      helpGroup: 'GLOBAL',
    }),
  };

  protected readonly output: Output = consoleOutput;

  /** Options every action accepts, from the global flags. */
  protected projectOptions(flags: { url?: string; schema?: string; cwd?: string; name?: string }) {
    return projectOptions(flags, this.output);
  }

  /**
   * Alembic's relative targets (`downgrade -1`, `history -r -3:`) look like
   * flags to oclif; move bare `-<n>` / `-<n>:...` tokens that are not a flag's
   * value behind `--`, where oclif reads them as arguments.
   */
  protected argvWithNumericTargets(): string[] {
    if (this.argv.includes('--')) return this.argv;
    const rest: string[] = [];
    const numeric: string[] = [];
    for (const [i, token] of this.argv.entries()) {
      const previous = this.argv[i - 1];
      const isValueOfShortFlag = previous !== undefined && /^-[a-zA-Z]$/.test(previous);
      if (/^-\d+(:.*)?$/.test(token) && !isValueOfShortFlag) numeric.push(token);
      else rest.push(token);
    }
    return numeric.length > 0 ? [...rest, '--', ...numeric] : this.argv;
  }

  override async catch(error: Error & { exitCode?: number }): Promise<never> {
    const report = reportFailure(error);
    for (const line of report.lines) consoleOutput.log(line);
    // Throws oclif's ExitError, which exits with this code and prints nothing more.
    this.exit(report.exitCode);
    throw error;
  }
}
