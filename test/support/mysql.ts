/**
 * Temporary MySQL / MariaDB databases for tests. The server is the one at
 * 127.0.0.1:3306 (user root, empty password) unless REVISE_TEST_MYSQL_URL
 * points elsewhere; that URL is only used to CREATE / DROP the
 * `revise_test_<random>` databases.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

export const mysqlAdminUrl = process.env.REVISE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

let availability: Promise<boolean> | undefined;

/** Whether the test server answers. Prints one loud warning (once per process) when it does not. */
export function mysqlAvailable(): Promise<boolean> {
  availability ??= (async () => {
    try {
      await admin((c) => c.query('SELECT 1'));
      return true;
    } catch (error) {
      const bar = '!'.repeat(78);
      console.warn(
        `\n${bar}\n!! MySQL/MariaDB tests SKIPPED: no server at ${mysqlAdminUrl.replace(/(\/\/[^:/?#@]*:)[^@/?#]*@/, '$1****@')}\n` +
          `!! (${(error as Error).message}). Start one or set REVISE_TEST_MYSQL_URL.\n${bar}\n`,
      );
      return false;
    }
  })();
  return availability;
}

export async function admin<T>(fn: (client: mysql.Connection) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(mysqlAdminUrl);
  const client = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: database ?? (decodeURIComponent(url.pathname.slice(1)) || undefined),
    connectTimeout: 3000,
    multipleStatements: true,
  });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The admin URL with its database replaced. */
export function mysqlUrlFor(database: string): string {
  const url = new URL(mysqlAdminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TempMysqlDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTempMysqlDatabase(): Promise<TempMysqlDatabase> {
  const name = `revise_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  return {
    name,
    url: mysqlUrlFor(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)).then(() => undefined),
  };
}

/** Test SQL written with "double-quoted" identifiers (valid on SQLite and PostgreSQL), for MySQL: backticks. */
export function backticks(sql: string): string {
  return sql.replace(/"((?:[^"])*)"/g, (_m, name: string) => `\`${name}\``);
}
