/**
 * The typed data handle and the batched helper, driven through the real op
 * executor on real databases: one transaction shared with `op`, no
 * transactions of its own, keyset chunks, progress on a TTY only, type
 * rendering of frozen shapes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgress, formatProgress } from '../src/data/progress.ts';
import { renderTablesInterface } from '../src/data/frozen.ts';
import { columnType } from '../src/data/value-types.ts';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import { sqliteDialect } from '../src/dialect/sqlite/index.ts';
import type { Connection, Dialect, Statement } from '../src/dialect/types.ts';
import { createOps } from '../src/runtime/executor.ts';
import { createTempDatabase, pgAvailable } from './support/postgres.ts';

const pg = await pgAvailable();
const dir = mkdtempSync(join(tmpdir(), 'revise-data-handle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Tables {
  item: { id: number; label: string; n: number | null };
}

async function withConnection(dialect: Dialect, fn: (c: Connection) => Promise<void>): Promise<void> {
  if (dialect.name === 'sqlite') {
    const c = await dialect.connect(`file:${join(dir, `${Math.random().toString(36).slice(2)}.db`)}`);
    try {
      await fn(c);
    } finally {
      await c.close();
    }
    return;
  }
  const database = await createTempDatabase();
  const c = await dialect.connect(database.url);
  try {
    await fn(c);
  } finally {
    await c.close();
    await database.drop();
  }
}

async function serverVersion(connection: Connection): Promise<number> {
  const [row] = await connection.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(row!.v);
}

function fakeTty() {
  const writes: string[] = [];
  return { stream: { isTTY: true, write: (s: string) => void writes.push(s) }, writes };
}

function handleSuite(dialect: Dialect) {
  it('reads and writes in the revision\'s own transaction; rollback undoes the data too', async () => {
    await withConnection(dialect, async (connection) => {
      await connection.execute('CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT NOT NULL, n INTEGER)');
      await connection.begin();
      const op = createOps({ dialect, connection });
      const db = op.data<Tables>();
      await db.insertInto('item').values([{ id: 1, label: 'a', n: null }, { id: 2, label: "it's", n: 5 }]).execute();
      // Seen by raw SQL on the same connection: one transaction.
      expect(await op.query<{ c: number | string }>('SELECT count(*) AS c FROM item')).toEqual([{ c: dialect.name === 'sqlite' ? 2 : '2' }]);
      const rows = await db.selectFrom('item').select(['id', 'label']).where('n', 'is not', null).execute();
      expect(rows).toEqual([{ id: 2, label: "it's" }]);
      const returned = await db.updateTable('item').set({ n: 7 }).where('id', '=', 1).returning(['id', 'n']).execute();
      expect(returned).toEqual([{ id: 1, n: 7 }]);
      await expect(db.transaction().execute(async () => undefined)).rejects.toThrow(/already runs in the revision's transaction/);
      await connection.rollback();
      expect(await connection.query('SELECT * FROM item')).toEqual([]);
    });
  });

  it('reports the real counts of writes, as Kysely\'s own drivers do (and the inserted rowid on SQLite)', async () => {
    await withConnection(dialect, async (connection) => {
      await connection.execute('CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT NOT NULL, n INTEGER)');
      await connection.begin();
      const op = createOps({ dialect, connection });
      const db = op.data<Tables>();
      const sqlite = dialect.name === 'sqlite';

      const inserted = await db
        .insertInto('item')
        .values([1, 2, 3, 4, 5].map((id) => ({ id, label: 'small', n: id })))
        .executeTakeFirstOrThrow();
      expect(inserted.numInsertedOrUpdatedRows).toBe(5n);
      expect(inserted.insertId).toBe(sqlite ? 5n : undefined);
      const single = await db.insertInto('item').values({ id: 42, label: 'x', n: null }).executeTakeFirstOrThrow();
      expect(single.insertId).toBe(sqlite ? 42n : undefined);

      const updated = await db.updateTable('item').set({ label: 'big' }).where('n', '>', 2).executeTakeFirstOrThrow();
      expect(updated.numUpdatedRows).toBe(3n);
      const upserted = await db
        .insertInto('item')
        .values([{ id: 1, label: 'again', n: 1 }, { id: 7, label: 'new', n: 7 }])
        .onConflict((oc) => oc.column('id').doUpdateSet({ label: 'again' }))
        .executeTakeFirstOrThrow();
      expect(upserted.numInsertedOrUpdatedRows).toBe(2n);
      const deleted = await db.deleteFrom('item').where('label', '=', 'big').executeTakeFirstOrThrow();
      expect(deleted.numDeletedRows).toBe(3n);
      // Raw SQL through the handle reports its count too; a SELECT reports none.
      const raw = await sql`UPDATE item SET n = 0 WHERE id IN (1, 2)`.execute(db);
      expect(raw.numAffectedRows).toBe(2n);
      const read = await db.executeQuery(db.selectFrom('item').selectAll());
      expect(read.rows).toHaveLength(4);
      expect(read.numAffectedRows).toBeUndefined();

      if (!sqlite && (await serverVersion(connection)) >= 150000) {
        const merged = await db
          .mergeInto('item as t')
          .using('item as s', 's.id', 't.id')
          .whenMatchedAnd('t.n', '=', 0)
          .thenUpdateSet({ label: 'merged' })
          .executeTakeFirstOrThrow();
        expect(merged.numChangedRows).toBe(2n);
      }
      await connection.rollback();
    });
  });

  it('batched walks the key in chunks of `size`, including gaps, and draws progress only on a TTY', async () => {
    await withConnection(dialect, async (connection) => {
      await connection.execute('CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT NOT NULL, n INTEGER)');
      // Keys with gaps: 1..25 odd, plus 1000.
      for (let id = 1; id <= 25; id += 2) await connection.execute(`INSERT INTO item (id, label) VALUES (${id}, 'x')`);
      await connection.execute(`INSERT INTO item (id, label) VALUES (1000, 'y')`);
      const tty = fakeTty();
      const op = createOps({ dialect, connection, progress: tty.stream });
      const db = op.data<Tables>();
      const seen: Array<{ rows: number; after: unknown; last: unknown }> = [];
      const result = await op.batched({ table: 'item', key: 'id', size: 4 }, async (chunk) => {
        seen.push({ rows: chunk.rows, after: chunk.after, last: chunk.last });
        await db.updateTable('item').set({ n: chunk.index }).where(chunk.where).execute();
      });
      expect(result).toEqual({ rows: 14, chunks: 4 });
      expect(seen).toEqual([
        { rows: 4, after: undefined, last: 7 },
        { rows: 4, after: 7, last: 15 },
        { rows: 4, after: 15, last: 23 },
        { rows: 2, after: 23, last: 1000 },
      ]);
      const counts = await connection.query<{ n: number; c: number | string }>('SELECT n, count(*) AS c FROM item GROUP BY n ORDER BY n');
      expect(counts.map((r) => [r.n, Number(r.c)])).toEqual([[0, 4], [1, 4], [2, 4], [3, 2]]);
      // On a TTY: lines redrawn in place, the last one complete, then a newline.
      expect(tty.writes.slice(0, -1).every((w) => w.startsWith('\r\x1b[2Kitem: '))).toBe(true);
      expect(tty.writes.at(-2)).toMatch(/^\r\x1b\[2Kitem: 14 \/ 14 rows \(100%\)/);
      expect(tty.writes.at(-1)).toBe('\n');

      const quiet = { isTTY: false, writes: [] as string[], write(s: string) { this.writes.push(s); } };
      const op2 = createOps({ dialect, connection, progress: quiet });
      await op2.batched({ table: 'item', key: 'id', size: 100 }, async () => undefined);
      expect(quiet.writes).toEqual([]);
    });
  });

  it('offline, the handle writes statements with their parameters and reads nothing', async () => {
    const written: Statement[] = [];
    const op = createOps({ dialect, sink: { write: (s) => void written.push(s) }, shapes: new Map() });
    const db = op.data<Tables>();
    expect(await db.selectFrom('item').selectAll().execute()).toEqual([]);
    let chunks = 0;
    await op.batched({ table: 'item', key: 'id' }, async (chunk) => {
      chunks++;
      await db.updateTable('item').set({ label: 'z' }).where(chunk.where).execute();
    });
    expect(chunks).toBe(1);
    const marker = dialect.name === 'sqlite' ? '?' : '$1';
    expect(written).toEqual([{ sql: `update "item" set "label" = ${marker} where true`, params: ['z'] }]);

    // A script has nothing to count.
    const result = await db.executeQuery(db.deleteFrom('item').where('id', '=', 1));
    expect(result.numAffectedRows).toBeUndefined();
    expect(result.insertId).toBeUndefined();
    expect(written).toHaveLength(2);
  });
}

describe('data handle on SQLite', () => handleSuite(sqliteDialect));
describe.skipIf(!pg)('data handle on PostgreSQL', () => handleSuite(postgresDialect));

describe('progress line', () => {
  it('is silent off a TTY and redraws in place on one', () => {
    const quiet: string[] = [];
    const silent = createProgress('User', 100, { isTTY: false, write: (s) => void quiet.push(s) });
    silent.advance(50);
    silent.done();
    expect(quiet).toEqual([]);

    let t = 0;
    const out: string[] = [];
    const progress = createProgress('User', 1000, { isTTY: true, write: (s) => void out.push(s) }, () => t);
    t = 1000;
    progress.advance(250);
    t = 2000;
    progress.advance(250);
    progress.done();
    expect(out[0]).toBe('\r\x1b[2KUser: 250 / 1,000 rows (25%), 250 rows/s, 3s left');
    expect(out[1]).toBe('\r\x1b[2KUser: 500 / 1,000 rows (50%), 250 rows/s, 2s left');
    expect(out.at(-1)).toBe('\n');
  });

  it('formats rates, unknown totals and long durations', () => {
    expect(formatProgress('t', 1_000_000, 1_000_000, 10_000)).toBe('t: 1,000,000 / 1,000,000 rows (100%), 100,000 rows/s, 10s');
    expect(formatProgress('t', 10, undefined, 0)).toBe('t: 10 rows, 0s');
    expect(formatProgress('t', 1, 10_000, 1000)).toBe('t: 1 / 10,000 rows (0%), 1 rows/s, 2h46m left');
  });
});

describe('frozen shapes as TypeScript', () => {
  const table = {
    name: 'Order',
    columns: [
      { name: 'id', type: 'BIGINT', nullable: false, autoincrement: true },
      { name: 'total', type: 'DECIMAL(65,30)', nullable: false },
      { name: 'paid', type: 'BOOLEAN', nullable: false, default: 'false' },
      { name: 'at', type: 'TIMESTAMP(3)', nullable: true },
      { name: 'status', type: 'Status', nullable: false, enumType: { name: 'Status' } },
      { name: 'tags', type: 'TEXT', nullable: false, isList: true },
      { name: 'first-name', type: 'TEXT', nullable: true },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [],
    foreignKeys: [],
  };
  const enums = [{ name: 'Status', values: ['OPEN', "it's"] }];

  it('maps SQL types to what each driver returns', () => {
    const pgTypes = table.columns.map((c) => columnType(c, { dialect: 'postgresql', enums }));
    expect(pgTypes).toEqual([
      'Generated<string>',
      'string',
      'Generated<boolean>',
      'Date | null',
      "'OPEN' | 'it\\'s'",
      'string[]',
      'string | null',
    ]);
    expect(columnType({ name: 'n', type: 'BOOLEAN', nullable: false }, { dialect: 'sqlite' })).toBe('number');
    expect(columnType({ name: 'n', type: 'DATETIME', nullable: true }, { dialect: 'sqlite' })).toBe('string | number | null');
    // Unknown dialect: the union of both, never narrower than the truth.
    expect(columnType({ name: 'n', type: 'BIGINT', nullable: false })).toBe('number | string');
    expect(columnType({ name: 'g', type: 'GEOMETRY', nullable: true })).toBe('unknown');
  });

  it('renders an interface with quoted keys where needed and the SQL type as a comment', () => {
    const lines = renderTablesInterface('UpgradeTables', { tables: [table], enums, dialect: 'postgresql' }, ['doc']);
    expect(lines).toContain('interface UpgradeTables {');
    expect(lines).toContain('    id: Generated<string>; // BIGINT, primary key, NOT NULL, autoincrement');
    expect(lines).toContain("    'first-name': string | null; // TEXT");
    expect(lines).toContain("    status: 'OPEN' | 'it\\'s'; // enum Status, NOT NULL");
    expect(lines).toContain("    paid: Generated<boolean>; // BOOLEAN, NOT NULL, default false");
  });
});
