import { ReviseError } from '../errors.js';
import { asMigrationLog, infoLine } from '../cli/output.js';
import { resolveIO, type ActionOptions } from './context.js';
import { openEnv } from './scripts.js';

export interface MigrateOptions extends ActionOptions {
  /** Offline mode: print the SQL script on `out` instead of running it. */
  sql?: boolean;
  /** Alembic's `--tag`: accepted for compatibility; revise has no env.py that reads it. */
  tag?: string;
}

export interface StampOptions extends MigrateOptions {
  /** Delete every row of alembic_version first (stamp from scratch). */
  purge?: boolean;
}

/** Alembic's "Context impl SQLiteImpl." / "Will assume transactional DDL." preamble. */
export function contextLines(dialect: { name: string; transactionalDdl: boolean }, log: (line: string) => void): void {
  const impl = dialect.name === 'postgresql' ? 'PostgresqlImpl' : 'SQLiteImpl';
  log(infoLine('runtime.migration', `Context impl ${impl}.`));
  log(infoLine('runtime.migration', `Will assume ${dialect.transactionalDdl ? 'transactional' : 'non-transactional'} DDL.`));
}

const open = openEnv;

/**
 * Alembic's `upgrade`: run every revision from the database's heads up to
 * `target` (default `head`). With `sql`, `target` may be a `<from>:<to>` range.
 */
export async function upgrade(options: MigrateOptions & { target?: string } = {}): Promise<void> {
  const { out, log } = resolveIO(options);
  const env = await open(options);
  const { runUpgrade } = await import('../runtime/runner.js');
  contextLines(env.dialect, log);
  await runUpgrade(env, options.target ?? 'head', { out, log: asMigrationLog(log), sql: options.sql });
}

/** Alembic's `downgrade`: revert revisions down to `target` (`-1`, `base`, a revision). */
export async function downgrade(options: MigrateOptions & { target: string }): Promise<void> {
  const { out, log } = resolveIO(options);
  if (!options.target) throw new ReviseError('downgrade needs a target revision (e.g. -1 or base)');
  const env = await open(options);
  const { runDowngrade } = await import('../runtime/runner.js');
  contextLines(env.dialect, log);
  await runDowngrade(env, options.target, { out, log: asMigrationLog(log), sql: options.sql });
}

/** Alembic's `stamp`: set alembic_version to `revisions` without running any migration. */
export async function stamp(options: StampOptions & { revisions: string[] }): Promise<void> {
  const { out, log } = resolveIO(options);
  if (options.revisions.length === 0) throw new ReviseError('stamp needs at least one revision (e.g. head or base)');
  const env = await open(options);
  const { runStamp } = await import('../runtime/runner.js');
  contextLines(env.dialect, log);
  await runStamp(env, options.revisions, { out, log: asMigrationLog(log), sql: options.sql, purge: options.purge });
}

/** Alembic's `ensure_version`: create alembic_version if it is missing (or print its CREATE TABLE with `sql`). */
export async function ensureVersion(options: MigrateOptions = {}): Promise<void> {
  const { out, log } = resolveIO(options);
  const env = await open(options);
  contextLines(env.dialect, log);
  const { VersionTable, VersionTableSql } = await import('../runtime/version-table.js');
  if (options.sql) {
    out(`${new VersionTableSql(env.dialect).create().sql};`);
    return;
  }
  const connection = await env.dialect.connect(env.url);
  try {
    await new VersionTable(connection).ensure();
  } finally {
    await connection.close();
  }
}
