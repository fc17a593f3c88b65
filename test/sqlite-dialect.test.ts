import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { sqliteDialect, sqliteFilePath } from '../src/dialect/sqlite/index.js';
import type { Connection } from '../src/dialect/types.js';
import type { TableModel } from '../src/model/types.js';
import { ReviseError } from '../src/errors.js';
import { apply, compile, introspect, openDb, table, tempDir } from './sqlite-helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const users: TableModel = {
  name: 'User',
  columns: [
    { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
    { name: 'email', type: 'TEXT', nullable: false },
    { name: 'name', type: 'TEXT', nullable: true },
    { name: 'createdAt', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
  ],
  primaryKey: { columns: ['id'] },
  indexes: [{ name: 'User_email_key', columns: [{ name: 'email' }], unique: true }],
  foreignKeys: [],
};

const posts: TableModel = {
  name: 'Post',
  columns: [
    { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
    { name: 'title', type: 'TEXT', nullable: false, default: "'untitled'" },
    { name: 'authorId', type: 'INTEGER', nullable: false },
  ],
  primaryKey: { columns: ['id'] },
  indexes: [{ name: 'Post_authorId_title_idx', columns: [{ name: 'authorId' }, { name: 'title', sort: 'DESC' }], unique: false }],
  foreignKeys: [
    {
      name: 'Post_authorId_fkey',
      columns: ['authorId'],
      referencedTable: 'User',
      referencedColumns: ['id'],
      onDelete: 'RESTRICT',
      onUpdate: 'CASCADE',
    },
  ],
};

async function seeded(): Promise<Connection> {
  const conn = await openDb(tmp.dir);
  await apply(conn, { kind: 'createTable', table: users });
  await apply(conn, { kind: 'createTable', table: posts });
  await conn.execute(`INSERT INTO "User" ("email", "name") VALUES ('a@x', 'A'), ('b@x', NULL)`);
  await conn.execute(`INSERT INTO "Post" ("title", "authorId") VALUES ('p1', 1), ('p2', 1), ('p3', 2)`);
  return conn;
}

async function fkOn<T>(conn: Connection, fn: () => Promise<T>): Promise<T> {
  await conn.execute('PRAGMA foreign_keys = ON');
  try {
    return await fn();
  } finally {
    await conn.execute('PRAGMA foreign_keys = OFF');
  }
}

describe('sqlite URL', () => {
  test('file:, plain paths, :memory:', () => {
    expect(sqliteFilePath('file:./x.db')).toBe(path.resolve(process.cwd(), 'x.db'));
    expect(sqliteFilePath('file:/abs/x.db')).toBe('/abs/x.db');
    expect(sqliteFilePath('file:///abs/x.db')).toBe('/abs/x.db');
    expect(sqliteFilePath('file:x.db?connection_limit=1')).toBe(path.resolve(process.cwd(), 'x.db'));
    expect(sqliteFilePath('data/y.db')).toBe(path.resolve(process.cwd(), 'data/y.db'));
    expect(sqliteFilePath(':memory:')).toBe(':memory:');
    expect(sqliteFilePath('file::memory:')).toBe(':memory:');
  });

  test('creates the missing folder, refuses a file that is not a database', async () => {
    const file = path.join(tmp.dir, 'nested', 'deeper', 'a.db');
    const conn = await sqliteDialect.connect(`file:${file}`);
    await conn.execute('CREATE TABLE t (x INTEGER)');
    await conn.close();
    expect(existsSync(file)).toBe(true);

    const junk = path.join(tmp.dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, not at all, really not'.repeat(40));
    await expect(sqliteDialect.connect(junk)).rejects.toThrow(/cannot open SQLite database .*junk\.db: file is not a database/);
  });

  test(':memory: works, its lock is a no-op', async () => {
    const conn = await sqliteDialect.connect(':memory:');
    const release = await conn.acquireMigrationLock({ timeoutMs: 10 });
    const again = await conn.acquireMigrationLock({ timeoutMs: 10 });
    await release();
    await again();
    expect(await conn.query('SELECT 1 + ? AS n', [1])).toEqual([{ n: 2 }]);
    await conn.close();
  });
});

describe('driver', () => {
  test('binds booleans, Dates, null; reports SQL errors as one-line ReviseErrors', async () => {
    const conn = await openDb(tmp.dir);
    await conn.execute('CREATE TABLE v (b BOOLEAN, d DATETIME, n TEXT)');
    await conn.execute('INSERT INTO v VALUES (?, ?, ?)', [true, new Date('2020-01-02T03:04:05.000Z'), undefined]);
    expect(await conn.query('SELECT * FROM v')).toEqual([{ b: 1, d: '2020-01-02T03:04:05.000Z', n: null }]);
    const err = await conn.query('SELECT * FROM nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReviseError);
    expect((err as Error).message).toMatch(/^SQLite: no such table: nope \(while running: SELECT \* FROM nope\)$/);
    await conn.close();
  });

  test('transactions: begin is IMMEDIATE (write lock taken at once), rollback undoes DDL', async () => {
    const conn = await openDb(tmp.dir, 'tx.db');
    const other = await sqliteDialect.connect(`file:${path.join(tmp.dir, 'tx.db')}`);
    await other.execute('PRAGMA busy_timeout = 0');
    await conn.begin();
    expect(conn.inTransaction).toBe(true);
    await conn.execute('CREATE TABLE t (x INTEGER)');
    // Another writer cannot even begin while the first holds the write lock.
    await expect(other.begin()).rejects.toThrow(/database is locked/);
    await conn.rollback();
    expect(conn.inTransaction).toBe(false);
    expect(await conn.query("SELECT name FROM sqlite_master WHERE name = 't'")).toEqual([]);
    await other.close();
    await conn.close();
  });
});

describe('createTable / introspection', () => {
  let conn: Connection;
  beforeEach(async () => {
    conn = await seeded();
  });

  test('CREATE TABLE is written the way Prisma writes it', async () => {
    const statements = await sqliteDialect.compile({ kind: 'createTable', table: posts }, { offline: true, getTable: async () => undefined });
    expect(statements.map((s) => s.sql)).toEqual([
      'CREATE TABLE "Post" (\n' +
        '    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n' +
        `    "title" TEXT NOT NULL DEFAULT 'untitled',\n` +
        '    "authorId" INTEGER NOT NULL,\n' +
        '    CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE\n' +
        ')',
      'CREATE INDEX "Post_authorId_title_idx" ON "Post"("authorId", "title" DESC)',
    ]);
    await conn.close();
  });

  test('introspection gives back exactly the created model', async () => {
    const model = await introspect(conn);
    expect(model).toEqual({ tables: [posts, users], enums: [] });
    await conn.close();
  });

  test('excludes sqlite_*, alembic_version, _prisma_migrations and configured tables', async () => {
    await conn.execute('CREATE TABLE alembic_version (version_num TEXT)');
    await conn.execute('CREATE TABLE _prisma_migrations (id TEXT)');
    await conn.execute('CREATE TABLE legacy (id TEXT)');
    const names = (await sqliteDialect.introspect(conn, { excludeTables: ['legacy'] })).tables.map((t) => t.name);
    expect(names).toEqual(['Post', 'User']); // sqlite_sequence is there too (AUTOINCREMENT) but hidden
    expect(await conn.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")).toHaveLength(1);
    await conn.close();
  });

  test('hand-written tables: composite key with a name, unnamed FKs, inline UNIQUE, partial index', async () => {
    await conn.execute(`CREATE TABLE m (
      a INTEGER NOT NULL, b text not null default ('x'), c numeric(10, 2),
      CONSTRAINT "m_pk" PRIMARY KEY (a, b),
      UNIQUE (c),
      FOREIGN KEY (a) REFERENCES "User" ON DELETE cascade
    )`);
    await conn.execute('CREATE INDEX m_part ON m (c) WHERE c > 0');
    const m = await table(conn, 'm');
    expect(m).toEqual({
      name: 'm',
      columns: [
        { name: 'a', type: 'INTEGER', nullable: false },
        { name: 'b', type: 'TEXT', nullable: false, default: "'x'" },
        { name: 'c', type: 'NUMERIC(10,2)', nullable: true },
      ],
      primaryKey: { name: 'm_pk', columns: ['a', 'b'] },
      indexes: [
        { name: 'm_part', columns: [{ name: 'c' }], unique: false, where: 'c > 0' },
        { name: 'sqlite_autoindex_m_2', columns: [{ name: 'c' }], unique: true },
      ],
      foreignKeys: [
        { name: 'm_a_fkey', columns: ['a'], referencedTable: 'User', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
      ],
    });
    // A rebuild keeps the inline UNIQUE (as an inline constraint) and the partial index.
    await apply(conn, { kind: 'addColumn', table: { name: 'm' }, column: { name: 'd', type: 'DATETIME', nullable: true, default: 'CURRENT_TIMESTAMP' } });
    const after = await table(conn, 'm');
    expect(after.indexes).toEqual(m.indexes);
    expect(after.columns.at(-1)).toEqual({ name: 'd', type: 'DATETIME', nullable: true, default: 'CURRENT_TIMESTAMP' });
    await conn.close();
  });
});

describe('operations', () => {
  let conn: Connection;
  beforeEach(async () => {
    conn = await seeded();
  });

  test('dropTable and renameTable (foreign keys of other tables follow the rename)', async () => {
    await apply(conn, { kind: 'renameTable', from: 'User', to: 'Person' });
    const post = await table(conn, 'Post');
    expect(post.foreignKeys[0]!.referencedTable).toBe('Person');
    expect((await introspect(conn)).tables.map((t) => t.name)).toEqual(['Person', 'Post']);
    await apply(conn, { kind: 'dropTable', table: posts });
    expect((await introspect(conn)).tables.map((t) => t.name)).toEqual(['Person']);
    await conn.close();
  });

  test('addColumn in place when SQLite allows it', async () => {
    const statements = await apply(conn, {
      kind: 'addColumn',
      table: { name: 'User' },
      column: { name: 'active', type: 'BOOLEAN', nullable: false, default: 'true' },
    });
    expect(statements.map((s) => s.sql)).toEqual(['ALTER TABLE "User" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true']);
    expect(await conn.query('SELECT "active" FROM "User"')).toEqual([{ active: 1 }, { active: 1 }]);
    await conn.close();
  });

  test('addColumn with CURRENT_TIMESTAMP rebuilds and keeps rows, indexes and referencing FKs', async () => {
    const statements = await apply(conn, {
      kind: 'addColumn',
      table: { name: 'User' },
      column: { name: 'updatedAt', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
    });
    expect(statements.map((s) => s.sql.split('\n')[0])).toEqual([
      'CREATE TABLE "new_User" (',
      'INSERT INTO "new_User" ("id", "email", "name", "createdAt") SELECT "id", "email", "name", "createdAt" FROM "User"',
      'DROP TABLE "User"',
      'PRAGMA legacy_alter_table=ON',
      'ALTER TABLE "new_User" RENAME TO "User"',
      'PRAGMA legacy_alter_table=OFF',
      'CREATE UNIQUE INDEX "User_email_key" ON "User"("email")',
    ]);
    const user = await table(conn, 'User');
    expect(user.indexes).toEqual(users.indexes);
    expect(user.columns.map((c) => c.name)).toEqual(['id', 'email', 'name', 'createdAt', 'updatedAt']);
    expect(await conn.query('SELECT count(*) AS n FROM "User" WHERE "updatedAt" IS NOT NULL')).toEqual([{ n: 2 }]);
    // Post's foreign key still points at the rebuilt table and is enforced.
    expect(await conn.query('PRAGMA foreign_key_check')).toEqual([]);
    await fkOn(conn, async () => {
      await expect(conn.execute(`INSERT INTO "Post" ("title", "authorId") VALUES ('bad', 99)`)).rejects.toThrow(/FOREIGN KEY constraint failed/);
      await conn.execute(`INSERT INTO "Post" ("title", "authorId") VALUES ('ok', 2)`);
    });
    await conn.close();
  });

  test('a view over the table does not stop a rebuild and still works after it', async () => {
    await conn.execute('CREATE VIEW "UserNames" AS SELECT "name" FROM "User"');
    await apply(conn, { kind: 'alterColumn', table: { name: 'User' }, from: users.columns[2]!, to: { ...users.columns[2]!, type: 'VARCHAR(100)' } });
    expect((await table(conn, 'User')).columns[2]!.type).toBe('VARCHAR(100)');
    expect(await conn.query('SELECT "name" FROM "UserNames" ORDER BY 1')).toEqual([{ name: null }, { name: 'A' }]);
    expect(await conn.query('PRAGMA legacy_alter_table')).toEqual([{ legacy_alter_table: 0 }]);
    await conn.close();
  });

  test('a required column without default on a table with rows fails with a clear message', async () => {
    const err = await apply(conn, { kind: 'addColumn', table: { name: 'User' }, column: { name: 'age', type: 'INTEGER', nullable: false } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReviseError);
    expect((err as Error).message).toBe(
      'cannot rebuild table "User": column "age" is NOT NULL but existing rows have no value for it; give it a default or fill it first',
    );
    // Rolled back: the table is untouched.
    expect((await table(conn, 'User')).columns.map((c) => c.name)).toEqual(['id', 'email', 'name', 'createdAt']);
    await conn.close();
  });

  test('dropColumn: in place (dropping its indexes first), or rebuild for key/FK columns', async () => {
    const inPlace = await apply(conn, { kind: 'dropColumn', table: { name: 'User' }, column: users.columns[1]! });
    expect(inPlace.map((s) => s.sql)).toEqual(['DROP INDEX "User_email_key"', 'ALTER TABLE "User" DROP COLUMN "email"']);
    expect((await table(conn, 'User')).indexes).toEqual([]);

    const rebuilt = await apply(conn, { kind: 'dropColumn', table: { name: 'Post' }, column: posts.columns[2]! });
    expect(rebuilt[0]!.sql).toMatch(/^CREATE TABLE "new_Post"/);
    const post = await table(conn, 'Post');
    expect(post.foreignKeys).toEqual([]);
    expect(post.indexes).toEqual([]);
    expect(await conn.query('SELECT "id", "title" FROM "Post" ORDER BY "id"')).toEqual([
      { id: 1, title: 'p1' },
      { id: 2, title: 'p2' },
      { id: 3, title: 'p3' },
    ]);
    await conn.close();
  });

  test('renameColumn in place; indexes and FKs follow', async () => {
    const statements = await apply(conn, { kind: 'renameColumn', table: { name: 'Post' }, from: 'authorId', to: 'writerId' });
    expect(statements.map((s) => s.sql)).toEqual(['ALTER TABLE "Post" RENAME COLUMN "authorId" TO "writerId"']);
    const post = await table(conn, 'Post');
    expect(post.indexes[0]!.columns).toEqual([{ name: 'writerId' }, { name: 'title', sort: 'DESC' }]);
    expect(post.foreignKeys[0]!.columns).toEqual(['writerId']);
    await conn.close();
  });

  test('alterColumn rebuilds: nullable -> required takes the default for NULLs; type change keeps values', async () => {
    await apply(conn, {
      kind: 'alterColumn',
      table: { name: 'User' },
      from: users.columns[2]!,
      to: { name: 'name', type: 'TEXT', nullable: false, default: "'anon'" },
    });
    expect(await conn.query('SELECT "name" FROM "User" ORDER BY "id"')).toEqual([{ name: 'A' }, { name: 'anon' }]);
    expect((await table(conn, 'User')).columns[2]).toEqual({ name: 'name', type: 'TEXT', nullable: false, default: "'anon'" });

    await apply(conn, {
      kind: 'alterColumn',
      table: { name: 'Post' },
      from: posts.columns[2]!,
      to: { name: 'authorId', type: 'BIGINT', nullable: false },
    });
    const post = await table(conn, 'Post');
    expect(post.columns[2]).toEqual({ name: 'authorId', type: 'BIGINT', nullable: false });
    expect(post.foreignKeys).toEqual(posts.foreignKeys);
    expect(post.indexes).toEqual(posts.indexes);
    expect(await conn.query('SELECT "authorId" FROM "Post" ORDER BY "id"')).toEqual([{ authorId: 1 }, { authorId: 1 }, { authorId: 2 }]);
    await conn.close();
  });

  test('an alterColumn that changes nothing compiles to nothing', async () => {
    expect(await compile(conn, { kind: 'alterColumn', table: { name: 'User' }, from: users.columns[2]!, to: users.columns[2]! })).toEqual([]);
    await conn.close();
  });

  test('createIndex, renameIndex (drop + create), dropIndex', async () => {
    await apply(conn, { kind: 'createIndex', table: { name: 'User' }, index: { name: 'User_name_idx', columns: [{ name: 'name', sort: 'DESC' }], unique: false } });
    const renamed = await apply(conn, { kind: 'renameIndex', table: { name: 'User' }, from: 'User_name_idx', to: 'by_name' });
    expect(renamed.map((s) => s.sql)).toEqual(['DROP INDEX "User_name_idx"', 'CREATE INDEX "by_name" ON "User"("name" DESC)']);
    expect((await table(conn, 'User')).indexes.map((i) => i.name)).toEqual(['User_email_key', 'by_name']);
    await apply(conn, { kind: 'dropIndex', table: { name: 'User' }, index: { name: 'by_name', columns: [{ name: 'name' }], unique: false } });
    expect((await table(conn, 'User')).indexes.map((i) => i.name)).toEqual(['User_email_key']);
    // Unique indexes are enforced.
    await apply(conn, { kind: 'createIndex', table: { name: 'Post' }, index: { name: 'Post_title_key', columns: [{ name: 'title' }], unique: true } });
    await expect(conn.execute(`INSERT INTO "Post" ("title", "authorId") VALUES ('p1', 1)`)).rejects.toThrow(/UNIQUE constraint failed/);
    await conn.close();
  });

  test('add/drop foreign key rebuild the table; violations are caught before commit', async () => {
    const fk = posts.foreignKeys[0]!;
    await apply(conn, { kind: 'dropForeignKey', table: { name: 'Post' }, foreignKey: fk });
    expect((await table(conn, 'Post')).foreignKeys).toEqual([]);
    await conn.execute(`INSERT INTO "Post" ("title", "authorId") VALUES ('orphan', 42)`);
    const err = await apply(conn, { kind: 'addForeignKey', table: { name: 'Post' }, foreignKey: fk }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReviseError);
    expect((err as Error).message).toBe('foreign key check failed after migration: "Post" row 4 -> "User"');
    expect((await table(conn, 'Post')).foreignKeys).toEqual([]); // rolled back
    await conn.execute(`DELETE FROM "Post" WHERE "authorId" = 42`);
    await apply(conn, { kind: 'addForeignKey', table: { name: 'Post' }, foreignKey: fk });
    expect((await table(conn, 'Post')).foreignKeys).toEqual([fk]);
    await conn.close();
  });

  test('drop/add primary key rebuild the table', async () => {
    await conn.execute('CREATE TABLE "Pair" ("a" INTEGER NOT NULL, "b" TEXT NOT NULL, "v" TEXT)');
    await conn.execute(`INSERT INTO "Pair" VALUES (1, 'x', 'one'), (2, 'y', 'two')`);
    await apply(conn, { kind: 'addPrimaryKey', table: { name: 'Pair' }, primaryKey: { name: 'Pair_pkey', columns: ['a', 'b'] } });
    const pair = await table(conn, 'Pair');
    expect(pair.primaryKey).toEqual({ columns: ['a', 'b'] }); // SQLite keeps no primary key name (like Prisma)
    await expect(conn.execute(`INSERT INTO "Pair" VALUES (1, 'x', 'dup')`)).rejects.toThrow(/UNIQUE constraint failed/);
    await apply(conn, { kind: 'dropPrimaryKey', table: { name: 'Pair' }, primaryKey: { columns: ['a', 'b'] } });
    expect((await table(conn, 'Pair')).primaryKey).toBeUndefined();
    expect(await conn.query('SELECT count(*) AS n FROM "Pair"')).toEqual([{ n: 2 }]);
    await conn.close();
  });

  test('unknown table or column: ReviseError', async () => {
    await expect(compile(conn, { kind: 'addColumn', table: { name: 'Nope' }, column: { name: 'x', type: 'TEXT', nullable: true } })).rejects.toThrow(
      new ReviseError('table "Nope" does not exist'),
    );
    await expect(compile(conn, { kind: 'renameColumn', table: { name: 'User' }, from: 'nope', to: 'x' })).rejects.toThrow(
      /cannot rename column "nope": table "User" has no column "nope"/,
    );
    await expect(compile(conn, { kind: 'dropIndex', table: { name: 'User' }, index: { name: 'nope', columns: [], unique: false } })).rejects.toThrow(
      /cannot drop index "nope": table "User" has no such index/,
    );
    await conn.close();
  });

  test('enum operations compile to nothing; execute passes SQL and parameters through', async () => {
    const ctx = { offline: false, getTable: async () => undefined };
    expect(await sqliteDialect.compile({ kind: 'createEnum', enum: { name: 'E', values: ['A'] } }, ctx)).toEqual([]);
    expect(await sqliteDialect.compile({ kind: 'alterEnum', name: 'E', from: ['A'], to: ['B'] }, ctx)).toEqual([]);
    expect(await sqliteDialect.compile({ kind: 'renameEnumValue', name: 'E', from: 'A', to: 'B' }, ctx)).toEqual([]);
    expect(await sqliteDialect.compile({ kind: 'dropEnum', enum: { name: 'E', values: ['A'] } }, ctx)).toEqual([]);
    const statements = await sqliteDialect.compile({ kind: 'execute', sql: 'UPDATE "User" SET "name" = ? WHERE "id" = ?', params: ['Z', 1] }, ctx);
    expect(statements).toEqual([{ sql: 'UPDATE "User" SET "name" = ? WHERE "id" = ?', params: ['Z', 1] }]);
    await apply(conn, { kind: 'execute', sql: 'UPDATE "User" SET "name" = ? WHERE "id" = ?', params: ['Z', 1] });
    expect(await conn.query('SELECT "name" FROM "User" WHERE "id" = 1')).toEqual([{ name: 'Z' }]);
    await conn.close();
  });
});

describe('batchAlterTable', () => {
  let conn: Connection;
  beforeEach(async () => {
    conn = await seeded();
  });

  test('several changes, one copy-and-move: rename + alter + add + drop + index + FK', async () => {
    const statements = await apply(conn, {
      kind: 'batchAlterTable',
      table: { name: 'Post' },
      recreate: 'auto',
      ops: [
        { kind: 'renameColumn', table: { name: 'Post' }, from: 'title', to: 'headline' },
        { kind: 'alterColumn', table: { name: 'Post' }, from: { ...posts.columns[1]!, name: 'headline' }, to: { name: 'headline', type: 'TEXT', nullable: true } },
        { kind: 'addColumn', table: { name: 'Post' }, column: { name: 'views', type: 'INTEGER', nullable: false, default: '0' } },
        { kind: 'dropIndex', table: { name: 'Post' }, index: posts.indexes[0]! },
        { kind: 'createIndex', table: { name: 'Post' }, index: { name: 'Post_headline_key', columns: [{ name: 'headline' }], unique: true } },
        { kind: 'dropForeignKey', table: { name: 'Post' }, foreignKey: posts.foreignKeys[0]! },
        {
          kind: 'addForeignKey',
          table: { name: 'Post' },
          foreignKey: { ...posts.foreignKeys[0]!, onDelete: 'CASCADE' },
        },
      ],
    });
    expect(statements.filter((s) => s.sql.startsWith('CREATE TABLE'))).toHaveLength(1);
    // The rename runs in place first (so foreign keys pointing at the column follow it), then one copy-and-move.
    expect(statements[0]!.sql).toBe('ALTER TABLE "Post" RENAME COLUMN "title" TO "headline"');
    expect(statements[2]!.sql).toBe('INSERT INTO "new_Post" ("id", "headline", "authorId") SELECT "id", "headline", "authorId" FROM "Post"');
    const post = await table(conn, 'Post');
    expect(post).toEqual({
      name: 'Post',
      columns: [
        { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
        { name: 'headline', type: 'TEXT', nullable: true },
        { name: 'authorId', type: 'INTEGER', nullable: false },
        { name: 'views', type: 'INTEGER', nullable: false, default: '0' },
      ],
      primaryKey: { columns: ['id'] },
      indexes: [{ name: 'Post_headline_key', columns: [{ name: 'headline' }], unique: true }],
      foreignKeys: [{ ...posts.foreignKeys[0]!, onDelete: 'CASCADE' }],
    });
    expect(await conn.query('SELECT "headline", "views" FROM "Post" ORDER BY "id"')).toEqual([
      { headline: 'p1', views: 0 },
      { headline: 'p2', views: 0 },
      { headline: 'p3', views: 0 },
    ]);
    await conn.close();
  });

  test('renaming a referenced key column inside a rebuild: the other tables\' foreign keys follow', async () => {
    const user = { name: 'User' };
    await apply(conn, {
      kind: 'batchAlterTable',
      table: user,
      recreate: 'auto',
      ops: [
        { kind: 'renameColumn', table: user, from: 'id', to: 'userId' },
        { kind: 'alterColumn', table: user, from: users.columns[1]!, to: { ...users.columns[1]!, type: 'VARCHAR(200)' } },
      ],
    });
    expect((await table(conn, 'Post')).foreignKeys[0]!.referencedColumns).toEqual(['userId']);
    expect((await table(conn, 'User')).columns.map((c) => `${c.name} ${c.type}`)).toEqual(['userId INTEGER', 'email VARCHAR(200)', 'name TEXT', 'createdAt DATETIME']);
    await fkOn(conn, async () => {
      await expect(conn.execute(`INSERT INTO "Post" ("title", "authorId") VALUES ('bad', 99)`)).rejects.toThrow(/FOREIGN KEY constraint failed/);
    });
    // A rename into a name the batch frees first cannot run ahead: plain copy-and-move.
    const swap = await compile(conn, {
      kind: 'batchAlterTable',
      table: user,
      recreate: 'always',
      ops: [
        { kind: 'dropColumn', table: user, column: users.columns[2]! },
        { kind: 'renameColumn', table: user, from: 'email', to: 'name' },
      ],
    });
    expect(swap[0]!.sql).toMatch(/^CREATE TABLE "new_User"/);
    expect(swap[1]!.sql).toBe('INSERT INTO "new_User" ("userId", "name", "createdAt") SELECT "userId", "email", "createdAt" FROM "User"');
    await conn.close();
  });

  test("'auto' stays in place when every change can; 'always' rebuilds; 'never' refuses a rebuild", async () => {
    const inner = [
      { kind: 'addColumn' as const, table: { name: 'User' }, column: { name: 'bio', type: 'TEXT', nullable: true } },
      { kind: 'renameColumn' as const, table: { name: 'User' }, from: 'name', to: 'fullName' },
    ];
    const auto = await compile(conn, { kind: 'batchAlterTable', table: { name: 'User' }, recreate: 'auto', ops: inner });
    expect(auto.map((s) => s.sql)).toEqual(['ALTER TABLE "User" ADD COLUMN "bio" TEXT', 'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName"']);
    const always = await apply(conn, { kind: 'batchAlterTable', table: { name: 'User' }, recreate: 'always', ops: inner });
    expect(always[0]!.sql).toBe('ALTER TABLE "User" RENAME COLUMN "name" TO "fullName"');
    expect(always[1]!.sql).toMatch(/^CREATE TABLE "new_User"/);
    expect(always[2]!.sql).toBe('INSERT INTO "new_User" ("id", "email", "fullName", "createdAt") SELECT "id", "email", "fullName", "createdAt" FROM "User"');
    expect(await conn.query('SELECT "fullName", "bio" FROM "User" ORDER BY "id"')).toEqual([
      { fullName: 'A', bio: null },
      { fullName: null, bio: null },
    ]);
    await expect(
      compile(conn, {
        kind: 'batchAlterTable',
        table: { name: 'User' },
        recreate: 'never',
        ops: [{ kind: 'alterColumn', table: { name: 'User' }, from: users.columns[1]!, to: { ...users.columns[1]!, nullable: true } }],
      }),
    ).rejects.toThrow(new ReviseError(`alterColumn on "User" needs a table rebuild on SQLite, but batchAlterTable was given recreate: 'never'`));
    await conn.close();
  });

  test('offline: the frozen shape is used, nothing is read from a database', async () => {
    const ctx = { offline: true, getTable: async () => undefined };
    const statements = await sqliteDialect.compile(
      {
        kind: 'batchAlterTable',
        table: { name: 'User' },
        recreate: 'auto',
        shape: users,
        ops: [{ kind: 'alterColumn', table: { name: 'User' }, from: users.columns[2]!, to: { ...users.columns[2]!, type: 'VARCHAR(50)' } }],
      },
      ctx,
    );
    expect(statements.map((s) => s.sql.split('\n')[0])).toEqual([
      'CREATE TABLE "new_User" (',
      'INSERT INTO "new_User" ("id", "email", "name", "createdAt") SELECT "id", "email", "name", "createdAt" FROM "User"',
      'DROP TABLE "User"',
      'PRAGMA legacy_alter_table=ON',
      'ALTER TABLE "new_User" RENAME TO "User"',
      'PRAGMA legacy_alter_table=OFF',
      'CREATE UNIQUE INDEX "User_email_key" ON "User"("email")',
    ]);
    // Without a shape, only what needs no shape can be written.
    expect(
      await sqliteDialect.compile({ kind: 'addColumn', table: { name: 'User' }, column: { name: 'x', type: 'TEXT', nullable: true } }, ctx),
    ).toEqual([{ sql: 'ALTER TABLE "User" ADD COLUMN "x" TEXT' }]);
    await expect(
      sqliteDialect.compile({ kind: 'dropForeignKey', table: { name: 'Post' }, foreignKey: posts.foreignKeys[0]! }, ctx),
    ).rejects.toThrow(/cannot dropForeignKey on "Post" offline without the table's shape/);
    await conn.close();
  });
});

describe('literals, preamble, foreign key check', () => {
  test('renderLiteral and quoteIdentifier', () => {
    expect(sqliteDialect.renderLiteral("it's")).toBe("'it''s'");
    expect(sqliteDialect.renderLiteral(12.5)).toBe('12.5');
    expect(sqliteDialect.renderLiteral(10n)).toBe('10');
    expect(sqliteDialect.renderLiteral(null)).toBe('NULL');
    expect(sqliteDialect.renderLiteral(true)).toBe('1');
    expect(sqliteDialect.renderLiteral(Buffer.from([1, 171]))).toBe("X'01AB'");
    expect(sqliteDialect.quoteIdentifier('a"b')).toBe('"a""b"');
    expect(sqliteDialect.offlinePreamble()).toEqual(['PRAGMA foreign_keys=OFF;']);
    expect(sqliteDialect.preferBatch).toBe(true);
    expect(sqliteDialect.transactionalDdl).toBe(true);
  });

  test('prepareForMigration turns enforcement off so a rebuild never cascades', async () => {
    const conn = await seeded();
    await conn.execute('PRAGMA foreign_keys = ON');
    await sqliteDialect.prepareForMigration(conn);
    expect(await conn.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 0 }]);
    // Make the child cascade, then rebuild the parent: the children must survive.
    await apply(conn, { kind: 'dropForeignKey', table: { name: 'Post' }, foreignKey: posts.foreignKeys[0]! });
    await apply(conn, { kind: 'addForeignKey', table: { name: 'Post' }, foreignKey: { ...posts.foreignKeys[0]!, onDelete: 'CASCADE' } });
    await apply(conn, { kind: 'alterColumn', table: { name: 'User' }, from: users.columns[1]!, to: { ...users.columns[1]!, nullable: true } });
    expect(await conn.query('SELECT count(*) AS n FROM "Post"')).toEqual([{ n: 3 }]);
    await conn.close();
  });
});
