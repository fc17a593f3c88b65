import type { DialectName } from '../dialect/types.js';
import { enumValuesOf } from '../dialect/mysql/type-map.js';
import type { ColumnModel, EnumModel } from '../model/types.js';

/**
 * The TypeScript type of a column's values as revise's drivers hand them
 * over (better-sqlite3, node-postgres with default parsers), from the SQL
 * type frozen in the revision. One table per dialect, in this one place.
 * When the dialect is not known, the union of both: always true, if wider.
 */
const SQLITE: Array<[RegExp, string]> = [
  [/^(INTEGER|INT|TINYINT|SMALLINT|MEDIUMINT|BIGINT|INT2|INT8|UNSIGNED BIG INT)$/, 'number'],
  [/^(REAL|FLOAT|DOUBLE|DOUBLE PRECISION|NUMERIC|DECIMAL)$/, 'number'],
  // Stored as 0/1.
  [/^BOOLEAN$/, 'number'],
  // Prisma writes ISO-8601 text; databases from older Prisma versions may hold epoch milliseconds.
  [/^(DATETIME|DATE|TIMESTAMP)$/, 'string | number'],
  [/^(BLOB)$/, 'Uint8Array'],
  [/^(TEXT|CLOB|JSON|JSONB|(NATIVE |VARYING )?CHARACTER|VARCHAR|NVARCHAR|NCHAR|CHAR)$/, 'string'],
];

const POSTGRES: Array<[RegExp, string]> = [
  [/^(INTEGER|INT|INT4|SMALLINT|INT2|SERIAL|SERIAL4|SMALLSERIAL|SERIAL2|REAL|FLOAT4|DOUBLE PRECISION|FLOAT8|OID)$/, 'number'],
  // node-postgres returns 64-bit integers and exact numerics as text (no precision lost).
  [/^(BIGINT|INT8|BIGSERIAL|SERIAL8|DECIMAL|NUMERIC|MONEY)$/, 'string'],
  [/^(BOOLEAN|BOOL)$/, 'boolean'],
  [/^(TIMESTAMP|TIMESTAMP WITHOUT TIME ZONE|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|DATE)$/, 'Date'],
  [/^(JSON|JSONB)$/, 'unknown'],
  [/^BYTEA$/, 'Uint8Array'],
  [/^INTERVAL$/, 'unknown'],
  [
    /^(TEXT|VARCHAR|CHARACTER VARYING|CHAR|CHARACTER|BPCHAR|CITEXT|UUID|XML|INET|CIDR|MACADDR|MACADDR8|TIME|TIMETZ|TIME WITHOUT TIME ZONE|TIME WITH TIME ZONE|BIT|VARBIT|BIT VARYING|TSVECTOR|TSQUERY)$/,
    'string',
  ],
];

const MYSQL: Array<[RegExp, string]> = [
  // mysql2 returns BOOLEAN (tinyint(1)) as 0 / 1.
  [/^(TINYINT|SMALLINT|MEDIUMINT|INTEGER|INT|YEAR|FLOAT|DOUBLE|BOOLEAN)( UNSIGNED)?$/, 'number'],
  // Read with bigNumberStrings: 64-bit integers and exact numerics as text (no precision lost).
  [/^(BIGINT|DECIMAL)( UNSIGNED)?$/, 'string'],
  [/^(DATETIME|TIMESTAMP|DATE)$/, 'Date'],
  [/^JSON$/, 'unknown'],
  [/^(TINYBLOB|BLOB|MEDIUMBLOB|LONGBLOB|BINARY|VARBINARY|BIT)$/, 'Uint8Array'],
  [/^(VARCHAR|CHAR|TINYTEXT|TEXT|MEDIUMTEXT|LONGTEXT|TIME)$/, 'string'],
];

const TABLES: Record<DialectName, Array<[RegExp, string]>> = { sqlite: SQLITE, postgresql: POSTGRES, mysql: MYSQL };

function baseType(sqlType: string): string {
  return sqlType
    .toUpperCase()
    .replace(/\[\]$/g, '')
    .replace(/\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function lookup(dialect: DialectName, base: string): string | undefined {
  return TABLES[dialect].find(([pattern]) => pattern.test(base))?.[1];
}

/** The value type of one column (without `| null` and without `Generated<>`). */
export function valueType(column: ColumnModel, options: { dialect?: DialectName; enums?: EnumModel[] } = {}): string {
  let type: string;
  const enumModel = column.enumType
    ? options.enums?.find((e) => e.name === column.enumType!.name && (e.schema ?? undefined) === (column.enumType!.schema ?? undefined))
    : undefined;
  if (enumModel && enumModel.values.length > 0) {
    type = enumModel.values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(' | ');
  } else if (column.enumType) {
    type = 'string';
  } else if (/^ENUM\s*\(/i.test(column.type)) {
    // MySQL: the values are in the column type.
    const values = enumValuesOf(column.type) ?? [];
    type = values.length > 0 ? values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(' | ') : 'string';
  } else {
    const base = baseType(column.type);
    const dialects: DialectName[] = options.dialect ? [options.dialect] : ['sqlite', 'postgresql'];
    const found = new Set<string>();
    for (const d of dialects) {
      for (const part of (lookup(d, base) ?? 'unknown').split(' | ')) found.add(part);
    }
    type = found.has('unknown') ? 'unknown' : [...found].join(' | ');
  }
  if (column.isList) type = type.includes(' ') ? `Array<${type}>` : `${type}[]`;
  return type;
}

/** The type written in the frozen table interface: `Generated<>` when the database fills it, `| null` when nullable. */
export function columnType(column: ColumnModel, options: { dialect?: DialectName; enums?: EnumModel[] } = {}): string {
  let type = valueType(column, options);
  if (column.nullable) type = type === 'unknown' ? 'unknown' : `${type} | null`;
  if (column.autoincrement || column.default !== undefined) type = `Generated<${type}>`;
  return type;
}
