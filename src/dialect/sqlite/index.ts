import { ReviseError } from '../../errors.js';
import type { Dialect } from '../types.js';
import { connectSqlite } from './driver.js';
import { quoteIdentifier, renderLiteral } from './sql.js';
import { sqliteTypeMap } from './type-map.js';

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

const SHOWN_VIOLATIONS = 5;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  transactionalDdl: true,
  preferBatch: true,
  contextImpl: 'SQLiteImpl',
  revisionBoundary: 'savepoint',
  bindMarker: () => '?',
  tableExistsQuery: (table) => ({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", params: [table] }),
  typeMap: sqliteTypeMap,
  connect: (url, options) => connectSqlite(url, sqliteDialect, options),
  // The DDL compiler and the introspector load on first use: a no-op `upgrade head` needs neither.
  introspect: async (connection, options) => (await import('./introspector.js')).introspectSqlite(connection, options),
  compile: async (op, context) => (await import('./ddl.js')).compileSqlite(op, context),
  quoteIdentifier,
  renderLiteral,
  offlinePreamble: () => ['PRAGMA foreign_keys=OFF;'],
  async prepareForMigration(connection) {
    // Must run outside a transaction to take effect. With enforcement off, a
    // table rebuild's DROP TABLE never cascades into other tables.
    await connection.execute('PRAGMA foreign_keys = OFF');
  },
  async beforeCommit(connection) {
    const violations = await connection.query<ForeignKeyViolation>('PRAGMA foreign_key_check');
    if (violations.length === 0) return;
    const shown = violations
      .slice(0, SHOWN_VIOLATIONS)
      .map((v) => `"${v.table}" row ${v.rowid ?? '?'} -> "${v.parent}"`)
      .join(', ');
    const more = violations.length > SHOWN_VIOLATIONS ? ` and ${violations.length - SHOWN_VIOLATIONS} more` : '';
    throw new ReviseError(`foreign key check failed after migration: ${shown}${more}`);
  },
};

export { connectSqlite, sqliteFilePath } from './driver.js';
export { quoteIdentifier, renderLiteral } from './sql.js';
export { normalizeSqliteDefault, normalizeSqliteType, prismaDateTimeText, sqliteTypeMap } from './type-map.js';
