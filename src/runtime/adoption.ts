import type { Connection } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import { qualifiedName } from '../model/types.js';
import { PRISMA_MIGRATIONS_TABLE, readPrismaMigrateHistory } from './prisma-migrate.js';
import type { MigrationEnv } from './runner.js';

/** How many table names the refusal lists before "and n more". */
const LISTED_TABLES = 5;

/**
 * `upgrade` from base over a database that already holds the user's tables
 * would replay every revision over them and stop at the first CREATE TABLE
 * that collides. Refuse before anything runs when alembic_version records no
 * revision and the database has tables: a Prisma Migrate history, or any table
 * revise would otherwise manage (everything but alembic_version,
 * _prisma_migrations and package.json#revise.excludeTables, the tables
 * autogenerate would also leave alone). Runs outside any transaction.
 * A Prisma Migrate database whose history was imported (`revise
 * import-prisma`) is not refused: the revision of its last applied migration
 * is returned, for upgrade to stamp and go on from.
 */
export async function refuseUnadoptedDatabase(env: MigrationEnv, connection: Connection, versionTableExists: boolean): Promise<string | undefined> {
  const state = versionTableExists ? 'an empty alembic_version table' : 'no alembic_version table';
  const prismaHistory = await readPrismaMigrateHistory(connection);
  if (prismaHistory && prismaHistory.applied > 0) {
    // An imported Prisma history says where this database stands: upgrade stamps that revision and goes on from there.
    const { findPrismaPosition } = await import('./prisma-adoption.js');
    const position = await findPrismaPosition(env.scripts, connection);
    if (position) return position.revision;
    throw new ReviseError(
      adoptFirst(`This database is managed by Prisma Migrate (${prismaHistory.applied} migration(s) in ${PRISMA_MIGRATIONS_TABLE}) and has ${state}`),
    );
  }
  // The tables are revise's own, from a revision an interrupted run left half-applied: the upgrade resumes it.
  if (!env.dialect.transactionalDdl) {
    const { RevisionJournal } = await import('./journal.js');
    if ((await RevisionJournal.halfApplied(connection)).length > 0) return;
  }
  const model = await env.dialect.introspect(connection, {
    ...(env.schemas ? { schemas: env.schemas } : {}),
    excludeTables: env.project.excludeTables,
  });
  if (model.tables.length === 0) return undefined;
  const names = model.tables.map(qualifiedName).sort();
  const listed = names.slice(0, LISTED_TABLES).join(', ') + (names.length > LISTED_TABLES ? ` and ${names.length - LISTED_TABLES} more` : '');
  throw new ReviseError(
    adoptFirst(
      `This database already has ${names.length} table(s) (${listed}) but ${state}`,
      'tables revise should leave alone belong in package.json#revise.excludeTables',
    ),
  );
}

/** One message for every database upgrade will not replay revisions over: what it found, how to adopt it. */
function adoptFirst(found: string, hint?: string): string {
  return (
    `${found}: adopt it first with \`revise stamp head\` (or \`revise stamp <rev>\` for the revision it matches; ` +
    `\`revise check\` compares it with the schema), then upgrade${hint ? `; ${hint}` : ''}. Nothing was run.`
  );
}
