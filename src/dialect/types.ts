import type { DatabaseModel, TableModel } from '../model/types.js';
import type { Operation, TableRef } from '../operations/types.js';
import type { ConstraintIndexes } from '../runtime/constraint-indexes.js';
import type { KnownIndexes } from '../runtime/known-indexes.js';
import type { KnownTables } from '../runtime/known-tables.js';

/**
 * A dialect is one folder under src/dialect/<name>/: driver (connections,
 * transactions, locks), introspector, DDL compiler, type map. Nothing outside
 * that folder branches on the dialect's name; it asks the Dialect object.
 */

export type DialectName = 'sqlite' | 'postgresql' | 'mysql';

/** One SQL statement with bound parameters. */
export interface Statement {
  sql: string;
  params?: unknown[];
  /**
   * Must run outside a transaction (PostgreSQL `CREATE INDEX CONCURRENTLY`,
   * `ALTER TYPE ... ADD VALUE` before use). The runner commits, runs it in
   * autocommit, and opens a new transaction (Alembic's autocommit block).
   */
  outsideTransaction?: boolean;
}

/** What one statement did: the rows it returned, and for a write how many rows it wrote. */
export interface StatementResult<T = Record<string, unknown>> {
  rows: T[];
  /**
   * Rows written by an INSERT, UPDATE, DELETE (or MERGE on PostgreSQL).
   * PostgreSQL reports it for exactly those; SQLite for every statement that
   * returns no rows (after DDL it is the last write's count), so callers that
   * need it should know the statement's kind.
   */
  affectedRows?: number;
  /** SQLite: the rowid of the last inserted row, as `insertId` means to Kysely. */
  insertId?: bigint;
}

export interface ExecuteOptions {
  /**
   * The same text runs again and again on this connection (revise's own
   * version-table rows): a driver may keep it prepared. Only for statements
   * that return no rows, so no later DDL can change what they return.
   */
  reuse?: boolean;
}

export interface Connection {
  readonly dialect: Dialect;
  /** Rows of a statement that returns rows. Values are bound parameters, never spliced. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** One statement with what the driver says it did (rows, written-row count, inserted rowid). */
  run<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<StatementResult<T>>;
  /** A statement run for its effect. */
  execute(sql: string, params?: readonly unknown[], options?: ExecuteOptions): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  readonly inTransaction: boolean;
  /**
   * Take the cross-process migration lock (PostgreSQL: session advisory lock on
   * a dedicated connection; SQLite: SQLite's own file lock on a sidecar lock
   * database). Waits up to `timeoutMs`, then throws a ReviseError that says why.
   * Resolves to the function that releases it.
   */
  acquireMigrationLock(options: { timeoutMs: number }): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Extra schemas to introspect (PostgreSQL multiSchema); the URL's `?schema=` is the default one. */
  schemas?: string[];
  /**
   * What the caller may do with a database that does not exist yet (SQLite: a
   * missing file; a PostgreSQL server never creates one). `create` (default):
   * create it, folder included, as Prisma Migrate does, and say so through
   * `onCreate`. `read`: open it read-only and create nothing; a missing
   * database reads as an empty one. `existing`: refuse a missing database.
   */
  access?: 'create' | 'read' | 'existing';
  /** Called with one line ("SQLite database app.db created at /abs/app.db") when `create` made a new database. */
  onCreate?: (note: string) => void;
}

export interface IntrospectOptions {
  /**
   * Schemas to read (PostgreSQL). When absent, only the connection's default
   * schema is read and tables/enums carry `schema: undefined`. When present
   * (multiSchema), every table and enum carries its `schema`.
   */
  schemas?: string[];
  /** Tables never reported: `alembic_version`, `_prisma_migrations`, and any configured by the user. */
  excludeTables?: string[];
  /**
   * Only these tables (by name) are needed, each read exactly as a full
   * introspection reads it: a migration asking for the one table an
   * operation changes. A dialect may ignore it and report more.
   */
  tables?: string[];
}

/** What one revision ran: lets a check before commit skip what the revision cannot have affected. */
export interface RevisionChanges {
  /** The operations compiled and run, in order. */
  readonly operations: readonly Operation[];
  /** SQL the compiler did not write ran (`op.execute`, `op.query`, the data handle): anything may have changed. */
  readonly rawSql: boolean;
  /**
   * One object for all the revisions of one run on one connection: where a
   * dialect's check may keep what it learned about the schema for the next
   * revision's check, as long as it keeps it exact (or drops it).
   */
  readonly run?: RunFacts;
}

/** What one run of revisions on one connection learned about the schema (see RevisionChanges.run). */
export interface RunFacts {
  /** The dialect's own, for its checks before commit. */
  schemaFacts?: unknown;
  /**
   * Tables of the default schema known to exist as plain tables, by exact
   * name: those this run created, or a probe found. The executor keeps it
   * exact: a dropped or renamed table leaves it, and any SQL it did not
   * compile (raw SQL, the data handle) empties it.
   */
  knownTables?: KnownTables;
  /**
   * Indexes of the default schema whose table is known, kept exact the same
   * way: an index leaves it when it, or its table, is dropped, renamed or
   * changed otherwise, and SQL the executor did not compile empties it.
   */
  knownIndexes?: KnownIndexes;
  /** PostgreSQL: the indexes of UNIQUE constraints, listed once when needed; SQL the executor did not compile, renames and dropped tables empty it. */
  constraintIndexes?: ConstraintIndexes;
}

/** How a statement's current table shape is found: introspection online, the frozen snapshot offline. */
export interface CompileContext {
  getTable(ref: TableRef): Promise<TableModel | undefined>;
  /** true while generating an offline `--sql` script. */
  offline: boolean;
  /**
   * Online only: a read-only query on the revision's connection, for checks
   * that need less than the whole table shape (SQLite: a plain ADD COLUMN
   * only needs its table to exist without the column). `hiddenTables` are
   * those `getTable` never reports (alembic_version, `excludeTables`).
   */
  probe?: {
    query(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>>;
    hiddenTables: readonly string[];
    /** RunFacts.knownTables: a table in it needs no probe to exist; the tables a probe finds go in. */
    knownTables?: Pick<KnownTables, 'has' | 'add'>;
    /** RunFacts.knownIndexes: an index known to be its table's needs no probe to be dropped; a listing fills it. */
    knownIndexes?: Pick<KnownIndexes, 'tableOf' | 'add' | 'listed'>;
    /** RunFacts.constraintIndexes. */
    constraintIndexes?: Pick<ConstraintIndexes, 'has' | 'fill'>;
  };
}

/** Prisma's view of a scalar field, as the type map needs it. */
export interface PrismaFieldType {
  /** Prisma scalar: String, Int, BigInt, Float, Decimal, DateTime, Boolean, Json, Bytes; or an enum's name. */
  type: string;
  kind: 'scalar' | 'enum';
  /** `@db.VarChar(255)` -> { name: 'VarChar', args: ['255'] } */
  nativeType?: { name: string; args: string[] };
  isList: boolean;
  /** An enum's values (database names): MySQL spells them in the column type, `ENUM('A','B')`. */
  enumValues?: string[];
}

/** A DMMF field default: a literal (string, number, boolean, list) or a function such as now(), autoincrement(), dbgenerated("..."), uuid(). */
export type PrismaDefault =
  | string
  | number
  | boolean
  | unknown[]
  | { name: string; args: unknown[] };

export interface TypeMap {
  /** SQL type for a Prisma field, exactly as Prisma's migration engine would create it, normalised. */
  sqlType(field: PrismaFieldType, enumSqlName?: string): string;
  /**
   * The SQL default Prisma's migration engine would create for `@default(...)`,
   * normalised like introspected defaults; undefined where the default lives in
   * Prisma Client only (uuid(), cuid(), nanoid(), ulid()) or is autoincrement().
   */
  sqlDefault(value: PrismaDefault, field: PrismaFieldType, enumSqlName?: string): string | undefined;
  /** Normalise a type as introspected or written by hand, so equal types compare equal. */
  normalizeType(sqlType: string): string;
  /** Normalise a default expression (introspected or derived from Prisma) for comparison. */
  normalizeDefault(sqlDefault: string, column: { type: string }): string;
  /**
   * The database extension that provides a column type, an index operator
   * class or a function in a default (PostgreSQL: `CITEXT` -> citext,
   * `gin_trgm_ops` -> pg_trgm, `uuid_generate_v4()` -> uuid-ossp). Absent or
   * undefined: nothing to install.
   */
  extensionFor?(usage: ExtensionUsage): string | undefined;
}

/** Something in a schema that may need a database extension: SQL as the type map spells it. */
export interface ExtensionUsage {
  kind: 'type' | 'opclass' | 'default';
  sql: string;
}

/** What a risk check knows beyond the operation itself (see Dialect.riskNotes). */
export interface RiskContext {
  /** Whether the table exists before the revision runs (so it may hold rows), rather than being created by it. */
  isExistingTable(table: TableRef): boolean;
}

export interface Dialect {
  readonly name: DialectName;
  /** Whether DDL can be rolled back (SQLite and PostgreSQL: yes; MySQL commits around each DDL statement: no). */
  readonly transactionalDdl: boolean;
  readonly typeMap: TypeMap;
  /**
   * Autogenerate groups a table's changes into `op.batchAlterTable` blocks
   * (SQLite, where most ALTERs need a table rebuild); other dialects emit
   * plain operations.
   */
  readonly preferBatch: boolean;
  /** Alembic's name for this implementation, logged as "Context impl X." */
  readonly contextImpl: string;
  /**
   * How each revision of a run ends: a real `commit`, or a `savepoint` released
   * inside one transaction committed at the end of the run (SQLite: one fsync
   * per run instead of one per revision; a failing revision still rolls back
   * alone and the ones before it are kept).
   */
  readonly revisionBoundary: 'commit' | 'savepoint';
  /** The driver's bound-parameter marker for the index-th (1-based) value: `?` or `$1`. */
  bindMarker(index: number): string;
  /** A query returning a row when `table` exists in `schema` (default: the connection's default schema). */
  tableExistsQuery(table: string, schema?: string): Statement;
  connect(url: string, options?: ConnectOptions): Promise<Connection>;
  introspect(connection: Connection, options?: IntrospectOptions): Promise<DatabaseModel>;
  /** SQL for one operation. */
  compile(op: Operation, context: CompileContext): Promise<Statement[]>;
  quoteIdentifier(name: string): string;
  /** A value as an SQL literal, for offline scripts only (online always binds). */
  renderLiteral(value: unknown): string;
  /** Statements printed first in an offline script (e.g. SQLite `PRAGMA foreign_keys=OFF`). */
  offlinePreamble(): string[];
  /** Called once before the first revision runs on a connection (e.g. SQLite turns foreign key enforcement off for rebuilds). */
  prepareForMigration(connection: Connection): Promise<void>;
  /**
   * Called before each revision's transaction commits (SQLite: `PRAGMA
   * foreign_key_check`, throws on violations). `changes`, when given, is all
   * the revision ran on a database that passed this check before it; without
   * it, anything may have changed.
   */
  beforeCommit(connection: Connection, changes?: RevisionChanges): Promise<void>;
  /**
   * Which Kysely query compiler builds the typed data-migration handle's SQL
   * (src/data). Optional: when absent, src/data/kysely-dialect.ts picks the
   * one that matches `name`.
   */
  readonly dataCompiler?: 'sqlite' | 'postgres' | 'mysql';
  /**
   * Dialect-specific warnings about an autogenerated operation (locks, table
   * rewrites), one sentence each; autogenerate writes them as `// WARNING:`
   * comments and prints them. Optional: none when absent.
   */
  riskNotes?(op: Operation, context: RiskContext): string[];
  /**
   * Non-transactional DDL only: whether a statement's error says its change is
   * already there (duplicate column, unknown index on a drop, ...), so that a
   * revision resumed after a kill goes past the statement that was in flight.
   */
  alreadyApplied?(error: unknown): boolean;
  /** MySQL: a column a foreign key uses cannot change type; autogenerate drops and re-adds such keys around the change. */
  readonly foreignKeysPinColumnTypes?: boolean;
  /** MySQL: a foreign key's own index is made and dropped by the server (see autogenerate/implicit-fk-index.ts). */
  readonly implicitForeignKeyIndexes?: boolean;
}
