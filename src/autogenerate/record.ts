import type { ColumnModel, DatabaseModel, IndexModel, PrimaryKeyModel, TableModel } from '../model/types.js';
import type { AlterColumnSpec, BatchOperations, IndexSpec, MigrationOps } from '../operations/api.js';
import type { AlterEnumOp, BatchAlterTableOp, Operation, TableRef, TableScopedOp } from '../operations/types.js';
import { canonicalColumn, canonicalEnum, canonicalExtension, canonicalForeignKey, canonicalIndex, canonicalTable, sameRef } from './canonical.js';
import { applyToModel, applyToShape } from './shape.js';
import {
  alteredColumn as buildAltered,
  droppedColumn,
  droppedForeignKey,
  droppedIndex,
  droppedPrimaryKey,
  indexFromSpec as buildIndex,
  placeholderTable,
  tableRefOf,
} from '../operations/build.js';
import type { Kysely } from 'kysely';
import { runBatched } from '../data/batched.js';
import { createRevisionDb, type DataStatementRunner } from '../data/kysely-dialect.js';

/**
 * A `MigrationOps` that records instead of executing: each call becomes the
 * plain Operation it stands for. The runtime can hand these to a dialect's
 * compiler; autogenerate's tests use it to prove that rendering is faithful.
 *
 * A drop written in a revision names only what it drops. When `model` (the
 * database before the revision) is given, the recorder tracks it through the
 * calls and fills in the dropped table / column / index / key / enum in full;
 * inside a batch the batch's `shape` is used the same way. Without either, a
 * dropped thing is a placeholder with just its name (a column's `type` is '').
 */
export interface RecordOptions {
  model?: DatabaseModel;
  dialect?: 'sqlite' | 'postgresql' | 'mysql';
  offline?: boolean;
}

/** The op API's table argument as a TableRef (kept exported for callers of the recorder). */
export const toTableRef = tableRefOf;

/** An index as the op API describes it, in canonical form. */
export function indexFromSpec(spec: IndexSpec): IndexModel {
  return canonicalIndex(buildIndex(spec));
}

/** The column before and after an Alembic-style alter, in canonical form. */
export function alteredColumn(name: string, change: AlterColumnSpec): { from: ColumnModel; to: ColumnModel } {
  const { from, to } = buildAltered(name, change);
  return { from: canonicalColumn(from), to: canonicalColumn(to) };
}

export async function recordOperations(build: (op: MigrationOps) => Promise<void>, options: RecordOptions = {}): Promise<Operation[]> {
  const ops: Operation[] = [];
  let model: DatabaseModel | undefined = options.model
    ? {
        tables: options.model.tables.map(canonicalTable),
        enums: options.model.enums.map(canonicalEnum),
        ...(options.model.extensions ? { extensions: options.model.extensions.map(canonicalExtension) } : {}),
      }
    : undefined;
  const currentTable = (ref: TableRef) => model?.tables.find((t) => sameRef(t, ref));

  const push = (op: Operation) => {
    ops.push(op);
    if (!model || op.kind === 'execute') return;
    try {
      model = applyToModel(model, op);
    } catch {
      model = undefined; // The revision does something the model cannot follow; stop filling in.
    }
  };

  const api: MigrationOps = {
    dialect: options.dialect ?? 'postgresql',
    offline: options.offline ?? true,
    async createTable(spec) {
      push({
        kind: 'createTable',
        table: canonicalTable({
          schema: spec.schema,
          name: spec.name,
          columns: spec.columns,
          primaryKey: spec.primaryKey,
          indexes: (spec.indexes ?? []).map(indexFromSpec),
          foreignKeys: spec.foreignKeys ?? [],
        }),
      });
    },
    async dropTable(table) {
      const ref = toTableRef(table);
      push({ kind: 'dropTable', table: currentTable(ref) ?? placeholderTable(ref) });
    },
    async renameTable(from, to) {
      const ref = toTableRef(from);
      push(ref.schema ? { kind: 'renameTable', schema: ref.schema, from: ref.name, to } : { kind: 'renameTable', from: ref.name, to });
    },
    async addColumn(table, column) {
      push({ kind: 'addColumn', table: toTableRef(table), column: canonicalColumn(column) });
    },
    async dropColumn(table, column) {
      const ref = toTableRef(table);
      push({ kind: 'dropColumn', table: ref, column: droppedColumn(currentTable(ref), column) });
    },
    async renameColumn(table, from, to) {
      push({ kind: 'renameColumn', table: toTableRef(table), from, to });
    },
    async alterColumn(table, column, change) {
      const { from, to } = alteredColumn(column, change);
      push(change.using ? { kind: 'alterColumn', table: toTableRef(table), from, to, using: change.using } : { kind: 'alterColumn', table: toTableRef(table), from, to });
    },
    async createIndex(table, index, opts) {
      const op: Operation = { kind: 'createIndex', table: toTableRef(table), index: indexFromSpec(index) };
      if (opts?.concurrently) op.concurrently = true;
      push(op);
    },
    async dropIndex(table, name) {
      const ref = toTableRef(table);
      push({ kind: 'dropIndex', table: ref, index: droppedIndex(currentTable(ref), name) });
    },
    async renameIndex(table, from, to) {
      push({ kind: 'renameIndex', table: toTableRef(table), from, to });
    },
    async createForeignKey(table, foreignKey) {
      push({ kind: 'addForeignKey', table: toTableRef(table), foreignKey: canonicalForeignKey(foreignKey) });
    },
    async dropForeignKey(table, name) {
      const ref = toTableRef(table);
      push({ kind: 'dropForeignKey', table: ref, foreignKey: droppedForeignKey(currentTable(ref), name) });
    },
    async createPrimaryKey(table, primaryKey) {
      const pk: PrimaryKeyModel = primaryKey.name ? { name: primaryKey.name, columns: [...primaryKey.columns] } : { columns: [...primaryKey.columns] };
      push({ kind: 'addPrimaryKey', table: toTableRef(table), primaryKey: pk });
    },
    async dropPrimaryKey(table, name) {
      const ref = toTableRef(table);
      push({ kind: 'dropPrimaryKey', table: ref, primaryKey: droppedPrimaryKey(currentTable(ref), name) });
    },
    async createEnum(enumType) {
      push({ kind: 'createEnum', enum: canonicalEnum(enumType) });
    },
    async dropEnum(enumType) {
      const known = model?.enums.find((e) => sameRef(e, enumType));
      push({ kind: 'dropEnum', enum: known ?? canonicalEnum({ ...enumType, values: [] }) });
    },
    async alterEnum(enumType, change) {
      const op: AlterEnumOp = { kind: 'alterEnum', name: enumType.name, from: [...change.from], to: [...change.to] };
      if (enumType.schema) op.schema = enumType.schema;
      if (change.usages && change.usages.length > 0) {
        op.usages = change.usages.map((u) => {
          const usage: NonNullable<AlterEnumOp['usages']>[number] = { table: toTableRef(u.table), column: u.column };
          if (u.default !== undefined) usage.default = u.default;
          if (u.isList) usage.isList = true;
          return usage;
        });
      }
      push(op);
    },
    async renameEnumValue(enumType, from, to) {
      push(enumType.schema ? { kind: 'renameEnumValue', schema: enumType.schema, name: enumType.name, from, to } : { kind: 'renameEnumValue', name: enumType.name, from, to });
    },
    async createExtension(extension) {
      push({ kind: 'createExtension', extension: canonicalExtension(extension) });
    },
    async dropExtension(name) {
      const known = model?.extensions?.find((x) => x.name === name);
      push({ kind: 'dropExtension', extension: known ? canonicalExtension(known) : { name } });
    },
    async alterExtension(name, change) {
      push({ kind: 'alterExtension', name, from: extensionState(change.from), to: extensionState(change.to) });
    },
    async batchAlterTable(table, build, batchOptions) {
      const ref = toTableRef(table);
      const inner: TableScopedOp[] = [];
      // The table as the batch goes: from its frozen shape, or the tracked model.
      let shape: TableModel | undefined = batchOptions?.shape ? canonicalTable(batchOptions.shape) : currentTable(ref);
      const add = (op: TableScopedOp) => {
        inner.push(op);
        if (!shape) return;
        try {
          shape = applyToShape(shape, op);
        } catch {
          shape = undefined;
        }
      };
      const batch: BatchOperations = {
        addColumn: (column) => add({ kind: 'addColumn', table: ref, column: canonicalColumn(column) }),
        dropColumn: (name) => add({ kind: 'dropColumn', table: ref, column: droppedColumn(shape, name) }),
        renameColumn: (from, to) => add({ kind: 'renameColumn', table: ref, from, to }),
        alterColumn: (name, change) => {
          const { from, to } = alteredColumn(name, change);
          add(change.using ? { kind: 'alterColumn', table: ref, from, to, using: change.using } : { kind: 'alterColumn', table: ref, from, to });
        },
        createIndex: (index) => add({ kind: 'createIndex', table: ref, index: indexFromSpec(index) }),
        dropIndex: (name) => add({ kind: 'dropIndex', table: ref, index: droppedIndex(shape, name) }),
        createForeignKey: (fk) => add({ kind: 'addForeignKey', table: ref, foreignKey: canonicalForeignKey(fk) }),
        dropForeignKey: (name) => add({ kind: 'dropForeignKey', table: ref, foreignKey: droppedForeignKey(shape, name) }),
        createPrimaryKey: (pk) =>
          add({ kind: 'addPrimaryKey', table: ref, primaryKey: pk.name ? { name: pk.name, columns: [...pk.columns] } : { columns: [...pk.columns] } }),
        dropPrimaryKey: () => add({ kind: 'dropPrimaryKey', table: ref, primaryKey: droppedPrimaryKey(shape) }),
      };
      build(batch);
      const op: BatchAlterTableOp = { kind: 'batchAlterTable', table: ref, recreate: batchOptions?.recreate ?? 'auto', ops: inner };
      if (batchOptions?.shape) op.shape = canonicalTable(batchOptions.shape);
      push(op);
    },
    async execute(sql, params) {
      push(params === undefined ? { kind: 'execute', sql } : { kind: 'execute', sql, params });
    },
    async query() {
      return [];
    },
    async autocommitBlock(fn) {
      await fn();
    },
    // The typed data handle records its writes as `execute` operations (reads return no rows, as offline).
    data: <Tables>() => (db ??= createRevisionDb<any>({ name: api.dialect }, recordingRunner)) as Kysely<Tables>,
    batched: (batchedOptions, fn) => runBatched(api.data(), true, batchedOptions, fn),
  };
  let db: Kysely<any> | undefined;
  const recordingRunner: DataStatementRunner = {
    async run(sql, params, read) {
      if (!read) await api.execute(sql, params.length > 0 ? [...params] : undefined);
      // Recording runs nothing: no rows, no counts.
      return { rows: [] };
    },
  };
  await build(api);
  return ops;
}

/** `{ schema, version }` without absent keys, as compare builds it. */
function extensionState(state: { schema?: string; version?: string }): { schema?: string; version?: string } {
  const out: { schema?: string; version?: string } = {};
  if (state.schema !== undefined) out.schema = state.schema;
  if (state.version !== undefined) out.version = state.version;
  return out;
}
