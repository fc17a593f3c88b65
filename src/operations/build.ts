import type { ColumnModel, ForeignKeyModel, IndexModel, PrimaryKeyModel, TableModel } from '../model/types.js';
import type { AlterColumnSpec, IndexSpec, TableName } from './api.js';
import type { TableRef } from './types.js';

/**
 * The pieces of an Operation that a call of the `op` API (src/operations/api.ts)
 * stands for. Shared by the runtime executor, which compiles and runs them,
 * and by autogenerate's recorder, which turns a rendered revision back into
 * data: both must read a revision file the same way.
 */

export function tableRefOf(table: TableName): TableRef {
  if (typeof table === 'string') return { name: table };
  return table.schema ? { schema: table.schema, name: table.name } : { name: table.name };
}

export function indexFromSpec(spec: IndexSpec): IndexModel {
  const index: IndexModel = {
    name: spec.name,
    columns: spec.columns.map((c) => (typeof c === 'string' ? { name: c } : { ...c })),
    unique: !!spec.unique,
  };
  if (spec.using !== undefined) index.using = spec.using;
  if (spec.where !== undefined) index.where = spec.where;
  if (spec.include !== undefined) index.include = [...spec.include];
  if (spec.storage !== undefined) index.storage = [...spec.storage];
  return index;
}

/** Alembic's alter_column: `existing` is the column now; the given attributes are what changes (`null` removes one). */
export function alteredColumn(name: string, change: AlterColumnSpec): { from: ColumnModel; to: ColumnModel } {
  const from: ColumnModel = { ...change.existing, name };
  const to: ColumnModel = { ...from };
  if (change.type !== undefined) to.type = change.type;
  if (change.nullable !== undefined) to.nullable = change.nullable;
  if (change.default === null) delete to.default;
  else if (change.default !== undefined) to.default = change.default;
  if (change.autoincrement !== undefined) to.autoincrement = change.autoincrement;
  if (change.isList !== undefined) to.isList = change.isList;
  if (change.enumType === null) delete to.enumType;
  else if (change.enumType !== undefined) to.enumType = change.enumType;
  return { from, to };
}

// Drops name only what goes away. When the table's shape is known, the dropped
// piece is taken from it (so the operation can be inverted); otherwise a
// placeholder carries the name and the online compile context reflects the rest.

export function placeholderTable(ref: TableRef): TableModel {
  return { ...ref, columns: [], indexes: [], foreignKeys: [] };
}

export function droppedColumn(table: TableModel | undefined, name: string): ColumnModel {
  return table?.columns.find((c) => c.name === name) ?? { name, type: '', nullable: true };
}

export function droppedIndex(table: TableModel | undefined, name: string): IndexModel {
  return table?.indexes.find((i) => i.name === name) ?? { name, columns: [], unique: false };
}

export function droppedForeignKey(table: TableModel | undefined, name: string): ForeignKeyModel {
  return (
    table?.foreignKeys.find((f) => f.name === name) ?? {
      name,
      columns: [],
      referencedTable: '',
      referencedColumns: [],
      onDelete: 'NO ACTION',
      onUpdate: 'NO ACTION',
    }
  );
}

export function droppedPrimaryKey(table: TableModel | undefined, name?: string): PrimaryKeyModel {
  if (table?.primaryKey) return { ...table.primaryKey };
  return name !== undefined ? { name, columns: [] } : { columns: [] };
}
