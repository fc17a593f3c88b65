import { ReviseError } from '../../errors.js';
import type { Operation, TableScopedOp } from '../../operations/types.js';
import type { Connection, Dialect, RevisionChanges } from '../types.js';
import { connectSqlite } from './driver.js';
import { ReferencingTables } from './referencing-tables.js';
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
 * Tables a revision's checks must look at, when it ran only operations whose
 * effect on foreign keys stays within known tables: `own`, whose own keys or
 * rows may have changed, and `parents`, whose loss or change can break the
 * keys of the tables referencing them (a dropped table; a dropped unique
 * index is SQLite's "foreign key mismatch" in the tables pointing at it).
 */
interface CheckScope {
  own: Set<string>;
  parents: Set<string>;
}

/**
 * Adds what one operation can break to `scope`; false when it can break keys
 * anywhere (raw SQL, an operation of another schema). An operation on one
 * table runs in place or rebuilds that table alone (a batch from its frozen
 * shape, anything else from its live one): only it and the tables
 * referencing it can break.
 */
function widenScope(op: Operation, scope: CheckScope, inPlace: (op: TableScopedOp) => boolean): boolean {
  const onTable = (ref: { schema?: string; name: string }, parentToo: boolean) => {
    // Only the main database's tables are looked up below.
    if (ref.schema !== undefined && ref.schema !== 'main') return false;
    scope.own.add(ref.name);
    if (parentToo) scope.parents.add(ref.name);
    return true;
  };
  switch (op.kind) {
    case 'createTable':
      return onTable(op.table, false);
    case 'dropTable':
    case 'dropIndex':
    case 'renameIndex':
    case 'dropColumn':
    case 'renameColumn':
      return onTable(op.table, true);
    case 'renameTable':
      // SQLite rewrites the referencing keys to the new name; a key it left on the old name is broken.
      return onTable({ ...(op.schema !== undefined ? { schema: op.schema } : {}), name: op.from }, true) && onTable({ ...(op.schema !== undefined ? { schema: op.schema } : {}), name: op.to }, true);
    case 'batchAlterTable':
      if (keepsForeignKeys(op, inPlace)) return true;
      // A rebuild makes the table again from a shape (frozen or live) and copies its rows: only its own keys
      // and rows, and the keys pointing at it, can break. The statements name the shape's table.
      return onTable(op.table, true) && (op.shape === undefined || op.shape.name === op.table.name || onTable({ ...op.table, name: op.shape.name }, true));
    case 'alterColumn':
    case 'addForeignKey':
    case 'dropForeignKey':
    case 'addPrimaryKey':
    case 'dropPrimaryKey':
      // In place or a rebuild of this table alone, from its live shape (see above).
      return onTable(op.table, true);
    default:
      return keepsForeignKeys(op, inPlace);
  }
}

const FULL_CHECK: [string] = ['PRAGMA foreign_key_check'];

/**
 * The check before a revision commits: the whole database, unless the
 * revision ran only operations whose reach is known (widenScope). Then only
 * the tables it created, at no cost that grows with the database; or, after
 * a drop or a rename, those tables and the ones whose keys reference a
 * dropped, renamed or altered table. Within a run those come from a map of
 * the schema's keys read once and followed revision by revision
 * (ReferencingTables); without one, from the schema itself (referencingCheck).
 */
async function foreignKeyCheck(connection: Connection, changes: RevisionChanges | undefined): Promise<[string, unknown[]?]> {
  const run = changes?.run;
  const full = (): [string] => {
    // Whatever was known of the schema's keys may be wrong now.
    if (run) run.schemaFacts = undefined;
    return FULL_CHECK;
  };
  if (!changes || changes.rawSql) return full();
  // Loaded already: the revision's operations were compiled by it.
  const { isInPlace } = await ddl();
  const scope: CheckScope = { own: new Set(), parents: new Set() };
  if (!changes.operations.every((op) => widenScope(op, scope, isInPlace))) return full();
  let refs = run?.schemaFacts as ReferencingTables | undefined;
  if (refs && !refs.follow(changes.operations)) refs = run!.schemaFacts = undefined;
  if (scope.parents.size === 0) {
    const created = [...scope.own];
    if (created.length === 0) return NO_CHECK;
    return [created.map(() => 'SELECT * FROM pragma_foreign_key_check(?)').join(' UNION ALL '), created];
  }
  if (!run) return referencingCheck([...scope.own], [...scope.parents]);
  // Read once per run (and again after whatever made it unknowable), then followed revision by revision.
  refs ??= run.schemaFacts = await ReferencingTables.read(connection);
  const own = refs.existing(scope.own);
  const tables = [...new Set([...own, ...(await refs.referencing(connection, scope.parents, own))])];
  if (tables.length === 0) return NO_CHECK;
  return [tables.map(() => 'SELECT * FROM pragma_foreign_key_check(?)').join(' UNION ALL '), tables];
}

const NO_CHECK: [string] = ['SELECT 1 WHERE 0'];

/**
 * The keys of `own` (those that still exist) and of every table whose keys
 * reference one of `parents`. A table's SQL must name a table it references,
 * so only tables whose SQL contains the name have their key lists read (most
 * of this check's cost otherwise). A quote in a name may be doubled in that
 * SQL: then the whole database is checked.
 */
function referencingCheck(own: string[], parents: string[]): [string, unknown[]] | [string] {
  if (parents.some((name) => /["'`]/.test(name))) return FULL_CHECK;
  const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  // One pass over the schema; the key lists and checks run only for the rows it keeps.
  const sql =
    'SELECT "c".* FROM "sqlite_master" AS "m", pragma_foreign_key_check("m"."name") AS "c" ' +
    `WHERE "m"."type" = 'table' AND ("m"."name" COLLATE NOCASE IN (${list(own.length)}) OR ((${parents.map(() => 'instr(lower("m"."sql"), lower(?)) > 0').join(' OR ')}) ` +
    `AND EXISTS (SELECT 1 FROM pragma_foreign_key_list("m"."name") AS "f" WHERE "f"."table" COLLATE NOCASE IN (${list(parents.length)}))))`;
  return [sql, [...own, ...parents, ...parents]];
}

/** The DDL compiler, imported once: an `import()` per operation costs more than compiling most of them. */
let ddlModule: Promise<typeof import('./ddl.js')> | undefined;
const ddl = () => (ddlModule ??= import('./ddl.js'));

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
  compile: async (op, context) => (await ddl()).compileSqlite(op, context),
  quoteIdentifier,
  renderLiteral,
  offlinePreamble: () => ['PRAGMA foreign_keys=OFF;'],
  async prepareForMigration(connection) {
    // Must run outside a transaction to take effect. With enforcement off, a
    // table rebuild's DROP TABLE never cascades into other tables.
    await connection.execute('PRAGMA foreign_keys = OFF');
  },
  async beforeCommit(connection, changes) {
    const [sql, params] = await foreignKeyCheck(connection, changes);
    if (sql === NO_CHECK[0]) return;
    const violations = await connection.query<ForeignKeyViolation>(sql, params);
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
