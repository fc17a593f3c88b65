/**
 * Every operation compiled by the PostgreSQL dialect, executed on a real
 * temporary database, then read back with the introspector.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findTable, type ColumnModel, type DatabaseModel, type TableModel } from '../src/model/types.ts';
import type { Operation } from '../src/operations/types.ts';
import type { CompileContext, Connection, Statement } from '../src/dialect/types.ts';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();
const dialect = postgresDialect;

const context: CompileContext = { getTable: async () => undefined, offline: false };

/** Runs statements like the runner does: in a transaction, with `outsideTransaction` ones in autocommit between. */
async function apply(connection: Connection, ...ops: Operation[]): Promise<Statement[]> {
  const all: Statement[] = [];
  await connection.begin();
  try {
    for (const op of ops) {
      for (const statement of await dialect.compile(op, context)) {
        all.push(statement);
        if (statement.outsideTransaction) {
          await connection.commit();
          await connection.execute(statement.sql, statement.params);
          await connection.begin();
        } else {
          await connection.execute(statement.sql, statement.params);
        }
      }
    }
    await connection.commit();
  } catch (error) {
    if (connection.inTransaction) await connection.rollback();
    throw error;
  }
  return all;
}

const col = (name: string, type: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({
  name,
  type,
  nullable: false,
  ...extra,
});

describe.skipIf(!available)('PostgreSQL dialect operations', () => {
  let db: TempDatabase;
  let connection: Connection;
  const introspect = (): Promise<DatabaseModel> => dialect.introspect(connection);
  const table = async (name: string, schema?: string): Promise<TableModel> => {
    const found = findTable(await introspect(), name, schema);
    expect(found, name).toBeDefined();
    return found!;
  };
  const column = async (tableName: string, name: string) => (await table(tableName)).columns.find((c) => c.name === name);

  beforeAll(async () => {
    db = await createTempDatabase();
    connection = await dialect.connect(db.url);
    await dialect.prepareForMigration(connection);
  });
  afterAll(async () => {
    await connection?.close();
    await db?.drop();
  });
  beforeEach(async () => {
    await connection.execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  });

  const userTable: TableModel = {
    name: 'User',
    columns: [
      col('id', 'INTEGER', { autoincrement: true }),
      col('email', 'VARCHAR(255)'),
      col('name', 'TEXT', { nullable: true }),
      col('role', 'Role', { default: "'USER'", enumType: { name: 'Role' } }),
      col('tags', 'TEXT', { nullable: true, isList: true, default: "ARRAY['a', 'b']" }),
      col('roles', 'Role', { nullable: true, isList: true, default: 'ARRAY[]', enumType: { name: 'Role' } }),
      col('createdAt', 'TIMESTAMP(3)', { default: 'CURRENT_TIMESTAMP' }),
      col('score', 'DECIMAL(65,30)', { default: '1.5' }),
      col('data', 'JSONB', { default: `'{"a": 1}'` }),
    ],
    primaryKey: { name: 'User_pkey', columns: ['id'] },
    indexes: [
      { name: 'User_email_key', columns: [{ name: 'email' }], unique: true },
      { name: 'User_name_createdAt_idx', columns: [{ name: 'name' }, { name: 'createdAt', sort: 'DESC' }], unique: false },
      { name: 'User_data_idx', columns: [{ name: 'data', opclass: 'jsonb_path_ops' }], unique: false, using: 'gin' },
    ],
    foreignKeys: [],
  };
  const postTable: TableModel = {
    name: 'Post',
    columns: [col('id', 'BIGINT', { autoincrement: true }), col('authorId', 'INTEGER'), col('title', 'TEXT')],
    primaryKey: { name: 'Post_pkey', columns: ['id'] },
    indexes: [],
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
  const createBase = () =>
    apply(
      connection,
      { kind: 'createEnum', enum: { name: 'Role', values: ['USER', 'ADMIN'] } },
      { kind: 'createTable', table: userTable },
      { kind: 'createTable', table: postTable },
    );

  it('createEnum + createTable (with indexes and foreign keys) introspect as given', async () => {
    const statements = await createBase();
    expect(statements[0]!.sql).toBe(`CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN')`);
    expect(statements.map((s) => s.sql)).toContain(
      'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE',
    );
    const model = await introspect();
    expect(model.enums).toEqual([{ name: 'Role', values: ['USER', 'ADMIN'] }]);
    const byName = (ts: TableModel[]) => [...ts].sort((a, b) => a.name.localeCompare(b.name));
    const sorted = (t: TableModel): TableModel => ({ ...t, indexes: [...t.indexes].sort((a, b) => (a.name < b.name ? -1 : 1)) });
    expect(byName(model.tables)).toEqual(byName([postTable, userTable]).map(sorted));
  });

  it('dropTable and dropEnum', async () => {
    await createBase();
    await apply(
      connection,
      { kind: 'dropTable', table: postTable },
      { kind: 'dropTable', table: userTable },
      { kind: 'dropEnum', enum: { name: 'Role', values: [] } },
    );
    expect(await introspect()).toEqual({ tables: [], enums: [] });
  });

  it('addColumn / dropColumn / renameColumn / renameTable', async () => {
    await createBase();
    await connection.execute(`INSERT INTO "User" ("email") VALUES ('a@x')`);
    await apply(
      connection,
      { kind: 'addColumn', table: { name: 'User' }, column: col('age', 'INTEGER', { default: '18' }) },
      { kind: 'addColumn', table: { name: 'User' }, column: col('seq', 'SMALLINT', { autoincrement: true }) },
      { kind: 'renameColumn', table: { name: 'User' }, from: 'name', to: 'fullName' },
      { kind: 'dropColumn', table: { name: 'Post' }, column: col('title', 'TEXT') },
      { kind: 'renameTable', from: 'Post', to: 'Article' },
    );
    const user = await table('User');
    expect(user.columns.find((c) => c.name === 'age')).toEqual(col('age', 'INTEGER', { default: '18' }));
    expect(user.columns.find((c) => c.name === 'seq')).toEqual(col('seq', 'SMALLINT', { autoincrement: true }));
    expect(user.columns.map((c) => c.name)).toContain('fullName');
    expect(user.columns.map((c) => c.name)).not.toContain('name');
    expect(await connection.query(`SELECT age, seq FROM "User"`)).toEqual([{ age: 18, seq: 1 }]);
    const article = await table('Article');
    expect(article.columns.map((c) => c.name)).toEqual(['id', 'authorId']);
  });

  it('alterColumn: type with USING, nullability, defaults', async () => {
    await apply(connection, {
      kind: 'createTable',
      table: {
        name: 'T',
        columns: [col('code', 'TEXT'), col('label', 'VARCHAR(10)', { nullable: true }), col('n', 'INTEGER', { default: '1' })],
        indexes: [],
        foreignKeys: [],
      },
    });
    await connection.execute(`INSERT INTO "T" ("code", "label") VALUES ('42', 'abc')`);
    const statements = await apply(
      connection,
      { kind: 'alterColumn', table: { name: 'T' }, from: col('code', 'TEXT'), to: col('code', 'INTEGER') },
      {
        kind: 'alterColumn',
        table: { name: 'T' },
        from: col('label', 'VARCHAR(10)', { nullable: true }),
        to: col('label', 'VARCHAR(20)', { default: "'none'" }),
      },
      { kind: 'alterColumn', table: { name: 'T' }, from: col('n', 'INTEGER', { default: '1' }), to: col('n', 'BIGINT', { nullable: true }) },
    );
    expect(statements.map((s) => s.sql)).toContain('ALTER TABLE "T" ALTER COLUMN "code" SET DATA TYPE INTEGER USING "code"::INTEGER');
    // Same family: no USING, so PostgreSQL can skip the rewrite.
    expect(statements.map((s) => s.sql)).toContain('ALTER TABLE "T" ALTER COLUMN "label" SET DATA TYPE VARCHAR(20)');
    const t = await table('T');
    expect(t.columns).toEqual([
      col('code', 'INTEGER'),
      col('label', 'VARCHAR(20)', { default: "'none'" }),
      col('n', 'BIGINT', { nullable: true }),
    ]);
    expect(await connection.query(`SELECT code FROM "T"`)).toEqual([{ code: 42 }]);
  });

  it('alterColumn: explicit USING, and text <-> enum conversions', async () => {
    await createBase();
    await connection.execute(`INSERT INTO "User" ("email", "name") VALUES ('a@x', 'ADMIN')`);
    await apply(
      connection,
      {
        kind: 'alterColumn',
        table: { name: 'User' },
        from: col('name', 'TEXT', { nullable: true }),
        to: col('name', 'Role', { nullable: true, enumType: { name: 'Role' } }),
      },
      {
        kind: 'alterColumn',
        table: { name: 'User' },
        from: col('role', 'Role', { default: "'USER'", enumType: { name: 'Role' } }),
        to: col('role', 'TEXT', { default: "'USER'" }),
      },
      {
        kind: 'alterColumn',
        table: { name: 'User' },
        from: col('email', 'VARCHAR(255)'),
        to: col('email', 'TEXT'),
        using: `upper("email")`,
      },
    );
    expect(await column('User', 'name')).toEqual(col('name', 'Role', { nullable: true, enumType: { name: 'Role' } }));
    expect(await column('User', 'role')).toEqual(col('role', 'TEXT', { default: "'USER'" }));
    expect(await connection.query(`SELECT name::text, role, email FROM "User"`)).toEqual([{ name: 'ADMIN', role: 'USER', email: 'A@X' }]);
  });

  it('alterColumn: scalar <-> list', async () => {
    await apply(connection, {
      kind: 'createTable',
      table: { name: 'T', columns: [col('a', 'TEXT', { nullable: true }), col('b', 'INTEGER', { nullable: true, isList: true })], indexes: [], foreignKeys: [] },
    });
    await connection.execute(`INSERT INTO "T" VALUES ('x', ARRAY[4, 5]), (NULL, NULL)`);
    await apply(
      connection,
      { kind: 'alterColumn', table: { name: 'T' }, from: col('a', 'TEXT', { nullable: true }), to: col('a', 'TEXT', { nullable: true, isList: true }) },
      { kind: 'alterColumn', table: { name: 'T' }, from: col('b', 'INTEGER', { nullable: true, isList: true }), to: col('b', 'BIGINT', { nullable: true }) },
    );
    expect((await table('T')).columns).toEqual([col('a', 'TEXT', { nullable: true, isList: true }), col('b', 'BIGINT', { nullable: true })]);
    expect(await connection.query(`SELECT a, b FROM "T" ORDER BY a NULLS LAST`)).toEqual([
      { a: ['x'], b: '4' },
      { a: null, b: null },
    ]);
  });

  it('alterColumn: autoincrement on (continuing after existing rows) and off', async () => {
    await apply(connection, {
      kind: 'createTable',
      table: { name: 'T', columns: [col('id', 'INTEGER'), col('v', 'TEXT', { nullable: true })], primaryKey: { name: 'T_pkey', columns: ['id'] }, indexes: [], foreignKeys: [] },
    });
    await connection.execute(`INSERT INTO "T" ("id") VALUES (1), (7)`);
    await apply(connection, { kind: 'alterColumn', table: { name: 'T' }, from: col('id', 'INTEGER'), to: col('id', 'INTEGER', { autoincrement: true }) });
    expect(await column('T', 'id')).toEqual(col('id', 'INTEGER', { autoincrement: true }));
    expect(await connection.query(`INSERT INTO "T" ("v") VALUES ('x') RETURNING id`)).toEqual([{ id: 8 }]);

    await apply(connection, { kind: 'alterColumn', table: { name: 'T' }, from: col('id', 'INTEGER', { autoincrement: true }), to: col('id', 'INTEGER') });
    expect(await column('T', 'id')).toEqual(col('id', 'INTEGER'));
    expect(await connection.query(`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S'`)).toEqual([{ n: 0 }]);
  });

  it('indexes: create (unique, concurrently, partial, hash), rename, drop (also when backing a UNIQUE constraint)', async () => {
    await createBase();
    const statements = await apply(
      connection,
      {
        kind: 'createIndex',
        table: { name: 'Post' },
        index: { name: 'Post_title_idx', columns: [{ name: 'title' }], unique: false },
        concurrently: true,
      },
      {
        kind: 'createIndex',
        table: { name: 'Post' },
        index: { name: 'Post_author_partial', columns: [{ name: 'authorId' }], unique: true, where: '("authorId" > 0)' },
      },
      {
        kind: 'createIndex',
        table: { name: 'Post' },
        index: { name: 'Post_title_hash', columns: [{ name: 'title' }], unique: false, using: 'hash' },
      },
      { kind: 'renameIndex', table: { name: 'Post' }, from: 'Post_title_idx', to: 'Post_title_renamed' },
    );
    expect(statements[0]).toEqual({ sql: 'CREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"("title")', outsideTransaction: true });
    expect(statements[2]!.sql).toBe('CREATE INDEX "Post_title_hash" ON "Post" USING HASH ("title")');
    expect((await table('Post')).indexes).toEqual([
      { name: 'Post_author_partial', columns: [{ name: 'authorId' }], unique: true, where: '("authorId" > 0)' },
      { name: 'Post_title_hash', columns: [{ name: 'title' }], unique: false, using: 'hash' },
      { name: 'Post_title_renamed', columns: [{ name: 'title' }], unique: false },
    ]);

    await connection.execute(`ALTER TABLE "Post" ADD CONSTRAINT "Post_title_uq" UNIQUE ("title")`);
    expect((await table('Post')).indexes.map((i) => i.name)).toContain('Post_title_uq');
    await apply(
      connection,
      { kind: 'dropIndex', table: { name: 'Post' }, index: { name: 'Post_title_uq', columns: [{ name: 'title' }], unique: true } },
      { kind: 'dropIndex', table: { name: 'Post' }, index: { name: 'Post_author_partial', columns: [{ name: 'authorId' }], unique: true } },
      { kind: 'dropIndex', table: { name: 'Post' }, index: { name: 'Post_title_renamed', columns: [{ name: 'title' }], unique: false } },
    );
    expect((await table('Post')).indexes.map((i) => i.name)).toEqual(['Post_title_hash']);
  });

  it('primary and foreign keys: drop and add back', async () => {
    await createBase();
    const fk = postTable.foreignKeys[0]!;
    await apply(
      connection,
      { kind: 'dropForeignKey', table: { name: 'Post' }, foreignKey: fk },
      { kind: 'dropPrimaryKey', table: { name: 'Post' }, primaryKey: { name: 'Post_pkey', columns: ['id'] } },
    );
    let post = await table('Post');
    expect(post.primaryKey).toBeUndefined();
    expect(post.foreignKeys).toEqual([]);
    await apply(
      connection,
      { kind: 'addPrimaryKey', table: { name: 'Post' }, primaryKey: { name: 'Post_pk2', columns: ['id', 'authorId'] } },
      { kind: 'addForeignKey', table: { name: 'Post' }, foreignKey: { ...fk, onDelete: 'SET NULL', onUpdate: 'NO ACTION' } },
    );
    post = await table('Post');
    expect(post.primaryKey).toEqual({ name: 'Post_pk2', columns: ['id', 'authorId'] });
    expect(post.foreignKeys).toEqual([{ ...fk, onDelete: 'SET NULL', onUpdate: 'NO ACTION' }]);
  });

  it('alterEnum: additions keep their place and run outside the transaction', async () => {
    await createBase();
    const statements = await apply(connection, {
      kind: 'alterEnum',
      name: 'Role',
      from: ['USER', 'ADMIN'],
      to: ['GUEST', 'USER', 'MOD', 'ADMIN', 'OWNER'],
    });
    expect(statements.every((s) => s.outsideTransaction)).toBe(true);
    expect(statements.map((s) => s.sql)).toEqual([
      `ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'GUEST' BEFORE 'USER'`,
      `ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'MOD' BEFORE 'ADMIN'`,
      `ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'OWNER'`,
    ]);
    expect((await introspect()).enums).toEqual([{ name: 'Role', values: ['GUEST', 'USER', 'MOD', 'ADMIN', 'OWNER'] }]);
    // The new value is usable right after, in the same revision.
    await apply(connection, {
      kind: 'alterColumn',
      table: { name: 'User' },
      from: col('role', 'Role', { default: "'USER'", enumType: { name: 'Role' } }),
      to: col('role', 'Role', { default: "'GUEST'", enumType: { name: 'Role' } }),
    });
    expect((await column('User', 'role'))!.default).toBe("'GUEST'");
  });

  for (const withUsages of [true, false]) {
    it(`alterEnum: removing a value recreates the type, rows and defaults kept (${withUsages ? 'usages given' : 'usages found in the database'})`, async () => {
      await createBase();
      await connection.execute(
        `INSERT INTO "User" ("email", "role", "roles") VALUES ('a@x', 'ADMIN', ARRAY['ADMIN']::"Role"[]), ('b@x', DEFAULT, ARRAY['USER', 'ADMIN']::"Role"[])`,
      );
      await apply(connection, { kind: 'alterEnum', name: 'Role', from: ['USER', 'ADMIN'], to: ['USER', 'ADMIN', 'GONE'] });
      await apply(connection, {
        kind: 'alterColumn',
        table: { name: 'User' },
        from: col('roles', 'Role', { nullable: true, isList: true, default: 'ARRAY[]', enumType: { name: 'Role' } }),
        to: col('roles', 'Role', { nullable: true, isList: true, default: "ARRAY['USER']", enumType: { name: 'Role' } }),
      });
      const statements = await apply(connection, {
        kind: 'alterEnum',
        name: 'Role',
        from: ['USER', 'ADMIN', 'GONE'],
        to: ['ADMIN', 'USER'],
        ...(withUsages
          ? {
              usages: [
                { table: { name: 'User' }, column: 'role', default: "'USER'" },
                { table: { name: 'User' }, column: 'roles', default: "ARRAY['USER']", isList: true },
              ],
            }
          : {}),
      });
      expect(statements.some((s) => s.outsideTransaction)).toBe(false);
      if (withUsages) {
        expect(statements.map((s) => s.sql)).toContain(
          `ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new")`,
        );
      }
      const model = await introspect();
      expect(model.enums).toEqual([{ name: 'Role', values: ['ADMIN', 'USER'] }]);
      const user = findTable(model, 'User')!;
      expect(user.columns.find((c) => c.name === 'role')).toEqual(col('role', 'Role', { default: "'USER'", enumType: { name: 'Role' } }));
      expect(user.columns.find((c) => c.name === 'roles')).toEqual(
        col('roles', 'Role', { nullable: true, isList: true, default: "ARRAY['USER']", enumType: { name: 'Role' } }),
      );
      expect(await connection.query(`SELECT email, role::text, roles::text[] FROM "User" ORDER BY email`)).toEqual([
        { email: 'a@x', role: 'ADMIN', roles: ['ADMIN'] },
        { email: 'b@x', role: 'USER', roles: ['USER', 'ADMIN'] },
      ]);
    });
  }

  it('alterEnum: removing a value still in use fails and changes nothing', async () => {
    await createBase();
    await connection.execute(`INSERT INTO "User" ("email", "role") VALUES ('a@x', 'ADMIN')`);
    await expect(
      apply(connection, {
        kind: 'alterEnum',
        name: 'Role',
        from: ['USER', 'ADMIN'],
        to: ['USER'],
        usages: [{ table: { name: 'User' }, column: 'role', default: "'USER'" }],
      }),
    ).rejects.toThrow(/invalid input value for enum "Role_new": "ADMIN"/);
    expect((await introspect()).enums).toEqual([{ name: 'Role', values: ['USER', 'ADMIN'] }]);
  });

  it('renameEnumValue', async () => {
    await createBase();
    await apply(connection, { kind: 'renameEnumValue', name: 'Role', from: 'ADMIN', to: 'ADMINISTRATOR' });
    expect((await introspect()).enums).toEqual([{ name: 'Role', values: ['USER', 'ADMINISTRATOR'] }]);
  });

  it('execute binds params; batchAlterTable runs its operations in order', async () => {
    await createBase();
    await apply(
      connection,
      { kind: 'execute', sql: 'INSERT INTO "User" ("email", "name") VALUES ($1, $2)', params: ["o'neil@x", 'O\'Neil'] },
      {
        kind: 'batchAlterTable',
        table: { name: 'User' },
        recreate: 'auto',
        ops: [
          { kind: 'addColumn', table: { name: 'User' }, column: col('nick', 'TEXT', { nullable: true }) },
          { kind: 'renameColumn', table: { name: 'User' }, from: 'nick', to: 'handle' },
          { kind: 'alterColumn', table: { name: 'User' }, from: col('handle', 'TEXT', { nullable: true }), to: col('handle', 'TEXT', { nullable: true, default: "''" }) },
        ],
      },
    );
    expect(await column('User', 'handle')).toEqual(col('handle', 'TEXT', { nullable: true, default: "''" }));
    expect(await connection.query(`SELECT email, name FROM "User"`)).toEqual([{ email: "o'neil@x", name: "O'Neil" }]);
  });

  it('schema-qualified operations (multiSchema)', async () => {
    await connection.execute('DROP SCHEMA IF EXISTS audit CASCADE; CREATE SCHEMA audit');
    await createBase();
    await apply(
      connection,
      { kind: 'createEnum', enum: { schema: 'audit', name: 'Kind', values: ['A', 'B'] } },
      {
        kind: 'createTable',
        table: {
          schema: 'audit',
          name: 'Event',
          columns: [
            col('id', 'INTEGER', { autoincrement: true }),
            col('kind', 'Kind', { default: "'A'", enumType: { schema: 'audit', name: 'Kind' } }),
            col('kinds', 'Kind', { nullable: true, isList: true, default: "ARRAY['B']", enumType: { schema: 'audit', name: 'Kind' } }),
            col('userId', 'INTEGER'),
          ],
          primaryKey: { name: 'Event_pkey', columns: ['id'] },
          indexes: [{ name: 'Event_userId_idx', columns: [{ name: 'userId' }], unique: false }],
          foreignKeys: [
            { name: 'Event_userId_fkey', columns: ['userId'], referencedSchema: 'public', referencedTable: 'User', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
          ],
        },
      },
      { kind: 'alterEnum', schema: 'audit', name: 'Kind', from: ['A', 'B'], to: ['B', 'A'] },
      { kind: 'renameIndex', table: { schema: 'audit', name: 'Event' }, from: 'Event_userId_idx', to: 'Event_user_idx' },
    );
    const model = await dialect.introspect(connection, { schemas: ['audit', 'public'] });
    expect(model.enums).toEqual([
      { schema: 'audit', name: 'Kind', values: ['B', 'A'] },
      { schema: 'public', name: 'Role', values: ['USER', 'ADMIN'] },
    ]);
    const event = findTable(model, 'Event', 'audit')!;
    expect(event.columns.map((c) => [c.name, c.default, c.enumType])).toEqual([
      ['id', undefined, undefined],
      ['kind', "'A'", { schema: 'audit', name: 'Kind' }],
      ['kinds', "ARRAY['B']", { schema: 'audit', name: 'Kind' }],
      ['userId', undefined, undefined],
    ]);
    expect(event.indexes.map((i) => i.name)).toEqual(['Event_user_idx']);
    expect(event.foreignKeys[0]).toMatchObject({ referencedSchema: 'public', referencedTable: 'User' });
    expect(findTable(model, 'User', 'public')).toBeDefined();
    // Single-schema view: the other schema's objects are invisible, the default schema's carry no schema.
    const single = await dialect.introspect(connection);
    expect(single.tables.map((t) => [t.schema, t.name]).sort()).toEqual([[undefined, 'Post'], [undefined, 'User']]);
  });

  it('introspection skips alembic_version, _prisma_migrations and excluded tables; reads expression indexes', async () => {
    await connection.execute(`
      CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);
      CREATE TABLE _prisma_migrations (id TEXT);
      CREATE TABLE legacy (id INT);
      CREATE TABLE kept (id INT, email TEXT, n NUMERIC DEFAULT '-1.50', t TIMESTAMPTZ DEFAULT '2020-01-02 03:04:05+00', b BOOLEAN DEFAULT 'true', note VARCHAR(5) DEFAULT NULL);
      CREATE INDEX kept_lower_idx ON kept (lower(email));`);
    const model = await dialect.introspect(connection, { excludeTables: ['legacy'] });
    expect(model.tables.map((t) => t.name)).toEqual(['kept']);
    const kept = model.tables[0]!;
    expect(kept.indexes).toEqual([{ name: 'kept_lower_idx', columns: [{ name: 'lower(email)', expression: true }], unique: false }]);
    expect(kept.columns.map((c) => [c.name, c.type, c.default])).toEqual([
      ['id', 'INTEGER', undefined],
      ['email', 'TEXT', undefined],
      ['n', 'DECIMAL', '-1.5'],
      ['t', 'TIMESTAMPTZ', "'2020-01-02 03:04:05+00'"],
      ['b', 'BOOLEAN', 'true'],
      ['note', 'VARCHAR(5)', undefined],
    ]);
  });
});

describe('PostgreSQL offline literals and quoting', () => {
  it('renders literals', () => {
    expect(dialect.renderLiteral("it's")).toBe("'it''s'");
    expect(dialect.renderLiteral(42)).toBe('42');
    expect(dialect.renderLiteral(12345678901234567890n)).toBe('12345678901234567890');
    expect(dialect.renderLiteral(true)).toBe('true');
    expect(dialect.renderLiteral(null)).toBe('NULL');
    expect(dialect.renderLiteral(undefined)).toBe('NULL');
    expect(dialect.renderLiteral(Buffer.from([1, 2, 255]))).toBe("'\\x0102ff'::bytea");
    expect(dialect.renderLiteral(['a', 1])).toBe("ARRAY['a', 1]");
    expect(dialect.renderLiteral([])).toBe("'{}'");
    expect(dialect.renderLiteral({ a: "b'c" })).toBe(`'{"a":"b''c"}'`);
    expect(dialect.renderLiteral(new Date('2020-01-02T03:04:05.000Z'))).toBe("'2020-01-02T03:04:05.000Z'");
  });

  it('quotes identifiers', () => {
    expect(dialect.quoteIdentifier('User')).toBe('"User"');
    expect(dialect.quoteIdentifier('we"ird')).toBe('"we""ird"');
  });

  it('has no offline preamble and alters in place', () => {
    expect(dialect.offlinePreamble()).toEqual([]);
    expect(dialect.preferBatch).toBe(false);
    expect(dialect.transactionalDdl).toBe(true);
    expect(dialect.name).toBe('postgresql');
  });
});
