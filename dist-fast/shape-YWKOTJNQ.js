import {
  qualifiedName
} from "./chunk-5RSOFSS4.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/autogenerate/canonical.js
function canonicalColumn(column) {
  const out = { name: column.name, type: column.type, nullable: column.nullable };
  if (column.default !== void 0 && column.default !== null)
    out.default = column.default;
  if (column.autoincrement)
    out.autoincrement = true;
  if (column.isList)
    out.isList = true;
  if (column.enumType)
    out.enumType = column.enumType.schema ? { schema: column.enumType.schema, name: column.enumType.name } : { name: column.enumType.name };
  return out;
}
function canonicalIndexColumn(column) {
  const out = { name: column.name };
  if (column.sort)
    out.sort = column.sort;
  if (column.opclass)
    out.opclass = column.opclass;
  if (column.length !== void 0 && column.length !== null)
    out.length = column.length;
  return out;
}
function canonicalIndex(index) {
  const out = { name: index.name, columns: index.columns.map(canonicalIndexColumn), unique: !!index.unique };
  if (index.using)
    out.using = index.using;
  if (index.where)
    out.where = index.where;
  return out;
}
function canonicalForeignKey(fk) {
  const out = {
    name: fk.name,
    columns: [...fk.columns],
    referencedTable: fk.referencedTable,
    referencedColumns: [...fk.referencedColumns],
    onDelete: fk.onDelete,
    onUpdate: fk.onUpdate
  };
  if (fk.referencedSchema)
    out.referencedSchema = fk.referencedSchema;
  return out;
}
function canonicalTable(table) {
  const out = { name: table.name, columns: table.columns.map(canonicalColumn), indexes: [], foreignKeys: [] };
  if (table.schema)
    out.schema = table.schema;
  if (table.primaryKey) {
    out.primaryKey = table.primaryKey.name ? { name: table.primaryKey.name, columns: [...table.primaryKey.columns] } : { columns: [...table.primaryKey.columns] };
  }
  out.indexes = (table.indexes ?? []).map(canonicalIndex);
  out.foreignKeys = (table.foreignKeys ?? []).map(canonicalForeignKey);
  return out;
}
function sameRef(a, b) {
  return a.name === b.name && (a.schema || void 0) === (b.schema || void 0);
}

// dist/autogenerate/shape.js
function fail(message) {
  throw new ReviseError(message);
}
function columnIndex(table, name) {
  const i = table.columns.findIndex((c) => c.name === name);
  if (i < 0)
    fail(`Table ${qualifiedName(table)} has no column "${name}".`);
  return i;
}
function applyToShape(table, op) {
  const t = canonicalTable(table);
  const where = qualifiedName(t);
  switch (op.kind) {
    case "addColumn":
      if (t.columns.some((c) => c.name === op.column.name))
        fail(`Table ${where} already has a column "${op.column.name}".`);
      t.columns.push(canonicalColumn(op.column));
      return t;
    case "dropColumn":
      t.columns.splice(columnIndex(t, op.column.name), 1);
      return t;
    case "renameColumn": {
      const i = columnIndex(t, op.from);
      if (t.columns.some((c) => c.name === op.to))
        fail(`Table ${where} already has a column "${op.to}".`);
      const rename = (n) => n === op.from ? op.to : n;
      t.columns[i] = { ...t.columns[i], name: op.to };
      if (t.primaryKey)
        t.primaryKey.columns = t.primaryKey.columns.map(rename);
      for (const index of t.indexes)
        index.columns = index.columns.map((c) => ({ ...c, name: rename(c.name) }));
      for (const fk of t.foreignKeys) {
        fk.columns = fk.columns.map(rename);
        if (fk.referencedTable === t.name && (fk.referencedSchema || t.schema) === t.schema) {
          fk.referencedColumns = fk.referencedColumns.map(rename);
        }
      }
      return t;
    }
    case "alterColumn":
      t.columns[columnIndex(t, op.from.name)] = canonicalColumn({ ...op.to, name: op.from.name });
      return t;
    case "createIndex":
      if (t.indexes.some((i) => i.name === op.index.name))
        fail(`Table ${where} already has an index "${op.index.name}".`);
      t.indexes.push(canonicalIndex(op.index));
      return t;
    case "dropIndex": {
      const i = t.indexes.findIndex((x) => x.name === op.index.name);
      if (i < 0)
        fail(`Table ${where} has no index "${op.index.name}".`);
      t.indexes.splice(i, 1);
      return t;
    }
    case "renameIndex": {
      const index = t.indexes.find((x) => x.name === op.from);
      if (!index && t.primaryKey?.name === op.from)
        t.primaryKey.name = op.to;
      else if (!index)
        fail(`Table ${where} has no index "${op.from}".`);
      else
        index.name = op.to;
      return t;
    }
    case "addForeignKey":
      if (t.foreignKeys.some((f) => f.name === op.foreignKey.name))
        fail(`Table ${where} already has a foreign key "${op.foreignKey.name}".`);
      t.foreignKeys.push(canonicalForeignKey(op.foreignKey));
      return t;
    case "dropForeignKey": {
      const i = t.foreignKeys.findIndex((x) => x.name === op.foreignKey.name);
      if (i < 0)
        fail(`Table ${where} has no foreign key "${op.foreignKey.name}".`);
      t.foreignKeys.splice(i, 1);
      return t;
    }
    case "addPrimaryKey":
      if (t.primaryKey)
        fail(`Table ${where} already has a primary key.`);
      t.primaryKey = op.primaryKey.name ? { name: op.primaryKey.name, columns: [...op.primaryKey.columns] } : { columns: [...op.primaryKey.columns] };
      return t;
    case "dropPrimaryKey":
      if (!t.primaryKey)
        fail(`Table ${where} has no primary key.`);
      delete t.primaryKey;
      return t;
  }
}
function tableIndexOf(model, ref) {
  const i = model.tables.findIndex((t) => sameRef(t, ref));
  if (i < 0)
    fail(`Table ${qualifiedName(ref)} does not exist.`);
  return i;
}
function enumIndexOf(model, ref) {
  const i = model.enums.findIndex((e) => sameRef(e, ref));
  if (i < 0)
    fail(`Enum ${qualifiedName(ref)} does not exist.`);
  return i;
}
function pointsAt(owner, fk, target) {
  return fk.referencedTable === target.name && (fk.referencedSchema || owner.schema || void 0) === (target.schema || void 0);
}
function applyToModel(model, op) {
  const m = { tables: [...model.tables], enums: [...model.enums] };
  switch (op.kind) {
    case "createTable":
      if (m.tables.some((t) => sameRef(t, op.table)))
        fail(`Table ${qualifiedName(op.table)} already exists.`);
      m.tables.push(canonicalTable(op.table));
      return m;
    case "dropTable":
      m.tables.splice(tableIndexOf(m, op.table), 1);
      return m;
    case "renameTable": {
      const i = tableIndexOf(m, { schema: op.schema, name: op.from });
      const old = m.tables[i];
      if (m.tables.some((t) => sameRef(t, { schema: op.schema, name: op.to })))
        fail(`Table ${qualifiedName({ schema: op.schema, name: op.to })} already exists.`);
      m.tables[i] = { ...old, name: op.to };
      m.tables = m.tables.map((t) => t.foreignKeys.some((fk) => pointsAt(t, fk, old)) ? { ...t, foreignKeys: t.foreignKeys.map((fk) => pointsAt(t, fk, old) ? { ...fk, referencedTable: op.to } : fk) } : t);
      return m;
    }
    case "batchAlterTable": {
      const i = tableIndexOf(m, op.table);
      let t = m.tables[i];
      for (const inner of op.ops) {
        t = applyToShape(t, inner);
        m.tables[i] = t;
        if (inner.kind === "renameColumn")
          m.tables = followColumnRename(m.tables, t, inner.from, inner.to);
        t = m.tables[i];
      }
      return m;
    }
    case "addColumn":
    case "dropColumn":
    case "renameColumn":
    case "alterColumn":
    case "createIndex":
    case "dropIndex":
    case "renameIndex":
    case "addForeignKey":
    case "dropForeignKey":
    case "addPrimaryKey":
    case "dropPrimaryKey": {
      const i = tableIndexOf(m, op.table);
      const t = applyToShape(m.tables[i], op);
      m.tables[i] = t;
      if (op.kind === "renameColumn")
        m.tables = followColumnRename(m.tables, t, op.from, op.to);
      return m;
    }
    case "createEnum":
      if (m.enums.some((e) => sameRef(e, op.enum)))
        fail(`Enum ${qualifiedName(op.enum)} already exists.`);
      m.enums.push(op.enum.schema ? { schema: op.enum.schema, name: op.enum.name, values: [...op.enum.values] } : { name: op.enum.name, values: [...op.enum.values] });
      return m;
    case "dropEnum":
      m.enums.splice(enumIndexOf(m, op.enum), 1);
      return m;
    case "alterEnum": {
      const i = enumIndexOf(m, op);
      m.enums[i] = { ...m.enums[i], values: [...op.to] };
      return m;
    }
    case "renameEnumValue": {
      const i = enumIndexOf(m, op);
      const e = m.enums[i];
      if (!e.values.includes(op.from))
        fail(`Enum ${qualifiedName(e)} has no value "${op.from}".`);
      m.enums[i] = { ...e, values: e.values.map((v) => v === op.from ? op.to : v) };
      return m;
    }
    case "execute":
      return fail("Raw SQL (op.execute) cannot be applied to a table model.");
  }
}
function followColumnRename(tables, renamed, from, to) {
  return tables.map((t) => {
    if (sameRef(t, renamed))
      return t;
    let changed = false;
    const foreignKeys = t.foreignKeys.map((fk) => {
      if (!pointsAt(t, fk, renamed) || !fk.referencedColumns.includes(from))
        return fk;
      changed = true;
      return { ...fk, referencedColumns: fk.referencedColumns.map((c) => c === from ? to : c) };
    });
    return changed ? { ...t, foreignKeys } : t;
  });
}
function applyAllToModel(model, ops) {
  return ops.reduce(applyToModel, model);
}
export {
  applyAllToModel,
  applyToModel,
  applyToShape
};
