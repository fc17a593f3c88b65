import type { ColumnModel, ForeignKeyModel, IndexModel, TableModel } from '../../model/types.js';
import { quoteIdentifier as q, renderDefault } from './sql.js';
import { ReviseError } from '../../errors.js';

/** SQL text as Prisma's migration engine writes it for SQLite. */

const INDENT = '    ';

/** SQLite reserves these names for the indexes behind inline UNIQUE constraints. */
export function isAutoIndex(name: string): boolean {
  return name.startsWith('sqlite_autoindex_');
}

function inlinePrimaryKey(table: TableModel): string | undefined {
  return table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0] : undefined;
}

export function renderColumn(column: ColumnModel, table?: TableModel): string {
  // A column may have no declared type in SQLite.
  let sql = column.type ? `${q(column.name)} ${column.type}` : q(column.name);
  if (!column.nullable) sql += ' NOT NULL';
  if (table && inlinePrimaryKey(table) === column.name) {
    sql += ' PRIMARY KEY';
    if (column.autoincrement) sql += ' AUTOINCREMENT';
  }
  if (column.default !== undefined) sql += ` DEFAULT ${renderDefault(column.default)}`;
  return sql;
}

export function renderForeignKey(fk: ForeignKeyModel): string {
  return (
    `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) ` +
    `REFERENCES ${q(fk.referencedTable)} (${fk.referencedColumns.map(q).join(', ')}) ` +
    `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`
  );
}

/** CREATE TABLE under `name` (the table's own name, or `new_<T>` during a rebuild). */
export function renderCreateTable(table: TableModel, name = table.name): string {
  const lines = table.columns.map((c) => INDENT + renderColumn(c, table));
  const constraints: string[] = [];
  const pk = table.primaryKey;
  if (pk && pk.columns.length > 1) {
    // Prisma never names a primary key on SQLite (no `map:` there), so neither do we.
    constraints.push(`PRIMARY KEY (${pk.columns.map(q).join(', ')})`);
  }
  // Inline UNIQUE constraints (introspected as sqlite_autoindex_*) can only be recreated inline.
  for (const index of table.indexes) {
    if (isAutoIndex(index.name)) constraints.push(`UNIQUE (${index.columns.map((c) => q(c.name)).join(', ')})`);
  }
  let body = lines.join(',\n');
  if (constraints.length > 0) body += ',\n\n' + constraints.map((c) => INDENT + c).join(',\n');
  if (table.foreignKeys.length > 0) body += ',\n' + table.foreignKeys.map((fk) => INDENT + renderForeignKey(fk)).join(',\n');
  return `CREATE TABLE ${q(name)} (\n${body}\n)`;
}

export function renderCreateIndex(tableName: string, index: IndexModel): string {
  // Prisma writes the order only when the schema names it (`sort: Desc` -> DESC, `sort: Asc` -> ASC).
  // An expression key is written as the database spelt it.
  if (index.include?.length || index.storage?.length) {
    throw new ReviseError(`index "${index.name}": SQLite has no INCLUDE columns or storage parameters (PostgreSQL only)`);
  }
  const key = (c: IndexModel['columns'][number]) => (c.expression ? c.name : q(c.name));
  const cols = index.columns.map((c) => (c.sort ? `${key(c)} ${c.sort}` : key(c))).join(', ');
  let sql = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q(index.name)} ON ${q(tableName)}(${cols})`;
  if (index.where) sql += ` WHERE ${index.where}`;
  return sql;
}

export function renderDropIndex(name: string): string {
  return `DROP INDEX ${q(name)}`;
}
