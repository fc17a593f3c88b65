import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Connection as Mysql2Connection, ConnectionOptions, ResultSetHeader } from 'mysql2/promise';
import { ReviseError, maskSecrets } from '../../errors.js';
import { ServerConnection } from '../server-connection.js';
import type { ConnectOptions, Connection, Dialect, StatementResult } from '../types.js';
import { parseMysqlUrl, type MysqlTarget } from './url.js';

/**
 * One mysql2 connection per revise connection. The session is UTC (so
 * CURRENT_TIMESTAMP defaults read back the same everywhere) and utf8mb4, as
 * Prisma's connector sets it up. BIGINT and DECIMAL come back as strings, as
 * they do from pg, so no digit is lost.
 *
 * MySQL commits implicitly before and after every DDL statement: `begin` /
 * `commit` bracket the data statements (data hooks, the version row) only;
 * the runner knows this from `Dialect.transactionalDdl`.
 */
export class MysqlConnection extends ServerConnection implements Connection {
  constructor(
    readonly dialect: Dialect,
    readonly target: MysqlTarget,
    private readonly client: Mysql2Connection,
    /** The server is MariaDB (it reports JSON, defaults and a few names differently). */
    readonly mariadb: boolean,
    readonly serverVersion: string,
  ) {
    super('MySQL', target.address, 'START TRANSACTION');
    client.on('error', (error: Error) => this.connectionLost(error));
  }

  get database(): string {
    return this.target.database;
  }

  async run<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<StatementResult<T>> {
    this.throwIfBroken();
    // Values are sent apart from the text (a prepared statement); DDL, which cannot always be prepared, has none.
    const [result] = params && params.length > 0 ? await this.client.execute(sql, params as never) : await this.client.query(sql);
    if (Array.isArray(result)) return { rows: result as T[] };
    const header = result as ResultSetHeader;
    const out: StatementResult<T> = { rows: [], affectedRows: header.affectedRows };
    if (header.insertId) out.insertId = BigInt(header.insertId);
    return out;
  }

  protected send(sql: string): Promise<unknown> {
    return this.client.query(sql);
  }

  acquireMigrationLock(options: { timeoutMs: number }): Promise<() => Promise<void>> {
    return acquireNamedLock(this.target, options.timeoutMs, this.lockLost);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => this.client.destroy());
  }
}

export async function connectMysql(dialect: Dialect, url: string, _options: ConnectOptions = {}): Promise<MysqlConnection> {
  const target = parseMysqlUrl(url);
  const client = await openClient(target);
  try {
    const [rows] = await client.query('SELECT VERSION() AS version');
    const version = String((rows as Array<{ version: string }>)[0]?.version ?? '');
    return new MysqlConnection(dialect, target, client, /mariadb/i.test(version), version);
  } catch (error) {
    client.destroy();
    throw connectError(error, target);
  }
}

/** mysql2 is CommonJS: `require` skips the export scan an ESM import() of it would do. */
function mysql2(): typeof import('mysql2/promise') {
  return createRequire(import.meta.url)('mysql2/promise') as typeof import('mysql2/promise');
}

export async function openClient(target: MysqlTarget): Promise<Mysql2Connection> {
  const ssl = target.ssl;
  if (ssl && 'prefer' in ssl) {
    try {
      return await openWith(target, { rejectUnauthorized: ssl.rejectUnauthorized });
    } catch (error) {
      if (!/does not support secure connection/i.test(errorMessage((error as { cause?: unknown }).cause ?? error))) throw error;
      return openWith(target, undefined);
    }
  }
  return openWith(target, ssl);
}

async function openWith(target: MysqlTarget, ssl: { ca?: string; rejectUnauthorized: boolean } | undefined): Promise<Mysql2Connection> {
  const options: ConnectionOptions = {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ...(target.socketPath ? { socketPath: target.socketPath } : {}),
    ...(ssl ? { ssl } : {}),
    connectTimeout: target.connectTimeoutMs || undefined,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    multipleStatements: false,
  };
  let client: Mysql2Connection;
  try {
    client = await mysql2().createConnection(options);
  } catch (error) {
    // Kept for openClient's TLS fallback, which reads the original message.
    throw Object.assign(connectError(error, target), { cause: error });
  }
  client.on('error', () => undefined);
  try {
    await client.query("SET time_zone = '+00:00'");
  } catch (error) {
    client.destroy();
    throw connectError(error, target);
  }
  return client;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(error: unknown): string {
  return maskSecrets(errorMessage(error).split('\n')[0] ?? '');
}

/** A mysql2/socket error during connect as one line, never showing the password. */
function connectError(error: unknown, target: MysqlTarget): ReviseError {
  if (error instanceof ReviseError) return error;
  const where = `MySQL at ${target.address}`;
  const code = (error as { code?: string })?.code;
  let message: string;
  switch (code) {
    case 'ECONNREFUSED':
      message = `could not connect to ${where}: connection refused (is the server running and listening there?)`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `could not connect to ${where}: host "${target.host}" not found`;
      break;
    case 'ETIMEDOUT':
      message = `could not connect to ${where}: timed out`;
      break;
    case 'ER_ACCESS_DENIED_ERROR':
      message = `could not connect to ${where}: access denied for user "${target.user}"`;
      break;
    case 'ER_BAD_DB_ERROR':
      message = `database "${target.database}" does not exist on ${where}; create it first (CREATE DATABASE \`${target.database}\`)`;
      break;
    default:
      message = `could not connect to ${where}: ${firstLine(error)}`;
  }
  return new ReviseError(`${message} [${target.masked}]`);
}

// ---------------------------------------------------------------------------
// Migration lock

/** GET_LOCK names are at most 64 characters: a fixed prefix and a digest of the database name. */
export function migrationLockName(database: string): string {
  return `revise:${createHash('sha256').update(`revise:migration-lock\0${database}`).digest('hex').slice(0, 40)}`;
}

/**
 * `GET_LOCK` on a connection of its own, so the lock outlives the main
 * connection's transactions (and the implicit commits DDL makes) and the
 * server frees it if this process dies.
 */
export async function acquireNamedLock(
  target: MysqlTarget,
  timeoutMs: number,
  onLost?: (reason: string) => void,
): Promise<() => Promise<void>> {
  const name = migrationLockName(target.database);
  const client = await openClient(target);
  const fail = async (error: ReviseError): Promise<never> => {
    client.destroy();
    throw error;
  };
  let got: number | null;
  try {
    // GET_LOCK waits in whole seconds; 0 means "try once".
    const [rows] = await client.query('SELECT GET_LOCK(?, ?) AS got', [name, Math.ceil(Math.max(0, timeoutMs) / 1000)]);
    got = (rows as Array<{ got: number | null }>)[0]?.got ?? null;
  } catch (error) {
    return fail(new ReviseError(`cannot take the migration lock on MySQL at ${target.address}: ${firstLine(error)}`));
  }
  if (got !== 1) return fail(new ReviseError(await describeHolder(client, name, target, timeoutMs)));

  let released = false;
  let lost = false;
  const loseLock = (reason: string) => {
    if (released || lost) return;
    lost = true;
    onLost?.(reason);
  };
  client.on('error', (error: Error) => loseLock(firstLine(error)));
  client.on('end', () => loseLock('the session ended'));

  return async () => {
    if (released) return;
    released = true;
    try {
      if (!lost) await client.query('SELECT RELEASE_LOCK(?)', [name]);
    } finally {
      // The server frees the lock with the session anyway.
      await client.end().catch(() => client.destroy());
    }
  };
}

async function describeHolder(client: Mysql2Connection, name: string, target: MysqlTarget, timeoutMs: number): Promise<string> {
  const prefix = `timed out after ${timeoutMs} ms waiting for the migration lock (database "${target.database}")`;
  try {
    const [rows] = await client.query(
      'SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.TIME AS seconds FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(?)',
      [name],
    );
    const holder = (rows as Array<{ id: number; user: string; host: string; seconds: number }>)[0];
    if (!holder) return `${prefix}: another session holds it`;
    return (
      `${prefix}: held by MySQL connection ${holder.id} (user ${holder.user}, from ${holder.host}, for ${holder.seconds}s); ` +
      `another migration is probably running — wait for it, or end that session with KILL ${holder.id}`
    );
  } catch {
    return `${prefix}: another session holds it`;
  }
}
