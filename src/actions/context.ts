import { consoleOutput, infoLine } from '../cli/output.js';

/** Options every action takes. All optional: defaults are the current folder, the configured URL and schema, the console. */
export interface ActionOptions {
  /** Project folder (where package.json / prisma.config.ts live). */
  cwd?: string;
  /** Database URL override. */
  url?: string;
  /** schema.prisma path override. */
  schema?: string;
  /** Which database of a multi-database project (package.json#revise.databases; Alembic's `--name`). */
  name?: string;
  /** Result lines (stdout). */
  out?: (line: string) => void;
  /** Progress lines (stderr), Alembic's `INFO  [logger] message`. */
  log?: (line: string) => void;
}

export interface ResolvedIO {
  cwd: string;
  out: (line: string) => void;
  log: (line: string) => void;
}

export function resolveIO(options: ActionOptions): ResolvedIO {
  return {
    cwd: options.cwd ?? process.cwd(),
    out: options.out ?? consoleOutput.out,
    log: options.log ?? consoleOutput.log,
  };
}

/** Alembic's "Context impl SQLiteImpl." / "Will assume transactional DDL." preamble. */
export function contextLines(dialect: { contextImpl: string; transactionalDdl: boolean }, log: (line: string) => void): void {
  log(infoLine('runtime.migration', `Context impl ${dialect.contextImpl}.`));
  log(infoLine('runtime.migration', `Will assume ${dialect.transactionalDdl ? 'transactional' : 'non-transactional'} DDL.`));
}
