import type { PrismaDefault, PrismaFieldType, TypeMap } from '../types.js';
import { splitTopLevel } from '../../model/sql-split.js';
import { extensionFor } from './extensions.js';

/**
 * Prisma's PostgreSQL type mapping and the canonical spelling of types and
 * defaults. Canonical spelling is Prisma's DDL spelling (`TIMESTAMP(3)`,
 * `DECIMAL(65,30)`, `VARCHAR(255)`), so that a type derived from a Prisma
 * schema and one read back from pg_catalog compare equal as strings.
 */

const SCALAR_TYPES: Record<string, string> = {
  String: 'TEXT',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'DOUBLE PRECISION',
  Decimal: 'DECIMAL(65,30)',
  DateTime: 'TIMESTAMP(3)',
  Boolean: 'BOOLEAN',
  Json: 'JSONB',
  Bytes: 'BYTEA',
};

/** `@db.X` -> SQL type name; `(args)` are appended as written. */
const NATIVE_TYPES: Record<string, string> = {
  VarChar: 'VARCHAR',
  Char: 'CHAR',
  Text: 'TEXT',
  Uuid: 'UUID',
  Xml: 'XML',
  Inet: 'INET',
  Citext: 'CITEXT',
  Bit: 'BIT',
  VarBit: 'VARBIT',
  SmallInt: 'SMALLINT',
  Integer: 'INTEGER',
  BigInt: 'BIGINT',
  Oid: 'OID',
  Real: 'REAL',
  DoublePrecision: 'DOUBLE PRECISION',
  Decimal: 'DECIMAL',
  Money: 'MONEY',
  Timestamp: 'TIMESTAMP',
  Timestamptz: 'TIMESTAMPTZ',
  Date: 'DATE',
  Time: 'TIME',
  Timetz: 'TIMETZ',
  Boolean: 'BOOLEAN',
  Json: 'JSON',
  JsonB: 'JSONB',
  ByteA: 'BYTEA',
};

/** Names PostgreSQL (format_type, pg_type, hand-written SQL) uses, mapped to the canonical base name. */
const TYPE_ALIASES: Record<string, string> = {
  'INT': 'INTEGER',
  'INT4': 'INTEGER',
  'INTEGER': 'INTEGER',
  'INT2': 'SMALLINT',
  'SMALLINT': 'SMALLINT',
  'INT8': 'BIGINT',
  'BIGINT': 'BIGINT',
  'SERIAL': 'INTEGER',
  'SERIAL4': 'INTEGER',
  'BIGSERIAL': 'BIGINT',
  'SERIAL8': 'BIGINT',
  'SMALLSERIAL': 'SMALLINT',
  'SERIAL2': 'SMALLINT',
  'FLOAT8': 'DOUBLE PRECISION',
  'DOUBLE PRECISION': 'DOUBLE PRECISION',
  'FLOAT': 'DOUBLE PRECISION',
  'FLOAT4': 'REAL',
  'REAL': 'REAL',
  'NUMERIC': 'DECIMAL',
  'DECIMAL': 'DECIMAL',
  'CHARACTER VARYING': 'VARCHAR',
  'VARCHAR': 'VARCHAR',
  'CHARACTER': 'CHAR',
  'CHAR': 'CHAR',
  'BPCHAR': 'CHAR',
  'BIT VARYING': 'VARBIT',
  'VARBIT': 'VARBIT',
  'BOOL': 'BOOLEAN',
  'BOOLEAN': 'BOOLEAN',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  'TIMESTAMP': 'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  'TIMESTAMPTZ': 'TIMESTAMPTZ',
  'TIME WITHOUT TIME ZONE': 'TIME',
  'TIME': 'TIME',
  'TIME WITH TIME ZONE': 'TIMETZ',
  'TIMETZ': 'TIMETZ',
};

/** Types whose length defaults to 1 when none is given: `CHAR` is `CHAR(1)`, `BIT` is `BIT(1)`. */
const LENGTH_ONE_BY_DEFAULT = new Set(['CHAR', 'BIT']);

export const NUMERIC_TYPES = new Set(['SMALLINT', 'INTEGER', 'BIGINT', 'REAL', 'DOUBLE PRECISION', 'DECIMAL', 'OID', 'MONEY']);

/** The base name of a canonical type: `DECIMAL(65,30)` -> `DECIMAL`. */
export function baseType(type: string): string {
  return type.replace(/\(.*\)$/, '');
}

/**
 * Canonical spelling of a type (element type for arrays; `[]` suffixes are
 * kept if present). Quoted names (enums, user types) keep their case.
 */
export function normalizeType(sqlType: string): string {
  let text = sqlType.trim();
  let arraySuffix = '';
  while (text.endsWith('[]')) {
    arraySuffix += '[]';
    text = text.slice(0, -2).trimEnd();
  }
  if (text.startsWith('"')) return text + arraySuffix;
  // `timestamp(3) without time zone`: the modifier sits in the middle; move it to the end.
  const match = /^([a-zA-Z_ ][a-zA-Z0-9_ ]*?)\s*(?:\(([^)]*)\))?\s*(with(?:out)? time zone)?$/i.exec(text);
  if (!match) return text + arraySuffix;
  const name = [match[1]!.trim(), match[3]].filter(Boolean).join(' ').replace(/\s+/g, ' ').toUpperCase();
  const args = match[2]?.split(',').map((a) => a.trim()).join(',');
  const base = TYPE_ALIASES[name] ?? name;
  const withArgs = args !== undefined && args !== '' ? `${base}(${args})` : LENGTH_ONE_BY_DEFAULT.has(base) ? `${base}(1)` : base;
  return withArgs + arraySuffix;
}

/** Element SQL type Prisma's migration engine creates for a field (lists are the element type; `isList` says array). */
export function sqlType(field: PrismaFieldType, enumSqlName?: string): string {
  if (field.kind === 'enum') return enumSqlName ?? field.type;
  if (field.nativeType) {
    const name = NATIVE_TYPES[field.nativeType.name] ?? field.nativeType.name;
    const args = field.nativeType.args;
    return normalizeType(args.length > 0 ? `${name}(${args.join(',')})` : name);
  }
  const scalar = SCALAR_TYPES[field.type];
  if (!scalar) throw new Error(`no PostgreSQL type for Prisma type ${field.type}`);
  return scalar;
}

// ---------------------------------------------------------------------------
// Defaults

export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The SQL default Prisma writes for `@default(...)`, in canonical (normalised) form. */
export function sqlDefault(value: PrismaDefault, field: PrismaFieldType, enumSqlName?: string): string | undefined {
  const column = { type: sqlType(field, enumSqlName) };
  if (Array.isArray(value)) {
    const elements = value.map((v) => scalarDefault(v, field, column.type));
    if (elements.some((e) => e === undefined)) return undefined;
    return normalizeDefault(`ARRAY[${elements.join(', ')}]`, column);
  }
  if (typeof value === 'object' && value !== null) {
    switch (value.name) {
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'dbgenerated': {
        const expr = value.args[0];
        return typeof expr === 'string' && expr.trim() !== '' ? normalizeDefault(expr, column) : undefined;
      }
      default:
        // autoincrement(), sequence(), uuid(), cuid(), nanoid(), ulid(): not a database default.
        return undefined;
    }
  }
  const literal = scalarDefault(value, field, column.type);
  return literal === undefined ? undefined : normalizeDefault(literal, column);
}

function scalarDefault(value: unknown, field: PrismaFieldType, type: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'string') return quoteString(JSON.stringify(value));
  if (field.kind === 'enum') return quoteString(value);
  switch (field.type) {
    case 'Int':
    case 'BigInt':
    case 'Float':
    case 'Decimal':
      return value;
    case 'Boolean':
      return value === 'true' ? 'true' : 'false';
    case 'Bytes':
      // Prisma writes a Bytes default (base64 in the schema) as a hex bytea literal.
      return quoteString(`\\x${Buffer.from(value, 'base64').toString('hex')}`);
    case 'DateTime':
      return dateTimeDefault(value, type);
    default:
      return quoteString(value);
  }
}

/**
 * Prisma writes `'2020-01-02 03:04:05 +00:00'`; PostgreSQL stores it in the
 * column's type and shows it back without the offset (timestamp) or as `+00`
 * (timestamptz, with the session in UTC as our connections are). Use the
 * stored spelling, which is also valid SQL.
 */
function dateTimeDefault(value: string, type: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return quoteString(value);
  const iso = date.toISOString(); // 2020-01-02T03:04:05.000Z
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 23).replace(/\.?0+$/, '');
  const base = baseType(type);
  if (base === 'DATE') return quoteString(day);
  if (base === 'TIMESTAMPTZ') return quoteString(`${day} ${time}+00`);
  if (base === 'TIME') return quoteString(time);
  return quoteString(`${day} ${time}`);
}

/** A single-quoted SQL string literal, possibly followed by casts: `'a'::text`, `'A'::"Status"`. */
const CAST_LITERAL = /^('(?:[^']|'')*')((?:::(?:[^'":]|"[^"]*")+)+)$/s;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** Canonical form of a default expression, introspected or derived from Prisma. */
export function normalizeDefault(sqlDefault: string, column: { type: string }): string {
  let text = sqlDefault.trim();
  const type = normalizeType(column.type);
  const base = baseType(type);
  if (/^now\(\)$/i.test(text) || /^current_timestamp$/i.test(text)) return 'CURRENT_TIMESTAMP';
  if (/^(?:current_date|current_time|localtimestamp|localtime)$/i.test(text)) return text.toUpperCase();
  if (/^array\[/i.test(text)) return normalizeArrayDefault(text, column);
  // `NULL::text` is how PostgreSQL shows an explicit DEFAULT NULL.
  if (/^null(?:::.*)?$/i.test(text)) return 'NULL';
  const cast = CAST_LITERAL.exec(text);
  if (cast) {
    // `'{a,b}'::text[]` (hand-written array literal) means the same as Prisma's `ARRAY['a', 'b']`.
    if (cast[2]!.endsWith('[]') && cast[1]!.startsWith("'{")) {
      const elements = parseArrayLiteral(cast[1]!.slice(1, -1).replace(/''/g, "'"));
      if (elements) {
        const rendered = elements.map((e) => (NUMERIC_TYPES.has(base) || base === 'BOOLEAN' ? e : quoteString(e)));
        return normalizeDefault(`ARRAY[${rendered.join(', ')}]`, column);
      }
    }
    text = cast[1]!;
  }
  // Strip a cast on a bare number: `1::bigint`, `(-1)::integer`.
  const numberCast = /^\(?(-?\d+(?:\.\d+)?)\)?::[\w ]+$/.exec(text);
  if (numberCast) text = numberCast[1]!;
  if (/^(?:true|false)$/i.test(text)) return text.toLowerCase();
  if (NUMBER.test(text)) return canonicalNumber(text);
  if (text.startsWith("'") && text.endsWith("'")) {
    const inner = text.slice(1, -1).replace(/''/g, "'");
    // PostgreSQL shows negative numbers as `'-7'::integer`.
    if (NUMERIC_TYPES.has(base) && NUMBER.test(inner)) return canonicalNumber(inner);
    if (base === 'BOOLEAN' && /^(?:true|false)$/i.test(inner)) return inner.toLowerCase();
    if (base === 'JSONB') return quoteString(canonicalJsonb(inner));
    return text;
  }
  return text;
}

/** Elements of a one-dimensional PostgreSQL array literal (`{a,"b c"}`); undefined for anything fancier. */
function parseArrayLiteral(text: string): string[] | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const body = text.slice(1, -1);
  if (body === '') return [];
  const out: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,{}"]*?))\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < body.length && (match = pattern.exec(body))) {
    if (match[1] !== undefined) out.push(match[1].replace(/\\(.)/g, '$1'));
    else if (/^null$/i.test(match[2]!)) return undefined;
    else out.push(match[2]!);
  }
  return pattern.lastIndex >= body.length ? out : undefined;
}

/** `12.50` -> `12.5`, `1.0` -> `1` (text-only, so big integers keep every digit). */
function canonicalNumber(text: string): string {
  if (/[eE]/.test(text) || !text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

function normalizeArrayDefault(text: string, column: { type: string }): string {
  // Drop a trailing cast of the whole array (`ARRAY[...]::TEXT[]`), then casts on elements.
  const close = matchingBracket(text, text.indexOf('['));
  if (close < 0) return text;
  const elements = arrayElements(text.slice(text.indexOf('[') + 1, close)).map((e) =>
    normalizeDefault(e, column),
  );
  return `ARRAY[${elements.join(', ')}]`;
}

function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "'") inString = text[i + 1] === "'" ? (i++, true) : false;
      continue;
    }
    if (ch === "'") inString = true;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Top-level items of an array literal's element list, trimmed; none for an empty list. */
function arrayElements(text: string): string[] {
  return text.trim() === '' ? [] : splitTopLevel(text).map((e) => e.trim());
}

/**
 * JSON text as PostgreSQL's jsonb prints it (`{"a": 1, "b": [1, 2]}`, keys
 * shortest first then bytewise), so a Prisma `@default("{\"a\":1}")` equals
 * what the database gives back. Unparsable text is returned unchanged.
 */
export function canonicalJsonb(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const render = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(render).join(', ')}]`;
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v).sort((a, b) => {
        const la = Buffer.byteLength(a);
        const lb = Buffer.byteLength(b);
        return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
      });
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${render((v as Record<string, unknown>)[k])}`).join(', ')}}`;
    }
    return JSON.stringify(v);
  };
  return render(value);
}

export const postgresTypeMap: TypeMap = {
  sqlType,
  sqlDefault,
  normalizeType,
  normalizeDefault,
  extensionFor,
};
