import type { Kysely } from 'kysely';
import type { BatchedOptions, BatchedResult, Chunk } from '../data/batched.js';
import type {
  ColumnModel,
  EnumModel,
  ExtensionModel,
  ForeignKeyModel,
  IndexColumnModel,
  PrimaryKeyModel,
  TableModel,
} from '../model/types.js';

/**
 * The `op` object a revision's upgrade()/downgrade() receives. Each method
 * builds one plain Operation (src/operations/types.ts) and hands it to the
 * executor, which compiles it with the dialect and runs it (or prints it with
 * `--sql`). Every method is awaited in revision files.
 *
 * A table argument is its name, or `{ schema, name }` on PostgreSQL with
 * several schemas.
 */
export type TableName = string | { schema?: string; name: string };

/** A column as written in a revision: the neutral column model. */
export type ColumnSpec = ColumnModel;

export interface TableSpec {
  schema?: string;
  name: string;
  columns: ColumnSpec[];
  primaryKey?: PrimaryKeyModel;
  indexes?: IndexSpec[];
  foreignKeys?: ForeignKeyModel[];
}

export interface IndexSpec {
  name: string;
  /** Column names, or columns with sort order / operator class. */
  columns: Array<string | IndexColumnModel>;
  unique?: boolean;
  using?: string;
  where?: string;
  /** PostgreSQL covering columns: `INCLUDE (...)`. */
  include?: string[];
  /** PostgreSQL storage parameters, e.g. `['fillfactor=90']`: `WITH (...)`. */
  storage?: string[];
}

/** Alembic's alter_column: the changed attributes, plus the column as it is now. */
export interface AlterColumnSpec {
  type?: string;
  nullable?: boolean;
  /** `null` drops the default. */
  default?: string | null;
  autoincrement?: boolean;
  isList?: boolean;
  enumType?: { schema?: string; name: string } | null;
  /** PostgreSQL USING expression for a type change. */
  using?: string;
  /** The column before the change (its type, nullability, default); needed for SQLite rebuilds and offline scripts. */
  existing: Omit<ColumnModel, 'name'>;
}

/** Table-scoped operations inside `op.batchAlterTable(table, (batch) => { ... })`. Recorded, then applied together. */
export interface BatchOperations {
  addColumn(column: ColumnSpec): void;
  dropColumn(name: string): void;
  renameColumn(from: string, to: string): void;
  alterColumn(name: string, change: AlterColumnSpec): void;
  createIndex(index: IndexSpec): void;
  dropIndex(name: string): void;
  createForeignKey(foreignKey: ForeignKeyModel): void;
  dropForeignKey(name: string): void;
  createPrimaryKey(primaryKey: PrimaryKeyModel): void;
  dropPrimaryKey(): void;
}

export interface BatchOptions {
  /** 'auto' (default) rebuilds only when SQLite cannot ALTER in place. */
  recreate?: 'auto' | 'always' | 'never';
  /** The table's shape before the batch, frozen in the revision for offline `--sql`. */
  shape?: TableModel;
}

export interface MigrationOps {
  createTable(table: TableSpec): Promise<void>;
  dropTable(table: TableName): Promise<void>;
  renameTable(from: TableName, to: string): Promise<void>;
  addColumn(table: TableName, column: ColumnSpec): Promise<void>;
  dropColumn(table: TableName, column: string): Promise<void>;
  renameColumn(table: TableName, from: string, to: string): Promise<void>;
  alterColumn(table: TableName, column: string, change: AlterColumnSpec): Promise<void>;
  createIndex(table: TableName, index: IndexSpec, options?: { concurrently?: boolean }): Promise<void>;
  dropIndex(table: TableName, name: string): Promise<void>;
  renameIndex(table: TableName, from: string, to: string): Promise<void>;
  createForeignKey(table: TableName, foreignKey: ForeignKeyModel): Promise<void>;
  dropForeignKey(table: TableName, name: string): Promise<void>;
  createPrimaryKey(table: TableName, primaryKey: PrimaryKeyModel): Promise<void>;
  dropPrimaryKey(table: TableName, name?: string): Promise<void>;
  createEnum(enumType: EnumModel): Promise<void>;
  dropEnum(enumType: { schema?: string; name: string }): Promise<void>;
  alterEnum(
    enumType: { schema?: string; name: string },
    change: { from: string[]; to: string[]; usages?: Array<{ table: TableName; column: string; default?: string; isList?: boolean }> },
  ): Promise<void>;
  renameEnumValue(enumType: { schema?: string; name: string }, from: string, to: string): Promise<void>;
  /** PostgreSQL `CREATE EXTENSION IF NOT EXISTS` (with `schema`: in that schema, created first when missing). */
  createExtension(extension: ExtensionModel): Promise<void>;
  /** PostgreSQL `DROP EXTENSION` (no CASCADE: refused while anything still uses it). */
  dropExtension(name: string): Promise<void>;
  /** PostgreSQL `ALTER EXTENSION`: a new version (`UPDATE TO`) and / or schema (`SET SCHEMA`). */
  alterExtension(name: string, change: { from: { schema?: string; version?: string }; to: { schema?: string; version?: string } }): Promise<void>;
  batchAlterTable(table: TableName, build: (batch: BatchOperations) => void, options?: BatchOptions): Promise<void>;
  /** Raw SQL with bound parameters. */
  execute(sql: string, params?: unknown[]): Promise<void>;
  /** Rows of a query, in the revision's own transaction (empty in offline mode). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run `fn` outside the revision's transaction (Alembic's autocommit_block): commits, runs, reopens. */
  autocommitBlock(fn: () => Promise<void>): Promise<void>;
  /**
   * The typed data handle: a Kysely instance typed by the table shapes frozen
   * in the revision file (`UpgradeTables` / `DowngradeTables`), running in this
   * revision's own transaction. Offline (`--sql`) its writes go into the script
   * with literals inlined and its reads return no rows.
   */
  data<Tables = Record<string, never>>(): Kysely<Tables>;
  /**
   * Walk a large table in key order, `size` rows per chunk (keyset
   * pagination), calling `fn` per chunk; add `chunk.where` to your query.
   * Memory stays flat; progress is shown on a terminal only. Offline: one
   * chunk covering the whole table.
   */
  batched(options: BatchedOptions, fn: (chunk: Chunk) => Promise<unknown>): Promise<BatchedResult>;
  /** Which dialect runs this revision, and whether it is an offline `--sql` run. */
  readonly dialect: 'sqlite' | 'postgresql' | 'mysql';
  readonly offline: boolean;
  /**
   * The `--tag` given to upgrade/downgrade/stamp (Alembic's
   * `context.get_tag_argument()`), for revisions that act on it; undefined
   * when none was given.
   */
  readonly tag?: string | undefined;
}
