import type { PrismaDefault, PrismaFieldType, TypeMap } from '../types.js';

/**
 * Prisma's MySQL type mapping and the canonical spelling of types and
 * defaults. Canonical spelling is Prisma's DDL spelling (`INTEGER`,
 * `VARCHAR(191)`, `DATETIME(3)`, `BOOLEAN`, `ENUM('A','B')`), so that a type
 * derived from a Prisma schema and one read back from information_schema
 * (`int(11)`, `tinyint(1)`, `enum('A','B')`) compare equal as strings.
 * Enums live on the column: the type carries the values.
 */

const SCALAR_TYPES: Record<string, string> = {
  String: 'VARCHAR(191)',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'DOUBLE',
  Decimal: 'DECIMAL(65,30)',
  DateTime: 'DATETIME(3)',
  Boolean: 'BOOLEAN',
  Json: 'JSON',
  Bytes: 'LONGBLOB',
};

/** `@db.X` -> SQL type; `(args)` are appended as written. */
const NATIVE_TYPES: Record<string, string> = {
  VarChar: 'VARCHAR',
  Char: 'CHAR',
  Text: 'TEXT',
  TinyText: 'TINYTEXT',
  MediumText: 'MEDIUMTEXT',
  LongText: 'LONGTEXT',
  Bit: 'BIT',
  TinyInt: 'TINYINT',
  UnsignedTinyInt: 'TINYINT UNSIGNED',
  SmallInt: 'SMALLINT',
  UnsignedSmallInt: 'SMALLINT UNSIGNED',
  MediumInt: 'MEDIUMINT',
  UnsignedMediumInt: 'MEDIUMINT UNSIGNED',
  Int: 'INTEGER',
  UnsignedInt: 'INTEGER UNSIGNED',
  BigInt: 'BIGINT',
  UnsignedBigInt: 'BIGINT UNSIGNED',
  Year: 'YEAR',
  Decimal: 'DECIMAL',
  Float: 'FLOAT',
  Double: 'DOUBLE',
  Date: 'DATE',
  Time: 'TIME',
  DateTime: 'DATETIME',
  Timestamp: 'TIMESTAMP',
  Json: 'JSON',
  Binary: 'BINARY',
  VarBinary: 'VARBINARY',
  TinyBlob: 'TINYBLOB',
  Blob: 'BLOB',
  MediumBlob: 'MEDIUMBLOB',
  LongBlob: 'LONGBLOB',
};

const ALIASES: Record<string, string> = {
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  NUMERIC: 'DECIMAL',
  DEC: 'DECIMAL',
  FIXED: 'DECIMAL',
  REAL: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  CHARACTER: 'CHAR',
  'CHARACTER VARYING': 'VARCHAR',
};

/** Integer types whose `(n)` is only a display width (MariaDB and MySQL 5.7 show it; MySQL 8 does not). */
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INTEGER', 'BIGINT']);
/** Types whose length defaults to 1. */
const LENGTH_ONE = new Set(['CHAR', 'BINARY', 'BIT']);
/** Fractional-second precision 0 is the same as none. */
const TEMPORAL = new Set(['DATETIME', 'TIMESTAMP', 'TIME']);
export const NUMERIC_TYPES = new Set([...INTEGER_TYPES, 'DECIMAL', 'FLOAT', 'DOUBLE', 'YEAR', 'BOOLEAN', 'BIT']);

export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The values of `ENUM('a','b''c')` (or `enum(...)` as information_schema spells it). */
export function enumValuesOf(type: string): string[] | undefined {
  const match = /^enum\s*\((.*)\)$/is.exec(type.trim());
  if (!match) return undefined;
  const values: string[] = [];
  const pattern = /\s*'((?:[^'\\]|''|\\.)*)'\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  while (pattern.lastIndex < match[1]!.length && (m = pattern.exec(match[1]!))) {
    values.push(m[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1'));
  }
  return values;
}

export function enumType(values: readonly string[]): string {
  return `ENUM(${values.map(quoteString).join(',')})`;
}

/** The base name of a canonical type: `DECIMAL(65,30)` -> `DECIMAL`, `INTEGER UNSIGNED` -> `INTEGER`. */
export function baseType(type: string): string {
  return type.replace(/\(.*\)/s, '').replace(/\s+UNSIGNED$/, '').trim();
}

export function normalizeType(sqlType: string): string {
  const text = sqlType.trim();
  const values = enumValuesOf(text);
  if (values) return enumType(values);
  const match = /^([a-zA-Z][a-zA-Z ]*?)\s*(?:\(([^)]*)\))?((?:\s+(?:unsigned|signed|zerofill))*)$/i.exec(text);
  if (!match) return text;
  const name = match[1]!.replace(/\s+/g, ' ').toUpperCase();
  let base = ALIASES[name] ?? name;
  let args: string | undefined = match[2]?.split(',').map((a) => a.trim()).join(',');
  const unsigned = /unsigned/i.test(match[3] ?? '');
  if (base === 'TINYINT' && args === '1' && !unsigned) return 'BOOLEAN';
  if (INTEGER_TYPES.has(base)) args = undefined;
  if (base === 'DECIMAL') {
    const [p = '10', s = '0'] = (args ?? '').split(',').filter((a) => a !== '');
    args = `${p},${s}`;
  }
  if (TEMPORAL.has(base) && args === '0') args = undefined;
  if (LENGTH_ONE.has(base) && (args === undefined || args === '')) args = '1';
  if (base === 'FLOAT' && args !== undefined) {
    // FLOAT(p) with p > 24 is a DOUBLE; MySQL shows the column as `double` anyway.
    base = Number(args.split(',')[0]) > 24 ? 'DOUBLE' : 'FLOAT';
    args = undefined;
  }
  return `${base}${args !== undefined && args !== '' ? `(${args})` : ''}${unsigned ? ' UNSIGNED' : ''}`;
}

export function sqlType(field: PrismaFieldType, enumSqlName?: string): string {
  if (field.kind === 'enum') {
    if (!field.enumValues) throw new Error(`MySQL needs the values of enum ${enumSqlName ?? field.type} for its column type`);
    return enumType(field.enumValues);
  }
  if (field.nativeType) {
    const name = NATIVE_TYPES[field.nativeType.name] ?? field.nativeType.name.toUpperCase();
    const args = field.nativeType.args;
    const [head, ...rest] = name.split(' ');
    return normalizeType(`${head}${args.length > 0 ? `(${args.join(',')})` : ''}${rest.length ? ` ${rest.join(' ')}` : ''}`);
  }
  const scalar = SCALAR_TYPES[field.type];
  if (!scalar) throw new Error(`no MySQL type for Prisma type ${field.type}`);
  return scalar;
}

/** Fractional-second precision of a temporal type: `DATETIME(3)` -> 3, `DATETIME` -> 0. */
function precisionOf(type: string): number {
  return Number(/\((\d+)\)/.exec(type)?.[1] ?? 0);
}

export function sqlDefault(value: PrismaDefault, field: PrismaFieldType, enumSqlName?: string): string | undefined {
  if (field.kind === 'enum') return typeof value === 'string' ? quoteString(value) : undefined;
  const type = sqlType(field, enumSqlName);
  if (Array.isArray(value)) return undefined; // no lists on MySQL
  if (typeof value === 'object' && value !== null) {
    switch (value.name) {
      case 'now': {
        const p = precisionOf(type);
        return p > 0 ? `CURRENT_TIMESTAMP(${p})` : 'CURRENT_TIMESTAMP';
      }
      case 'dbgenerated': {
        const expr = value.args[0];
        return typeof expr === 'string' && expr.trim() !== '' ? normalizeDefault(expr, { type }) : undefined;
      }
      default:
        // autoincrement(), uuid(), cuid(), nanoid(), ulid(): not a database default.
        return undefined;
    }
  }
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return normalizeDefault(String(value), { type });
  if (typeof value !== 'string') return quoteString(JSON.stringify(value));
  if (field.kind === 'scalar' && field.type === 'DateTime') return quoteString(dateTimeLiteral(value, type));
  if (field.kind === 'scalar' && field.type === 'Bytes') return `0x${Buffer.from(value, 'base64').toString('hex').toUpperCase()}`;
  if (field.kind === 'scalar' && field.type === 'Boolean') return value === 'true' ? 'true' : 'false';
  return normalizeDefault(NUMERIC_TYPES.has(baseType(type)) ? value : quoteString(value), { type });
}

/** `2020-01-02T03:04:05.000Z` as MySQL stores it in the column: `2020-01-02 03:04:05.000` (precision digits). */
function dateTimeLiteral(value: string, type: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const iso = date.toISOString();
  const base = baseType(type);
  if (base === 'DATE') return iso.slice(0, 10);
  const p = precisionOf(type);
  const time = iso.slice(11, 19) + (p > 0 ? `.${iso.slice(20, 23).padEnd(p, '0').slice(0, p)}` : '');
  return base === 'TIME' ? time : `${iso.slice(0, 10)} ${time}`;
}

const NUMBER = /^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

function canonicalNumber(text: string): string {
  let t = text.replace(/^\+/, '');
  if (/[eE]/.test(t)) return String(Number(t));
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  t = t.replace(/^(-?)0+(?=\d)/, '$1');
  return t === '-0' ? '0' : t;
}

/**
 * Canonical form of a default expression. Introspection hands over SQL:
 * quoted literals (`'abc'`), numbers, or expressions (`current_timestamp(3)`,
 * `uuid()`), already told apart by the introspector.
 */
export function normalizeDefault(sqlDefault: string, column: { type: string }): string {
  let text = sqlDefault.trim();
  const type = normalizeType(column.type);
  const base = baseType(type);
  // MySQL 8 expression defaults are written in parentheses: `DEFAULT (uuid())`.
  while (/^\(.*\)$/s.test(text) && balanced(text.slice(1, -1))) text = text.slice(1, -1).trim();
  const now = /^(?:current_timestamp|now|localtimestamp|localtime)\s*(?:\(\s*(\d*)\s*\))?$/i.exec(text);
  if (now) return now[1] && now[1] !== '0' ? `CURRENT_TIMESTAMP(${now[1]})` : 'CURRENT_TIMESTAMP';
  if (/^null$/i.test(text)) return 'NULL';
  // A literal with a charset introducer, as MySQL 8 shows expression defaults: _utf8mb4'abc'.
  const introduced = /^_[a-z0-9]+\\?('.*')$/is.exec(text);
  if (introduced) text = introduced[1]!;
  if (base === 'BOOLEAN') {
    const inner = text.replace(/^'(.*)'$/s, '$1').toLowerCase();
    if (inner === '1' || inner === 'true' || inner === "b'1'") return 'true';
    if (inner === '0' || inner === 'false' || inner === "b'0'") return 'false';
  }
  if (/^(?:true|false)$/i.test(text)) return NUMERIC_TYPES.has(base) ? (text.toLowerCase() === 'true' ? '1' : '0') : text.toLowerCase();
  if (NUMBER.test(text)) return NUMERIC_TYPES.has(base) ? canonicalNumber(text) : quoteString(text);
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) {
    const inner = text.slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1');
    if (NUMERIC_TYPES.has(base) && NUMBER.test(inner)) return canonicalNumber(inner);
    return quoteString(inner);
  }
  if (/^0x[0-9a-f]*$/i.test(text)) return `0x${text.slice(2).toUpperCase()}`;
  return text;
}

function balanced(text: string): boolean {
  let depth = 0;
  let quote = false;
  for (const ch of text) {
    if (ch === "'") quote = !quote;
    if (quote) continue;
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

export const mysqlTypeMap: TypeMap = {
  sqlType,
  sqlDefault,
  normalizeType,
  normalizeDefault,
};
