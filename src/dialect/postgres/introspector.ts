import type {
  ColumnModel,
  DatabaseModel,
  EnumModel,
  ExtensionModel,
  ForeignKeyModel,
  IndexModel,
  ReferentialAction,
  SortOrder,
  TableModel,
} from '../../model/types.js';
import type { Connection, IntrospectOptions } from '../types.js';
import { normalizeDefault, normalizeType } from './type-map.js';

/**
 * Read tables, columns, keys, indexes and enums from pg_catalog into the
 * neutral model. Everything is ordered deterministically (schema, name;
 * columns by position) so two introspections of equal databases deep-equal.
 */

const ALWAYS_EXCLUDED = ['alembic_version', '_prisma_migrations'];

const ACTIONS: Record<string, ReferentialAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/**
 * Whether a catalog object belongs to an extension (PostGIS's
 * `spatial_ref_sys`, ...): the extension owns it, not the model, and
 * dropping it would break the extension.
 */
const EXTENSION_MEMBER = (catalog: string, oid: string) =>
  `EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;

export async function introspectPostgres(connection: Connection, options: IntrospectOptions = {}): Promise<DatabaseModel> {
  const defaultSchema = await resolveDefaultSchema(connection);
  const extra = (connection as { schemas?: string[] }).schemas;
  const requested = options.schemas ?? (extra && extra.length > 0 ? [defaultSchema, ...extra] : undefined);
  const multi = requested !== undefined;
  const schemas = [...new Set(requested ?? [defaultSchema])];
  // In single-schema mode, objects of the default schema carry no schema.
  const schemaOf = (name: string): string | undefined => (multi || name !== defaultSchema ? name : undefined);

  const excluded = new Set([...ALWAYS_EXCLUDED, ...(options.excludeTables ?? [])]);
  const isExcluded = (schema: string, name: string) => excluded.has(name) || excluded.has(`${schema}.${name}`);

  const enums = await readEnums(connection, schemas, schemaOf);
  const tables = new Map<string, TableModel>();
  const key = (schema: string, name: string) => `${schema}\0${name}`;

  const tableRows = await connection.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1::text[])
        AND NOT ${EXTENSION_MEMBER('pg_class', 'c.oid')}
      ORDER BY n.nspname, c.relname`,
    [schemas],
  );
  for (const row of tableRows) {
    if (isExcluded(row.schema, row.name)) continue;
    tables.set(key(row.schema, row.name), {
      ...(schemaOf(row.schema) !== undefined ? { schema: row.schema } : {}),
      name: row.name,
      columns: [],
      indexes: [],
      foreignKeys: [],
    });
  }

  await readColumns(connection, schemas, (s, t) => tables.get(key(s, t)), schemaOf);
  await readConstraints(connection, schemas, (s, t) => tables.get(key(s, t)), schemaOf);
  await readIndexes(connection, schemas, (s, t) => tables.get(key(s, t)));

  for (const table of tables.values()) {
    table.indexes.sort((a, b) => compare(a.name, b.name));
    table.foreignKeys.sort((a, b) => compare(a.name, b.name));
  }
  const extensions = await readExtensions(connection);
  return { tables: [...tables.values()], enums, ...(extensions.length > 0 ? { extensions } : {}) };
}

/** Installed extensions, by name; plpgsql (always there, never listed in a Prisma schema) left out. */
async function readExtensions(connection: Connection): Promise<ExtensionModel[]> {
  const rows = await connection.query<{ name: string; schema: string; version: string }>(
    `SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname <> 'plpgsql'
      ORDER BY e.extname`,
  );
  return rows.map((row) => ({ name: row.name, schema: row.schema, version: row.version }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function resolveDefaultSchema(connection: Connection): Promise<string> {
  const known = (connection as { defaultSchema?: string }).defaultSchema;
  if (known) return known;
  const rows = await connection.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  return rows[0]?.schema ?? 'public';
}

async function readEnums(
  connection: Connection,
  schemas: string[],
  schemaOf: (s: string) => string | undefined,
): Promise<EnumModel[]> {
  const rows = await connection.query<{ schema: string; name: string; values: string[] }>(
    `SELECT n.nspname AS schema, t.typname AS name,
            array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = ANY($1::text[]) AND NOT ${EXTENSION_MEMBER('pg_type', 't.oid')}
      GROUP BY n.nspname, t.typname
      ORDER BY n.nspname, t.typname`,
    [schemas],
  );
  return rows.map((row) => {
    const schema = schemaOf(row.schema);
    return { ...(schema !== undefined ? { schema } : {}), name: row.name, values: row.values };
  });
}

interface ColumnRow {
  schema: string;
  table: string;
  name: string;
  formatted: string;
  notnull: boolean;
  default: string | null;
  identity: string;
  serial: string | null;
  is_array: boolean;
  enum_name: string | null;
  enum_schema: string | null;
}

async function readColumns(
  connection: Connection,
  schemas: string[],
  tableOf: (schema: string, table: string) => TableModel | undefined,
  schemaOf: (s: string) => string | undefined,
): Promise<void> {
  // The element type of an array column tells whether it is an enum list.
  const rows = await connection.query<ColumnRow>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS formatted,
            a.attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS default,
            a.attidentity AS identity,
            pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS serial,
            (t.typcategory = 'A') AS is_array,
            CASE WHEN et.typtype = 'e' THEN et.typname END AS enum_name,
            CASE WHEN et.typtype = 'e' THEN etn.nspname END AS enum_schema
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
       JOIN pg_namespace etn ON etn.oid = et.typnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname = ANY($1::text[])
      ORDER BY n.nspname, c.relname, a.attnum`,
    [schemas],
  );
  for (const row of rows) {
    const table = tableOf(row.schema, row.table);
    if (!table) continue;
    const column: ColumnModel = { name: row.name, type: '', nullable: !row.notnull };
    if (row.enum_name) {
      column.type = row.enum_name;
      const enumSchema = schemaOf(row.enum_schema!);
      column.enumType = { ...(enumSchema !== undefined ? { schema: enumSchema } : {}), name: row.enum_name };
    } else {
      column.type = normalizeType(row.formatted.replace(/(\[\])+$/, ''));
    }
    if (row.is_array) column.isList = true;
    // SERIAL: a nextval() default on a sequence owned by the column. Identity columns count too.
    const isSerial = row.serial !== null && (row.identity !== '' || /^nextval\(/i.test(row.default ?? ''));
    if (isSerial) {
      column.autoincrement = true;
    } else if (row.default !== null) {
      const normalized = normalizeDefault(row.default, { type: column.type });
      if (normalized !== 'NULL') column.default = normalized;
    }
    table.columns.push(orderKeys(column));
  }
}

/** Fixed key order so deep-equal comparisons and snapshots are stable. */
function orderKeys(column: ColumnModel): ColumnModel {
  const out: ColumnModel = { name: column.name, type: column.type, nullable: column.nullable };
  if (column.default !== undefined) out.default = column.default;
  if (column.autoincrement) out.autoincrement = true;
  if (column.isList) out.isList = true;
  if (column.enumType) out.enumType = column.enumType;
  return out;
}

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  type: 'p' | 'f';
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
  on_delete: string;
  on_update: string;
}

async function readConstraints(
  connection: Connection,
  schemas: string[],
  tableOf: (schema: string, table: string) => TableModel | undefined,
  schemaOf: (s: string) => string | undefined,
): Promise<void> {
  const rows = await connection.query<ConstraintRow>(
    `SELECT n.nspname AS schema, c.relname AS table, con.conname AS name, con.contype AS type,
            ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                   ORDER BY k.ord)::text[] AS columns,
            rn.nspname AS ref_schema, rc.relname AS ref_table,
            CASE WHEN con.contype = 'f' THEN
              ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                     ORDER BY k.ord)::text[] END AS ref_columns,
            con.confdeltype AS on_delete, con.confupdtype AS on_update
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class rc ON rc.oid = con.confrelid
       LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE con.contype IN ('p', 'f') AND n.nspname = ANY($1::text[])
      ORDER BY n.nspname, c.relname, con.conname`,
    [schemas],
  );
  for (const row of rows) {
    const table = tableOf(row.schema, row.table);
    if (!table) continue;
    if (row.type === 'p') {
      table.primaryKey = { name: row.name, columns: row.columns };
      continue;
    }
    const referencedSchema = schemaOf(row.ref_schema!);
    const foreignKey: ForeignKeyModel = {
      name: row.name,
      columns: row.columns,
      ...(referencedSchema !== undefined ? { referencedSchema } : {}),
      referencedTable: row.ref_table!,
      referencedColumns: row.ref_columns ?? [],
      onDelete: ACTIONS[row.on_delete] ?? 'NO ACTION',
      onUpdate: ACTIONS[row.on_update] ?? 'NO ACTION',
    };
    table.foreignKeys.push(foreignKey);
  }
}

interface IndexRow {
  schema: string;
  table: string;
  name: string;
  unique: boolean;
  method: string;
  predicate: string | null;
  columns: Array<{ name: string; expression: boolean; desc: boolean; opclass: string | null }>;
  include: string[];
  storage: string[] | null;
}

async function readIndexes(
  connection: Connection,
  schemas: string[],
  tableOf: (schema: string, table: string) => TableModel | undefined,
): Promise<void> {
  // One row per index with its key columns in order. Expression keys (attnum 0) are shown as their SQL text.
  // An exclusion constraint's index belongs to the constraint (Prisma cannot describe either): left out.
  // An operator class is reported only when it is not the default one for the column type and method.
  const rows = await connection.query<IndexRow>(
    `SELECT n.nspname AS schema, c.relname AS table, ic.relname AS name, i.indisunique AS unique,
            am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
            ARRAY(
              SELECT json_build_object(
                       'name', CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname END,
                       'expression', k.attnum = 0,
                       'desc', (i.indoption[k.ord - 1] & 1) = 1,
                       'opclass', CASE WHEN NOT opc.opcdefault THEN opc.opcname END)
                FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.ord - 1]
               WHERE k.ord <= i.indnkeyatts
               ORDER BY k.ord) AS columns,
            ARRAY(
              SELECT a.attname::text
                FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
               WHERE k.ord > i.indnkeyatts
               ORDER BY k.ord) AS include,
            ic.reloptions AS storage
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_am am ON am.oid = ic.relam
      WHERE NOT i.indisprimary AND NOT i.indisexclusion AND n.nspname = ANY($1::text[])
      ORDER BY n.nspname, c.relname, ic.relname`,
    [schemas],
  );
  for (const row of rows) {
    const table = tableOf(row.schema, row.table);
    if (!table) continue;
    const index: IndexModel = {
      name: row.name,
      columns: row.columns.map((col) => ({
        name: col.name,
        ...(col.expression ? { expression: true } : {}),
        ...(col.desc ? { sort: 'DESC' as SortOrder } : {}),
        ...(col.opclass ? { opclass: col.opclass } : {}),
      })),
      unique: row.unique,
    };
    // B-tree is the default access method; it is left implicit like an ASC sort order.
    if (row.method !== 'btree') index.using = row.method;
    if (row.predicate) index.where = row.predicate;
    if (row.include.length > 0) index.include = row.include;
    if (row.storage && row.storage.length > 0) index.storage = row.storage;
    table.indexes.push(index);
  }
}
