/**
 * Temporary PostgreSQL databases for tests. The server is the one at
 * 127.0.0.1:5432 (user postgres, trust auth) unless REVISE_TEST_PG_URL points
 * elsewhere; that URL's database is only used to CREATE / DROP the
 * `revise_test_<random>` databases.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const adminUrl = process.env.REVISE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

let availability: Promise<boolean> | undefined;

/** Whether the test server answers. Prints one loud warning (once per process) when it does not. */
export function pgAvailable(): Promise<boolean> {
  availability ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      const bar = '!'.repeat(78);
      console.warn(
        `\n${bar}\n!! PostgreSQL tests SKIPPED: no server at ${adminUrl.replace(/(\/\/[^:/?#@]*:)[^@/?#]*@/, '$1****@')}\n` +
          `!! (${(error as Error).message}). Start one or set REVISE_TEST_PG_URL.\n${bar}\n`,
      );
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return availability;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The admin URL with its database replaced (query parameters kept). */
export function urlForDatabase(database: string, params: Record<string, string> = {}): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export interface TempDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `revise_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: urlForDatabase(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export async function withTempDatabase<T>(fn: (db: TempDatabase) => Promise<T>): Promise<T> {
  const db = await createTempDatabase();
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}
