import { quoteSqlString, stripWrappingParens } from './type-map.js';

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A value as SQLite literal text, for offline scripts; matches how the driver binds it online. */
export function renderLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot render ${value} as an SQLite literal`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return quoteSqlString(value);
  if (value instanceof Date) return quoteSqlString(value.toISOString());
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex').toUpperCase()}'`;
  return quoteSqlString(JSON.stringify(value));
}

/** A value as better-sqlite3 can bind it (it refuses booleans, Dates and plain objects). */
export function toBindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array || value === null) return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** A default SQLite accepts in `ALTER TABLE ADD COLUMN` and that COALESCE can use: a literal, not an expression. */
export function isConstantDefault(expr: string | undefined): boolean {
  if (expr === undefined) return false;
  const e = expr.trim();
  return (
    /^'(?:[^']|'')*'$/.test(e) ||
    /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(e) ||
    /^(true|false|null)$/i.test(e) ||
    /^x'[0-9a-f]*'$/i.test(e)
  );
}

/** A default as it goes after DEFAULT: literals and CURRENT_* bare, any other expression in parentheses (SQLite requires them). */
export function renderDefault(expr: string): string {
  const e = expr.trim();
  if (isConstantDefault(e) || /^CURRENT_(TIMESTAMP|DATE|TIME)$/i.test(e)) return e;
  return `(${stripWrappingParens(e)})`;
}
