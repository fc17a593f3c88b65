import { ReviseError } from '../errors.js';
import { asMigrationLog, infoLine } from '../cli/output.js';
import { contextLines, resolveIO, type ActionOptions } from './context.js';
import type { MigrationEnv } from '../runtime/runner.js';
import { openEnvs } from './scripts.js';

export interface MigrateOptions extends ActionOptions {
  /** Offline mode: print the SQL script on `out` instead of running it. */
  sql?: boolean;
  /** Alembic's `--tag`: an arbitrary string handed to every revision as `op.tag`. */
  tag?: string;
}

export interface StampOptions extends MigrateOptions {
  /** Delete every row of alembic_version first (stamp from scratch). */
  purge?: boolean;
}


/**
 * Run `fn` on every database the command acts on: the project's one, or
 * (multidb) each of package.json#revise.databases in order, logging which.
 * A multidb `--sql` script gets a comment line naming each database's part.
 */
async function eachDatabase(options: MigrateOptions, fn: (env: MigrationEnv) => Promise<void>): Promise<void> {
  const { out, log } = resolveIO(options);
  const envs = await openEnvs(options);
  for (const env of envs) {
    if (env.database !== undefined) {
      log(infoLine('runtime.migration', `Migrating database ${env.database}`));
      if (options.sql && envs.length > 1) out(`-- Database ${env.database}`);
    }
    contextLines(env.dialect, log);
    await fn(env);
  }
}

/**
 * Alembic's `upgrade`: run every revision from the database's heads up to
 * `target` (default `head`). With `sql`, `target` may be a `<from>:<to>` range.
 */
export async function upgrade(options: MigrateOptions & { target?: string } = {}): Promise<void> {
  const { out, log } = resolveIO(options);
  const { runUpgrade } = await import('../runtime/runner.js');
  await eachDatabase(options, (env) =>
    runUpgrade(env, options.target ?? 'head', { out, log: asMigrationLog(log), sql: options.sql, tag: options.tag }),
  );
}

/** Alembic's `downgrade`: revert revisions down to `target` (`-1`, `base`, a revision). */
export async function downgrade(options: MigrateOptions & { target: string }): Promise<void> {
  const { out, log } = resolveIO(options);
  if (!options.target) throw new ReviseError('downgrade needs a target revision (e.g. -1 or base)');
  const { runDowngrade } = await import('../runtime/runner.js');
  await eachDatabase(options, (env) =>
    runDowngrade(env, options.target, { out, log: asMigrationLog(log), sql: options.sql, tag: options.tag }),
  );
}

/** Alembic's `stamp`: set alembic_version to `revisions` without running any migration. */
export async function stamp(options: StampOptions & { revisions: string[] }): Promise<void> {
  const { out, log } = resolveIO(options);
  if (options.revisions.length === 0) throw new ReviseError('stamp needs at least one revision (e.g. head or base)');
  const { runStamp } = await import('../runtime/runner.js');
  await eachDatabase(options, (env) =>
    runStamp(env, options.revisions, { out, log: asMigrationLog(log), sql: options.sql, purge: options.purge, tag: options.tag }),
  );
}

/** Alembic's `ensure_version`: create alembic_version if it is missing (or print its CREATE TABLE with `sql`). */
export async function ensureVersion(options: MigrateOptions = {}): Promise<void> {
  const { out } = resolveIO(options);
  const { VersionTable, VersionTableSql } = await import('../runtime/version-table.js');
  await eachDatabase(options, async (env) => {
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
  });
}
