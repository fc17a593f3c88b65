/**
 * Temporary MySQL / MariaDB databases for tests. The server is the one at
 * 127.0.0.1:3306 (user root, empty password) unless REVISE_TEST_MYSQL_URL
 * points elsewhere; that URL is only used to CREATE / DROP the
 * `revise_test_<random>` databases.
 */
import { execFileSync } from 'node:child_process';
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

/**
 * The database's catalog straight from information_schema, as comparable
 * JSON: per table its collation, columns (by name: a history adds columns at
 * the end, a build from empty in schema order), indexes and foreign keys.
 * revise's own tables and Prisma Migrate's are left out.
 */
export async function mysqlCatalog(database: string): Promise<Record<string, unknown>> {
  return admin(async (c) => {
    const q = async (sql: string) => (await c.query(sql, [database]))[0] as Array<Record<string, unknown>>;
    const own = new Set(['alembic_version', '_prisma_migrations', 'revise_progress']);
    const tables = (await q('SELECT TABLE_NAME AS t, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1')).filter(
      (r) => !own.has(String(r.t)),
    );
    const columns = await q(
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, EXTRA AS extra,
              CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, COLUMN_NAME`,
    );
    const indexes = await q(
      `SELECT TABLE_NAME AS t, INDEX_NAME AS name, NON_UNIQUE AS non_unique, INDEX_TYPE AS type, SEQ_IN_INDEX AS seq, COLUMN_NAME AS col,
              SUB_PART AS sub_part, COLLATION AS sort
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    );
    const fks = await q(
      `SELECT k.TABLE_NAME AS t, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS ref_table,
              k.REFERENCED_COLUMN_NAME AS ref_col, r.UPDATE_RULE AS on_update, r.DELETE_RULE AS on_delete
         FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
        WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    );
    const catalog: Record<string, unknown> = {};
    for (const { t, collation } of tables) {
      const index: Record<string, { unique: boolean; type: unknown; columns: string[] }> = {};
      for (const i of indexes.filter((r) => r.t === t)) {
        const entry = (index[String(i.name)] ??= { unique: Number(i.non_unique) === 0, type: i.type, columns: [] });
        entry.columns.push(`${String(i.col)}${i.sub_part !== null ? `(${String(i.sub_part)})` : ''}${i.sort === 'D' ? ' DESC' : ''}`);
      }
      const fk: Record<string, { columns: string[]; references: string; on_update: unknown; on_delete: unknown }> = {};
      for (const f of fks.filter((r) => r.t === t)) {
        const entry = (fk[String(f.name)] ??= { columns: [], references: String(f.ref_table), on_update: f.on_update, on_delete: f.on_delete });
        entry.columns.push(`${String(f.col)} -> ${String(f.ref_col)}`);
      }
      catalog[String(t)] = {
        collation,
        columns: Object.fromEntries(columns.filter((r) => r.t === t).map(({ t: _t, name, ...rest }) => [String(name), rest])),
        indexes: index,
        foreignKeys: fk,
      };
    }
    return catalog;
  }, database);
}

/** Runs an SQL script as Prisma Migrate would (all statements, stop at the first error), with the mariadb/mysql client. */
export function runMysqlScript(database: string, script: string): void {
  const url = new URL(mysqlAdminUrl);
  const args = ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username || 'root'), database];
  if (url.password) args.push(`-p${decodeURIComponent(url.password)}`);
  for (const client of ['mariadb', 'mysql']) {
    try {
      execFileSync(client, args, { input: script, stdio: ['pipe', 'pipe', 'pipe'] });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`${client} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
  }
  throw new Error('neither the mariadb nor the mysql client is installed');
}
