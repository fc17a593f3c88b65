/**
 * Throwaway PostgreSQL databases for tests: created on the local server,
 * dropped afterwards. When no server answers, `pgAvailable()` is false and the
 * caller skips its PostgreSQL cases (with a loud warning, once).
 */
import { randomBytes } from 'node:crypto';

export const PG_ADMIN_URL = process.env.REVISE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

let available: Promise<boolean> | undefined;
let warned = false;

export function pgAvailable(): Promise<boolean> {
  available ??= (async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return available.then((ok) => {
    if (!ok && !warned) {
      warned = true;
      console.warn(`\n!!!!! WARNING: no PostgreSQL server answers at ${PG_ADMIN_URL}: PostgreSQL test cases are SKIPPED !!!!!\n`);
    }
    return ok;
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Run SQL (several statements allowed, no parameters). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<random>` and returns a handle with a single open connection. */
export async function createTestDatabase(prefix = 'revise_oracle'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const pg = (await import('pg')).default;
  const client = new pg.Client(url.toString());
  await client.connect();
  return {
    name,
    url: url.toString(),
    async exec(sql) {
      await client.query(sql);
    },
    async query(sql, params) {
      return (await client.query(sql, params)).rows;
    },
    async drop() {
      await client.end().catch(() => {});
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
