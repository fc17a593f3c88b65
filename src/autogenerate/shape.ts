import { ReviseError } from '../errors.js';
import type { DatabaseModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import { renameColumnIn } from '../model/sql-text.js';
import type { Operation, TableScopedOp } from '../operations/types.js';
import { canonicalColumn, canonicalExtension, canonicalForeignKey, canonicalIndex, canonicalTable, sameRef } from './canonical.js';

/**
 * Pure model arithmetic: what a table (or a whole database model) looks like
 * after an operation. Autogenerate uses it to freeze batch shapes and to
 * check its own output; the runtime and dialects may reuse it to track a
 * table's shape through a batch or an offline script.
 *
 * It does exactly what the operation says and nothing more (dropping a column
 * does not drop its indexes), except that renames follow references, as both
 * PostgreSQL and SQLite (3.26+) do.
 */

function fail(message: string): never {
  throw new ReviseError(message);
}

function columnIndex(table: TableModel, name: string): number {
  const i = table.columns.findIndex((c) => c.name === name);
  if (i < 0) fail(`Table ${qualifiedName(table)} has no column "${name}".`);
  return i;
}

export function applyToShape(table: TableModel, op: TableScopedOp): TableModel {
  const t: TableModel = canonicalTable(table);
  const where = qualifiedName(t);
  switch (op.kind) {
    case 'addColumn':
      if (t.columns.some((c) => c.name === op.column.name)) fail(`Table ${where} already has a column "${op.column.name}".`);
      t.columns.push(canonicalColumn(op.column));
      return t;
    case 'dropColumn':
      t.columns.splice(columnIndex(t, op.column.name), 1);
      return t;
    case 'renameColumn': {
      const i = columnIndex(t, op.from);
      if (t.columns.some((c) => c.name === op.to)) fail(`Table ${where} already has a column "${op.to}".`);
      const rename = (n: string) => (n === op.from ? op.to : n);
      t.columns[i] = { ...t.columns[i]!, name: op.to };
      if (t.primaryKey) t.primaryKey.columns = t.primaryKey.columns.map(rename);
      for (const index of t.indexes) {
        index.columns = index.columns.map((c) => ({ ...c, name: c.expression ? renameColumnIn(c.name, op.from, op.to) : rename(c.name) }));
        if (index.where) index.where = renameColumnIn(index.where, op.from, op.to);
        if (index.include) index.include = index.include.map(rename);
      }
      for (const fk of t.foreignKeys) {
        fk.columns = fk.columns.map(rename);
        // A self-reference follows the rename too.
        if (fk.referencedTable === t.name && (fk.referencedSchema || t.schema) === t.schema) {
          fk.referencedColumns = fk.referencedColumns.map(rename);
        }
      }
      return t;
    }
    case 'alterColumn':
      t.columns[columnIndex(t, op.from.name)] = canonicalColumn({ ...op.to, name: op.from.name });
      return t;
    case 'createIndex':
      if (t.indexes.some((i) => i.name === op.index.name)) fail(`Table ${where} already has an index "${op.index.name}".`);
      t.indexes.push(canonicalIndex(op.index));
      return t;
    case 'dropIndex': {
      const i = t.indexes.findIndex((x) => x.name === op.index.name);
      if (i < 0) fail(`Table ${where} has no index "${op.index.name}".`);
      t.indexes.splice(i, 1);
      return t;
    }
    case 'renameIndex': {
      const index = t.indexes.find((x) => x.name === op.from);
      // A primary key's index (PostgreSQL): renaming it renames the constraint.
      if (!index && t.primaryKey?.name === op.from) t.primaryKey.name = op.to;
      else if (!index) fail(`Table ${where} has no index "${op.from}".`);
      else index.name = op.to;
      return t;
    }
    case 'addForeignKey':
      if (t.foreignKeys.some((f) => f.name === op.foreignKey.name)) fail(`Table ${where} already has a foreign key "${op.foreignKey.name}".`);
      t.foreignKeys.push(canonicalForeignKey(op.foreignKey));
      return t;
    case 'dropForeignKey': {
      const i = t.foreignKeys.findIndex((x) => x.name === op.foreignKey.name);
      if (i < 0) fail(`Table ${where} has no foreign key "${op.foreignKey.name}".`);
      t.foreignKeys.splice(i, 1);
      return t;
    }
    case 'addPrimaryKey':
      if (t.primaryKey) fail(`Table ${where} already has a primary key.`);
      t.primaryKey = op.primaryKey.name ? { name: op.primaryKey.name, columns: [...op.primaryKey.columns] } : { columns: [...op.primaryKey.columns] };
      return t;
    case 'dropPrimaryKey':
      if (!t.primaryKey) fail(`Table ${where} has no primary key.`);
      delete t.primaryKey;
      return t;
  }
}

function tableIndexOf(model: DatabaseModel, ref: { schema?: string; name: string }): number {
  const i = model.tables.findIndex((t) => sameRef(t, ref));
  if (i < 0) fail(`Table ${qualifiedName(ref)} does not exist.`);
  return i;
}

function enumIndexOf(model: DatabaseModel, ref: { schema?: string; name: string }): number {
  const i = model.enums.findIndex((e) => sameRef(e, ref));
  if (i < 0) fail(`Enum ${qualifiedName(ref)} does not exist.`);
  return i;
}

/** Whether a foreign key declared on `owner` points at `target`. */
function pointsAt(owner: TableModel, fk: { referencedSchema?: string; referencedTable: string }, target: { schema?: string; name: string }): boolean {
  return fk.referencedTable === target.name && (fk.referencedSchema || owner.schema || undefined) === (target.schema || undefined);
}

/** The model after one operation (any kind but `execute`, whose effect is unknown). */
export function applyToModel(model: DatabaseModel, op: Operation): DatabaseModel {
  const m: DatabaseModel = { tables: [...model.tables], enums: [...model.enums] };
  if (model.extensions) m.extensions = [...model.extensions];
  switch (op.kind) {
    case 'createTable':
      if (m.tables.some((t) => sameRef(t, op.table))) fail(`Table ${qualifiedName(op.table)} already exists.`);
      m.tables.push(canonicalTable(op.table));
      return m;
    case 'dropTable':
      m.tables.splice(tableIndexOf(m, op.table), 1);
      return m;
    case 'renameTable': {
      const i = tableIndexOf(m, { schema: op.schema, name: op.from });
      const old = m.tables[i]!;
      if (m.tables.some((t) => sameRef(t, { schema: op.schema, name: op.to }))) fail(`Table ${qualifiedName({ schema: op.schema, name: op.to })} already exists.`);
      m.tables[i] = { ...old, name: op.to };
      // Foreign keys elsewhere (and self-references) follow the rename.
      m.tables = m.tables.map((t) =>
        t.foreignKeys.some((fk) => pointsAt(t, fk, old))
          ? { ...t, foreignKeys: t.foreignKeys.map((fk) => (pointsAt(t, fk, old) ? { ...fk, referencedTable: op.to } : fk)) }
          : t,
      );
      return m;
    }
    case 'batchAlterTable': {
      const i = tableIndexOf(m, op.table);
      let t = m.tables[i]!;
      for (const inner of op.ops) {
        t = applyToShape(t, inner);
        m.tables[i] = t;
        if (inner.kind === 'renameColumn') m.tables = followColumnRename(m.tables, t, inner.from, inner.to);
        t = m.tables[i]!;
      }
      return m;
    }
    case 'addColumn':
    case 'dropColumn':
    case 'renameColumn':
    case 'alterColumn':
    case 'createIndex':
    case 'dropIndex':
    case 'renameIndex':
    case 'addForeignKey':
    case 'dropForeignKey':
    case 'addPrimaryKey':
    case 'dropPrimaryKey': {
      const i = tableIndexOf(m, op.table);
      const t = applyToShape(m.tables[i]!, op);
      m.tables[i] = t;
      if (op.kind === 'renameColumn') m.tables = followColumnRename(m.tables, t, op.from, op.to);
      return m;
    }
    case 'createEnum':
      if (m.enums.some((e) => sameRef(e, op.enum))) fail(`Enum ${qualifiedName(op.enum)} already exists.`);
      m.enums.push(op.enum.schema ? { schema: op.enum.schema, name: op.enum.name, values: [...op.enum.values] } : { name: op.enum.name, values: [...op.enum.values] });
      return m;
    case 'dropEnum':
      m.enums.splice(enumIndexOf(m, op.enum), 1);
      return m;
    case 'alterEnum': {
      const i = enumIndexOf(m, op);
      m.enums[i] = { ...m.enums[i]!, values: [...op.to] };
      return m;
    }
    case 'renameEnumValue': {
      const i = enumIndexOf(m, op);
      const e = m.enums[i]!;
      if (!e.values.includes(op.from)) fail(`Enum ${qualifiedName(e)} has no value "${op.from}".`);
      m.enums[i] = { ...e, values: e.values.map((v) => (v === op.from ? op.to : v)) };
      return m;
    }
    case 'createExtension': {
      const extensions = m.extensions ?? [];
      if (extensions.some((x) => x.name === op.extension.name)) fail(`Extension ${op.extension.name} already exists.`);
      m.extensions = [...extensions, canonicalExtension(op.extension)];
      return m;
    }
    case 'dropExtension': {
      const extensions = m.extensions ?? [];
      if (!extensions.some((x) => x.name === op.extension.name)) fail(`Extension ${op.extension.name} does not exist.`);
      const rest = extensions.filter((x) => x.name !== op.extension.name);
      if (rest.length > 0) m.extensions = rest;
      else delete m.extensions;
      return m;
    }
    case 'alterExtension': {
      const extensions = m.extensions ?? [];
      const i = extensions.findIndex((x) => x.name === op.name);
      if (i < 0) fail(`Extension ${op.name} does not exist.`);
      const next = { ...extensions[i]! };
      if (op.to.schema !== undefined) next.schema = op.to.schema;
      if (op.to.version !== undefined) next.version = op.to.version;
      m.extensions = extensions.map((x, j) => (j === i ? canonicalExtension(next) : x));
      return m;
    }
    case 'execute':
      return fail('Raw SQL (op.execute) cannot be applied to a table model.');
  }
}

/** Foreign keys in other tables that reference a renamed column follow it. */
function followColumnRename(tables: TableModel[], renamed: TableModel, from: string, to: string): TableModel[] {
  return tables.map((t) => {
    if (sameRef(t, renamed)) return t;
    let changed = false;
    const foreignKeys = t.foreignKeys.map((fk) => {
      if (!pointsAt(t, fk, renamed) || !fk.referencedColumns.includes(from)) return fk;
      changed = true;
      return { ...fk, referencedColumns: fk.referencedColumns.map((c) => (c === from ? to : c)) };
    });
    return changed ? { ...t, foreignKeys } : t;
  });
}

export function applyAllToModel(model: DatabaseModel, ops: Operation[]): DatabaseModel {
  return ops.reduce(applyToModel, model);
}
