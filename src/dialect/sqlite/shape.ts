import { ReviseError } from '../../errors.js';
import type { ColumnModel, TableModel } from '../../model/types.js';
import { indexUsesColumn, renameColumnIn } from '../../model/sql-text.js';
import { clonePlain } from '../../model/clone.js';
import type { TableScopedOp } from '../../operations/types.js';

/**
 * A table shape being changed in memory, plus where each of its columns' data
 * comes from in the original table (renames carried, added columns have none).
 */
export interface ShapeState {
  table: TableModel;
  /** new column name -> column of the original table it is copied from. */
  sources: Map<string, string>;
}

export function startShape(table: TableModel): ShapeState {
  return { table: clonePlain(table), sources: new Map(table.columns.map((c) => [c.name, c.name])) };
}

function column(state: ShapeState, name: string, what: string): ColumnModel {
  const col = state.table.columns.find((c) => c.name === name);
  if (!col) throw new ReviseError(`cannot ${what}: table "${state.table.name}" has no column "${name}"`);
  return col;
}

function requireColumns(state: ShapeState, names: string[], what: string): void {
  for (const n of names) column(state, n, what);
}

/** Apply one table-scoped operation to the shape (throws ReviseError when it cannot apply). */
export function applyToShape(state: ShapeState, op: TableScopedOp): void {
  const t = state.table;
  const has = (name: string) => t.columns.some((c) => c.name === name);
  switch (op.kind) {
    case 'addColumn':
      if (has(op.column.name)) throw new ReviseError(`cannot add column "${op.column.name}": table "${t.name}" already has it`);
      t.columns.push(clonePlain(op.column));
      if (op.column.autoincrement) t.primaryKey = { columns: [op.column.name] };
      return;
    case 'dropColumn': {
      const name = op.column.name;
      column(state, name, `drop column "${name}"`);
      t.columns = t.columns.filter((c) => c.name !== name);
      state.sources.delete(name);
      // What depends on the column goes with it (as PostgreSQL's DROP COLUMN does).
      t.indexes = t.indexes.filter((i) => !indexUsesColumn(i, name));
      t.foreignKeys = t.foreignKeys.filter((f) => !f.columns.includes(name));
      if (t.primaryKey?.columns.includes(name)) delete t.primaryKey;
      return;
    }
    case 'renameColumn': {
      const col = column(state, op.from, `rename column "${op.from}"`);
      if (op.from === op.to) return;
      if (has(op.to)) throw new ReviseError(`cannot rename column "${op.from}" to "${op.to}": table "${t.name}" already has "${op.to}"`);
      col.name = op.to;
      const source = state.sources.get(op.from);
      state.sources.delete(op.from);
      if (source !== undefined) state.sources.set(op.to, source);
      const rename = (n: string) => (n === op.from ? op.to : n);
      if (t.primaryKey) t.primaryKey.columns = t.primaryKey.columns.map(rename);
      for (const i of t.indexes) {
        for (const c of i.columns) c.name = c.expression ? renameColumnIn(c.name, op.from, op.to) : rename(c.name);
        if (i.where) i.where = renameColumnIn(i.where, op.from, op.to);
      }
      for (const f of t.foreignKeys) f.columns = f.columns.map(rename);
      // A self-reference follows the rename too.
      for (const f of t.foreignKeys) if (f.referencedTable === t.name && !f.referencedSchema) f.referencedColumns = f.referencedColumns.map(rename);
      return;
    }
    case 'alterColumn': {
      const name = op.to.name ?? op.from.name;
      const idx = t.columns.findIndex((c) => c.name === (op.from.name ?? name));
      if (idx < 0) throw new ReviseError(`cannot alter column "${name}": table "${t.name}" has no column "${name}"`);
      t.columns[idx] = clonePlain({ ...op.to, name: t.columns[idx]!.name });
      return;
    }
    case 'createIndex':
      if (t.indexes.some((i) => i.name === op.index.name)) throw new ReviseError(`cannot create index "${op.index.name}": it already exists on "${t.name}"`);
      requireColumns(state, op.index.columns.filter((c) => !c.expression).map((c) => c.name), `create index "${op.index.name}"`);
      t.indexes.push(clonePlain(op.index));
      return;
    case 'dropIndex':
      if (!t.indexes.some((i) => i.name === op.index.name)) throw new ReviseError(`cannot drop index "${op.index.name}": table "${t.name}" has no such index`);
      t.indexes = t.indexes.filter((i) => i.name !== op.index.name);
      return;
    case 'renameIndex': {
      const index = t.indexes.find((i) => i.name === op.from);
      if (!index) throw new ReviseError(`cannot rename index "${op.from}": table "${t.name}" has no such index`);
      if (op.from !== op.to && t.indexes.some((i) => i.name === op.to)) throw new ReviseError(`cannot rename index "${op.from}" to "${op.to}": "${op.to}" exists`);
      index.name = op.to;
      return;
    }
    case 'addForeignKey':
      if (t.foreignKeys.some((f) => f.name === op.foreignKey.name)) throw new ReviseError(`cannot add foreign key "${op.foreignKey.name}": it already exists on "${t.name}"`);
      requireColumns(state, op.foreignKey.columns, `add foreign key "${op.foreignKey.name}"`);
      t.foreignKeys.push(clonePlain(op.foreignKey));
      return;
    case 'dropForeignKey':
      if (!t.foreignKeys.some((f) => f.name === op.foreignKey.name)) throw new ReviseError(`cannot drop foreign key "${op.foreignKey.name}": table "${t.name}" has no such foreign key`);
      t.foreignKeys = t.foreignKeys.filter((f) => f.name !== op.foreignKey.name);
      return;
    case 'addPrimaryKey':
      if (t.primaryKey) throw new ReviseError(`cannot add a primary key to "${t.name}": it already has one`);
      requireColumns(state, op.primaryKey.columns, `add primary key to "${t.name}"`);
      t.primaryKey = clonePlain(op.primaryKey);
      return;
    case 'dropPrimaryKey':
      if (!t.primaryKey) throw new ReviseError(`cannot drop the primary key of "${t.name}": it has none`);
      delete t.primaryKey;
      // AUTOINCREMENT cannot outlive its primary key.
      for (const c of t.columns) delete c.autoincrement;
      return;
  }
}
