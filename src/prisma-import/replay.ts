import type { Connection, Dialect } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import type { DatabaseModel } from '../model/types.js';
import type { PrismaMigration } from './migrations.js';
import { splitStatements } from './split.js';
import { isTransactionControl, leadingWords } from './statements.js';

/** One statement of a migration as its revision runs it. */
export interface ReplayedStatement {
  sql: string;
  /** CREATE INDEX CONCURRENTLY, VACUUM, ...: PostgreSQL refuses them inside a transaction. */
  outsideTransaction?: boolean;
}

export interface ReplayedMigration {
  migration: PrismaMigration;
  statements: ReplayedStatement[];
  /** What differs from migration.sql as written, one sentence each (written as NOTE comments). */
  notes: string[];
}

const OUTSIDE_TRANSACTION = /^(CREATE (UNIQUE )?INDEX CONCURRENTLY|DROP INDEX CONCURRENTLY|REINDEX .*CONCURRENTLY|VACUUM|CREATE DATABASE|DROP DATABASE|ALTER SYSTEM)\b/;

/**
 * Run one migration's statements on the scratch database, one by one in one
 * transaction (MySQL commits around each DDL statement), as its revision
 * will run them. Standalone BEGIN / COMMIT are left out (the revision has its
 * own transaction). On SQLite, a double-quoted word SQLite itself would have
 * read as a string (no such column) becomes a single-quoted string, since
 * revise's SQLite refuses double-quoted strings.
 */
export async function replayMigration(connection: Connection, migration: PrismaMigration): Promise<ReplayedMigration> {
  const dialect = connection.dialect;
  const replayed: ReplayedMigration = { migration, statements: [], notes: [] };
  const pieces = splitStatements(migration.sql, dialect.name === 'mysql' ? 'mysql' : undefined);
  await connection.begin();
  try {
    for (const piece of pieces) {
      if (isTransactionControl(piece)) {
        replayed.notes.push(`\`${leadingWords(piece).replace(/;$/, '')}\` of migration.sql is left out: the revision runs in its own transaction.`);
        continue;
      }
      const outside = OUTSIDE_TRANSACTION.test(leadingWords(piece, 8));
      const sql = await runStatement(connection, dialect, piece, outside, replayed.notes, migration.name);
      replayed.statements.push(outside ? { sql, outsideTransaction: true } : { sql });
    }
    await dialect.beforeCommit(connection);
    await connection.commit();
  } catch (error) {
    if (connection.inTransaction) await connection.rollback().catch(() => undefined);
    throw error;
  }
  return replayed;
}

async function runStatement(connection: Connection, dialect: Dialect, sql: string, outside: boolean, notes: string[], name: string): Promise<string> {
  let text = sql;
  for (let attempt = 0; ; attempt++) {
    try {
      if (outside) {
        await connection.commit();
        try {
          await connection.execute(text);
        } finally {
          await connection.begin();
        }
      } else await connection.execute(text);
      return text;
    } catch (error) {
      const message = (error as Error).message;
      const word = dialect.name === 'sqlite' && attempt < 50 ? /no such column: "?([^"\s]+)"?/.exec(message)?.[1] : undefined;
      const quoted = word === undefined ? -1 : text.indexOf(`"${word}"`);
      if (word !== undefined && quoted >= 0) {
        text = `${text.slice(0, quoted)}'${word.replace(/'/g, "''")}'${text.slice(quoted + word.length + 2)}`;
        notes.push(`"${word}" is written '${word}': SQLite reads a double-quoted word that names no column as a string, revise's SQLite does not.`);
        continue;
      }
      throw new ReviseError(`Prisma migration ${name} does not replay: ${message.replace(/^(SQLite|PostgreSQL|MySQL): /, '')}`);
    }
  }
}

/** The scratch database as the table model sees it. */
export async function introspectScratch(connection: Connection, dialect: Dialect, schemas: string[] | undefined, excludeTables: string[]): Promise<DatabaseModel> {
  return dialect.introspect(connection, { ...(schemas ? { schemas } : {}), excludeTables });
}
