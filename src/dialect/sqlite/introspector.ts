import type {
  ColumnModel,
  DatabaseModel,
  ForeignKeyModel,
  IndexColumnModel,
  IndexModel,
  PrimaryKeyModel,
  ReferentialAction,
  TableModel,
} from '../../model/types.js';
import type { Connection, IntrospectOptions } from '../types.js';
import { splitTopLevel } from '../../model/sql-split.js';
import { normalizeSqliteDefault, normalizeSqliteType } from './type-map.js';

/** Tables that belong to migration tools, never to the user's model. */
const ALWAYS_EXCLUDED = ['alembic_version', '_prisma_migrations'];

interface MasterRow {
  name: string;
  sql: string | null;
}

interface XInfoRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

interface IndexListRow {
  name: string;
  unique: number;
  origin: string;
  partial: number;
}

interface IndexXInfoRow {
  seqno: number;
  cid: number;
  name: string | null;
  desc: number;
  key: number;
}

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60(?:[^\x60]|\x60\x60)+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)`;

/** `"a""b"` -> `a"b`, also backticks and brackets. */
export function unquoteIdentifier(text: string): string {
  const t = text.trim();
  if (t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/""/g, '"');
  if (t.startsWith('`') && t.endsWith('`')) return t.slice(1, -1).replace(/``/g, '`');
  if (t.startsWith('[') && t.endsWith(']')) return t.slice(1, -1);
  return t;
}

function splitIdentifierList(text: string): string[] {
  return (text.match(new RegExp(IDENT, 'g')) ?? []).map(unquoteIdentifier);
}

function toAction(text: string): ReferentialAction {
  const upper = text.trim().toUpperCase();
  if (upper === 'CASCADE' || upper === 'RESTRICT' || upper === 'SET NULL' || upper === 'SET DEFAULT') return upper;
  return 'NO ACTION';
}

function primaryKeyName(tableSql: string): string | undefined {
  const m = new RegExp(String.raw`CONSTRAINT\s+(${IDENT})\s+PRIMARY\s+KEY`, 'i').exec(tableSql);
  return m ? unquoteIdentifier(m[1]!) : undefined;
}

/** `CONSTRAINT "name" FOREIGN KEY ("a", "b")` clauses of a CREATE TABLE: column list -> name. */
function foreignKeyNames(tableSql: string): Map<string, string> {
  const names = new Map<string, string>();
  const re = new RegExp(String.raw`CONSTRAINT\s+(${IDENT})\s+FOREIGN\s+KEY\s*\(([^)]*)\)`, 'gi');
  for (const m of tableSql.matchAll(re)) {
    names.set(splitIdentifierList(m[2]!).join('\u0000'), unquoteIdentifier(m[1]!));
  }
  return names;
}

function partialIndexPredicate(indexSql: string | null | undefined): string | undefined {
  if (!indexSql) return undefined;
  const m = /\)\s*WHERE\s+([\s\S]+)$/i.exec(indexSql);
  return m ? m[1]!.trim().replace(/;$/, '') : undefined;
}

async function readColumns(conn: Connection, table: string, tableSql: string): Promise<{ columns: ColumnModel[]; primaryKey?: PrimaryKeyModel }> {
  const rows = await conn.query<XInfoRow>('SELECT * FROM pragma_table_xinfo(?) ORDER BY cid', [table]);
  // hidden = 1: virtual-table hidden column, not part of the table's shape.
  const visible = rows.filter((r) => r.hidden !== 1);
  const pkRows = visible.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk);
  const hasAutoincrement = /\bAUTOINCREMENT\b/i.test(tableSql);
  const columns = visible.map((r): ColumnModel => {
    const type = normalizeSqliteType(r.type ?? '');
    const column: ColumnModel = { name: r.name, type, nullable: r.notnull === 0 };
    if (r.dflt_value !== null && r.dflt_value !== undefined) column.default = normalizeSqliteDefault(r.dflt_value, { type });
    // AUTOINCREMENT is only legal on a single INTEGER PRIMARY KEY column.
    if (hasAutoincrement && pkRows.length === 1 && pkRows[0]!.name === r.name && type === 'INTEGER') column.autoincrement = true;
    return column;
  });
  if (pkRows.length === 0) return { columns };
  const primaryKey: PrimaryKeyModel = { columns: pkRows.map((r) => r.name) };
  const name = primaryKeyName(tableSql);
  if (name !== undefined) primaryKey.name = name;
  return { columns, primaryKey };
}

/** The key list of a CREATE INDEX statement, one entry per key as written, without ASC / DESC. */
function indexKeys(indexSql: string): Array<{ text: string; sort?: 'ASC' | 'DESC' }> | undefined {
  const on = new RegExp(String.raw`\bON\s+${IDENT}\s*\(`, 'i').exec(indexSql);
  if (!on) return undefined;
  let depth = 1;
  let quote: string | undefined;
  const open = on.index + on[0].length;
  for (let i = open; i < indexSql.length; i++) {
    const ch = indexSql[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) {
      return splitTopLevel(indexSql.slice(open, i)).map((raw) => raw.trim()).map((item) => {
        const m = /^([\s\S]*?)\s+(ASC|DESC)$/i.exec(item);
        return m ? { text: m[1]!.trim(), sort: m[2]!.toUpperCase() as 'ASC' | 'DESC' } : { text: item };
      });
    }
  }
  return undefined;
}

async function readIndexes(conn: Connection, table: string, indexSql: Map<string, string | null>): Promise<IndexModel[]> {
  const list = await conn.query<IndexListRow>('SELECT * FROM pragma_index_list(?)', [table]);
  const indexes: IndexModel[] = [];
  for (const entry of list) {
    // The primary key's own index is the primary key, not an index of the model.
    if (entry.origin === 'pk') continue;
    const cols = await conn.query<IndexXInfoRow>('SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [entry.name]);
    // An expression key (cid -2) has no name: its text comes from the CREATE INDEX statement.
    const hasExpression = cols.some((c) => c.cid < 0 || c.name === null);
    const keys = hasExpression ? indexKeys(indexSql.get(entry.name) ?? '') : undefined;
    // Keys that cannot be read back from the statement: the index stays out of the model (and so is never touched).
    if (hasExpression && (!keys || keys.length !== cols.length)) continue;
    const index: IndexModel = {
      name: entry.name,
      unique: entry.unique === 1,
      columns: cols.map((c, i): IndexColumnModel => {
        const column: IndexColumnModel = c.cid === -2 || c.name === null ? { name: keys![i]!.text, expression: true } : { name: c.name };
        if (c.desc) column.sort = 'DESC';
        return column;
      }),
    };
    if (entry.partial) {
      const where = partialIndexPredicate(indexSql.get(entry.name));
      if (where) index.where = where;
    }
    indexes.push(index);
  }
  return indexes.sort((a, b) => compareNames(a.name, b.name));
}

async function readForeignKeys(
  conn: Connection,
  table: string,
  tableSql: string,
  primaryKeyOf: (table: string) => Promise<string[]>,
): Promise<ForeignKeyModel[]> {
  // SQLite numbers foreign keys from the last declared one; descending id is declaration order (Prisma's field order).
  const rows = await conn.query<ForeignKeyRow>('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id DESC, seq', [table]);
  const names = foreignKeyNames(tableSql);
  const byId = new Map<number, ForeignKeyRow[]>();
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const fks: ForeignKeyModel[] = [];
  for (const group of byId.values()) {
    const first = group[0]!;
    const columns = group.map((r) => r.from);
    // `REFERENCES "T"` without columns means the referenced table's primary key.
    const referencedColumns = group.every((r) => r.to !== null) ? group.map((r) => r.to!) : await primaryKeyOf(first.table);
    fks.push({
      name: names.get(columns.join('\u0000')) ?? `${table}_${columns.join('_')}_fkey`,
      columns,
      referencedTable: first.table,
      referencedColumns,
      onDelete: toAction(first.on_delete),
      onUpdate: toAction(first.on_update),
    });
  }
  return fks;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The tables behind virtual tables (FTS5's `docs_data`, `docs_idx`, ...):
 * they belong to their virtual table, not to the model, and dropping them
 * breaks it.
 */
async function shadowTables(conn: Connection, only: string[] | undefined): Promise<Set<string>> {
  const query = "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'";
  // By name, SQLite looks each table up instead of listing every one.
  const rows = only
    ? (await Promise.all(only.map((table) => conn.query<{ name: string }>(query.replace('pragma_table_list', 'pragma_table_list(?)'), [table])))).flat()
    : await conn.query<{ name: string }>(query);
  return new Set(rows.map((r) => r.name));
}

/** `AND <column> IN (?, ...)` for `options.tables`, or nothing: each table's rows are the same either way. */
interface TableFilter {
  sql(column: string): string;
  params: string[];
}

function tableFilter(tables: string[] | undefined): TableFilter {
  if (tables === undefined) return { sql: () => '', params: [] };
  return { sql: (column) => ` AND ${column} IN (${tables.map(() => '?').join(', ') || 'NULL'})`, params: tables };
}

export async function introspectSqlite(conn: Connection, options: IntrospectOptions = {}): Promise<DatabaseModel> {
  const excluded = new Set([...ALWAYS_EXCLUDED, ...(options.excludeTables ?? [])]);
  // A migration asks for one table at a time: read only its rows, not the whole schema's.
  const only = tableFilter(options.tables);
  const master = await conn.query<MasterRow & { type: string; tbl_name: string }>(
    `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index')${only.sql('tbl_name')}`,
    only.params,
  );
  const indexSql = new Map(master.filter((r) => r.type === 'index').map((r) => [r.name, r.sql]));
  const shadow = await shadowTables(conn, options.tables);
  const tableRows = master
    .filter((r) => r.type === 'table')
    .filter((r) => !r.name.startsWith('sqlite_') && !excluded.has(r.name) && !shadow.has(r.name))
    // Virtual tables (FTS and friends) are not tables Prisma models.
    .filter((r) => !/^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? ''))
    .sort((a, b) => compareNames(a.name, b.name));

  const pkCache = new Map<string, string[]>();
  const primaryKeyOf = async (table: string): Promise<string[]> => {
    if (!pkCache.has(table)) {
      const rows = await conn.query<XInfoRow>('SELECT * FROM pragma_table_xinfo(?)', [table]);
      pkCache.set(table, rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk).map((r) => r.name));
    }
    return pkCache.get(table)!;
  };

  const tables: TableModel[] = [];
  for (const row of tableRows) {
    const sql = row.sql ?? '';
    const { columns, primaryKey } = await readColumns(conn, row.name, sql);
    const table: TableModel = {
      name: row.name,
      columns,
      indexes: await readIndexes(conn, row.name, indexSql),
      foreignKeys: await readForeignKeys(conn, row.name, sql, primaryKeyOf),
    };
    if (primaryKey) table.primaryKey = primaryKey;
    tables.push(table);
  }
  return { tables, enums: [] };
}
