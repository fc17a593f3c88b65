import type { Connection } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import type { RevisionMap } from '../script/graph.js';
import { PRISMA_MIGRATIONS_TABLE, readPrismaMigrationRows, type PrismaMigrationRow } from './prisma-migrate.js';

/**
 * Where a database Prisma Migrate manages stands in an imported history: the
 * revision of the last migration `_prisma_migrations` records as applied.
 * `_prisma_migrations` is only read. Refuses, saying why, when the two
 * histories do not line up: a migration that failed or was rolled back and
 * never applied again, one applied but not imported, one imported but
 * skipped on this database.
 */
export interface PrismaPosition {
  /** The imported revision the database is at. */
  revision: string;
  /** Its Prisma migration. */
  migration: string;
  applied: number;
  /** Applied migrations whose migration.sql changed since (Prisma's own "modified after applied" warning). */
  changed: string[];
}

export async function findPrismaPosition(scripts: RevisionMap, connection: Connection): Promise<PrismaPosition | undefined> {
  const rows = await readPrismaMigrationRows(connection);
  if (!rows || rows.length === 0) return undefined;
  const { recordedMigrations } = await import('../prisma-import/recorded.js');
  const recorded = recordedMigrations(scripts.all);
  if (recorded.length === 0) return undefined;
  return positionIn(recorded, rows);
}

export function positionIn(recorded: Array<{ revision: string; name: string; checksum: string }>, rows: PrismaMigrationRow[]): PrismaPosition | undefined {
  const applied = new Map<string, PrismaMigrationRow>();
  for (const row of rows) if (row.finished && !row.rolledBack) applied.set(row.name, row);
  const unfinished = rows.filter((r) => !r.finished && !r.rolledBack && !applied.has(r.name)).map((r) => r.name);
  const nothingRun = 'nothing was run';
  if (unfinished.length > 0) {
    throw new ReviseError(
      `Prisma migration ${unfinished.join(', ')} failed on this database (started, never finished in ${PRISMA_MIGRATIONS_TABLE}): ` +
        `repair it and mark it with \`prisma migrate resolve --applied\` or \`--rolled-back\` first; ${nothingRun}`,
    );
  }
  const rolledBack = [...new Set(rows.filter((r) => r.rolledBack && !applied.has(r.name)).map((r) => r.name))];
  if (rolledBack.length > 0) {
    throw new ReviseError(
      `Prisma migration ${rolledBack.join(', ')} was rolled back on this database and never applied again: ` +
        `check what it left behind (\`revise check\`), then stamp the revision the database matches (\`revise stamp <rev>\`); ${nothingRun}`,
    );
  }
  if (applied.size === 0) return undefined;
  const known = new Set(recorded.map((r) => r.name));
  const missing = [...applied.keys()].filter((name) => !known.has(name));
  if (missing.length > 0) {
    throw new ReviseError(
      `Prisma migration(s) ${missing.join(', ')} are applied on this database but not imported: run \`revise import-prisma\` with the migrations folder that has them; ${nothingRun}`,
    );
  }
  const last = Math.max(...recorded.map((r, i) => (applied.has(r.name) ? i : -1)));
  const skipped = recorded.slice(0, last).filter((r) => !applied.has(r.name)).map((r) => r.name);
  if (skipped.length > 0) {
    throw new ReviseError(
      `This database has Prisma migration ${recorded[last]!.name} but not the earlier ${skipped.join(', ')}: ` +
        `apply ${skipped.length === 1 ? 'it' : 'them'} (\`prisma migrate deploy\`) or stamp the revision it matches by hand; ${nothingRun}`,
    );
  }
  const changed = recorded.slice(0, last + 1).filter((r) => applied.get(r.name)!.checksum !== r.checksum).map((r) => r.name);
  return { revision: recorded[last]!.revision, migration: recorded[last]!.name, applied: applied.size, changed };
}
