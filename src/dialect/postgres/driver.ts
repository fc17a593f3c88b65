import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ConnectionOptions } from 'node:tls';
import type { Client, QueryResult } from 'pg';
import { ReviseError, maskSecrets } from '../../errors.js';
import { ServerConnection } from '../server-connection.js';
import type { ConnectOptions, Connection, Dialect, ExecuteOptions, StatementResult } from '../types.js';
import { clientConfig, parsePostgresUrl, type PostgresTarget } from './url.js';

/** The command tags whose row count is the number of rows written. */
const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * One pg.Client per revise connection. The session is set up the way Prisma
 * sets up its own: `search_path` is the URL's `?schema=`; the time zone is UTC
 * so timestamptz defaults read back the same everywhere.
 */
export class PostgresConnection extends ServerConnection implements Connection {
  constructor(
    readonly dialect: Dialect,
    readonly target: PostgresTarget,
    private readonly client: Client,
    /** Extra schemas from ConnectOptions (multiSchema). */
    readonly schemas: string[] | undefined,
  ) {
    super('PostgreSQL', target.address, 'BEGIN');
    client.on('error', (error) => this.connectionLost(error));
  }

  /** The URL's `?schema=` (default `public`). */
  get defaultSchema(): string {
    return this.target.schema;
  }

  /**
   * BEGIN is not sent on its own: it opens the transaction's first statement
   * without parameters (`BEGIN;<sql>`, one simple query), so a revision costs
   * one round trip less. A first statement with parameters (extended protocol,
   * one statement only) sends it ahead; a transaction that ran nothing never
   * sends it, nor its COMMIT or ROLLBACK. Kept in an object of its own, so a
   * wrapper made with Object.create(connection) shares it instead of
   * shadowing it with a property of its own.
   */
  private readonly pending = { begin: false };

  protected override async sendBegin(): Promise<void> {
    this.throwIfBroken();
    this.pending.begin = true;
  }

  /** Like Kysely's PostgresDriver: the row count only for the commands that write rows. */
  async run<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<StatementResult<T>> {
    this.throwIfBroken();
    const result = await this.withPendingBegin(sql, params);
    const rows = result.rows as T[];
    return WRITE_COMMANDS.has(result.command) && result.rowCount !== null ? { rows, affectedRows: result.rowCount } : { rows };
  }

  override async execute(sql: string, params?: readonly unknown[], options?: ExecuteOptions): Promise<void> {
    this.throwIfBroken();
    await this.withPendingBegin(sql, params, options?.reuse === true);
  }

  /**
   * Names of the statements kept prepared on this session (ExecuteOptions.reuse):
   * parsed once, then only bound and run, a tenth of a millisecond less each time.
   * An object of its own, shared by Object.create wrappers, like `pending`.
   */
  private readonly preparedNames = new Map<string, string>();

  private parameterized(sql: string, params: readonly unknown[], reuse: boolean): Promise<QueryResult> {
    if (!reuse) return this.client.query(sql, params as unknown[]);
    let name = this.preparedNames.get(sql);
    if (name === undefined) this.preparedNames.set(sql, (name = `revise_${this.preparedNames.size}`));
    return this.client.query({ name, text: sql, values: params as unknown[] });
  }

  /** The statement, with a pending BEGIN; the result is what it would have been without the BEGIN. */
  private async withPendingBegin(sql: string, params: readonly unknown[] | undefined, reuse = false): Promise<QueryResult> {
    const bound = params !== undefined && params.length > 0;
    if (!this.pending.begin) return bound ? this.parameterized(sql, params, reuse) : this.client.query(sql);
    this.pending.begin = false;
    if (bound) {
      await this.client.query('BEGIN');
      return this.parameterized(sql, params, reuse);
    }
    // Several statements in one simple query give one result each; BEGIN's is dropped.
    const results = (await this.client.query(`BEGIN;${sql}`)) as unknown as QueryResult | QueryResult[];
    // Only BEGIN's (the statement was empty or a comment).
    if (!Array.isArray(results)) return { ...results, command: '', rowCount: null, rows: [] };
    return (results.length === 2 ? results[1] : results.slice(1)) as QueryResult;
  }

  protected send(sql: string): Promise<unknown> {
    return this.client.query(sql);
  }

  protected override async sendRollback(): Promise<void> {
    // A transaction whose BEGIN never went out: there is nothing to undo.
    if (this.pending.begin) this.pending.begin = false;
    else await super.sendRollback();
  }

  protected override async sendCommit(): Promise<void> {
    // Nothing ran since BEGIN: nothing to commit.
    if (this.pending.begin) this.pending.begin = false;
    else await super.sendCommit();
  }

  /** The lock lives on its own session; if that session dies, so does this connection's licence to migrate. */
  acquireMigrationLock(options: { timeoutMs: number }): Promise<() => Promise<void>> {
    return acquireAdvisoryLock(this.target, options.timeoutMs, this.lockLost);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

export async function connectPostgres(dialect: Dialect, url: string, options: ConnectOptions = {}): Promise<PostgresConnection> {
  const target = parsePostgresUrl(url);
  const client = await openClient(target);
  try {
    await client.query(`SET search_path TO ${quoteIdent(target.schema)}; SET TIME ZONE 'UTC'`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectError(error, target);
  }
  return new PostgresConnection(dialect, target, client, options.schemas);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Open a pg.Client, resolving `sslmode=prefer` (try TLS, fall back to plain), with one-line errors. */
export async function openClient(target: PostgresTarget, applicationName?: string): Promise<Client> {
  // CommonJS: `require` skips the export scan an ESM import() of it would do.
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const attempt = async (ssl: false | ConnectionOptions): Promise<Client> => {
    const config = clientConfig(target, ssl);
    if (applicationName) config.application_name = applicationName;
    const client = new pg.Client(config);
    // Errors after a failed connect() arrive as events; swallow them, connect() already rejected.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  try {
    if (target.ssl !== 'prefer') return await attempt(target.ssl);
    try {
      return await attempt({ rejectUnauthorized: false });
    } catch (error) {
      if (!/does not support SSL/i.test(errorMessage(error))) throw error;
      return await attempt(false);
    }
  } catch (error) {
    throw connectError(error, target);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; errors?: Array<{ code?: string }> };
  return e?.code ?? e?.errors?.find((inner) => inner.code)?.code;
}

/** Turn a pg/socket error during connect into one line, never showing the password. */
function connectError(error: unknown, target: PostgresTarget): ReviseError {
  if (error instanceof ReviseError) return error;
  const where = `PostgreSQL at ${target.address}`;
  const code = errorCode(error);
  const user = target.user ?? 'the current user';
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
    case '28P01':
      message = `could not connect to ${where}: password authentication failed for user "${user}"`;
      break;
    case '28000':
      message = `could not connect to ${where}: access denied for user "${user}" (${firstLine(error)})`;
      break;
    case '3D000':
      message =
        `database "${target.database}" does not exist on ${where}; ` +
        `create it first (CREATE DATABASE "${target.database}"; or: createdb ${target.database})`;
      break;
    case '3F000':
      message = `schema "${target.schema}" does not exist in database "${target.database}" on ${where}`;
      break;
    default:
      if (/timeout/i.test(errorMessage(error))) {
        message = `could not connect to ${where}: timed out after ${target.connectTimeoutMs / 1000}s (connect_timeout)`;
      } else {
        message = `could not connect to ${where}: ${firstLine(error)}`;
      }
  }
  return new ReviseError(`${message} [${target.masked}]`);
}

function firstLine(error: unknown): string {
  const text = errorMessage(error).split('\n')[0] ?? '';
  // A server message never contains the password, but a URL or connection string echoed back might.
  return maskSecrets(text);
}

// ---------------------------------------------------------------------------
// Migration lock

/** The advisory lock key: a fixed namespace + database + schema, as a signed bigint (text, for pg). */
export function migrationLockKey(database: string, schema: string): string {
  const digest = createHash('sha256').update(`revise:migration-lock\0${database}\0${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/** pg_locks shows a bigint advisory key as classid (high 32 bits) / objid (low 32 bits), objsubid 1. */
function lockKeyParts(key: string): [string, string] {
  const unsigned = BigInt.asUintN(64, BigInt(key));
  return [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Session-level `pg_advisory_lock` on a dedicated connection, so that the
 * lock outlives the per-revision transactions of the main connection and is
 * dropped by the server if this process dies. Polls `pg_try_advisory_lock`
 * with backoff until `timeoutMs`.
 *
 * Transaction-mode poolers (PgBouncer `pool_mode=transaction`, Prisma's
 * `?pgbouncer=true`) hand each statement to any server connection, so a
 * session lock is meaningless there: that is detected (the backend that took
 * the lock is not the one answering next) and refused with a clear message.
 */
export async function acquireAdvisoryLock(
  target: PostgresTarget,
  timeoutMs: number,
  onLost?: (reason: string) => void,
): Promise<() => Promise<void>> {
  const scope = `database "${target.database}", schema "${target.schema}"`;
  if (target.pgbouncer) {
    throw new ReviseError(
      `cannot take the migration lock through PgBouncer (?pgbouncer=true): session advisory locks need a direct connection; point revise at the database itself (Prisma's directUrl)`,
    );
  }
  const key = migrationLockKey(target.database, target.schema);
  const [classid, objid] = lockKeyParts(key);
  const client = await openClient(target, `${target.applicationName} (migration lock)`);
  const fail = async (error: ReviseError): Promise<never> => {
    await client.end().catch(() => undefined);
    throw error;
  };

  const deadline = Date.now() + Math.max(0, timeoutMs);
  let delay = 20;
  let lockedBy: number;
  for (;;) {
    let row: { locked: boolean; pid: number };
    try {
      const result = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked, pg_backend_pid() AS pid', [key]);
      row = result.rows[0];
    } catch (error) {
      return fail(
        new ReviseError(
          `cannot take the migration lock on PostgreSQL at ${target.address}: pg_advisory_lock is not available (${firstLine(error)}); revise needs session advisory locks, so connect directly rather than through a pooler`,
        ),
      );
    }
    if (row.locked) {
      lockedBy = row.pid;
      break;
    }
    const left = deadline - Date.now();
    if (left <= 0) return fail(new ReviseError(await describeHolder(client, classid, objid, scope, timeoutMs)));
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, 500);
  }

  // A transaction-mode pooler would answer this from another backend.
  const check = await client.query('SELECT pg_backend_pid() AS pid');
  if (check.rows[0].pid !== lockedBy) {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
    return fail(
      new ReviseError(
        `cannot hold the migration lock on PostgreSQL at ${target.address}: the connection goes through a transaction-mode pooler (e.g. PgBouncer), where session advisory locks do not work; point revise at the database directly`,
      ),
    );
  }

  let released = false;
  let lost = false;
  // The server drops a session lock with its session: a restart, a network drop or
  // pg_terminate_backend frees it for another migrator while this one carries on.
  const loseLock = (reason: string) => {
    if (released || lost) return;
    lost = true;
    onLost?.(reason);
  };
  client.on('error', (error) => loseLock(firstLine(error)));
  client.on('end', () => loseLock('the session ended'));

  return async () => {
    if (released) return;
    released = true;
    try {
      if (!lost) await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    } finally {
      // Closing the session frees the lock anyway, even if the unlock failed.
      await client.end().catch(() => undefined);
    }
  };
}

async function describeHolder(client: Client, classid: string, objid: string, scope: string, timeoutMs: number): Promise<string> {
  const prefix = `timed out after ${timeoutMs} ms waiting for the migration lock (${scope})`;
  try {
    const result = await client.query(
      `SELECT l.pid, a.usename, a.application_name, a.client_addr::text AS client_addr, a.backend_start
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid::bigint = $1::bigint AND l.objid::bigint = $2::bigint
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [classid, objid],
    );
    const holder = result.rows[0] as
      | { pid: number; usename: string | null; application_name: string | null; client_addr: string | null; backend_start: Date | null }
      | undefined;
    if (!holder) return `${prefix}: it is held by another session that is not visible here`;
    const details = [
      holder.usename ? `user ${holder.usename}` : undefined,
      holder.application_name ? `application "${holder.application_name}"` : undefined,
      holder.client_addr ? `from ${holder.client_addr}` : undefined,
      holder.backend_start ? `connected since ${new Date(holder.backend_start).toISOString()}` : undefined,
    ].filter(Boolean);
    return (
      `${prefix}: held by PostgreSQL backend pid ${holder.pid}${details.length ? ` (${details.join(', ')})` : ''}; ` +
      `another migration is probably running — wait for it, or end that session with SELECT pg_terminate_backend(${holder.pid})`
    );
  } catch {
    return `${prefix}: another session holds it`;
  }
}
