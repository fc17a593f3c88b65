/**
 * Prisma's default constraint names, as its schema engine derives them
 * (psl-core `ConstraintNames` and the sql schema calculator's join tables).
 * Inputs are DATABASE names (after @map / @@map). Lengths are counted in
 * UTF-8 bytes, and a name that would exceed the provider's identifier limit
 * is cut before the suffix, so the suffix always survives.
 */

export type Provider = 'sqlite' | 'postgresql' | 'mysql';

/** PostgreSQL: NAMEDATALEN - 1; MySQL: 64. SQLite has no real limit; Prisma uses 10000. */
export function maxIdentifierLength(provider: Provider): number {
  return provider === 'postgresql' ? 63 : provider === 'mysql' ? 64 : 10000;
}

const encoder = new TextEncoder();

function byteLength(s: string): number {
  return encoder.encode(s).length;
}

/** The longest prefix of `s` that fits in `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateBytes(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const size = byteLength(ch);
    if (used + size > maxBytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/** The first `count` characters (Unicode scalar values), as Rust's `chars().take(n)`. */
function takeChars(s: string, count: number): string {
  return Array.from(s).slice(0, count).join('');
}

/** `{body}{suffix}`, with body cut so the whole fits the limit (Prisma cuts when body >= limit - suffix). */
function withSuffix(body: string, suffix: string, provider: Provider): string {
  const room = maxIdentifierLength(provider) - suffix.length;
  return (byteLength(body) >= room ? truncateBytes(body, room) : body) + suffix;
}

export function primaryKeyName(table: string, provider: Provider): string {
  return withSuffix(table, '_pkey', provider);
}

export function uniqueIndexName(table: string, columns: string[], provider: Provider): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_key', provider);
}

export function indexName(table: string, columns: string[], provider: Provider): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_idx', provider);
}

/** `table` is the referencing table, `columns` its constrained columns. */
export function foreignKeyName(table: string, columns: string[], provider: Provider): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_fkey', provider);
}

/**
 * Names of an implicit many-to-many join table. Prisma diverges from its
 * usual convention here (the names are not configurable), so these follow
 * the schema engine's own rules, including its slightly asymmetric cut for
 * the two foreign keys.
 */
export function joinTableNames(relationName: string, provider: Provider) {
  const limit = maxIdentifierLength(provider);
  const table = takeChars(`_${relationName}`, limit);
  const uniqueSuffix = provider === 'postgresql' ? '_AB_pkey' : '_AB_unique';
  const maxTableForFk = limit - '_fkey'.length - 2;
  const tableBytes = byteLength(table);
  return {
    table,
    /** PostgreSQL: the primary key; SQLite: a unique index. */
    uniqueName: takeChars(table, limit - uniqueSuffix.length) + uniqueSuffix,
    indexName: takeChars(table, limit - 8) + '_B_index',
    foreignKeyA: (tableBytes > maxTableForFk ? truncateBytes(table, maxTableForFk) : table) + '_A_fkey',
    foreignKeyB: (tableBytes >= maxTableForFk ? truncateBytes(table, maxTableForFk) : table) + '_B_fkey',
  };
}
