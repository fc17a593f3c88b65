import { ReviseError } from '../../errors.js';
import type { Operation, TableScopedOp } from '../../operations/types.js';
import type { Dialect, RevisionChanges } from '../types.js';
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

/**
 * Operations that cannot break a foreign key of a database that had none
 * broken: no row changes, no key goes away. A new table has no rows, but its
 * own keys may point at columns no key makes unique (SQLite's "foreign key
 * mismatch"), so it is checked by itself.
 */
const KEEPS_FOREIGN_KEYS = new Set<Operation['kind']>(['createTable', 'createIndex', 'addColumn', 'createEnum', 'dropEnum', 'alterEnum', 'renameEnumValue']);

/**
 * Whether an operation keeps every foreign key as it was: one of the kinds
 * above, or a batch (autogenerate's form on SQLite) of added columns and
 * indexes that SQLite makes in place. A batch that rebuilds its table is
 * built from its frozen shape, whose keys may not be the table's.
 */
function keepsForeignKeys(op: Operation, inPlace: (op: TableScopedOp) => boolean): boolean {
  if (KEEPS_FOREIGN_KEYS.has(op.kind)) return true;
  return op.kind === 'batchAlterTable' && op.recreate !== 'always' && op.ops.every((inner) => KEEPS_FOREIGN_KEYS.has(inner.kind) && inPlace(inner));
}

/**
 * The check before a revision commits: the whole database, unless the
 * revision ran only operations that keep foreign keys (then only the tables
 * it created, at no cost that grows with the database).
 */
async function foreignKeyCheck(changes: RevisionChanges | undefined): Promise<[string, unknown[]?]> {
  if (!changes || changes.rawSql) return ['PRAGMA foreign_key_check'];
  // Loaded already: the revision's operations were compiled by it.
  const { isInPlace } = await import('./ddl.js');
  if (!changes.operations.every((op) => keepsForeignKeys(op, isInPlace))) return ['PRAGMA foreign_key_check'];
  const created = changes.operations.flatMap((op) => (op.kind === 'createTable' ? [op.table.name] : []));
  if (created.length === 0) return ['SELECT 1 WHERE 0'];
  return [created.map(() => 'SELECT * FROM pragma_foreign_key_check(?)').join(' UNION ALL '), created];
}

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
  async beforeCommit(connection, changes) {
    const violations = await connection.query<ForeignKeyViolation>(...(await foreignKeyCheck(changes)));
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
