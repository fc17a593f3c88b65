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

/**
 * Alembic's `stamp`: set alembic_version to `revisions` without running any
 * migration. Then, unlike Alembic, say whether the database is what those
 * revisions describe (see reportStampedDatabase); the stamp stands either way.
 */
export async function stamp(options: StampOptions & { revisions: string[] }): Promise<void> {
  const { out, log } = resolveIO(options);
  if (options.revisions.length === 0) throw new ReviseError('stamp needs at least one revision (e.g. head or base)');
  const { runStamp } = await import('../runtime/runner.js');
  await eachDatabase(options, async (env) => {
    const migrationLog = asMigrationLog(log);
    const stamped = await runStamp(env, options.revisions, { out, log: migrationLog, sql: options.sql, purge: options.purge, tag: options.tag });
    if (!options.sql) await reportStampedDatabase(env, stamped, options.schema, migrationLog);
  });
}

/**
 * Someone adopting a database deserves to know whether it is what the
 * revisions build. Stamped at the heads, the database is compared with the
 * Prisma schema exactly as `check` compares them (autogenerate's comparison)
 * and every difference is listed. Stamped anywhere else there is nothing to
 * compare it with (the schema describes the heads), and one line says so; at
 * base, nothing is said. A comparison that cannot run (no schema, a schema
 * error) is a warning too: the stamp is already committed and stays.
 */
async function reportStampedDatabase(env: MigrationEnv, stamped: string[], schema: string | undefined, log: (line: string) => void): Promise<void> {
  if (stamped.length === 0) return;
  const heads = env.scripts.headIds;
  if (stamped.length !== heads.length || !heads.every((h) => stamped.includes(h))) {
    log(infoLine('runtime.migration', `Not compared with the Prisma schema, which describes the head revision(s) (${heads.join(', ')}), not ${stamped.join(', ')}.`));
    return;
  }
  const [{ computeAutogenerate }, { describeOperations }] = await Promise.all([
    import('../runtime/autogenerate-run.js'),
    import('./describe.js'),
  ]);
  let changes: string[];
  try {
    changes = describeOperations((await computeAutogenerate(env, schema !== undefined ? { schema } : {})).operations);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
    log(`${WARN} Not compared with the Prisma schema: ${reason}`);
    return;
  }
  if (changes.length === 0) {
    log(infoLine('runtime.migration', 'The database matches the Prisma schema (as `revise check` compares them).'));
    return;
  }
  log(`${WARN} Stamped, but the database does not match the Prisma schema; \`revise autogenerate\` would write ${changes.length} change(s):`);
  for (const change of changes) log(`${WARN}   ${change}`);
}

const WARN = 'WARN  [revise.runtime.migration]';

/** Alembic's `ensure_version`: create alembic_version if it is missing (or print its CREATE TABLE with `sql`). */
export async function ensureVersion(options: MigrateOptions = {}): Promise<void> {
  const { out, log } = resolveIO(options);
  const { VersionTable, VersionTableSql } = await import('../runtime/version-table.js');
  await eachDatabase(options, async (env) => {
    if (options.sql) {
      out(`${new VersionTableSql(env.dialect).create().sql};`);
      return;
    }
    const connection = await env.dialect.connect(env.url, { onCreate: (note) => log(infoLine('runtime.migration', note)) });
    try {
      await new VersionTable(connection).ensure();
    } finally {
      await connection.close();
    }
  });
}
