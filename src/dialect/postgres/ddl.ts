import type { ColumnModel, ExtensionModel, ForeignKeyModel, IndexModel, PrimaryKeyModel, TableModel } from '../../model/types.js';
import type {
  AlterColumnOp,
  AlterEnumOp,
  Operation,
  TableRef,
} from '../../operations/types.js';
import type { CompileContext, Statement } from '../types.js';
import { isCastable } from './casts.js';
import { baseType, normalizeType, quoteString } from './type-map.js';

/**
 * Operation -> SQL, spelled the way Prisma Migrate writes PostgreSQL DDL
 * (see test/fixtures/prisma-reference/postgresql.sql): `CREATE TABLE` with the
 * primary key as a trailing constraint, indexes as separate `CREATE INDEX`,
 * foreign keys as `ALTER TABLE ... ADD CONSTRAINT` after the table.
 */

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const q = quoteIdentifier;

/** `"schema"."name"` or `"name"`. */
export function qualified(ref: { schema?: string; name: string }): string {
  return ref.schema ? `${q(ref.schema)}.${q(ref.name)}` : q(ref.name);
}

const SERIAL_TYPES: Record<string, string> = { INTEGER: 'SERIAL', BIGINT: 'BIGSERIAL', SMALLINT: 'SMALLSERIAL' };

/** The SQL type of a column: enum types quoted (and schema-qualified), `[]` for lists. */
export function columnType(column: ColumnModel): string {
  const element = column.enumType
    ? qualified(column.enumType)
    : column.type.startsWith('"')
      ? column.type
      : normalizeType(column.type);
  return column.isList ? `${element}[]` : element;
}

/** A default ready for DDL: list defaults need the array type spelled out (`ARRAY[]` alone has none). */
function defaultSql(column: ColumnModel, value: string): string {
  if (column.isList && /^array\[/i.test(value) && !/\]\s*::/.test(value)) return `${value}::${columnType(column)}`;
  return value;
}

export function columnDefinition(column: ColumnModel): string {
  const serial = column.autoincrement ? SERIAL_TYPES[normalizeType(column.type)] : undefined;
  let sql = `${q(column.name)} ${serial ?? columnType(column)}`;
  if (!column.nullable) sql += ' NOT NULL';
  if (!serial && column.default !== undefined) sql += ` DEFAULT ${defaultSql(column, column.default)}`;
  return sql;
}

function primaryKeyClause(table: { name: string }, pk: PrimaryKeyModel): string {
  return `CONSTRAINT ${q(pk.name ?? `${table.name}_pkey`)} PRIMARY KEY (${pk.columns.map(q).join(',')})`;
}

function createTable(table: TableModel): Statement[] {
  const lines = table.columns.map((c) => `    ${columnDefinition(c)}`);
  let body = lines.join(',\n');
  if (table.primaryKey) body += `${lines.length ? ',\n\n' : ''}    ${primaryKeyClause(table, table.primaryKey)}`;
  const statements: Statement[] = [{ sql: `CREATE TABLE ${qualified(table)} (\n${body}\n)` }];
  for (const index of table.indexes) statements.push(createIndex(table, index, false));
  for (const fk of table.foreignKeys) statements.push(addForeignKey(table, fk));
  return statements;
}

function indexColumn(column: IndexModel['columns'][number]): string {
  // Expression keys (e.g. `lower(email)`) are written as they are; column names are quoted.
  // Shapes frozen before expressions were flagged mark them only by their parentheses.
  const name = column.expression || column.name.includes('(') ? column.name : q(column.name);
  return [name, column.opclass, column.sort].filter(Boolean).join(' ');
}

function createIndex(table: TableRef, index: IndexModel, concurrently: boolean): Statement {
  const using = index.using && index.using.toLowerCase() !== 'btree' ? ` USING ${index.using.toUpperCase()} ` : '';
  let sql =
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${q(index.name)} ` +
    `ON ${qualified(table)}${using}(${index.columns.map(indexColumn).join(', ')})`;
  if (index.include?.length) sql += ` INCLUDE (${index.include.map(q).join(', ')})`;
  if (index.storage?.length) sql += ` WITH (${index.storage.join(', ')})`;
  if (index.where) sql += ` WHERE ${index.where}`;
  return concurrently ? { sql, outsideTransaction: true } : { sql };
}

function dropIndex(table: TableRef, index: IndexModel, ofConstraint: boolean): Statement[] {
  const name = qualified({ schema: table.schema, name: index.name });
  if (ofConstraint) return [{ sql: `ALTER TABLE ${qualified(table)} DROP CONSTRAINT ${q(index.name)}` }];
  if (!index.unique) return [{ sql: `DROP INDEX ${name}` }];
  // A unique index may belong to a UNIQUE constraint (databases not made by Prisma); then only dropping the constraint removes it.
  return [
    { sql: `ALTER TABLE ${qualified(table)} DROP CONSTRAINT IF EXISTS ${q(index.name)}` },
    { sql: `DROP INDEX IF EXISTS ${name}` },
  ];
}

/**
 * An index a revision names only (`op.dropIndex(table, name)`: whether it is
 * unique is not said) may be a UNIQUE constraint's, added by hand
 * (`ADD CONSTRAINT ... UNIQUE`): PostgreSQL then refuses `DROP INDEX`. Online,
 * the catalog says; offline, the script says `DROP INDEX`.
 */
async function isConstraintIndex(table: TableRef, index: IndexModel, context: CompileContext): Promise<boolean> {
  const probe = context.probe;
  if (index.unique || index.columns.length > 0 || probe === undefined) return false;
  const known = probe.constraintIndexes?.has(table.schema, table.name, index.name);
  if (known !== undefined) return known;
  if (probe.constraintIndexes) {
    // Listed once for the run (see runtime/constraint-indexes.ts).
    const rows = await probe.query(
      `SELECT n.nspname AS "schema", c.relname AS "table", con.conname AS "name", current_schema() AS "current" ` +
        `FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'u'`,
      [],
    );
    const current = rows.length > 0 ? String(rows[0]!.current) : String((await probe.query('SELECT current_schema() AS "current"', []))[0]!.current);
    probe.constraintIndexes.fill(rows.map((r) => ({ schema: String(r.schema), table: String(r.table), name: String(r.name) })), current);
    return probe.constraintIndexes.has(table.schema, table.name, index.name) === true;
  }
  const rows = await probe.query(`SELECT 1 FROM pg_constraint WHERE contype = 'u' AND conname = $1 AND conrelid = to_regclass($2)`, [index.name, qualified(table)]);
  return rows.length > 0;
}

function addForeignKey(table: TableRef, fk: ForeignKeyModel): Statement {
  const referenced = qualified({ schema: fk.referencedSchema, name: fk.referencedTable });
  return {
    sql:
      `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) ` +
      `REFERENCES ${referenced}(${fk.referencedColumns.map(q).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`,
  };
}

function alterTable(table: TableRef, clause: string): Statement {
  return { sql: `ALTER TABLE ${qualified(table)} ${clause}` };
}

// ---------------------------------------------------------------------------
// alterColumn

/** Type families between which PostgreSQL converts implicitly on ALTER COLUMN TYPE. */
function typeFamily(column: ColumnModel): string {
  if (column.enumType) return `enum:${column.enumType.schema ?? ''}.${column.enumType.name}`;
  const base = baseType(normalizeType(column.type));
  if (['SMALLINT', 'INTEGER', 'BIGINT', 'REAL', 'DOUBLE PRECISION', 'DECIMAL', 'MONEY', 'OID'].includes(base)) return 'number';
  if (['TEXT', 'VARCHAR', 'CHAR', 'CITEXT'].includes(base)) return 'string';
  if (['TIMESTAMP', 'TIMESTAMPTZ', 'DATE'].includes(base)) return 'datetime';
  if (['TIME', 'TIMETZ'].includes(base)) return 'time';
  if (['BIT', 'VARBIT'].includes(base)) return 'bit';
  return base;
}

function sequenceName(table: TableRef, column: string): string {
  return `${table.name}_${column}_seq`;
}

function alterColumn(op: AlterColumnOp): Statement[] {
  const { table, from, to } = op;
  const col = q(to.name);
  const out: Statement[] = [];
  const typeChanged =
    columnType(from) !== columnType(to) || Boolean(from.isList) !== Boolean(to.isList) || op.using !== undefined;
  const autoOff = Boolean(from.autoincrement) && !to.autoincrement;
  const autoOn = !from.autoincrement && Boolean(to.autoincrement);

  if (autoOff) {
    out.push(alterTable(table, `ALTER COLUMN ${col} DROP DEFAULT`));
    // The owned sequence's name is not known offline: look it up where it runs.
    out.push({
      sql:
        `DO $$ DECLARE s text := pg_get_serial_sequence(${quoteString(qualified(table))}, ${quoteString(to.name)}); ` +
        `BEGIN IF s IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || s; END IF; END $$`,
    });
  }
  const hadDefault = from.default !== undefined && !from.autoincrement;
  const defaultChanged = from.default !== to.default;
  // Drop the old default before a type change: PostgreSQL would try (and may fail) to cast it.
  let defaultDropped = false;
  if (hadDefault && (defaultChanged || typeChanged) ) {
    out.push(alterTable(table, `ALTER COLUMN ${col} DROP DEFAULT`));
    defaultDropped = true;
  }
  let nullabilityDone = false;
  if (typeChanged) {
    const newType = columnType(to);
    let using = op.using;
    if (using === undefined && !isCastable(from, to)) {
      // No cast exists: Prisma's engine drops and re-adds the column. Replacing every value
      // with what that gives (the new default, else NULL) does the same, and keeps the
      // column's place, indexes and constraints.
      using = to.default !== undefined && !to.autoincrement ? defaultSql(to, to.default) : `NULL::${newType}`;
      if (!from.nullable && to.nullable) {
        out.push(alterTable(table, `ALTER COLUMN ${col} DROP NOT NULL`));
        nullabilityDone = true;
      }
    } else if (using === undefined && (typeFamily(from) !== typeFamily(to) || Boolean(from.isList) !== Boolean(to.isList))) {
      // Enums convert to each other only through text.
      const cast = (expr: string, type: string) => (from.enumType || to.enumType ? `${expr}::text::${type}` : `${expr}::${type}`);
      const element = columnType({ ...to, isList: false });
      if (!from.isList && to.isList) using = `CASE WHEN ${col} IS NULL THEN NULL ELSE ARRAY[${cast(col, element)}] END`;
      else if (from.isList && !to.isList) using = cast(`${col}[1]`, element);
      else using = cast(col, newType);
    }
    out.push(alterTable(table, `ALTER COLUMN ${col} SET DATA TYPE ${newType}${using ? ` USING ${using}` : ''}`));
  }
  if (from.nullable !== to.nullable && !nullabilityDone) {
    out.push(alterTable(table, `ALTER COLUMN ${col} ${to.nullable ? 'DROP' : 'SET'} NOT NULL`));
  }
  if (!to.autoincrement && to.default !== undefined && (defaultDropped || defaultChanged)) {
    out.push(alterTable(table, `ALTER COLUMN ${col} SET DEFAULT ${defaultSql(to, to.default)}`));
  }
  if (autoOn) {
    const seq = qualified({ schema: table.schema, name: sequenceName(table, to.name) });
    const seqType = SERIAL_TYPES[normalizeType(to.type)] ? normalizeType(to.type) : 'INTEGER';
    out.push({ sql: `CREATE SEQUENCE ${seq} AS ${seqType}` });
    out.push(alterTable(table, `ALTER COLUMN ${col} SET DEFAULT nextval(${quoteString(seq)})`));
    out.push({ sql: `ALTER SEQUENCE ${seq} OWNED BY ${qualified(table)}.${col}` });
    // Existing rows keep their values; continue after the largest one.
    out.push({
      sql: `SELECT setval(${quoteString(seq)}, COALESCE((SELECT MAX(${col}) FROM ${qualified(table)}), 0) + 1, false)`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Enums

function enumValues(values: string[]): string {
  return values.map(quoteString).join(', ');
}

/**
 * Additions only (existing values keep their order): `ALTER TYPE ... ADD VALUE`,
 * run outside the transaction so that later statements of the same revision
 * may use the new value (inside a transaction PostgreSQL refuses that until
 * commit). `IF NOT EXISTS` keeps a retried revision from failing on it.
 * Anything else: Prisma's recreate-and-cast sequence, fully transactional.
 */
function alterEnum(op: AlterEnumOp): Statement[] {
  const type = qualified({ schema: op.schema, name: op.name });
  const kept = op.to.filter((v) => op.from.includes(v));
  const additionsOnly = op.from.every((v) => op.to.includes(v)) && kept.every((v, i) => v === op.from[i]);
  if (additionsOnly) {
    const out: Statement[] = [];
    op.to.forEach((value, i) => {
      if (op.from.includes(value)) return;
      const next = op.to.slice(i + 1).find((v) => op.from.includes(v));
      const position = next !== undefined ? ` BEFORE ${quoteString(next)}` : '';
      out.push({ sql: `ALTER TYPE ${type} ADD VALUE IF NOT EXISTS ${quoteString(value)}${position}`, outsideTransaction: true });
    });
    return out;
  }

  const tempName = `${op.name}_new`;
  const temp = qualified({ schema: op.schema, name: tempName });
  const old = `${op.name}_old`;
  const out: Statement[] = [{ sql: `CREATE TYPE ${temp} AS ENUM (${enumValues(op.to)})` }];
  if (op.usages) {
    for (const usage of op.usages) {
      const col = q(usage.column);
      const target = usage.isList ? `${temp}[]` : temp;
      if (usage.default !== undefined) out.push(alterTable(usage.table, `ALTER COLUMN ${col} DROP DEFAULT`));
      out.push(alterTable(usage.table, `ALTER COLUMN ${col} TYPE ${target} USING (${col}::text::${target})`));
    }
  } else {
    // Usages unknown: convert every column of this type (or arrays of it), keeping their defaults.
    out.push({ sql: convertAllUsages(type, temp) });
  }
  out.push({ sql: `ALTER TYPE ${type} RENAME TO ${q(old)}` });
  out.push({ sql: `ALTER TYPE ${temp} RENAME TO ${q(op.name)}` });
  out.push({ sql: `DROP TYPE ${qualified({ schema: op.schema, name: old })}` });
  for (const usage of op.usages ?? []) {
    if (usage.default === undefined) continue;
    const column: ColumnModel = { name: usage.column, type: op.name, nullable: true, isList: usage.isList, enumType: { schema: op.schema, name: op.name } };
    out.push(alterTable(usage.table, `ALTER COLUMN ${q(usage.column)} SET DEFAULT ${defaultSql(column, usage.default)}`));
  }
  return out;
}

/** A DO block that moves every column of `type` (or `type[]`) to `temp`, re-applying defaults. */
function convertAllUsages(type: string, temp: string): string {
  return `DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT a.attrelid::regclass::text AS tbl, quote_ident(a.attname) AS col,
           (a.atttypid = ${quoteString(type)}::regtype) AS scalar,
           pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.atttypid IN (${quoteString(type)}::regtype, ${quoteString(`${type}[]`)}::regtype)
       AND a.attnum > 0 AND NOT a.attisdropped
       AND (SELECT relkind FROM pg_class WHERE oid = a.attrelid) IN ('r', 'p')
  LOOP
    IF r.def IS NOT NULL THEN EXECUTE format('ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT', r.tbl, r.col); END IF;
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %s TYPE %s USING (%s::text::%s)', r.tbl, r.col,
                   CASE WHEN r.scalar THEN ${quoteString(temp)} ELSE ${quoteString(`${temp}[]`)} END, r.col,
                   CASE WHEN r.scalar THEN ${quoteString(temp)} ELSE ${quoteString(`${temp}[]`)} END);
    IF r.def IS NOT NULL THEN
      -- Drop the casts to the old type; a list default gets the new array type.
      EXECUTE format('ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s', r.tbl, r.col,
                     regexp_replace(r.def, '::(("[^"]*"|\\w+)\\.)?("[^"]*"|\\w+)(\\[\\])*', '', 'g')
                     || CASE WHEN r.scalar THEN '' ELSE '::' || ${quoteString(`${temp}[]`)} END);
    END IF;
  END LOOP;
END $$`;
}

// ---------------------------------------------------------------------------

/**
 * With multiSchema, objects name their schema; like Prisma Migrate, create it
 * on first use. Never dropped on downgrade: other objects may live there.
 */
function ensureSchema(schema: string | undefined): Statement[] {
  return schema ? [{ sql: `CREATE SCHEMA IF NOT EXISTS ${q(schema)}` }] : [];
}

/**
 * As Prisma's engine writes it (`CREATE EXTENSION IF NOT EXISTS "x" WITH
 * SCHEMA "s" VERSION "v"`); a named schema is created first when missing,
 * which the engine leaves to the user.
 */
function createExtension(extension: ExtensionModel): Statement[] {
  let sql = `CREATE EXTENSION IF NOT EXISTS ${q(extension.name)}`;
  if (extension.schema || extension.version) sql += ' WITH';
  if (extension.schema) sql += ` SCHEMA ${q(extension.schema)}`;
  if (extension.version) sql += ` VERSION ${q(extension.version)}`;
  return [...ensureSchema(extension.schema), { sql }];
}

function alterExtension(name: string, from: { schema?: string; version?: string }, to: { schema?: string; version?: string }): Statement[] {
  const out: Statement[] = [];
  if (to.version !== undefined && to.version !== from.version) out.push({ sql: `ALTER EXTENSION ${q(name)} UPDATE TO ${q(to.version)}` });
  if (to.schema !== undefined && to.schema !== from.schema) {
    out.push(...ensureSchema(to.schema), { sql: `ALTER EXTENSION ${q(name)} SET SCHEMA ${q(to.schema)}` });
  }
  return out;
}

export async function compilePostgres(op: Operation, context: CompileContext): Promise<Statement[]> {
  switch (op.kind) {
    case 'createTable':
      return [...ensureSchema(op.table.schema), ...createTable(op.table)];
    case 'dropTable':
      return [{ sql: `DROP TABLE ${qualified(op.table)}` }];
    case 'renameTable':
      return [{ sql: `ALTER TABLE ${qualified({ schema: op.schema, name: op.from })} RENAME TO ${q(op.to)}` }];
    case 'addColumn':
      return [alterTable(op.table, `ADD COLUMN ${columnDefinition(op.column)}`)];
    case 'dropColumn':
      return [alterTable(op.table, `DROP COLUMN ${q(op.column.name)}`)];
    case 'renameColumn':
      return [alterTable(op.table, `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`)];
    case 'alterColumn':
      return alterColumn(op);
    case 'createIndex':
      return [createIndex(op.table, op.index, Boolean(op.concurrently))];
    case 'dropIndex':
      return dropIndex(op.table, op.index, await isConstraintIndex(op.table, op.index, context));
    case 'renameIndex':
      return [{ sql: `ALTER INDEX ${qualified({ schema: op.table.schema, name: op.from })} RENAME TO ${q(op.to)}` }];
    case 'addForeignKey':
      return [addForeignKey(op.table, op.foreignKey)];
    case 'dropForeignKey':
      return [alterTable(op.table, `DROP CONSTRAINT ${q(op.foreignKey.name)}`)];
    case 'addPrimaryKey':
      return [alterTable(op.table, `ADD ${primaryKeyClause(op.table, op.primaryKey)}`)];
    case 'dropPrimaryKey':
      return [alterTable(op.table, `DROP CONSTRAINT ${q(op.primaryKey.name ?? `${op.table.name}_pkey`)}`)];
    case 'createEnum':
      return [...ensureSchema(op.enum.schema), { sql: `CREATE TYPE ${qualified(op.enum)} AS ENUM (${enumValues(op.enum.values)})` }];
    case 'dropEnum':
      return [{ sql: `DROP TYPE ${qualified(op.enum)}` }];
    case 'alterEnum':
      return alterEnum(op);
    case 'renameEnumValue':
      return [
        {
          sql: `ALTER TYPE ${qualified({ schema: op.schema, name: op.name })} RENAME VALUE ${quoteString(op.from)} TO ${quoteString(op.to)}`,
        },
      ];
    case 'createExtension':
      return createExtension(op.extension);
    case 'dropExtension':
      return [{ sql: `DROP EXTENSION ${q(op.extension.name)}` }];
    case 'alterExtension':
      return alterExtension(op.name, op.from, op.to);
    case 'execute':
      return [{ sql: op.sql, ...(op.params && op.params.length > 0 ? { params: [...op.params] } : {}) }];
    case 'batchAlterTable': {
      // PostgreSQL alters in place: the batch is its operations in order.
      const out: Statement[] = [];
      for (const inner of op.ops) out.push(...(await compilePostgres(inner, context)));
      return out;
    }
    default: {
      const unknown: never = op;
      throw new Error(`unsupported operation ${(unknown as { kind: string }).kind}`);
    }
  }
}

// ---------------------------------------------------------------------------
// Offline literals

/** A value as a PostgreSQL literal for `--sql` scripts (online, values are always bound). */
export function renderLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `'${value}'::double precision`;
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return quoteString(value);
  if (value instanceof Date) return quoteString(value.toISOString());
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return `'\\x${Buffer.from(value).toString('hex')}'::bytea`;
  }
  if (Array.isArray(value)) {
    // An empty ARRAY[] has no type; the '{}' literal takes the column's.
    return value.length === 0 ? `'{}'` : `ARRAY[${value.map(renderLiteral).join(', ')}]`;
  }
  return quoteString(JSON.stringify(value));
}
