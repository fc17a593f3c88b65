import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { ReviseError } from '../errors.js';
import { createProgress, type ProgressStream } from './progress.js';

export interface BatchedOptions {
  /** The table to walk: its name, or `{ schema, name }`. */
  table: string | { schema?: string; name: string };
  /**
   * A unique, non-null, indexed column to walk in order (the primary key,
   * usually `id`). Chunks are key ranges, so memory stays flat and each
   * chunk is found by an index seek (keyset pagination, never OFFSET).
   */
  key: string;
  /** Rows per chunk. Default 5000. */
  size?: number;
  /** Shown on the progress line (TTY only). Default: the table name. */
  label?: string;
}

/** One chunk of the walk. */
export interface Chunk {
  /**
   * The condition that selects this chunk's rows, to add to your query:
   * `db.updateTable('User').set(...).where(chunk.where).execute()`.
   * Offline (`--sql`) there is one chunk and this is `true`.
   */
  where: Expression<SqlBool>;
  /** The chunk is `after < key <= last`; `after` is undefined for the first chunk. */
  after: unknown;
  /** Last key in the chunk; undefined offline. */
  last: unknown;
  /** Rows in the chunk (0 offline, where nothing can be counted). */
  rows: number;
  /** 0, 1, 2, ... */
  index: number;
}

export interface BatchedResult {
  rows: number;
  chunks: number;
}

export const DEFAULT_CHUNK_SIZE = 5000;

/**
 * Walk `table` in key order, `size` rows at a time, calling `fn` once per
 * chunk. Online each chunk's boundary is read first (max key and count of the
 * next `size` keys past the previous chunk), so only two numbers are held at
 * a time whatever the table's size. Offline nothing can be read: `fn` runs
 * once, for the whole table, so its statements land in the script as one
 * set-based statement.
 */
export async function runBatched(
  db: Kysely<any>,
  offline: boolean,
  options: BatchedOptions,
  fn: (chunk: Chunk) => Promise<unknown>,
  stream?: ProgressStream,
): Promise<BatchedResult> {
  const size = options.size ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new ReviseError(`batched: size must be a positive integer, got ${String(options.size)}`);
  if (!options.key) throw new ReviseError('batched: a key column is required');
  const tableName = typeof options.table === 'string' ? options.table : [options.table.schema, options.table.name].filter(Boolean).join('.');
  const table = sql.table(tableName);
  const key = sql.ref(options.key);

  if (offline) {
    await fn({ where: sql<SqlBool>`${sql.lit(true)}`, after: undefined, last: undefined, rows: 0, index: 0 });
    return { rows: 0, chunks: 1 };
  }

  const out = stream ?? process.stderr;
  let total: number | undefined;
  if (out.isTTY) {
    // Only a person watching needs a total (for % and time left); it costs a scan.
    const counted = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${table}`.execute(db);
    total = Number(counted.rows[0]?.n ?? 0);
  }
  const progress = createProgress(options.label ?? tableName, total, out);

  let after: unknown;
  let rows = 0;
  let index = 0;
  try {
    for (;;) {
      const lowerBound = index === 0 ? sql`` : sql`WHERE ${key} > ${after}`;
      const boundary = await sql<{ last: unknown; n: number | string }>`SELECT max(${sql.ref('chunk.k')}) AS last, count(*) AS n FROM (SELECT ${key} AS k FROM ${table} ${lowerBound} ORDER BY ${key} LIMIT ${size}) AS chunk`.execute(db);
      const n = Number(boundary.rows[0]?.n ?? 0);
      if (n === 0) break;
      const last = boundary.rows[0]!.last;
      const where =
        index === 0 ? sql<SqlBool>`${key} <= ${last}` : sql<SqlBool>`${key} > ${after} AND ${key} <= ${last}`;
      await fn({ where, after, last, rows: n, index });
      rows += n;
      index++;
      progress.advance(n);
      if (n < size) break;
      after = last;
    }
  } finally {
    progress.done();
  }
  return { rows, chunks: index };
}
