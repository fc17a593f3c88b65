import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection, Dialect } from '../dialect/types.js';
import { ReviseError, maskUrl } from '../errors.js';

/**
 * An empty database to replay a Prisma history on, made and removed by
 * revise, like Prisma's shadow database: a temporary SQLite file, or on
 * PostgreSQL and MySQL a temporary database on the project's server (which
 * needs the right to create databases, as Prisma's shadow database does).
 */
export interface ScratchDatabase {
  /** The open connection (replaced while `withCopy` runs on PostgreSQL: read it afresh). */
  readonly connection: Connection;
  url: string;
  /**
   * Run `fn` on a throwaway copy of the database as it is now, where it may
   * commit (PostgreSQL: `CREATE DATABASE ... TEMPLATE`); undefined where no
   * copy can be made (SQLite never needs one: everything rolls back).
   */
  withCopy?<T>(fn: (connection: Connection) => Promise<T>): Promise<T>;
  /**
   * Empty the database again (MySQL: dropped and created anew, since its DDL
   * cannot be rolled back); undefined where nothing needs it.
   */
  reset?(): Promise<void>;
  drop(): Promise<void>;
}

export async function createScratchDatabase(dialect: Dialect, projectUrl: string): Promise<ScratchDatabase> {
  if (dialect.name === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'revise-import-'));
    const url = `file:${path.join(dir, 'scratch.db')}`;
    const connection = await dialect.connect(url, { access: 'create' });
    return {
      connection,
      url,
      async drop() {
        await connection.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `revise_import_${randomBytes(6).toString('hex')}`;
  const server = await dialect.connect(projectUrl, { access: 'existing' });
  if (dialect.name === 'mysql') return mysqlScratch(dialect, server, projectUrl, name);
  try {
    await server.execute(`CREATE DATABASE ${dialect.quoteIdentifier(name)}`);
  } catch (error) {
    await server.close().catch(() => undefined);
    throw cannotCreate(projectUrl, error, 'the CREATEDB right');
  }
  const parsed = new URL(projectUrl);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  const dropDatabase = async () => {
    await server.execute(`DROP DATABASE IF EXISTS ${dialect.quoteIdentifier(name)} WITH (FORCE)`).catch(() => undefined);
    await server.close().catch(() => undefined);
  };
  let connection: Connection;
  try {
    // The project's `?schema=` holds the tables; a new database has only `public`.
    const schema = parsed.searchParams.get('schema');
    if (schema && schema !== 'public') {
      const bare = new URL(url);
      bare.searchParams.delete('schema');
      const setup = await dialect.connect(bare.toString(), { access: 'existing' });
      try {
        await setup.execute(`CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdentifier(schema)}`);
      } finally {
        await setup.close();
      }
    }
    connection = await dialect.connect(url, { access: 'existing' });
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  const options = { access: 'existing' } as const;
  const scratch: ScratchDatabase = {
    get connection() {
      return connection;
    },
    url,
    async withCopy(fn) {
      // A template database must have no other sessions.
      await connection.close();
      const copy = `${name}_copy`;
      try {
        await server.execute(`CREATE DATABASE ${dialect.quoteIdentifier(copy)} TEMPLATE ${dialect.quoteIdentifier(name)}`);
        const copyUrl = new URL(url);
        copyUrl.pathname = `/${copy}`;
        const other = await dialect.connect(copyUrl.toString(), options);
        try {
          return await fn(other);
        } finally {
          await other.close().catch(() => undefined);
          await server.execute(`DROP DATABASE IF EXISTS ${dialect.quoteIdentifier(copy)} WITH (FORCE)`).catch(() => undefined);
        }
      } finally {
        connection = await dialect.connect(url, options);
        await dialect.prepareForMigration(connection);
      }
    },
    async drop() {
      await connection.close().catch(() => undefined);
      await dropDatabase();
    },
  };
  return scratch;
}

function cannotCreate(projectUrl: string, error: unknown, right: string): ReviseError {
  return new ReviseError(
    `Cannot create the temporary database revise replays the Prisma history on, on the server of ${maskUrl(projectUrl)}: ` +
      `${(error as Error).message} (the user needs ${right}, as for Prisma's shadow database)`,
  );
}

/**
 * MySQL: `revise_import_<random>` with the project database's character set
 * and collation (what a table that names none gets there). DDL commits as it
 * goes, so nothing run on it can be rolled back: `reset` drops and creates it
 * again, for the importer to replay the history up to where it was.
 */
async function mysqlScratch(dialect: Dialect, server: Connection, projectUrl: string, name: string): Promise<ScratchDatabase> {
  const q = dialect.quoteIdentifier;
  const url = new URL(projectUrl);
  url.pathname = `/${name}`;
  const options = { access: 'existing' } as const;
  let create: string;
  let connection: Connection;
  try {
    const [defaults] = await server.query<{ charset: string | null; collation: string | null }>(
      'SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
    );
    // Character set and collation names are bare words (utf8mb4, utf8mb4_unicode_ci); anything else is left to the server.
    const word = (value: string | null | undefined) => (value && /^\w+$/.test(value) ? value : undefined);
    const charset = word(defaults?.charset);
    const collation = word(defaults?.collation);
    create = `CREATE DATABASE ${q(name)}${charset ? ` CHARACTER SET ${charset}` : ''}${collation ? ` COLLATE ${collation}` : ''}`;
    await server.execute(create);
  } catch (error) {
    await server.close().catch(() => undefined);
    throw cannotCreate(projectUrl, error, 'the CREATE and DROP privileges');
  }
  const dropDatabase = () => server.execute(`DROP DATABASE IF EXISTS ${q(name)}`);
  try {
    connection = await dialect.connect(url.toString(), options);
  } catch (error) {
    await dropDatabase().catch(() => undefined);
    await server.close().catch(() => undefined);
    throw error;
  }
  return {
    get connection() {
      return connection;
    },
    url: url.toString(),
    async reset() {
      await connection.close().catch(() => undefined);
      await dropDatabase();
      await server.execute(create);
      connection = await dialect.connect(url.toString(), options);
      await dialect.prepareForMigration(connection);
    },
    async drop() {
      await connection.close().catch(() => undefined);
      await dropDatabase().catch(() => undefined);
      await server.close().catch(() => undefined);
    },
  };
}
