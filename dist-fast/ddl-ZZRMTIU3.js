import {
  isConstantDefault,
  quoteIdentifier,
  renderDefault
} from "./chunk-HOY2IDPX.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";
import "./chunk-2TP5XQGQ.js";

// dist/dialect/sqlite/render.js
var INDENT = "    ";
function isAutoIndex(name) {
  return name.startsWith("sqlite_autoindex_");
}
function inlinePrimaryKey(table) {
  return table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0] : void 0;
}
function renderColumn(column2, table) {
  let sql = column2.type ? `${quoteIdentifier(column2.name)} ${column2.type}` : quoteIdentifier(column2.name);
  if (!column2.nullable)
    sql += " NOT NULL";
  if (table && inlinePrimaryKey(table) === column2.name) {
    sql += " PRIMARY KEY";
    if (column2.autoincrement)
      sql += " AUTOINCREMENT";
  }
  if (column2.default !== void 0)
    sql += ` DEFAULT ${renderDefault(column2.default)}`;
  return sql;
}
function renderForeignKey(fk) {
  return `CONSTRAINT ${quoteIdentifier(fk.name)} FOREIGN KEY (${fk.columns.map(quoteIdentifier).join(", ")}) REFERENCES ${quoteIdentifier(fk.referencedTable)} (${fk.referencedColumns.map(quoteIdentifier).join(", ")}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;
}
function renderCreateTable(table, name = table.name) {
  const lines = table.columns.map((c) => INDENT + renderColumn(c, table));
  const constraints = [];
  const pk = table.primaryKey;
  if (pk && pk.columns.length > 1) {
    constraints.push(`PRIMARY KEY (${pk.columns.map(quoteIdentifier).join(", ")})`);
  }
  for (const index of table.indexes) {
    if (isAutoIndex(index.name))
      constraints.push(`UNIQUE (${index.columns.map((c) => quoteIdentifier(c.name)).join(", ")})`);
  }
  let body = lines.join(",\n");
  if (constraints.length > 0)
    body += ",\n\n" + constraints.map((c) => INDENT + c).join(",\n");
  if (table.foreignKeys.length > 0)
    body += ",\n" + table.foreignKeys.map((fk) => INDENT + renderForeignKey(fk)).join(",\n");
  return `CREATE TABLE ${quoteIdentifier(name)} (
${body}
)`;
}
function renderCreateIndex(tableName, index) {
  const cols = index.columns.map((c) => c.sort ? `${quoteIdentifier(c.name)} ${c.sort}` : quoteIdentifier(c.name)).join(", ");
  let sql = `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${quoteIdentifier(index.name)} ON ${quoteIdentifier(tableName)}(${cols})`;
  if (index.where)
    sql += ` WHERE ${index.where}`;
  return sql;
}
function renderDropIndex(name) {
  return `DROP INDEX ${quoteIdentifier(name)}`;
}

// dist/dialect/sqlite/rebuild.js
function rebuildTable(old, state) {
  const next = state.table;
  const temp = `new_${next.name}`;
  const statements = [{ sql: renderCreateTable(next, temp) }];
  const targets = [];
  const sources = [];
  for (const col of next.columns) {
    const from = state.sources.get(col.name);
    if (from === void 0)
      continue;
    const oldCol = old.columns.find((c) => c.name === from);
    let expr = quoteIdentifier(from);
    if (oldCol?.nullable && !col.nullable && col.default !== void 0 && isConstantDefault(col.default) && !/^null$/i.test(col.default)) {
      expr = `COALESCE(${expr}, ${col.default})`;
    }
    targets.push(quoteIdentifier(col.name));
    sources.push(expr);
  }
  if (targets.length > 0) {
    statements.push({ sql: `INSERT INTO ${quoteIdentifier(temp)} (${targets.join(", ")}) SELECT ${sources.join(", ")} FROM ${quoteIdentifier(old.name)}` });
  }
  statements.push({ sql: `DROP TABLE ${quoteIdentifier(old.name)}` });
  statements.push({ sql: "PRAGMA legacy_alter_table=ON" });
  statements.push({ sql: `ALTER TABLE ${quoteIdentifier(temp)} RENAME TO ${quoteIdentifier(next.name)}` });
  statements.push({ sql: "PRAGMA legacy_alter_table=OFF" });
  for (const index of next.indexes) {
    if (!isAutoIndex(index.name))
      statements.push({ sql: renderCreateIndex(next.name, index) });
  }
  return statements;
}

// dist/dialect/sqlite/shape.js
function startShape(table) {
  return { table: structuredClone(table), sources: new Map(table.columns.map((c) => [c.name, c.name])) };
}
function column(state, name, what) {
  const col = state.table.columns.find((c) => c.name === name);
  if (!col)
    throw new ReviseError(`cannot ${what}: table "${state.table.name}" has no column "${name}"`);
  return col;
}
function requireColumns(state, names, what) {
  for (const n of names)
    column(state, n, what);
}
function applyToShape(state, op) {
  const t = state.table;
  const has = (name) => t.columns.some((c) => c.name === name);
  switch (op.kind) {
    case "addColumn":
      if (has(op.column.name))
        throw new ReviseError(`cannot add column "${op.column.name}": table "${t.name}" already has it`);
      t.columns.push(structuredClone(op.column));
      if (op.column.autoincrement)
        t.primaryKey = { columns: [op.column.name] };
      return;
    case "dropColumn": {
      const name = op.column.name;
      column(state, name, `drop column "${name}"`);
      t.columns = t.columns.filter((c) => c.name !== name);
      state.sources.delete(name);
      t.indexes = t.indexes.filter((i) => !i.columns.some((c) => c.name === name));
      t.foreignKeys = t.foreignKeys.filter((f) => !f.columns.includes(name));
      if (t.primaryKey?.columns.includes(name))
        delete t.primaryKey;
      return;
    }
    case "renameColumn": {
      const col = column(state, op.from, `rename column "${op.from}"`);
      if (op.from === op.to)
        return;
      if (has(op.to))
        throw new ReviseError(`cannot rename column "${op.from}" to "${op.to}": table "${t.name}" already has "${op.to}"`);
      col.name = op.to;
      const source = state.sources.get(op.from);
      state.sources.delete(op.from);
      if (source !== void 0)
        state.sources.set(op.to, source);
      const rename = (n) => n === op.from ? op.to : n;
      if (t.primaryKey)
        t.primaryKey.columns = t.primaryKey.columns.map(rename);
      for (const i of t.indexes)
        for (const c of i.columns)
          c.name = rename(c.name);
      for (const f of t.foreignKeys)
        f.columns = f.columns.map(rename);
      for (const f of t.foreignKeys)
        if (f.referencedTable === t.name && !f.referencedSchema)
          f.referencedColumns = f.referencedColumns.map(rename);
      return;
    }
    case "alterColumn": {
      const name = op.to.name ?? op.from.name;
      const idx = t.columns.findIndex((c) => c.name === (op.from.name ?? name));
      if (idx < 0)
        throw new ReviseError(`cannot alter column "${name}": table "${t.name}" has no column "${name}"`);
      t.columns[idx] = structuredClone({ ...op.to, name: t.columns[idx].name });
      return;
    }
    case "createIndex":
      if (t.indexes.some((i) => i.name === op.index.name))
        throw new ReviseError(`cannot create index "${op.index.name}": it already exists on "${t.name}"`);
      requireColumns(state, op.index.columns.map((c) => c.name), `create index "${op.index.name}"`);
      t.indexes.push(structuredClone(op.index));
      return;
    case "dropIndex":
      if (!t.indexes.some((i) => i.name === op.index.name))
        throw new ReviseError(`cannot drop index "${op.index.name}": table "${t.name}" has no such index`);
      t.indexes = t.indexes.filter((i) => i.name !== op.index.name);
      return;
    case "renameIndex": {
      const index = t.indexes.find((i) => i.name === op.from);
      if (!index)
        throw new ReviseError(`cannot rename index "${op.from}": table "${t.name}" has no such index`);
      if (op.from !== op.to && t.indexes.some((i) => i.name === op.to))
        throw new ReviseError(`cannot rename index "${op.from}" to "${op.to}": "${op.to}" exists`);
      index.name = op.to;
      return;
    }
    case "addForeignKey":
      if (t.foreignKeys.some((f) => f.name === op.foreignKey.name))
        throw new ReviseError(`cannot add foreign key "${op.foreignKey.name}": it already exists on "${t.name}"`);
      requireColumns(state, op.foreignKey.columns, `add foreign key "${op.foreignKey.name}"`);
      t.foreignKeys.push(structuredClone(op.foreignKey));
      return;
    case "dropForeignKey":
      if (!t.foreignKeys.some((f) => f.name === op.foreignKey.name))
        throw new ReviseError(`cannot drop foreign key "${op.foreignKey.name}": table "${t.name}" has no such foreign key`);
      t.foreignKeys = t.foreignKeys.filter((f) => f.name !== op.foreignKey.name);
      return;
    case "addPrimaryKey":
      if (t.primaryKey)
        throw new ReviseError(`cannot add a primary key to "${t.name}": it already has one`);
      requireColumns(state, op.primaryKey.columns, `add primary key to "${t.name}"`);
      t.primaryKey = structuredClone(op.primaryKey);
      return;
    case "dropPrimaryKey":
      if (!t.primaryKey)
        throw new ReviseError(`cannot drop the primary key of "${t.name}": it has none`);
      delete t.primaryKey;
      for (const c of t.columns)
        delete c.autoincrement;
      return;
  }
}

// dist/dialect/sqlite/ddl.js
async function compileSqlite(op, ctx) {
  switch (op.kind) {
    case "createTable":
      return [
        { sql: renderCreateTable(op.table) },
        ...op.table.indexes.filter((i) => !isAutoIndex(i.name)).map((i) => ({ sql: renderCreateIndex(op.table.name, i) }))
      ];
    case "dropTable":
      return [{ sql: `DROP TABLE ${quoteIdentifier(op.table.name)}` }];
    case "renameTable":
      return [{ sql: `ALTER TABLE ${quoteIdentifier(op.from)} RENAME TO ${quoteIdentifier(op.to)}` }];
    case "createEnum":
    case "dropEnum":
    case "alterEnum":
    case "renameEnumValue":
      return [];
    case "execute":
      return [op.params && op.params.length > 0 ? { sql: op.sql, params: [...op.params] } : { sql: op.sql }];
    case "batchAlterTable":
      return compileBatch(op, ctx);
    default:
      return compileBatch({ kind: "batchAlterTable", table: op.table, recreate: "auto", ops: [op] }, ctx);
  }
}
function tableLabel(ref) {
  return `"${ref.name}"`;
}
async function compileBatch(op, ctx) {
  const shape = op.shape ?? await ctx.getTable(op.table);
  if (!shape) {
    if (!ctx.offline)
      throw new ReviseError(`table ${tableLabel(op.table)} does not exist`);
    if (op.recreate === "always")
      throw new ReviseError(`cannot rebuild ${tableLabel(op.table)} offline without its shape; pass { shape } to batchAlterTable`);
    return op.ops.flatMap((inner) => {
      const statements = inPlaceStatements(op.table.name, void 0, inner);
      if (!statements) {
        throw new ReviseError(`cannot ${inner.kind} on ${tableLabel(op.table)} offline without the table's shape; pass { shape } to batchAlterTable`);
      }
      return statements;
    });
  }
  const state = startShape(shape);
  const original = structuredClone(shape);
  const inPlace = [];
  let rebuildFor = op.recreate === "always" ? "recreate: always" : void 0;
  for (const inner of op.ops) {
    const statements = rebuildFor ? void 0 : inPlaceStatements(shape.name, state.table, inner);
    applyToShape(state, inner);
    if (statements)
      inPlace.push(...statements);
    else
      rebuildFor ??= inner.kind;
  }
  if (!rebuildFor)
    return inPlace;
  if (op.recreate === "never") {
    throw new ReviseError(`${rebuildFor} on ${tableLabel(op.table)} needs a table rebuild on SQLite, but batchAlterTable was given recreate: 'never'`);
  }
  return [...hoistRenames(original, op.ops, state), ...rebuildTable(original, state)];
}
function hoistRenames(old, ops, state) {
  const renames = ops.filter((o) => o.kind === "renameColumn" && o.from !== o.to);
  if (renames.length === 0)
    return [];
  const names = old.columns.map((c) => c.name);
  for (const r of renames) {
    const i = names.indexOf(r.from);
    if (i < 0 || names.includes(r.to))
      return [];
    names[i] = r.to;
  }
  const renamedShape = startShape(old);
  for (const r of renames)
    applyToShape(renamedShape, r);
  const renamedOf = new Map([...renamedShape.sources].map(([now, original]) => [original, now]));
  for (const [column2, original] of state.sources)
    state.sources.set(column2, renamedOf.get(original) ?? original);
  Object.assign(old, renamedShape.table);
  return renames.map((r) => ({ sql: `ALTER TABLE ${quoteIdentifier(old.name)} RENAME COLUMN ${quoteIdentifier(r.from)} TO ${quoteIdentifier(r.to)}` }));
}
function inPlaceStatements(tableName, table, op) {
  const t = quoteIdentifier(tableName);
  switch (op.kind) {
    case "addColumn": {
      const c = op.column;
      if (c.autoincrement)
        return void 0;
      if (c.default !== void 0 && !isConstantDefault(c.default))
        return void 0;
      if (!c.nullable && (c.default === void 0 || /^null$/i.test(c.default.trim())))
        return void 0;
      return [{ sql: `ALTER TABLE ${t} ADD COLUMN ${renderColumn(c)}` }];
    }
    case "dropColumn": {
      const name = op.column.name;
      if (!table)
        return [{ sql: `ALTER TABLE ${t} DROP COLUMN ${quoteIdentifier(name)}` }];
      if (table.primaryKey?.columns.includes(name))
        return void 0;
      if (table.foreignKeys.some((f) => f.columns.includes(name)))
        return void 0;
      const onColumn = table.indexes.filter((i) => i.columns.some((c) => c.name === name));
      if (onColumn.some((i) => isAutoIndex(i.name)))
        return void 0;
      return [...onColumn.map((i) => ({ sql: renderDropIndex(i.name) })), { sql: `ALTER TABLE ${t} DROP COLUMN ${quoteIdentifier(name)}` }];
    }
    case "renameColumn":
      return op.from === op.to ? [] : [{ sql: `ALTER TABLE ${t} RENAME COLUMN ${quoteIdentifier(op.from)} TO ${quoteIdentifier(op.to)}` }];
    case "alterColumn": {
      const current = table?.columns.find((c) => c.name === op.from.name);
      return current && sameColumn(current, op.to) ? [] : void 0;
    }
    case "createIndex":
      return isAutoIndex(op.index.name) ? void 0 : [{ sql: renderCreateIndex(tableName, op.index) }];
    case "dropIndex":
      return isAutoIndex(op.index.name) ? void 0 : [{ sql: renderDropIndex(op.index.name) }];
    case "renameIndex": {
      if (op.from === op.to)
        return [];
      const index = table?.indexes.find((i) => i.name === op.from);
      if (!table)
        return void 0;
      if (!index)
        return [];
      if (isAutoIndex(op.from) || isAutoIndex(op.to))
        return void 0;
      return [{ sql: renderDropIndex(op.from) }, { sql: renderCreateIndex(tableName, { ...index, name: op.to }) }];
    }
    case "addForeignKey":
    case "dropForeignKey":
    case "addPrimaryKey":
    case "dropPrimaryKey":
      return void 0;
  }
}
function sameColumn(a, b) {
  return a.type === b.type && a.nullable === b.nullable && (a.default ?? void 0) === (b.default ?? void 0) && !!a.autoincrement === !!b.autoincrement;
}
export {
  compileSqlite
};
