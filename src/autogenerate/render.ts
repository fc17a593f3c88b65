import { ReviseError } from '../errors.js';
import type { ColumnModel, ForeignKeyModel, IndexModel, PrimaryKeyModel, TableModel } from '../model/types.js';
import type { AlterColumnOp, Operation, TableRef, TableScopedOp } from '../operations/types.js';
import { canonicalColumn, canonicalExtension, canonicalForeignKey, canonicalIndex } from './canonical.js';
import { call, inline, type Literal, pretty } from './literal.js';
import { operationRisks } from './risk.js';

// The risk checks moved to risk.ts; re-exported for existing importers.
export { describeRisk, isWidening } from './risk.js';

/**
 * Operations as TypeScript: each one a single awaited call of the `op` API
 * (src/operations/api.ts), written so that running it rebuilds exactly the
 * same Operation (see record.ts and its round-trip test).
 */

type Obj = { [key: string]: Literal | undefined };

function tableArg(ref: TableRef): Literal {
  return ref.schema ? { schema: ref.schema, name: ref.name } : ref.name;
}

function enumArg(e: { schema?: string; name: string }): Literal {
  return e.schema ? { schema: e.schema, name: e.name } : { name: e.name };
}

export function columnLiteral(column: ColumnModel): Obj {
  const c = canonicalColumn(column);
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    default: c.default,
    autoincrement: c.autoincrement,
    isList: c.isList,
    enumType: c.enumType ? enumArg(c.enumType) : undefined,
  };
}

/** An IndexSpec (plain column names where possible), or with `model` an IndexModel as table shapes need. */
function indexLiteral(index: IndexModel, model = false): Obj {
  const i = canonicalIndex(index);
  return {
    name: i.name,
    columns: i.columns.map((c) => (Object.keys(c).length === 1 && !model ? c.name : (c as unknown as Obj))),
    unique: model ? i.unique : i.unique || undefined,
    using: i.using,
    where: i.where,
    include: i.include,
    storage: i.storage,
  };
}

function foreignKeyLiteral(fk: ForeignKeyModel): Obj {
  const f = canonicalForeignKey(fk);
  return {
    name: f.name,
    columns: f.columns,
    referencedSchema: f.referencedSchema,
    referencedTable: f.referencedTable,
    referencedColumns: f.referencedColumns,
    onDelete: f.onDelete,
    onUpdate: f.onUpdate,
  };
}

function primaryKeyLiteral(pk: PrimaryKeyModel): Obj {
  return { name: pk.name || undefined, columns: pk.columns };
}

/** A TableSpec for createTable, or with `model` a TableModel (a frozen batch shape). */
export function tableLiteral(table: TableModel, model = false): Obj {
  return {
    schema: table.schema || undefined,
    name: table.name,
    columns: table.columns.map(columnLiteral),
    primaryKey: table.primaryKey ? primaryKeyLiteral(table.primaryKey) : undefined,
    // A TableModel (shape) has both lists even when empty; a TableSpec leaves empty ones out.
    indexes: model || table.indexes.length > 0 ? table.indexes.map((i) => indexLiteral(i, model)) : undefined,
    foreignKeys: model || table.foreignKeys.length > 0 ? table.foreignKeys.map(foreignKeyLiteral) : undefined,
  };
}

/** Alembic's alter_column arguments: what changes, plus the column as it is. */
function alterLiteral(op: AlterColumnOp): Obj {
  const from = canonicalColumn(op.from);
  const to = canonicalColumn(op.to);
  const change: Obj = {};
  if (from.type !== to.type) change.type = to.type;
  if (from.nullable !== to.nullable) change.nullable = to.nullable;
  if (from.default !== to.default) change.default = to.default ?? null;
  if (!!from.autoincrement !== !!to.autoincrement) change.autoincrement = !!to.autoincrement;
  if (!!from.isList !== !!to.isList) change.isList = !!to.isList;
  if (JSON.stringify(from.enumType ?? null) !== JSON.stringify(to.enumType ?? null)) change.enumType = to.enumType ? enumArg(to.enumType) : null;
  if (op.using) change.using = op.using;
  const { name: _name, ...existing } = columnLiteral(from);
  change.existing = existing;
  return change;
}

function batchCall(op: TableScopedOp, indent: string): string {
  const b = 'batch.';
  const c = (method: string, args: Literal[]) => call(b + method, args, indent);
  switch (op.kind) {
    case 'addColumn': return c('addColumn', [columnLiteral(op.column)]);
    case 'dropColumn': return c('dropColumn', [op.column.name]);
    case 'renameColumn': return c('renameColumn', [op.from, op.to]);
    case 'alterColumn': return c('alterColumn', [op.from.name, alterLiteral(op)]);
    case 'createIndex': return c('createIndex', [indexLiteral(op.index)]);
    case 'dropIndex': return c('dropIndex', [op.index.name]);
    case 'addForeignKey': return c('createForeignKey', [foreignKeyLiteral(op.foreignKey)]);
    case 'dropForeignKey': return c('dropForeignKey', [op.foreignKey.name]);
    case 'addPrimaryKey': return c('createPrimaryKey', [primaryKeyLiteral(op.primaryKey)]);
    case 'dropPrimaryKey': return `${indent}batch.dropPrimaryKey();`;
    case 'renameIndex':
      throw new ReviseError(`Index rename ${op.from} -> ${op.to} cannot be written inside a batch; drop and create it instead.`);
  }
}

/** One awaited `op.*` call (possibly spanning several lines, joined with `\n`). */
export function renderOperation(op: Operation): string {
  const a = (method: string, args: Literal[]) => call(`await op.${method}`, args);
  switch (op.kind) {
    case 'createTable': return a('createTable', [tableLiteral(op.table)]);
    case 'dropTable': return a('dropTable', [tableArg(op.table)]);
    case 'renameTable': return a('renameTable', [tableArg({ schema: op.schema, name: op.from }), op.to]);
    case 'addColumn': return a('addColumn', [tableArg(op.table), columnLiteral(op.column)]);
    case 'dropColumn': return a('dropColumn', [tableArg(op.table), op.column.name]);
    case 'renameColumn': return a('renameColumn', [tableArg(op.table), op.from, op.to]);
    case 'alterColumn': return a('alterColumn', [tableArg(op.table), op.from.name, alterLiteral(op)]);
    case 'createIndex':
      return a('createIndex', op.concurrently ? [tableArg(op.table), indexLiteral(op.index), { concurrently: true }] : [tableArg(op.table), indexLiteral(op.index)]);
    case 'dropIndex': return a('dropIndex', [tableArg(op.table), op.index.name]);
    case 'renameIndex': return a('renameIndex', [tableArg(op.table), op.from, op.to]);
    case 'addForeignKey': return a('createForeignKey', [tableArg(op.table), foreignKeyLiteral(op.foreignKey)]);
    case 'dropForeignKey': return a('dropForeignKey', [tableArg(op.table), op.foreignKey.name]);
    case 'addPrimaryKey': return a('createPrimaryKey', [tableArg(op.table), primaryKeyLiteral(op.primaryKey)]);
    case 'dropPrimaryKey':
      return a('dropPrimaryKey', op.primaryKey.name ? [tableArg(op.table), op.primaryKey.name] : [tableArg(op.table)]);
    case 'createEnum': return a('createEnum', [{ schema: op.enum.schema || undefined, name: op.enum.name, values: op.enum.values }]);
    case 'dropEnum': return a('dropEnum', [enumArg(op.enum)]);
    case 'alterEnum': {
      const usages = (op.usages ?? []).map((u) => ({ table: tableArg(u.table), column: u.column, default: u.default, isList: u.isList || undefined }));
      return a('alterEnum', [enumArg(op), { from: op.from, to: op.to, usages: usages.length > 0 ? usages : undefined }]);
    }
    case 'renameEnumValue': return a('renameEnumValue', [enumArg(op), op.from, op.to]);
    case 'createExtension': {
      const x = canonicalExtension(op.extension);
      return a('createExtension', [{ name: x.name, schema: x.schema, version: x.version }]);
    }
    case 'dropExtension': return a('dropExtension', [op.extension.name]);
    case 'alterExtension':
      return a('alterExtension', [op.name, { from: { schema: op.from.schema, version: op.from.version }, to: { schema: op.to.schema, version: op.to.version } }]);
    case 'execute': return a('execute', op.params === undefined ? [op.sql] : [op.sql, op.params as Literal]);
    case 'batchAlterTable': {
      const body = op.ops.map((inner) => batchCall(inner, '  ')).join('\n');
      const options: Obj = { recreate: op.recreate === 'auto' ? undefined : op.recreate, shape: op.shape ? tableLiteral(op.shape, true) : undefined };
      const hasOptions = Object.values(options).some((v) => v !== undefined);
      const open = `await op.batchAlterTable(${inline(tableArg(op.table))}, (batch) => {`;
      if (!hasOptions) return `${open}\n${body}\n});`;
      return `${open}\n${body}\n}, ${pretty(options, '', 3, 2)});`;
    }
  }
}

/** Source lines for several operations, each risky one preceded by `// WARNING:` lines. */
export function renderOperations(ops: Operation[]): string[] {
  const lines: string[] = [];
  for (const op of ops) {
    for (const r of operationRisks(op)) lines.push(`// WARNING: ${r}`);
    lines.push(...renderOperation(op).split('\n'));
  }
  return lines;
}
