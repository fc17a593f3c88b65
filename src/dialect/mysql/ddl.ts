import { ReviseError } from '../../errors.js';
import type { ColumnModel, ForeignKeyModel, IndexModel, TableModel } from '../../model/types.js';
import type { AlterEnumOp, Operation, TableRef } from '../../operations/types.js';
import type { CompileContext, Statement } from '../types.js';
import { enumType, enumValuesOf, normalizeType, quoteString } from './type-map.js';

/**
 * Operation -> SQL, spelled the way Prisma Migrate writes MySQL DDL:
 * indexes and `PRIMARY KEY` inside `CREATE TABLE`, the table's character set
 * and collation spelled out, foreign keys as `ALTER TABLE ... ADD CONSTRAINT`
 * after it, a column change as `MODIFY` of the whole column, enums inline on
 * each column. MySQL commits around each of these statements.
 */

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

const q = quoteIdentifier;

export const TABLE_OPTIONS = 'DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci';

/** A column type as Prisma writes it: `ENUM('A', 'B')` with a space after each comma. */
function columnType(column: ColumnModel): string {
  const values = enumValuesOf(column.type);
  return values ? `ENUM(${values.map(quoteString).join(', ')})` : normalizeType(column.type);
}

/** Literals and CURRENT_TIMESTAMP go bare; any other expression needs parentheses (MySQL 8.0.13+, MariaDB 10.2+). */
function defaultClause(value: string): string {
  const bare =
    /^'(?:[^'\\]|''|\\.)*'$/s.test(value) ||
    /^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(value) ||
    /^(?:true|false|null)$/i.test(value) ||
    /^current_timestamp(?:\(\d*\))?$/i.test(value) ||
    /^0x[0-9a-f]*$/i.test(value) ||
    /^b'[01]*'$/i.test(value);
  return bare ? value : `(${value})`;
}

export function columnDefinition(column: ColumnModel): string {
  let sql = `${q(column.name)} ${columnType(column)} ${column.nullable ? 'NULL' : 'NOT NULL'}`;
  if (column.autoincrement) sql += ' AUTO_INCREMENT';
  if (column.default !== undefined && !column.autoincrement) sql += ` DEFAULT ${defaultClause(column.default)}`;
  return sql;
}

function indexColumns(index: IndexModel): string {
  return index.columns
    .map((c) => {
      if (c.expression) return `(${c.name})`;
      return `${q(c.name)}${c.length !== undefined ? `(${c.length})` : ''}${c.sort === 'DESC' ? ' DESC' : ''}`;
    })
    .join(', ');
}

function indexKind(index: IndexModel): string {
  if (index.using === 'fulltext') return 'FULLTEXT ';
  if (index.using === 'spatial') return 'SPATIAL ';
  return index.unique ? 'UNIQUE ' : '';
}

/**
 * The index MySQL creates by itself for a foreign key is named after the
 * constraint: Prisma's CREATE TABLE leaves it to MySQL, and so does revise.
 */
function isImplicitForeignKeyIndex(index: IndexModel, fks: ForeignKeyModel[]): boolean {
  const fk = fks.find((f) => f.name === index.name);
  return (
    fk !== undefined &&
    !index.unique &&
    !index.using &&
    index.columns.length === fk.columns.length &&
    index.columns.every((c, i) => c.name === fk.columns[i] && !c.sort && c.length === undefined && !c.expression)
  );
}

function createTable(table: TableModel): Statement[] {
  const lines = table.columns.map((c) => `    ${columnDefinition(c)}`);
  const keys: string[] = [];
  for (const index of table.indexes) {
    if (isImplicitForeignKeyIndex(index, table.foreignKeys)) continue;
    keys.push(`    ${indexKind(index)}INDEX ${q(index.name)}(${indexColumns(index)})`);
  }
  if (table.primaryKey) keys.push(`    PRIMARY KEY (${table.primaryKey.columns.map(q).join(', ')})`);
  const body = lines.join(',\n') + (keys.length ? `${lines.length ? ',\n\n' : ''}${keys.join(',\n')}` : '');
  const statements: Statement[] = [{ sql: `CREATE TABLE ${q(table.name)} (\n${body}\n) ${TABLE_OPTIONS}` }];
  for (const fk of table.foreignKeys) statements.push(addForeignKey(table, fk));
  return statements;
}

function alterTable(table: TableRef, clause: string): Statement {
  return { sql: `ALTER TABLE ${q(table.name)} ${clause}` };
}

function addForeignKey(table: TableRef, fk: ForeignKeyModel): Statement {
  return alterTable(
    table,
    `ADD CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) ` +
      `REFERENCES ${q(fk.referencedTable)}(${fk.referencedColumns.map(q).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`,
  );
}

/**
 * An enum's values changed (hand-written `op.alterEnum`; autogenerate sees a
 * column type change instead): MODIFY each column that uses it, keeping the
 * rest of the column as it is.
 */
async function alterEnum(op: AlterEnumOp, context: CompileContext): Promise<Statement[]> {
  if (!op.usages || op.usages.length === 0) {
    throw new ReviseError(`alterEnum ${op.name}: MySQL keeps enums on their columns; name the columns (usages) to change`);
  }
  const out: Statement[] = [];
  for (const usage of op.usages) {
    const table = await context.getTable(usage.table);
    const column = table?.columns.find((c) => c.name === usage.column);
    if (!column) throw new ReviseError(`alterEnum ${op.name}: column ${usage.table.name}.${usage.column} not found`);
    const changed: ColumnModel = { ...column, type: enumType(op.to) };
    if (usage.default !== undefined) changed.default = usage.default;
    out.push(alterTable(usage.table, `MODIFY ${columnDefinition(changed)}`));
  }
  return out;
}

const leads = (index: IndexModel, fk: ForeignKeyModel) =>
  !index.using && fk.columns.every((c, i) => index.columns[i]?.name === c && !index.columns[i]?.expression);

/**
 * MySQL refuses to drop the only index a foreign key can use. Then, as
 * Prisma's engine does, the foreign key is dropped around it and added back:
 * MySQL gives it its implicit index again, which a covering index created
 * later in the revision replaces by itself.
 */
async function dropIndex(table: TableRef, index: IndexModel, context: CompileContext): Promise<Statement[]> {
  const drop: Statement = { sql: `DROP INDEX ${q(index.name)} ON ${q(table.name)}` };
  const shape = await context.getTable(table);
  if (!shape) return [drop];
  // `op.dropIndex(table, name)` names only the index: its columns are the table's.
  const current = shape.indexes.find((i) => i.name === index.name) ?? index;
  const others = shape.indexes.filter((i) => i.name !== index.name);
  const stranded = shape.foreignKeys.filter(
    (fk) => leads(current, fk) && !others.some((i) => leads(i, fk)) && !(shape.primaryKey && fk.columns.every((c, i) => shape.primaryKey!.columns[i] === c)),
  );
  return [
    ...stranded.map((fk) => alterTable(table, `DROP FOREIGN KEY ${q(fk.name)}`)),
    drop,
    ...stranded.map((fk) => addForeignKey(table, fk)),
  ];
}

/** The implicit index of a foreign key that exists already is MySQL's to make (see dropIndex); others are created. */
async function createIndex(table: TableRef, index: IndexModel, context: CompileContext): Promise<Statement[]> {
  const shape = await context.getTable(table);
  // Online the shape is the live table: the key's index is already there when MySQL made it.
  if (shape && isImplicitForeignKeyIndex(index, shape.foreignKeys) && shape.indexes.some((i) => i.name === index.name)) return [];
  return [{ sql: `CREATE ${indexKind(index)}INDEX ${q(index.name)} ON ${q(table.name)}(${indexColumns(index)})` }];
}

export async function compileMysql(op: Operation, context: CompileContext): Promise<Statement[]> {
  switch (op.kind) {
    case 'createTable':
      return createTable(op.table);
    case 'dropTable':
      return [{ sql: `DROP TABLE ${q(op.table.name)}` }];
    case 'renameTable':
      return [{ sql: `ALTER TABLE ${q(op.from)} RENAME TO ${q(op.to)}` }];
    case 'addColumn':
      return [alterTable(op.table, `ADD COLUMN ${columnDefinition(op.column)}`)];
    case 'dropColumn':
      return [alterTable(op.table, `DROP COLUMN ${q(op.column.name)}`)];
    case 'renameColumn':
      return [alterTable(op.table, `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`)];
    case 'alterColumn':
      return [alterTable(op.table, `MODIFY ${columnDefinition(op.to)}`)];
    case 'createIndex':
      return createIndex(op.table, op.index, context);
    case 'dropIndex':
      return dropIndex(op.table, op.index, context);
    case 'renameIndex':
      return [alterTable(op.table, `RENAME INDEX ${q(op.from)} TO ${q(op.to)}`)];
    case 'addForeignKey':
      return [addForeignKey(op.table, op.foreignKey)];
    case 'dropForeignKey':
      return [alterTable(op.table, `DROP FOREIGN KEY ${q(op.foreignKey.name)}`)];
    case 'addPrimaryKey':
      return [alterTable(op.table, `ADD PRIMARY KEY (${op.primaryKey.columns.map(q).join(', ')})`)];
    case 'dropPrimaryKey':
      return [alterTable(op.table, 'DROP PRIMARY KEY')];
    case 'createEnum':
    case 'dropEnum':
      // Enums live on their columns (ENUM('A','B')): nothing of their own to create or drop.
      return [];
    case 'alterEnum':
      return alterEnum(op, context);
    case 'renameEnumValue':
      throw new ReviseError(`renameEnumValue ${op.name}: MySQL keeps enums on their columns; change the columns' ENUM type and UPDATE the rows`);
    case 'createExtension':
    case 'dropExtension':
    case 'alterExtension':
      throw new ReviseError(`${op.kind}: MySQL has no extensions (they belong to PostgreSQL)`);
    case 'execute':
      return [op.params && op.params.length > 0 ? { sql: op.sql, params: [...op.params] } : { sql: op.sql }];
    case 'batchAlterTable': {
      const out: Statement[] = [];
      for (const inner of op.ops) out.push(...(await compileMysql(inner, context)));
      return out;
    }
    default: {
      const unknown: never = op;
      throw new Error(`unsupported operation ${(unknown as { kind: string }).kind}`);
    }
  }
}

/** A value as a MySQL literal for `--sql` scripts (online, values are always bound). */
export function renderLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ReviseError(`MySQL cannot store ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return quoteString(value);
  if (value instanceof Date) return quoteString(value.toISOString().replace('T', ' ').replace('Z', ''));
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex').toUpperCase()}`;
  return quoteString(JSON.stringify(value));
}
