import type { ColumnModel } from '../../model/types.js';
import { baseType, normalizeType } from './type-map.js';

const NUMBERS = ['SMALLINT', 'INTEGER', 'BIGINT', 'DECIMAL', 'REAL', 'DOUBLE PRECISION'];

/** Types a string type converts to and from (PostgreSQL's I/O conversion casts): any. */
const STRINGS = new Set(['TEXT', 'VARCHAR', 'CHAR', 'CITEXT', 'NAME']);

/**
 * For each built-in type Prisma can create, the other non-string types
 * PostgreSQL casts it to (`pg_cast`; probed with ALTER COLUMN ... TYPE ...
 * USING col::type on PostgreSQL 15). Types not listed here are taken as
 * castable, as before.
 */
const CASTS_TO: Record<string, string[]> = {
  SMALLINT: [...NUMBERS, 'OID'],
  INTEGER: [...NUMBERS, 'MONEY', 'OID', 'BOOLEAN', 'BIT'],
  BIGINT: [...NUMBERS, 'MONEY', 'OID', 'BIT'],
  DECIMAL: [...NUMBERS, 'MONEY'],
  REAL: NUMBERS,
  'DOUBLE PRECISION': NUMBERS,
  MONEY: ['DECIMAL'],
  OID: ['INTEGER', 'BIGINT'],
  BOOLEAN: ['INTEGER'],
  BIT: ['VARBIT', 'INTEGER', 'BIGINT'],
  VARBIT: ['BIT'],
  TIMESTAMP: ['TIMESTAMPTZ', 'DATE', 'TIME'],
  TIMESTAMPTZ: ['TIMESTAMP', 'DATE', 'TIME', 'TIMETZ'],
  DATE: ['TIMESTAMP', 'TIMESTAMPTZ'],
  TIME: ['TIMETZ'],
  TIMETZ: ['TIME'],
  JSON: ['JSONB'],
  JSONB: ['JSON', ...NUMBERS, 'BOOLEAN'],
  UUID: [],
  XML: [],
  INET: ['CIDR'],
  BYTEA: [],
};

function base(column: ColumnModel): string {
  return baseType(normalizeType(column.type));
}

/**
 * Whether PostgreSQL can convert the column's values to the new type at all
 * (an explicit cast exists). Without one, ALTER COLUMN ... TYPE fails even on
 * an empty table, and Prisma's engine drops and re-adds the column instead.
 * Enums convert through text; lists follow their element type.
 */
export function isCastable(from: ColumnModel, to: ColumnModel): boolean {
  if (from.enumType || to.enumType) return true;
  const f = base(from);
  const t = base(to);
  if (f === t || STRINGS.has(f) || STRINGS.has(t)) return true;
  const targets = CASTS_TO[f];
  return targets === undefined || !(t in CASTS_TO) || targets.includes(t);
}
