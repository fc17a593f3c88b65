import {
  normalizeSqliteDefault,
  normalizeSqliteType
} from "./chunk-2TP5XQGQ.js";

// dist/dialect/sqlite/introspector.js
var ALWAYS_EXCLUDED = ["alembic_version", "_prisma_migrations"];
var IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60(?:[^\x60]|\x60\x60)+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)`;
function unquoteIdentifier(text) {
  const t = text.trim();
  if (t.startsWith('"') && t.endsWith('"'))
    return t.slice(1, -1).replace(/""/g, '"');
  if (t.startsWith("`") && t.endsWith("`"))
    return t.slice(1, -1).replace(/``/g, "`");
  if (t.startsWith("[") && t.endsWith("]"))
    return t.slice(1, -1);
  return t;
}
function splitIdentifierList(text) {
  return (text.match(new RegExp(IDENT, "g")) ?? []).map(unquoteIdentifier);
}
function toAction(text) {
  const upper = text.trim().toUpperCase();
  if (upper === "CASCADE" || upper === "RESTRICT" || upper === "SET NULL" || upper === "SET DEFAULT")
    return upper;
  return "NO ACTION";
}
function primaryKeyName(tableSql) {
  const m = new RegExp(String.raw`CONSTRAINT\s+(${IDENT})\s+PRIMARY\s+KEY`, "i").exec(tableSql);
  return m ? unquoteIdentifier(m[1]) : void 0;
}
function foreignKeyNames(tableSql) {
  const names = /* @__PURE__ */ new Map();
  const re = new RegExp(String.raw`CONSTRAINT\s+(${IDENT})\s+FOREIGN\s+KEY\s*\(([^)]*)\)`, "gi");
  for (const m of tableSql.matchAll(re)) {
    names.set(splitIdentifierList(m[2]).join("\0"), unquoteIdentifier(m[1]));
  }
  return names;
}
function partialIndexPredicate(indexSql) {
  if (!indexSql)
    return void 0;
  const m = /\)\s*WHERE\s+([\s\S]+)$/i.exec(indexSql);
  return m ? m[1].trim().replace(/;$/, "") : void 0;
}
async function readColumns(conn, table, tableSql) {
  const rows = await conn.query("SELECT * FROM pragma_table_xinfo(?) ORDER BY cid", [table]);
  const visible = rows.filter((r) => r.hidden !== 1);
  const pkRows = visible.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk);
  const hasAutoincrement = /\bAUTOINCREMENT\b/i.test(tableSql);
  const columns = visible.map((r) => {
    const type = normalizeSqliteType(r.type ?? "");
    const column = { name: r.name, type, nullable: r.notnull === 0 };
    if (r.dflt_value !== null && r.dflt_value !== void 0)
      column.default = normalizeSqliteDefault(r.dflt_value, { type });
    if (hasAutoincrement && pkRows.length === 1 && pkRows[0].name === r.name && type === "INTEGER")
      column.autoincrement = true;
    return column;
  });
  if (pkRows.length === 0)
    return { columns };
  const primaryKey = { columns: pkRows.map((r) => r.name) };
  const name = primaryKeyName(tableSql);
  if (name !== void 0)
    primaryKey.name = name;
  return { columns, primaryKey };
}
async function readIndexes(conn, table, indexSql) {
  const list = await conn.query("SELECT * FROM pragma_index_list(?)", [table]);
  const indexes = [];
  for (const entry of list) {
    if (entry.origin === "pk")
      continue;
    const cols = await conn.query("SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", [entry.name]);
    if (cols.some((c) => c.cid < 0 || c.name === null))
      continue;
    const index = {
      name: entry.name,
      unique: entry.unique === 1,
      columns: cols.map((c) => c.desc ? { name: c.name, sort: "DESC" } : { name: c.name })
    };
    if (entry.partial) {
      const where = partialIndexPredicate(indexSql.get(entry.name));
      if (where)
        index.where = where;
    }
    indexes.push(index);
  }
  return indexes.sort((a, b) => compareNames(a.name, b.name));
}
async function readForeignKeys(conn, table, tableSql, primaryKeyOf) {
  const rows = await conn.query("SELECT * FROM pragma_foreign_key_list(?) ORDER BY id DESC, seq", [table]);
  const names = foreignKeyNames(tableSql);
  const byId = /* @__PURE__ */ new Map();
  for (const r of rows)
    byId.set(r.id, [...byId.get(r.id) ?? [], r]);
  const fks = [];
  for (const group of byId.values()) {
    const first = group[0];
    const columns = group.map((r) => r.from);
    const referencedColumns = group.every((r) => r.to !== null) ? group.map((r) => r.to) : await primaryKeyOf(first.table);
    fks.push({
      name: names.get(columns.join("\0")) ?? `${table}_${columns.join("_")}_fkey`,
      columns,
      referencedTable: first.table,
      referencedColumns,
      onDelete: toAction(first.on_delete),
      onUpdate: toAction(first.on_update)
    });
  }
  return fks;
}
function compareNames(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
async function introspectSqlite(conn, options = {}) {
  const excluded = /* @__PURE__ */ new Set([...ALWAYS_EXCLUDED, ...options.excludeTables ?? []]);
  const master = await conn.query("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index')");
  const indexSql = new Map(master.filter((r) => r.type === "index").map((r) => [r.name, r.sql]));
  const tableRows = master.filter((r) => r.type === "table").filter((r) => !r.name.startsWith("sqlite_") && !excluded.has(r.name)).filter((r) => !/^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? "")).sort((a, b) => compareNames(a.name, b.name));
  const pkCache = /* @__PURE__ */ new Map();
  const primaryKeyOf = async (table) => {
    if (!pkCache.has(table)) {
      const rows = await conn.query("SELECT * FROM pragma_table_xinfo(?)", [table]);
      pkCache.set(table, rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk).map((r) => r.name));
    }
    return pkCache.get(table);
  };
  const tables = [];
  for (const row of tableRows) {
    const sql = row.sql ?? "";
    const { columns, primaryKey } = await readColumns(conn, row.name, sql);
    const table = {
      name: row.name,
      columns,
      indexes: await readIndexes(conn, row.name, indexSql),
      foreignKeys: await readForeignKeys(conn, row.name, sql, primaryKeyOf)
    };
    if (primaryKey)
      table.primaryKey = primaryKey;
    tables.push(table);
  }
  return { tables, enums: [] };
}
export {
  introspectSqlite,
  unquoteIdentifier
};
