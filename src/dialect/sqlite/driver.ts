import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ReviseError, maskUrl } from '../../errors.js';
import type { ConnectOptions, Connection, Dialect, StatementResult } from '../types.js';
import { toBindable } from './sql.js';

type Database = BetterSqlite3.Database;

const BUSY_TIMEOUT_MS = 5000;
const LOCK_POLL_MS = 50;

/**
 * The file a SQLite URL points at, or `:memory:`. Accepts `file:./x.db`,
 * `file:/abs/x.db`, `file:///abs/x.db`, `file:x.db?connection_limit=1`,
 * `sqlite:...`, plain paths and `:memory:`. Relative paths resolve against
 * process.cwd() (callers pass an already-resolved URL when they know better).
 */
export function sqliteFilePath(url: string): string {
  let rest = url.trim();
  const scheme = /^(file|sqlite):/i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length).replace(/[?#].*$/, '');
    if (rest.startsWith('///')) rest = rest.slice(2);
    else if (rest.startsWith('//')) rest = rest.slice(2);
  }
  if (rest === '' ) throw new ReviseError(`invalid SQLite URL "${maskUrl(url)}": no file path`);
  if (rest === ':memory:') return ':memory:';
  return path.resolve(process.cwd(), rest);
}

/**
 * better-sqlite3 is a CommonJS package: `require` loads it directly, where an
 * ESM `import()` would first scan its source for named exports (a measurable
 * part of a no-op `upgrade head`).
 */
function loadDriver(): typeof BetterSqlite3 {
  return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

/** SQLite's own errors, as one line that says what failed; rebuild failures get a hint. */
function toReviseError(err: unknown, sql: string): Error {
  if (err instanceof ReviseError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const notNull = /NOT NULL constraint failed: new_(.+)\.(.+)$/.exec(message);
  if (notNull) {
    return new ReviseError(
      `cannot rebuild table "${notNull[1]}": column "${notNull[2]}" is NOT NULL but existing rows have no value for it; give it a default or fill it first`,
    );
  }
  return new ReviseError(`SQLite: ${message} (while running: ${oneLine(sql)})`);
}

function bind(params: readonly unknown[] | undefined): unknown[] {
  return (params ?? []).map(toBindable);
}

/**
 * Open the database a SQLite URL names. What happens to a missing file
 * depends on `options.access` (see ConnectOptions): created with its folder
 * (Prisma Migrate creates both too), read as an empty in-memory database
 * without touching the disk, or refused.
 */
export async function connectSqlite(url: string, dialect: Dialect, options: ConnectOptions = {}): Promise<Connection> {
  const Driver = loadDriver();
  const file = sqliteFilePath(url);
  const access = options.access ?? 'create';
  const missing = file !== ':memory:' && !existsSync(file);
  if (missing && access === 'existing') throw new ReviseError(`SQLite database ${file} does not exist`);
  if (missing && access === 'read') return open(Driver, ':memory:', {}, dialect);
  let createdFolder = false;
  if (missing) {
    const folder = path.dirname(file);
    try {
      createdFolder = mkdirSync(folder, { recursive: true }) !== undefined;
    } catch (err) {
      throw new ReviseError(`cannot create the folder of SQLite database ${file}: ${(err as Error).message}`);
    }
  }
  const connection = open(Driver, file, access === 'read' ? { readonly: true, fileMustExist: true } : {}, dialect);
  if (missing) {
    options.onCreate?.(`SQLite database ${path.basename(file)} created at ${file}${createdFolder ? ' (with its folder)' : ''}`);
  }
  return connection;
}

function open(Driver: typeof BetterSqlite3, file: string, settings: BetterSqlite3.Options, dialect: Dialect): Connection {
  let db: Database;
  try {
    db = new Driver(file, settings);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Reading the schema proves the file is a database (opening alone does not).
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw new ReviseError(`cannot open SQLite database ${file}: ${(err as Error).message}`);
  }
  return new SqliteConnection(db, file, dialect, Driver);
}

/** Prepared statements kept per connection: a run repeats the same few (version row, checks) once per revision. */
const STATEMENT_CACHE_SIZE = 64;

class SqliteConnection implements Connection {
  /** By SQL text. SQLite prepares a kept statement again by itself when the schema changes under it. */
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: Database,
    private readonly file: string,
    readonly dialect: Dialect,
    private readonly Driver: typeof BetterSqlite3,
  ) {}

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.run<T>(sql, params)).rows;
  }

  /** Like Kysely's SqliteDriver: a statement that returns rows reports only them, any other its change count and last rowid. */
  async run<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<StatementResult<T>> {
    try {
      const stmt = this.prepared(sql);
      if (stmt.reader) return { rows: stmt.all(...bind(params)) as T[] };
      const info = stmt.run(...bind(params));
      return { rows: [], affectedRows: info.changes, insertId: BigInt(info.lastInsertRowid) };
    } catch (err) {
      throw toReviseError(err, sql);
    }
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<void> {
    try {
      // Without parameters, allow several statements in one string (raw SQL in revisions).
      if (!params || params.length === 0) this.db.exec(sql);
      else this.prepared(sql).run(...bind(params));
    } catch (err) {
      throw toReviseError(err, sql);
    }
  }

  private prepared(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      // Plenty for a run's repeated statements; a revision's one-off SQL just cycles through.
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  async begin(): Promise<void> {
    // IMMEDIATE takes the write lock now, so concurrent migrators queue instead of deadlocking.
    await this.execute('BEGIN IMMEDIATE');
  }

  async commit(): Promise<void> {
    await this.execute('COMMIT');
  }

  async rollback(): Promise<void> {
    if (this.db.inTransaction) await this.execute('ROLLBACK');
  }

  async acquireMigrationLock(options: { timeoutMs: number }): Promise<() => Promise<void>> {
    if (this.file === ':memory:') return async () => {};
    const lockFile = `${this.file}.revise-lock`;
    let lockDb: Database;
    try {
      lockDb = new this.Driver(lockFile);
    } catch (err) {
      throw new ReviseError(`cannot open migration lock file ${lockFile}: ${(err as Error).message}`);
    }
    // SQLite's own file lock on a sidecar database: held by the open EXCLUSIVE
    // transaction, dropped by the OS if this process dies. Polled so the event
    // loop keeps running while another migrator holds it.
    const deadline = Date.now() + Math.max(0, options.timeoutMs);
    lockDb.pragma('busy_timeout = 0');
    for (;;) {
      try {
        lockDb.exec('BEGIN EXCLUSIVE');
        break;
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) {
          lockDb.close();
          throw new ReviseError(`cannot take the migration lock ${lockFile}: ${(err as Error).message}`);
        }
        if (Date.now() >= deadline) {
          lockDb.close();
          throw new ReviseError(
            `another migration is running on ${this.file} (lock ${lockFile} still held after ${options.timeoutMs} ms); try again when it finishes`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, Math.max(1, deadline - Date.now()))));
      }
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        if (lockDb.inTransaction) lockDb.exec('ROLLBACK');
      } finally {
        lockDb.close();
      }
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
