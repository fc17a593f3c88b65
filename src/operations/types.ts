import type {
  ColumnModel,
  EnumModel,
  ExtensionModel,
  ForeignKeyModel,
  IndexModel,
  PrimaryKeyModel,
  TableModel,
} from '../model/types.js';

/**
 * Operations are plain data. They flow compare -> render (TypeScript in a
 * revision file) -> the `op` API in that file rebuilds them -> a dialect's DDL
 * compiler turns them into SQL that is executed, or printed with `--sql`.
 *
 * Every operation carries what is needed to undo it, so `invert()` can derive
 * the downgrade without asking the database.
 */

/** Where a table lives: name plus optional PostgreSQL schema. */
export interface TableRef {
  schema?: string;
  name: string;
}

export interface CreateTableOp {
  kind: 'createTable';
  /** Full shape. Indexes listed here are created right after the table. */
  table: TableModel;
}

export interface DropTableOp {
  kind: 'dropTable';
  /** Shape of the table being dropped (frozen so that the downgrade can recreate it). */
  table: TableModel;
}

export interface RenameTableOp {
  kind: 'renameTable';
  schema?: string;
  from: string;
  to: string;
}

export interface AddColumnOp {
  kind: 'addColumn';
  table: TableRef;
  column: ColumnModel;
}

export interface DropColumnOp {
  kind: 'dropColumn';
  table: TableRef;
  /** Shape of the dropped column, for the downgrade. */
  column: ColumnModel;
}

export interface RenameColumnOp {
  kind: 'renameColumn';
  table: TableRef;
  from: string;
  to: string;
}

export interface AlterColumnOp {
  kind: 'alterColumn';
  table: TableRef;
  /** Column as it is before the change. */
  from: ColumnModel;
  /** Column as it is after the change (same name; renames are RenameColumnOp). */
  to: ColumnModel;
  /** PostgreSQL `USING` expression for a type change, e.g. `"col"::integer`. */
  using?: string;
}

export interface CreateIndexOp {
  kind: 'createIndex';
  table: TableRef;
  index: IndexModel;
  /** PostgreSQL `CREATE INDEX CONCURRENTLY` (must run outside a transaction). */
  concurrently?: boolean;
}

export interface DropIndexOp {
  kind: 'dropIndex';
  table: TableRef;
  index: IndexModel;
}

export interface RenameIndexOp {
  kind: 'renameIndex';
  table: TableRef;
  from: string;
  to: string;
}

export interface AddForeignKeyOp {
  kind: 'addForeignKey';
  table: TableRef;
  foreignKey: ForeignKeyModel;
}

export interface DropForeignKeyOp {
  kind: 'dropForeignKey';
  table: TableRef;
  foreignKey: ForeignKeyModel;
}

export interface AddPrimaryKeyOp {
  kind: 'addPrimaryKey';
  table: TableRef;
  primaryKey: PrimaryKeyModel;
}

export interface DropPrimaryKeyOp {
  kind: 'dropPrimaryKey';
  table: TableRef;
  primaryKey: PrimaryKeyModel;
}

export interface CreateEnumOp {
  kind: 'createEnum';
  enum: EnumModel;
}

export interface DropEnumOp {
  kind: 'dropEnum';
  enum: EnumModel;
}

/** Replace an enum's value list (adds via ADD VALUE when only additions, otherwise recreate with USING casts). */
export interface AlterEnumOp {
  kind: 'alterEnum';
  schema?: string;
  name: string;
  from: string[];
  to: string[];
  /** Columns using this enum (table + column + default), needed when the type must be recreated. */
  usages?: Array<{ table: TableRef; column: string; default?: string; isList?: boolean }>;
}

export interface RenameEnumValueOp {
  kind: 'renameEnumValue';
  schema?: string;
  name: string;
  from: string;
  to: string;
}

/** PostgreSQL `CREATE EXTENSION IF NOT EXISTS`; `schema` and `version` only when the schema names them. */
export interface CreateExtensionOp {
  kind: 'createExtension';
  extension: ExtensionModel;
}

/** PostgreSQL `DROP EXTENSION` (never CASCADE: it fails while anything still uses the extension). */
export interface DropExtensionOp {
  kind: 'dropExtension';
  /** The extension as it was, so that the downgrade can create it again. */
  extension: ExtensionModel;
}

/** PostgreSQL `ALTER EXTENSION ... UPDATE TO` / `SET SCHEMA`: what differs between `from` and `to`. */
export interface AlterExtensionOp {
  kind: 'alterExtension';
  name: string;
  from: { schema?: string; version?: string };
  to: { schema?: string; version?: string };
}

/** Raw SQL. Values always go in `params`, never spliced into `sql`. */
export interface ExecuteOp {
  kind: 'execute';
  sql: string;
  params?: unknown[];
}

/**
 * Several changes to one table applied together. On SQLite, when any change
 * cannot be done with ALTER TABLE (or `recreate: 'always'`), the table is
 * rebuilt by copy-and-move; other dialects run the inner operations in order.
 */
export interface BatchAlterTableOp {
  kind: 'batchAlterTable';
  table: TableRef;
  recreate: 'auto' | 'always' | 'never';
  ops: TableScopedOp[];
  /** Shape before the batch, frozen in the revision: needed offline (`--sql`) where nothing can be reflected. */
  shape?: TableModel;
}

/** Operations that act on one table and can appear inside a batch. */
export type TableScopedOp =
  | AddColumnOp
  | DropColumnOp
  | RenameColumnOp
  | AlterColumnOp
  | CreateIndexOp
  | DropIndexOp
  | RenameIndexOp
  | AddForeignKeyOp
  | DropForeignKeyOp
  | AddPrimaryKeyOp
  | DropPrimaryKeyOp;

export type Operation =
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | TableScopedOp
  | CreateEnumOp
  | DropEnumOp
  | AlterEnumOp
  | RenameEnumValueOp
  | CreateExtensionOp
  | DropExtensionOp
  | AlterExtensionOp
  | ExecuteOp
  | BatchAlterTableOp;

export type OperationKind = Operation['kind'];
