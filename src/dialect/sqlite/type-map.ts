import type { PrismaDefault, PrismaFieldType, TypeMap } from '../types.js';

/**
 * Prisma's SQLite column types and default spellings, as its migration engine
 * writes them. Enums have no type of their own on SQLite: they are TEXT.
 */
const SCALAR_TYPES: Record<string, string> = {
  String: 'TEXT',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'REAL',
  Decimal: 'DECIMAL',
  DateTime: 'DATETIME',
  Boolean: 'BOOLEAN',
  Json: 'JSONB',
  Bytes: 'BLOB',
};

/** Functions whose value Prisma Client computes (or the key sequence provides): no SQL default. */
const CLIENT_SIDE_DEFAULTS = new Set(['autoincrement', 'uuid', 'cuid', 'nanoid', 'ulid', 'sequence', 'auto']);

const KEYWORDS = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'NULL']);

export function quoteSqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function normalizeSqliteType(sqlType: string): string {
  return sqlType
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')')
    .toUpperCase();
}

/** `(x)` -> `x` when the outer parentheses wrap the whole expression. */
export function stripWrappingParens(expr: string): string {
  let s = expr.trim();
  while (s.startsWith('(') && s.endsWith(')') && closingParenOf(s, 0) === s.length - 1) {
    s = s.slice(1, -1).trim();
  }
  return s;
}

function closingParenOf(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = s[i + 1] === quote ? (i++, quote) : undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** A numeric literal in one spelling (`+012.50` -> `12.5`), by text so no digit is ever lost to floating point. */
function canonicalNumber(text: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const int = m[2]!.replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const exp = m[4] !== undefined ? `e${Number(m[4])}` : '';
  const body = (frac ? `${int}.${frac}` : int) + exp;
  const zero = /^0(\.0*)?$/.test(frac ? `${int}.${frac}` : int);
  return (m[1] === '-' && !zero ? '-' : '') + body;
}

export function normalizeSqliteDefault(sqlDefault: string, column: { type: string }): string {
  const expr = stripWrappingParens(sqlDefault);
  const upper = expr.toUpperCase();
  if (KEYWORDS.has(upper)) return upper;
  if (upper === 'TRUE' || upper === 'FALSE') return upper.toLowerCase();
  const num = canonicalNumber(expr);
  if (num !== undefined) {
    // A BOOLEAN column written with 1/0 means the same as true/false.
    if (normalizeSqliteType(column.type) === 'BOOLEAN' && (num === '1' || num === '0')) return num === '1' ? 'true' : 'false';
    return num;
  }
  // Double-quoted string defaults are accepted by SQLite as string literals.
  if (expr.length >= 2 && expr.startsWith('"') && expr.endsWith('"') && !expr.slice(1, -1).includes('"')) {
    return quoteSqlString(expr.slice(1, -1));
  }
  return expr;
}

function sqlDefault(value: PrismaDefault, field: PrismaFieldType): string | undefined {
  if (Array.isArray(value)) return undefined; // SQLite has no list columns.
  if (typeof value === 'object' && value !== null) {
    const name = value.name.toLowerCase();
    if (name === 'now') return 'CURRENT_TIMESTAMP';
    if (name === 'dbgenerated') {
      const expr = value.args[0];
      return typeof expr === 'string' && expr.trim() !== '' ? normalizeSqliteDefault(expr, { type: sqliteSqlType(field) }) : undefined;
    }
    if (CLIENT_SIDE_DEFAULTS.has(name)) return undefined;
    return undefined;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return normalizeSqliteDefault(String(value), { type: sqliteSqlType(field) });
  if (typeof value === 'string') {
    // The DMMF hands numeric defaults of BigInt/Decimal fields over as strings.
    if ((field.type === 'BigInt' || field.type === 'Decimal' || field.type === 'Int' || field.type === 'Float') && canonicalNumber(value) !== undefined) {
      return canonicalNumber(value);
    }
    if (field.type === 'Boolean' && (value === 'true' || value === 'false')) return value;
    if (field.type === 'DateTime') return quoteSqlString(prismaDateTimeText(value));
    return quoteSqlString(value);
  }
  return undefined;
}

/**
 * Prisma writes a DateTime default the way Rust's chrono displays it:
 * `2020-01-02T03:04:05Z` -> `2020-01-02 03:04:05 +00:00` (fraction only when non-zero).
 */
export function prismaDateTimeText(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(value.trim());
  if (!m) return value;
  const nanos = Number((m[3] ?? '').padEnd(9, '0').slice(0, 9) || '0');
  let fraction = '';
  if (nanos !== 0) {
    if (nanos % 1_000_000 === 0) fraction = '.' + String(nanos / 1_000_000).padStart(3, '0');
    else if (nanos % 1000 === 0) fraction = '.' + String(nanos / 1000).padStart(6, '0');
    else fraction = '.' + String(nanos).padStart(9, '0');
  }
  const zone = m[4]!.toUpperCase() === 'Z' ? '+00:00' : m[4]!.includes(':') ? m[4]! : `${m[4]!.slice(0, 3)}:${m[4]!.slice(3)}`;
  return `${m[1]} ${m[2]}${fraction} ${zone}`;
}

function sqliteSqlType(field: PrismaFieldType): string {
  if (field.kind === 'enum') return 'TEXT';
  return SCALAR_TYPES[field.type] ?? 'TEXT';
}

export const sqliteTypeMap: TypeMap = {
  sqlType: (field) => sqliteSqlType(field),
  sqlDefault: (value, field) => sqlDefault(value, field),
  normalizeType: normalizeSqliteType,
  normalizeDefault: normalizeSqliteDefault,
};
