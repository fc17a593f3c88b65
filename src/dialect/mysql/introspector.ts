import type { ColumnModel, DatabaseModel, ForeignKeyModel, IndexModel, ReferentialAction, TableModel } from '../../model/types.js';
import type { Connection, IntrospectOptions } from '../types.js';
import type { MysqlConnection } from './driver.js';
import { NUMERIC_TYPES, baseType, normalizeDefault, normalizeType, quoteString } from './type-map.js';

/**
 * The connection's database read from information_schema, in the neutral
 * model, with what MySQL and MariaDB report differently made the same:
 * MariaDB's JSON is LONGTEXT with a `json_valid` check, its defaults are SQL
 * (`'abc'`, `NULL`, `current_timestamp(3)`) where MySQL 8 gives raw text and
 * flags expressions `DEFAULT_GENERATED`; display widths and `tinyint(1)` are
 * normalised by the type map. The index MySQL creates by itself for a foreign
 * key (named after the constraint) is reported: Prisma's schema model has it
 * too (see src/schema/to-model.ts).
 */

interface ColumnRow {
  table_name: string;
  column_name: string;
  column_type: string;
  is_nullable: string;
  column_default: string | null;
  extra: string;
}

interface IndexRow {
  table_name: string;
  index_name: string;
  non_unique: number | string;
  column_name: string | null;
  sub_part: number | string | null;
  collation: string | null;
  index_type: string;
  expression?: string | null;
}

interface ForeignKeyRow {
  table_name: string;
  constraint_name: string;
  column_name: string;
  referenced_table_name: string;
  referenced_column_name: string;
  update_rule: string;
  delete_rule: string;
}

/** revise's and Prisma Migrate's own tables, and the side table of half-applied revisions (see src/runtime). */
const ALWAYS_EXCLUDED = ['alembic_version', '_prisma_migrations', 'revise_progress'];

/** information_schema column names come back upper-case on MySQL 8 and lower-case on MariaDB: alias everything. */
export async function introspectMysql(connection: Connection, options: IntrospectOptions = {}): Promise<DatabaseModel> {
  const mariadb = (connection as MysqlConnection).mariadb === true;
  const exclude = new Set([...ALWAYS_EXCLUDED, ...(options.excludeTables ?? [])]);
  const tables = (
    await connection.query<{ table_name: string }>(
      `SELECT TABLE_NAME AS table_name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    )
  )
    .map((r) => r.table_name)
    .filter((name) => !exclude.has(name));
  if (tables.length === 0) return { tables: [], enums: [] };

  const columns = await connection.query<ColumnRow>(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable,
            COLUMN_DEFAULT AS column_default, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const hasExpression = (
    await connection.query(
      `SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'STATISTICS' AND COLUMN_NAME = 'EXPRESSION'`,
    )
  ).length > 0;
  const indexRows = await connection.query<IndexRow>(
    `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name,
            SUB_PART AS sub_part, COLLATION AS collation, INDEX_TYPE AS index_type${hasExpression ? ', EXPRESSION AS expression' : ''}
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  const fkRows = await connection.query<ForeignKeyRow>(
    `SELECT k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS constraint_name, k.COLUMN_NAME AS column_name,
            k.REFERENCED_TABLE_NAME AS referenced_table_name, k.REFERENCED_COLUMN_NAME AS referenced_column_name,
            r.UPDATE_RULE AS update_rule, r.DELETE_RULE AS delete_rule
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
  );
  const jsonColumns = mariadb ? await mariadbJsonColumns(connection) : new Set<string>();

  const model: DatabaseModel = { tables: [], enums: [] };
  for (const name of tables) {
    const table: TableModel = { name, columns: [], indexes: [], foreignKeys: [] };
    for (const row of columns.filter((c) => c.table_name === name)) {
      table.columns.push(columnModel(row, mariadb, jsonColumns.has(`${name}\0${row.column_name}`)));
    }
    table.foreignKeys = foreignKeys(fkRows.filter((r) => r.table_name === name));
    const { primaryKey, indexes } = indexesOf(indexRows.filter((r) => r.table_name === name));
    if (primaryKey) table.primaryKey = primaryKey;
    table.indexes = indexes;
    model.tables.push(table);
  }
  return model;
}

/** MariaDB's `JSON` is an alias: LONGTEXT with `CHECK (json_valid(col))`. Those columns, as `table\0column`. */
async function mariadbJsonColumns(connection: Connection): Promise<Set<string>> {
  const rows = await connection.query<{ table_name: string; clause: string }>(
    `SELECT TABLE_NAME AS table_name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
  );
  const out = new Set<string>();
  for (const row of rows) {
    const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(row.clause.trim());
    if (match) out.add(`${row.table_name}\0${match[1]!.replace(/``/g, '`')}`);
  }
  return out;
}

function columnModel(row: ColumnRow, mariadb: boolean, json: boolean): ColumnModel {
  const rawType = json && /^longtext$/i.test(row.column_type) ? 'JSON' : row.column_type;
  const type = normalizeType(rawType);
  const column: ColumnModel = { name: row.column_name, type, nullable: row.is_nullable === 'YES' };
  const extra = row.extra.toLowerCase();
  if (extra.includes('auto_increment')) column.autoincrement = true;
  const def = defaultSql(row.column_default, type, extra, mariadb);
  if (def !== undefined) column.default = normalizeDefault(def, { type });
  return column;
}

/**
 * The default as SQL. MariaDB (10.2.7+) already gives SQL, `NULL` for none;
 * MySQL gives a literal's bare text, or an expression flagged
 * `DEFAULT_GENERATED` (CURRENT_TIMESTAMP is never flagged before 8.0.13).
 */
function defaultSql(value: string | null, type: string, extra: string, mariadb: boolean): string | undefined {
  if (value === null) return undefined;
  if (mariadb) return /^null$/i.test(value) ? undefined : value;
  if (extra.includes('default_generated') || /^current_timestamp(?:\(\d*\))?$/i.test(value)) return value;
  if (NUMERIC_TYPES.has(baseType(type)) && /^[-+]?[\d.eE+-]+$/.test(value)) return value;
  if (/^b'[01]*'$/.test(value)) return value;
  return quoteString(value);
}

function foreignKeys(rows: ForeignKeyRow[]): ForeignKeyModel[] {
  const byName = new Map<string, ForeignKeyModel>();
  for (const row of rows) {
    let fk = byName.get(row.constraint_name);
    if (!fk) {
      fk = {
        name: row.constraint_name,
        columns: [],
        referencedTable: row.referenced_table_name,
        referencedColumns: [],
        onDelete: row.delete_rule as ReferentialAction,
        onUpdate: row.update_rule as ReferentialAction,
      };
      byName.set(row.constraint_name, fk);
    }
    fk.columns.push(row.column_name);
    fk.referencedColumns.push(row.referenced_column_name);
  }
  return [...byName.values()];
}

function indexesOf(rows: IndexRow[]): { primaryKey?: TableModel['primaryKey']; indexes: IndexModel[] } {
  const byName = new Map<string, IndexRow[]>();
  for (const row of rows) byName.set(row.index_name, [...(byName.get(row.index_name) ?? []), row]);
  let primaryKey: TableModel['primaryKey'];
  const indexes: IndexModel[] = [];
  for (const [name, parts] of byName) {
    if (name === 'PRIMARY') {
      primaryKey = { name, columns: parts.map((p) => p.column_name!) };
      continue;
    }
    const index: IndexModel = {
      name,
      unique: Number(parts[0]!.non_unique) === 0,
      columns: parts.map((p) => {
        if (p.column_name === null) return { name: p.expression ?? '', expression: true };
        const col: IndexModel['columns'][number] = { name: p.column_name };
        if (p.collation === 'D') col.sort = 'DESC';
        if (p.sub_part !== null && p.sub_part !== undefined) col.length = Number(p.sub_part);
        return col;
      }),
    };
    const using = parts[0]!.index_type.toLowerCase();
    if (using === 'fulltext' || using === 'spatial') index.using = using;
    indexes.push(index);
  }
  return { primaryKey, indexes };
}
