/**
 * PostgreSQL connections: URL handling, one-line connection errors without the
 * password, session setup, transactions and the advisory migration lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviseError } from '../src/errors.ts';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import { migrationLockKey } from '../src/dialect/postgres/driver.ts';
import { clientConfig, parsePostgresUrl } from '../src/dialect/postgres/url.ts';
import type { Connection } from '../src/dialect/types.ts';
import { createTempDatabase, pgAvailable, urlForDatabase, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();

describe('parsePostgresUrl', () => {
  it('reads Prisma URLs: ?schema= is the default schema, public otherwise', () => {
    const target = parsePostgresUrl('postgresql://alice:s3cret@db.example:6543/app?schema=tenant_1&sslmode=disable');
    expect(target).toMatchObject({
      host: 'db.example',
      port: 6543,
      user: 'alice',
      password: 's3cret',
      database: 'app',
      schema: 'tenant_1',
      ssl: false,
      address: 'db.example:6543',
    });
    expect(target.masked).toBe('postgresql://alice:****@db.example:6543/app?schema=tenant_1&sslmode=disable');
    expect(parsePostgresUrl('postgres://u@h/d').schema).toBe('public');
    expect(parsePostgresUrl('postgres://u@h/d').port).toBe(5432);
  });

  it('never hands Prisma-only parameters to pg', () => {
    const target = parsePostgresUrl(
      'postgresql://u:p@h:5432/d?schema=s&connection_limit=5&pool_timeout=10&pgbouncer=true&statement_cache_size=0&socket_timeout=3&connect_timeout=7',
    );
    const config = clientConfig(target, false);
    expect(Object.keys(config).sort()).toEqual(
      ['application_name', 'connectionTimeoutMillis', 'database', 'host', 'password', 'port', 'ssl', 'user'].sort(),
    );
    expect(config.connectionTimeoutMillis).toBe(7000);
    expect(target.pgbouncer).toBe(true);
  });

  it('maps sslmode to pg TLS options', () => {
    expect(parsePostgresUrl('postgresql://h/d').ssl).toBe('prefer');
    expect(parsePostgresUrl('postgresql://h/d?sslmode=prefer').ssl).toBe('prefer');
    expect(parsePostgresUrl('postgresql://h/d?sslmode=disable').ssl).toBe(false);
    expect(parsePostgresUrl('postgresql://h/d?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    expect(parsePostgresUrl('postgresql://h/d?sslmode=verify-full').ssl).toMatchObject({ rejectUnauthorized: true });
    expect(() => parsePostgresUrl('postgresql://u:pw@h/d?sslmode=bogus')).toThrow(/unknown sslmode "bogus".*u:\*\*\*\*@h/);
  });

  it('rejects other URLs in one line without the password', () => {
    expect(() => parsePostgresUrl('mysql://u:topsecret@h/d')).toThrow(ReviseError);
    expect(() => parsePostgresUrl('mysql://u:topsecret@h/d')).toThrow(/^not a PostgreSQL URL.*u:\*\*\*\*@h/);
  });

  it('derives a stable, per-database-and-schema lock key', () => {
    expect(migrationLockKey('app', 'public')).toBe(migrationLockKey('app', 'public'));
    expect(migrationLockKey('app', 'public')).not.toBe(migrationLockKey('app', 'other'));
    expect(migrationLockKey('app', 'public')).not.toBe(migrationLockKey('app2', 'public'));
    expect(BigInt(migrationLockKey('app', 'public'))).toBeLessThan(2n ** 63n);
  });
});

async function connectError(url: string): Promise<ReviseError> {
  try {
    const connection = await postgresDialect.connect(url);
    await connection.close();
  } catch (error) {
    expect(error).toBeInstanceOf(ReviseError);
    return error as ReviseError;
  }
  throw new Error('connect unexpectedly succeeded');
}

describe.skipIf(!available)('PostgreSQL connections', () => {
  let db: TempDatabase;
  const connections: Connection[] = [];
  const open = async (params: Record<string, string> = {}) => {
    const connection = await postgresDialect.connect(urlForDatabase(db.name, params));
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(async () => {
    for (const c of connections) await c.close();
    await db.drop();
  });

  it('reports an unreachable server in one line, password masked', async () => {
    const error = await connectError('postgresql://postgres:hunter2@127.0.0.1:1/app');
    expect(error.message).toMatch(/^could not connect to PostgreSQL at 127\.0\.0\.1:1: connection refused/);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('postgres:****@127.0.0.1:1');
    expect(error.message).not.toContain('\n');
  });

  it('names a missing database and suggests creating it', async () => {
    const url = urlForDatabase('revise_no_such_db').replace('//postgres@', '//postgres:hunter2@');
    const error = await connectError(url);
    expect(error.message).toMatch(/^database "revise_no_such_db" does not exist on PostgreSQL at .*; create it first \(CREATE DATABASE "revise_no_such_db"/);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('\n');
  });

  it('times out on a server that never answers', async () => {
    // A listening socket that accepts and stays silent.
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const error = await connectError(`postgresql://postgres:pw@127.0.0.1:${port}/app?connect_timeout=1&sslmode=disable`);
      expect(error.message).toMatch(/^could not connect to PostgreSQL at 127\.0\.0\.1:\d+: timed out after 1s/);
      expect(error.message).not.toContain(':pw@');
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('sets search_path to ?schema= and creates that schema in prepareForMigration', async () => {
    const connection = await open({ schema: 'tenant_a' });
    await postgresDialect.prepareForMigration(connection);
    await connection.execute('CREATE TABLE "Thing" ("id" INTEGER NOT NULL)');
    const rows = await connection.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'Thing'`,
    );
    expect(rows).toEqual([{ schema: 'tenant_a' }]);
    const model = await postgresDialect.introspect(connection);
    expect(model.tables.map((t) => [t.schema, t.name])).toEqual([[undefined, 'Thing']]);
    // The public schema is someone else's: nothing from it shows up.
    const other = await open();
    expect((await postgresDialect.introspect(other)).tables).toEqual([]);
  });

  it('introspects the schemas given to connect() (multiSchema), each object carrying its schema', async () => {
    const connection = await postgresDialect.connect(urlForDatabase(db.name, { schema: 'ms_base' }), { schemas: ['ms_audit'] });
    connections.push(connection);
    await connection.execute('CREATE SCHEMA ms_base; CREATE SCHEMA ms_audit; CREATE TABLE ms_base.a (id INT); CREATE TABLE ms_audit.b (id INT)');
    const model = await postgresDialect.introspect(connection);
    expect(model.tables.map((t) => [t.schema, t.name])).toEqual([
      ['ms_audit', 'b'],
      ['ms_base', 'a'],
    ]);
  });

  it('binds parameters and tracks transactions', async () => {
    const connection = await open();
    expect(await connection.query('SELECT $1::int + $2::int AS sum', [2, 3])).toEqual([{ sum: 5 }]);
    expect(connection.inTransaction).toBe(false);
    await connection.begin();
    expect(connection.inTransaction).toBe(true);
    await connection.execute('CREATE TABLE "rolled_back" ("id" INTEGER)');
    await connection.rollback();
    expect(connection.inTransaction).toBe(false);
    expect(await connection.query(`SELECT to_regclass('"rolled_back"') AS t`)).toEqual([{ t: null }]);
    await connection.begin();
    await connection.execute('CREATE TABLE "committed" ("id" INTEGER)');
    await connection.commit();
    expect(await connection.query(`SELECT to_regclass('"committed"')::text AS t`)).toEqual([{ t: 'committed' }]);
  });

  it("BEGIN goes out with the transaction's first statement: same results, same isolation, one round trip less", async () => {
    const connection = await open();
    const other = await open();
    const inTx = async () => (await connection.query<{ x: string }>("SELECT (now() = statement_timestamp())::text AS x"))[0]!.x;
    // Rows, counts and transaction state as if BEGIN had been sent on its own.
    await connection.begin();
    expect(await connection.run('CREATE TABLE "deferred" ("id" INTEGER); INSERT INTO "deferred" VALUES (1), (2)')).toBeDefined();
    expect(await inTx()).toBe('false'); // now() is the transaction's start: an earlier statement opened it
    expect(await other.query(`SELECT to_regclass('"deferred"') AS t`)).toEqual([{ t: null }]);
    await connection.rollback();
    expect(await connection.query(`SELECT to_regclass('"deferred"') AS t`)).toEqual([{ t: null }]);
    // A first statement with parameters: BEGIN is sent ahead of it.
    await connection.execute('CREATE TABLE "deferred_p" ("id" INTEGER)');
    await connection.begin();
    expect(await connection.run('INSERT INTO "deferred_p" VALUES ($1), ($2)', [1, 2])).toMatchObject({ affectedRows: 2 });
    await connection.rollback();
    expect(await connection.query('SELECT count(*)::int AS n FROM "deferred_p"')).toEqual([{ n: 0 }]);
    // A first statement without: its rows and count, not BEGIN's.
    await connection.begin();
    expect(await connection.run('INSERT INTO "deferred_p" VALUES (7), (8), (9)')).toMatchObject({ affectedRows: 3 });
    expect(await connection.query('SELECT max("id") AS m FROM "deferred_p"')).toEqual([{ m: 9 }]);
    await connection.commit();
    expect(await other.query('SELECT count(*)::int AS n FROM "deferred_p"')).toEqual([{ n: 3 }]);
    // A comment alone, and a transaction that ran nothing: no error, nothing left open.
    await connection.begin();
    expect(await connection.run('-- nothing')).toEqual({ rows: [] });
    await connection.commit();
    await connection.begin();
    await connection.commit();
    await connection.begin();
    await connection.rollback();
    expect(connection.inTransaction).toBe(false);
    // A failing first statement leaves the transaction open for the rollback, as before.
    await connection.begin();
    await expect(connection.execute('SELECT * FROM "no_such_table"')).rejects.toThrow(/no_such_table/);
    expect(connection.inTransaction).toBe(true);
    await connection.rollback();
    expect(await connection.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    // A wrapper over the connection (import-prisma's guarded downgrade) shares the pending BEGIN.
    const wrapper = Object.create(connection) as Connection;
    await connection.begin();
    await wrapper.execute('CREATE TABLE "through_wrapper" ("id" INTEGER)');
    await connection.rollback();
    expect(await other.query(`SELECT to_regclass('"through_wrapper"') AS t`)).toEqual([{ t: null }]);
    expect(await connection.query(`SELECT to_regclass('"through_wrapper"') AS t`)).toEqual([{ t: null }]);
  });

  it('keeps a statement marked for reuse prepared on the session (values still bound), and no other', async () => {
    const connection = await open();
    const prepared = async () =>
      (await connection.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).map((r) => r.statement);
    await connection.execute('CREATE TABLE "versions" ("v" TEXT PRIMARY KEY)');
    await connection.execute('INSERT INTO "versions" VALUES ($1)', ['a']);
    expect(await prepared()).toEqual([]);
    const update = 'UPDATE "versions" SET "v" = $1 WHERE "v" = $2';
    // Inside transactions whose BEGIN is pending, through a wrapper too: one prepared statement, run each time.
    const wrapper = Object.create(connection) as Connection;
    for (const [from, to, via] of [['a', 'b', connection], ['b', "c'; DROP TABLE versions; --", wrapper]] as const) {
      await connection.begin();
      await via.execute(update, [to, from], { reuse: true });
      await connection.commit();
    }
    expect(await prepared()).toEqual([update]);
    expect(await connection.query('SELECT "v" FROM "versions"')).toEqual([{ v: "c'; DROP TABLE versions; --" }]);
    // The table dropped and made again (a downgrade to base, then an upgrade): the statement is re-planned.
    await connection.execute('DROP TABLE "versions"; CREATE TABLE "versions" ("v" TEXT PRIMARY KEY); INSERT INTO "versions" VALUES (\'x\')');
    await connection.execute(update, ['y', 'x'], { reuse: true });
    expect(await connection.query('SELECT "v" FROM "versions"')).toEqual([{ v: 'y' }]);
  });

  describe('migration lock', () => {
    it('makes a second process wait, then fail with who holds it', async () => {
      const first = await open();
      const second = await open();
      const release = await first.acquireMigrationLock({ timeoutMs: 1000 });
      const started = Date.now();
      const error = await second.acquireMigrationLock({ timeoutMs: 400 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
      expect(error).toBeInstanceOf(ReviseError);
      expect((error as Error).message).toMatch(
        /^timed out after 400 ms waiting for the migration lock \(database "revise_test_\w+", schema "public"\): held by PostgreSQL backend pid \d+ \(user postgres, application "revise \(migration lock\)"/,
      );
      await release();
      const again = await second.acquireMigrationLock({ timeoutMs: 1000 });
      await again();
    });

    it('hands the lock over as soon as it is released', async () => {
      const first = await open();
      const second = await open();
      const release = await first.acquireMigrationLock({ timeoutMs: 1000 });
      setTimeout(() => void release(), 300);
      const started = Date.now();
      const releaseSecond = await second.acquireMigrationLock({ timeoutMs: 5000 });
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(3000);
      await releaseSecond();
    });

    it('is per schema: migrating another schema is not blocked', async () => {
      const inPublic = await open();
      const inOther = await open({ schema: 'other' });
      const release = await inPublic.acquireMigrationLock({ timeoutMs: 1000 });
      const releaseOther = await inOther.acquireMigrationLock({ timeoutMs: 100 });
      await releaseOther();
      await release();
    });

    it('is held on its own session, so it survives the main connection’s transactions', async () => {
      const connection = await open();
      const release = await connection.acquireMigrationLock({ timeoutMs: 1000 });
      await connection.begin();
      await connection.rollback();
      const rows = await connection.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(rows[0]!.n).toBe(1);
      await release();
      const after = await connection.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(after[0]!.n).toBe(0);
    });

    it('refuses PgBouncer URLs with a clear message', async () => {
      const connection = await open({ pgbouncer: 'true' });
      await expect(connection.acquireMigrationLock({ timeoutMs: 100 })).rejects.toThrow(
        /^cannot take the migration lock through PgBouncer \(\?pgbouncer=true\)/,
      );
    });
  });
});
