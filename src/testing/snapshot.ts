import type { Connection, Dialect } from '../dialect/types.js';
import type { DatabaseModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';

/** The database at one moment: its schema (alembic_version aside) and, when asked, every row. */
export interface Snapshot {
  model: DatabaseModel;
  /** Qualified table name -> rows, each value as comparable text. */
  rows?: Map<string, Array<Record<string, string>>>;
}

export const VERSION_TABLES = ['alembic_version', '_prisma_migrations'];

export async function takeSnapshot(dialect: Dialect, connection: Connection, options: { rows: boolean; schemas?: string[]; excludeTables: string[] }): Promise<Snapshot> {
  const model = await dialect.introspect(connection, {
    ...(options.schemas ? { schemas: options.schemas } : {}),
    excludeTables: [...VERSION_TABLES, ...options.excludeTables],
  });
  if (!options.rows) return { model };
  const rows = new Map<string, Array<Record<string, string>>>();
  for (const table of model.tables) rows.set(qualifiedName(table), await readRows(dialect, connection, table));
  return { model, rows };
}

export function tableSql(dialect: Dialect, table: { schema?: string; name: string }): string {
  const q = dialect.quoteIdentifier;
  return table.schema ? `${q(table.schema)}.${q(table.name)}` : q(table.name);
}

async function readRows(dialect: Dialect, connection: Connection, table: TableModel): Promise<Array<Record<string, string>>> {
  const raw = await connection.query<Record<string, unknown>>(`SELECT * FROM ${tableSql(dialect, table)}`);
  return raw.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, comparable(v)])));
}

/** Values as text that compares equal when the stored value is the same, whatever the driver returned. */
function comparable(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (Buffer.isBuffer(value)) return `bytes:${value.toString('hex')}`;
  if (typeof value === 'object') return `json:${JSON.stringify(value)}`;
  return `${typeof value === 'bigint' ? 'number' : typeof value}:${String(value)}`;
}

/**
 * What happened to the rows between two snapshots, for the tables both have,
 * in the columns both have: rows lost (fewer of them) and values changed.
 * `dropped` columns (gone in between and back empty, as the revision's notes
 * say) are listed apart: data the revision knowingly does not restore.
 */
export function compareRows(before: Snapshot, after: Snapshot, through?: Snapshot): { lost: string[]; changed: string[] } {
  const lost: string[] = [];
  const changed: string[] = [];
  for (const [table, rowsBefore] of before.rows ?? []) {
    const rowsAfter = after.rows?.get(table);
    if (!rowsAfter) continue;
    // With `through`, only what also existed in between: a table or column dropped there comes back empty by design.
    const between = through?.model.tables.find((t) => qualifiedName(t) === table);
    if (through && !between) continue;
    if (rowsAfter.length < rowsBefore.length) {
      lost.push(`"${table}" had ${rowsBefore.length} row(s), now ${rowsAfter.length}`);
      continue;
    }
    const columns = Object.keys(rowsBefore[0] ?? {}).filter(
      (c) => rowsAfter[0] !== undefined && c in rowsAfter[0] && (!between || between.columns.some((col) => col.name === c)),
    );
    const key = (row: Record<string, string>) => JSON.stringify(columns.map((c) => row[c]));
    const remaining = new Map<string, number>();
    for (const row of rowsAfter) remaining.set(key(row), (remaining.get(key(row)) ?? 0) + 1);
    const missing = rowsBefore.filter((row) => {
      const n = remaining.get(key(row)) ?? 0;
      if (n === 0) return true;
      remaining.set(key(row), n - 1);
      return false;
    });
    if (missing.length === 0) continue;
    // Name the columns whose values differ, comparing rows in order (same count, same order of reading).
    const differing = columns.filter((c) => rowsBefore.some((row, i) => rowsAfter[i] !== undefined && row[c] !== rowsAfter[i]![c]));
    changed.push(`"${table}": ${missing.length} row(s) differ${differing.length > 0 ? ` in ${differing.map((c) => `"${c}"`).join(', ')}` : ''}`);
  }
  return { lost, changed };
}
