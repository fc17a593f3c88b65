/**
 * prisma-revise: the public API. Revision files import the `op` types from
 * here (`import type { MigrationOps } from 'prisma-revise'`); programs can run
 * every CLI command as a function (Alembic's `alembic.command`).
 */
export type {
  AlterColumnSpec,
  BatchOperations,
  BatchOptions,
  ColumnSpec,
  IndexSpec,
  MigrationOps,
  TableName,
  TableSpec,
} from './operations/api.js';
export type {
  ColumnModel,
  DatabaseModel,
  EnumModel,
  ForeignKeyModel,
  IndexColumnModel,
  IndexModel,
  PrimaryKeyModel,
  ReferentialAction,
  SortOrder,
  TableModel,
} from './model/types.js';
export type { Operation, OperationKind, TableRef } from './operations/types.js';
// Data migrations: the typed handle a revision's data hooks receive, and its column helpers.
export type { DataHook, RevisionDb } from './data/kysely-dialect.js';
export type { BatchedOptions, BatchedResult, Chunk } from './data/batched.js';
export type { ColumnType, Generated, Kysely, SqlBool } from 'kysely';
export { ReviseError, maskUrl } from './errors.js';

export type { ActionOptions } from './actions/context.js';
export { init, listTemplates, type InitOptions, type InitResult } from './actions/init.js';
export {
  revision,
  autogenerate,
  check,
  merge,
  type RevisionOptions,
  type RevisionResult,
  type CheckResult,
  type MergeOptions,
} from './actions/revision.js';
export { upgrade, downgrade, stamp, ensureVersion, type MigrateOptions, type StampOptions } from './actions/migrate.js';
export { current, history, heads, branches, show, type RevisionInfo } from './actions/inspect.js';
export { edit } from './actions/edit.js';
