import type { Connection } from '../dialect/types.js';

/**
 * A database built by Prisma Migrate keeps its own history in
 * `_prisma_migrations`. revise never edits that table; it only reads it, to
 * say how the two histories relate when a user adopts such a database (and,
 * in adoption.ts, why `upgrade` will not replay revisions over it).
 */
export const PRISMA_MIGRATIONS_TABLE = '_prisma_migrations';

export interface PrismaMigrateHistory {
  applied: number;
  /** Started but neither finished nor rolled back: `prisma migrate resolve` territory. */
  unfinished: string[];
  last?: string;
}

/**
 * Prisma Migrate's history, or undefined when the table does not exist. Runs
 * outside any transaction: on PostgreSQL a failed statement would poison one.
 */
export async function readPrismaMigrateHistory(connection: Connection): Promise<PrismaMigrateHistory | undefined> {
  let rows: Array<{ migration_name: string; finished_at: unknown; rolled_back_at: unknown }>;
  try {
    rows = await connection.query(
      `SELECT ${['migration_name', 'finished_at', 'rolled_back_at'].map((c) => connection.dialect.quoteIdentifier(c)).join(', ')} FROM ${connection.dialect.quoteIdentifier(PRISMA_MIGRATIONS_TABLE)} ORDER BY ${connection.dialect.quoteIdentifier('started_at')}`,
    );
  } catch {
    return undefined;
  }
  const applied = rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null);
  const history: PrismaMigrateHistory = {
    applied: applied.length,
    unfinished: rows.filter((r) => r.finished_at === null && r.rolled_back_at === null).map((r) => r.migration_name),
  };
  const last = applied.at(-1)?.migration_name;
  if (last !== undefined) history.last = last;
  return history;
}

/** One row of `_prisma_migrations`, as adoption needs it. */
export interface PrismaMigrationRow {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

/** Every row of `_prisma_migrations` in the order Prisma started them; undefined when the table does not exist. Outside any transaction. */
export async function readPrismaMigrationRows(connection: Connection): Promise<PrismaMigrationRow[] | undefined> {
  const q = (name: string) => connection.dialect.quoteIdentifier(name);
  let rows: Array<{ migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown }>;
  try {
    rows = await connection.query(
      `SELECT ${['migration_name', 'checksum', 'finished_at', 'rolled_back_at'].map(q).join(', ')} FROM ${q(PRISMA_MIGRATIONS_TABLE)} ORDER BY ${q('started_at')}`,
    );
  } catch {
    return undefined;
  }
  return rows.map((r) => ({ name: r.migration_name, checksum: r.checksum, finished: r.finished_at !== null, rolledBack: r.rolled_back_at !== null }));
}

/** What `stamp` tells the user after adopting a Prisma Migrate database. */
export function adoptionNotes(history: PrismaMigrateHistory, stampedTo: string[]): string[] {
  const notes = [
    `This database was managed by Prisma Migrate: ${history.applied} migration(s) applied in ${PRISMA_MIGRATIONS_TABLE}` +
      (history.last ? ` (last: ${history.last})` : '') +
      '.',
    `revise now records its state in alembic_version (${stampedTo.length > 0 ? stampedTo.join(', ') : 'base'}); ` +
      `${PRISMA_MIGRATIONS_TABLE} is left as it is and revise never edits it.`,
    'From here on make schema changes with `revise autogenerate` and apply them with `revise upgrade head`; ' +
      'stop running `prisma migrate dev/deploy` on this database, or the two histories will diverge.',
  ];
  if (history.unfinished.length > 0) {
    notes.push(
      `WARNING: Prisma Migrate has unfinished migration(s): ${history.unfinished.join(', ')}; ` +
        'check that the schema is what you expect (`revise check`) before upgrading.',
    );
  }
  return notes;
}
