import { ReviseError } from '../../errors.js';
import type { TableModel } from '../../model/types.js';
import { foldAscii } from '../../model/names.js';
import { indexUsesColumn } from '../../model/sql-text.js';
import { clonePlain } from '../../model/clone.js';
import type { BatchAlterTableOp, Operation, RenameColumnOp, TableRef, TableScopedOp } from '../../operations/types.js';
import type { CompileContext, Statement } from '../types.js';
import { rebuildTable } from './rebuild.js';
import { isAutoIndex, renderColumn, renderCreateIndex, renderCreateTable, renderDropIndex } from './render.js';
import { applyToShape, startShape, type ShapeState } from './shape.js';
import { isConstantDefault, quoteIdentifier as q } from './sql.js';

/** Operation -> SQLite statements, spelled as Prisma's migration engine spells them. */
export async function compileSqlite(op: Operation, ctx: CompileContext): Promise<Statement[]> {
  switch (op.kind) {
    case 'createTable':
      return [
        { sql: renderCreateTable(op.table) },
        ...op.table.indexes.filter((i) => !isAutoIndex(i.name)).map((i) => ({ sql: renderCreateIndex(op.table.name, i) })),
      ];
    case 'dropTable':
      return [{ sql: `DROP TABLE ${q(op.table.name)}` }];
    case 'renameTable':
      // SQLite (>= 3.26) rewrites other tables' foreign keys to follow the new name.
      return [{ sql: `ALTER TABLE ${q(op.from)} RENAME TO ${q(op.to)}` }];
    case 'createEnum':
    case 'dropEnum':
    case 'alterEnum':
    case 'renameEnumValue':
      // SQLite has no enum types: Prisma stores enums as TEXT (value renames are UPDATEs emitted by autogenerate).
      return [];
    case 'createExtension':
    case 'dropExtension':
    case 'alterExtension':
      throw new ReviseError(`${op.kind}: SQLite has no extensions (they belong to PostgreSQL)`);
    case 'execute':
      return [op.params && op.params.length > 0 ? { sql: op.sql, params: [...op.params] } : { sql: op.sql }];
    case 'batchAlterTable':
      return compileBatch(op, ctx);
    default:
      return compileBatch({ kind: 'batchAlterTable', table: op.table, recreate: 'auto', ops: [op] }, ctx);
  }
}

function tableLabel(ref: TableRef): string {
  return `"${ref.name}"`;
}

/**
 * Every inner operation applied to the table's shape in memory. With
 * `recreate: 'auto'` the operations run as plain ALTERs when SQLite can do
 * each of them in place, otherwise the table is rebuilt once; 'always'
 * rebuilds, 'never' refuses what would need a rebuild.
 */
async function compileBatch(op: BatchAlterTableOp, ctx: CompileContext): Promise<Statement[]> {
  const plain = op.shape ? undefined : await withoutShape(op, ctx);
  if (plain) return plain;
  const shape = op.shape ?? (await ctx.getTable(op.table));
  if (!shape) {
    if (!ctx.offline) throw new ReviseError(`table ${tableLabel(op.table)} does not exist`);
    if (op.recreate === 'always') throw new ReviseError(`cannot rebuild ${tableLabel(op.table)} offline without its shape; pass { shape } to batchAlterTable`);
    return op.ops.flatMap((inner) => {
      const statements = inPlaceStatements(op.table.name, undefined, inner);
      if (!statements) {
        throw new ReviseError(`cannot ${inner.kind} on ${tableLabel(op.table)} offline without the table's shape; pass { shape } to batchAlterTable`);
      }
      return statements;
    });
  }

  const state = startShape(shape);
  const inPlace: Statement[] = [];
  let rebuildFor: string | undefined = op.recreate === 'always' ? 'recreate: always' : undefined;
  for (const inner of op.ops) {
    const statements = rebuildFor ? undefined : inPlaceStatements(shape.name, state.table, inner);
    applyToShape(state, inner); // validates the operation against the shape
    if (statements) inPlace.push(...statements);
    else rebuildFor ??= inner.kind;
  }
  if (!rebuildFor) return inPlace;
  if (op.recreate === 'never') {
    throw new ReviseError(`${rebuildFor} on ${tableLabel(op.table)} needs a table rebuild on SQLite, but batchAlterTable was given recreate: 'never'`);
  }
  // hoistRenames may rewrite the original shape: then a copy, never the caller's (rebuildTable only reads it).
  const original = op.ops.some(isRename) ? clonePlain(shape) : shape;
  return [...hoistRenames(original, op.ops, state), ...rebuildTable(original, state)];
}

/**
 * A plain operation SQLite does in place (the hand-written `op.addColumn`,
 * `op.createIndex`, ... outside a batch) needs no table shape: only facts
 * about its table, which one probe answers instead of reading the table back
 * (every column of a table grown to hundreds of them, one revision each;
 * sqlite_master, scanned whole for each lookup in a schema of thousands of
 * tables). What the shape would refuse, SQLite refuses in its own words
 * (a column or index that is already there, an index on a missing column). Undefined when the batch
 * holds anything else, or the probe finds what only the shape can decide (an
 * index or key on a dropped column, an index that is not this table's).
 */
async function withoutShape(op: BatchAlterTableOp, ctx: CompileContext): Promise<Statement[] | undefined> {
  if (!ctx.probe || op.recreate === 'always' || op.table.schema !== undefined) return undefined;
  const name = op.table.name;
  const single = op.ops.length === 1 ? op.ops[0]! : undefined;
  const tableOnly = op.ops.every((inner) => inner.kind === 'addColumn') || single?.kind === 'createIndex';
  if (!tableOnly && single?.kind !== 'dropColumn' && single?.kind !== 'dropIndex') return undefined;
  const statements: Statement[] = [];
  for (const inner of op.ops) {
    const inPlace = inPlaceStatements(name, undefined, inner);
    if (!inPlace) return undefined;
    statements.push(...inPlace);
  }
  if (ctx.probe.hiddenTables.includes(name)) throw new ReviseError(`table ${tableLabel(op.table)} does not exist`);
  // A table introspection reports: a plain table (not virtual, not a virtual table's shadow), not SQLite's own.
  // Finding one costs a pass over the schema's tables: within a run, one pass lists them all (knownTables).
  const plain = `FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND substr(name, 1, 7) <> 'sqlite_'`;
  const exists = await knownToExist(name, plain, ctx.probe);
  if (exists === false) throw new ReviseError(`table ${tableLabel(op.table)} does not exist`);
  const found = exists ? '1 AS "found"' : `(SELECT count(*) ${plain.replace('pragma_table_list', 'pragma_table_list(?)')}) AS "found"`;
  const foundParams = exists ? [] : [name];
  let row: Record<string, unknown> | undefined;
  if (tableOnly) [row] = exists ? [{ found: 1, blocked: 0 }] : await ctx.probe.query(`SELECT ${found}, 0 AS "blocked"`, foundParams);
  else if (single?.kind === 'dropIndex') {
    // DROP INDEX names no table: the index must be this table's.
    if (exists && (await knownOnTable(single.index.name, name, ctx.probe))) row = { found: 1, blocked: 0 };
    else [row] = await ctx.probe.query(`SELECT ${found}, (SELECT count(*) = 0 FROM pragma_index_list(?) WHERE name = ?) AS "blocked"`, [...foundParams, name, single.index.name]);
  } else {
    const drop = (single as Extract<TableScopedOp, { kind: 'dropColumn' }>).column.name;
    [row] = await ctx.probe.query(
      // In place only when the column is there, in no primary key, foreign key or index, and no
      // index's key or predicate is an expression (which may name it).
      `SELECT ${found}, ` +
        `(SELECT count(*) = 0 FROM pragma_table_xinfo(?) WHERE hidden <> 1 AND name = ? AND pk = 0) + ` +
        `(SELECT count(*) FROM pragma_foreign_key_list(?) WHERE "from" = ?) + ` +
        `(SELECT count(*) FROM pragma_index_list(?) AS i WHERE i.partial = 1 OR EXISTS ` +
        `(SELECT 1 FROM pragma_index_xinfo(i.name) AS k WHERE k.key = 1 AND (k.name = ? OR k.name IS NULL OR k.cid = -2))) AS "blocked"`,
      [...foundParams, name, drop, name, drop, name, drop],
    );
  }
  if (Number(row?.found) === 0) throw new ReviseError(`table ${tableLabel(op.table)} does not exist`);
  return Number(row?.blocked) === 0 ? statements : undefined;
}

/**
 * Whether the run knows the index spelled `index` to be `table`'s
 * (RunFacts.knownIndexes): known, or else found in one listing of the
 * schema's indexes, which then all become known. False means "ask SQLite".
 */
async function knownOnTable(index: string, table: string, probe: NonNullable<CompileContext['probe']>): Promise<boolean> {
  const known = probe.knownIndexes;
  if (!known) return false;
  if (known.tableOf(index) === undefined && !known.listed) {
    const rows = await probe.query(`SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'`, []);
    for (const row of rows) known.add(String(row.name), String(row.tbl_name));
    known.listed = true;
  }
  const owner = known.tableOf(index);
  return owner !== undefined && foldAscii(owner) === foldAscii(table);
}

/**
 * Whether `name` is a plain table, from what the run knows (RunFacts.knownTables):
 * known, or else found in one listing of every plain table, which then all
 * become known. Undefined without a run's knowledge: the caller asks SQLite.
 */
async function knownToExist(name: string, plain: string, probe: NonNullable<CompileContext['probe']>): Promise<boolean | undefined> {
  const known = probe.knownTables;
  if (!known) return undefined;
  if (known.has(name)) return true;
  const tables = (await probe.query(`SELECT name ${plain}`, [])).map((row) => String(row.name));
  for (const table of tables) known.add(table);
  // SQLite takes a table's name in any ASCII case.
  const folded = foldAscii(name);
  if (!tables.some((table) => foldAscii(table) === folded)) return false;
  known.add(name);
  return true;
}

/**
 * Column renames done in place before a rebuild: SQLite's RENAME COLUMN also
 * rewrites other tables' foreign keys that point at the column, which a
 * copy-and-move cannot do. Only when every rename applies to the original
 * table in order (no rename into a name the batch frees first). On success
 * `old` and `state.sources` are updated to the renamed names.
 */
function hoistRenames(old: TableModel, ops: TableScopedOp[], state: ShapeState): Statement[] {
  const renames = ops.filter(isRename);
  if (renames.length === 0) return [];
  const names = old.columns.map((c) => c.name);
  for (const r of renames) {
    const i = names.indexOf(r.from);
    if (i < 0 || names.includes(r.to)) return [];
    names[i] = r.to;
  }
  const renamedShape = startShape(old);
  for (const r of renames) applyToShape(renamedShape, r);
  const renamedOf = new Map([...renamedShape.sources].map(([now, original]) => [original, now]));
  for (const [column, original] of state.sources) state.sources.set(column, renamedOf.get(original) ?? original);
  Object.assign(old, renamedShape.table);
  return renames.map((r) => ({ sql: `ALTER TABLE ${q(old.name)} RENAME COLUMN ${q(r.from)} TO ${q(r.to)}` }));
}

function isRename(op: TableScopedOp): op is RenameColumnOp {
  return op.kind === 'renameColumn' && op.from !== op.to;
}

/** Whether SQLite applies a batch's added column or index in place, whatever the table (see inPlaceStatements). */
export function isInPlace(op: TableScopedOp): boolean {
  return (op.kind === 'addColumn' || op.kind === 'createIndex') && inPlaceStatements('', undefined, op) !== undefined;
}

/** The ALTERs for one operation when SQLite can apply it in place; undefined when the table must be rebuilt. */
function inPlaceStatements(tableName: string, table: TableModel | undefined, op: TableScopedOp): Statement[] | undefined {
  const t = q(tableName);
  switch (op.kind) {
    case 'addColumn': {
      const c = op.column;
      // SQLite's ADD COLUMN: no key, NOT NULL only with a non-NULL default, and only constant defaults.
      if (c.autoincrement) return undefined;
      if (c.default !== undefined && !isConstantDefault(c.default)) return undefined;
      if (!c.nullable && (c.default === undefined || /^null$/i.test(c.default.trim()))) return undefined;
      return [{ sql: `ALTER TABLE ${t} ADD COLUMN ${renderColumn(c)}` }];
    }
    case 'dropColumn': {
      const name = op.column.name;
      if (!table) return [{ sql: `ALTER TABLE ${t} DROP COLUMN ${q(name)}` }];
      if (table.primaryKey?.columns.includes(name)) return undefined;
      if (table.foreignKeys.some((f) => f.columns.includes(name))) return undefined;
      const onColumn = table.indexes.filter((i) => indexUsesColumn(i, name));
      if (onColumn.some((i) => isAutoIndex(i.name))) return undefined;
      // SQLite refuses to drop an indexed column; the indexes go first (they could not survive it anyway).
      return [...onColumn.map((i) => ({ sql: renderDropIndex(i.name) })), { sql: `ALTER TABLE ${t} DROP COLUMN ${q(name)}` }];
    }
    case 'renameColumn':
      return op.from === op.to ? [] : [{ sql: `ALTER TABLE ${t} RENAME COLUMN ${q(op.from)} TO ${q(op.to)}` }];
    case 'alterColumn': {
      const current = table?.columns.find((c) => c.name === op.from.name);
      return current && sameColumn(current, op.to) ? [] : undefined;
    }
    case 'createIndex':
      return isAutoIndex(op.index.name) ? undefined : [{ sql: renderCreateIndex(tableName, op.index) }];
    case 'dropIndex':
      return isAutoIndex(op.index.name) ? undefined : [{ sql: renderDropIndex(op.index.name) }];
    case 'renameIndex': {
      // SQLite cannot rename an index: drop it and create it again from its shape.
      if (op.from === op.to) return [];
      const index = table?.indexes.find((i) => i.name === op.from);
      if (!table) return undefined;
      if (!index) return [];
      if (isAutoIndex(op.from) || isAutoIndex(op.to)) return undefined;
      return [{ sql: renderDropIndex(op.from) }, { sql: renderCreateIndex(tableName, { ...index, name: op.to }) }];
    }
    case 'addForeignKey':
    case 'dropForeignKey':
    case 'addPrimaryKey':
    case 'dropPrimaryKey':
      return undefined;
  }
}

function sameColumn(a: TableModel['columns'][number], b: TableModel['columns'][number]): boolean {
  return (
    a.type === b.type &&
    a.nullable === b.nullable &&
    (a.default ?? undefined) === (b.default ?? undefined) &&
    !!a.autoincrement === !!b.autoincrement
  );
}
