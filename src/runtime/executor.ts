import type { CompileContext, Connection, Dialect, RunFacts, Statement } from '../dialect/types.js';
import type { EnumModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import type {
  AlterColumnSpec,
  BatchOperations,
  BatchOptions,
  MigrationOps,
  TableName,
  TableSpec,
} from '../operations/api.js';
import type { AlterColumnOp, Operation, TableRef, TableScopedOp } from '../operations/types.js';
import {
  alteredColumn,
  droppedColumn,
  droppedForeignKey,
  droppedIndex,
  droppedPrimaryKey,
  indexFromSpec,
  placeholderTable,
  tableRefOf,
} from '../operations/build.js';
import { lazyRevisionDb } from '../data/lazy-handle.js';
import type { ProgressStream } from '../data/progress.js';
import type { Kysely } from 'kysely';
import { VERSION_TABLE } from './version-table.js';
import { describeOperation, type RevisionJournal } from './journal.js';

/** Where offline (`--sql`) statements go: the runner prints them. */
export interface OfflineSink {
  write(statement: Statement): void;
}

/**
 * What the op executor works with for one revision. Online: a connection in
 * the revision's transaction. Offline: a sink, and the table shapes known so
 * far in the script (created earlier, or frozen in a batch).
 */
export interface ExecutionContext {
  dialect: Dialect;
  connection?: Connection;
  sink?: OfflineSink;
  /** Offline: table shapes by qualified name, shared by every revision of one script. */
  shapes?: Map<string, TableModel>;
  /** Tables the compile context must never be asked about by introspection (never matters in practice). */
  excludeTables?: string[];
  /** Where `op.batched` draws its progress line (TTY only). Default: process.stderr. */
  progress?: ProgressStream;
  /** `--tag`, handed to revisions as `op.tag`. */
  tag?: string | undefined;
  /** Online: filled with what the revision runs, for the dialect's check before commit. */
  changes?: ChangeLog;
  /** Non-transactional DDL: the revision's progress, kept in the database (see journal.ts). */
  journal?: RevisionJournal;
  /** Leave out the first `ops` operations, and the data hook's statements when `data` (reverting a half-applied revision). */
  skip?: { ops: number; data: boolean };
  /** Called for every operation (counting a revision's operations in a dry run). */
  onOperation?: () => void;
}

/** What a revision ran (see RevisionChanges): the operations, and whether raw SQL ran too. */
export interface ChangeLog {
  operations: Operation[];
  rawSql: boolean;
  /** See RevisionChanges.run. */
  run?: RunFacts;
}

/** The `op` object a revision's upgrade()/downgrade() receives. */
export function createOps(context: ExecutionContext): MigrationOps {
  return new Executor(context).ops();
}

class Executor {
  private readonly dialect: Dialect;
  private readonly offline: boolean;
  /** Online: introspected tables by qualified name, dropped after any statement runs. */
  private introspected = new Map<string, Promise<TableModel | undefined>>();
  /** The data handle, made on first use (one per revision run). */
  private db: Kysely<any> | undefined;
  /** With a journal: operations met so far in this run, and when the data hook first wrote. */
  private opIndex = 0;
  private dataAt: number | undefined;
  private skipped = 0;

  constructor(private readonly context: ExecutionContext) {
    this.dialect = context.dialect;
    this.offline = !context.connection;
    if (this.offline && !context.sink) throw new Error('createOps: offline execution needs a sink');
  }

  ops(): MigrationOps {
    const run = (op: Operation) => this.run(op);
    return {
      dialect: this.dialect.name,
      offline: this.offline,
      tag: this.context.tag,
      createTable: (spec: TableSpec) =>
        run({
          kind: 'createTable',
          table: {
            ...(spec.schema !== undefined ? { schema: spec.schema } : {}),
            name: spec.name,
            columns: spec.columns.map((c) => ({ ...c })),
            ...(spec.primaryKey ? { primaryKey: spec.primaryKey } : {}),
            indexes: (spec.indexes ?? []).map(indexFromSpec),
            foreignKeys: spec.foreignKeys ?? [],
          },
        }),
      dropTable: (table: TableName) => run({ kind: 'dropTable', table: placeholderTable(tableRefOf(table)) }),
      renameTable: (from: TableName, to: string) => {
        const ref = tableRefOf(from);
        return run({ kind: 'renameTable', ...(ref.schema !== undefined ? { schema: ref.schema } : {}), from: ref.name, to });
      },
      addColumn: (table, column) => run({ kind: 'addColumn', table: tableRefOf(table), column: { ...column } }),
      dropColumn: (table, column) => run({ kind: 'dropColumn', table: tableRefOf(table), column: droppedColumn(undefined, column) }),
      renameColumn: (table, from, to) => run({ kind: 'renameColumn', table: tableRefOf(table), from, to }),
      alterColumn: (table, column, change) => run(alterColumnOp(tableRefOf(table), column, change)),
      createIndex: (table, index, options) =>
        run({ kind: 'createIndex', table: tableRefOf(table), index: indexFromSpec(index), ...(options?.concurrently ? { concurrently: true } : {}) }),
      dropIndex: (table, name) => run({ kind: 'dropIndex', table: tableRefOf(table), index: droppedIndex(undefined, name) }),
      renameIndex: (table, from, to) => run({ kind: 'renameIndex', table: tableRefOf(table), from, to }),
      createForeignKey: (table, foreignKey) => run({ kind: 'addForeignKey', table: tableRefOf(table), foreignKey }),
      dropForeignKey: (table, name) => run({ kind: 'dropForeignKey', table: tableRefOf(table), foreignKey: droppedForeignKey(undefined, name) }),
      createPrimaryKey: (table, primaryKey) => run({ kind: 'addPrimaryKey', table: tableRefOf(table), primaryKey }),
      dropPrimaryKey: (table, name) =>
        run({ kind: 'dropPrimaryKey', table: tableRefOf(table), primaryKey: droppedPrimaryKey(undefined, name) }),
      createEnum: (enumType: EnumModel) => run({ kind: 'createEnum', enum: { ...enumType, values: [...enumType.values] } }),
      dropEnum: (enumType) => run({ kind: 'dropEnum', enum: { ...enumRef(enumType), values: [] } }),
      alterEnum: (enumType, change) =>
        run({
          kind: 'alterEnum',
          ...enumRef(enumType),
          from: change.from,
          to: change.to,
          ...(change.usages ? { usages: change.usages.map((u) => ({ ...u, table: tableRefOf(u.table) })) } : {}),
        }),
      renameEnumValue: (enumType, from, to) => run({ kind: 'renameEnumValue', ...enumRef(enumType), from, to }),
      createExtension: (extension) => run({ kind: 'createExtension', extension: { ...extension } }),
      dropExtension: (name) => run({ kind: 'dropExtension', extension: { name } }),
      alterExtension: (name, change) => run({ kind: 'alterExtension', name, from: { ...change.from }, to: { ...change.to } }),
      batchAlterTable: (table, build, options) => this.batch(tableRefOf(table), build, options),
      execute: (sql, params) => {
        this.ranRawSql();
        // Counted as an operation where operations are journalled, skipped or counted.
        return this.context.journal || this.context.skip || this.context.onOperation
          ? run({ kind: 'execute', sql, ...(params && params.length > 0 ? { params } : {}) })
          : this.execute({ sql, ...(params && params.length > 0 ? { params } : {}) });
      },
      query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => this.query<T>(sql, params),
      autocommitBlock: (fn) => this.autocommitBlock(fn),
      data: <Tables>() => this.data() as Kysely<Tables>,
      batched: async (options, fn) => {
        const { runBatched } = await import('../data/batched.js');
        return runBatched(this.data(), this.offline, options, fn, this.context.progress);
      },
    };
  }

  /**
   * The Kysely handle of this revision: compiled by the dialect's query compiler, run like `op.query` / `op.execute`.
   * Made (and Kysely loaded) on first use: most hooks are empty skeletons that never touch it.
   */
  private data(): Kysely<any> {
    this.db ??= lazyRevisionDb(this.dialect, {
      run: async (sql, params, read) => {
        const values = [...params];
        if (this.skipsData()) return { rows: [] };
        this.ranRawSql();
        if (!this.offline) {
          this.dataAt ??= this.opIndex;
          // As op.query: the statement may change the schema, so introspect afresh next time.
          this.introspected.clear();
          return this.context.connection!.run(sql, values);
        }
        if (!read) await this.execute({ sql, ...(values.length > 0 ? { params: values } : {}) });
        // A script has no counts to report.
        return { rows: [] };
      },
    });
    return this.db;
  }

  private async batch(table: TableRef, build: (batch: BatchOperations) => void, options: BatchOptions = {}): Promise<void> {
    const ops: TableScopedOp[] = [];
    const recorder: BatchOperations = {
      addColumn: (column) => void ops.push({ kind: 'addColumn', table, column: { ...column } }),
      dropColumn: (name) => void ops.push({ kind: 'dropColumn', table, column: droppedColumn(undefined, name) }),
      renameColumn: (from, to) => void ops.push({ kind: 'renameColumn', table, from, to }),
      alterColumn: (name, change) => void ops.push(alterColumnOp(table, name, change)),
      createIndex: (index) => void ops.push({ kind: 'createIndex', table, index: indexFromSpec(index) }),
      dropIndex: (name) => void ops.push({ kind: 'dropIndex', table, index: droppedIndex(undefined, name) }),
      createForeignKey: (foreignKey) => void ops.push({ kind: 'addForeignKey', table, foreignKey }),
      dropForeignKey: (name) => void ops.push({ kind: 'dropForeignKey', table, foreignKey: droppedForeignKey(undefined, name) }),
      createPrimaryKey: (primaryKey) => void ops.push({ kind: 'addPrimaryKey', table, primaryKey }),
      dropPrimaryKey: () => void ops.push({ kind: 'dropPrimaryKey', table, primaryKey: droppedPrimaryKey(undefined) }),
    };
    const result = build(recorder) as unknown;
    // Tolerate an async builder: its recorded calls are synchronous anyway.
    if (result && typeof (result as Promise<void>).then === 'function') await result;
    if (ops.length === 0) return;
    await this.run({
      kind: 'batchAlterTable',
      table,
      recreate: options.recreate ?? 'auto',
      ops,
      ...(options.shape ? { shape: completeShape(options.shape) } : {}),
    });
  }

  private ranRawSql(): void {
    if (this.context.changes) this.context.changes.rawSql = true;
    // Anything may have changed: what the run knew about its tables is gone.
    this.forgetRunFacts();
  }

  /** RunFacts after SQL the executor did not compile, or an operation that failed part way: nothing is known any more. */
  private forgetRunFacts(): void {
    this.context.changes?.run?.knownTables?.clear();
    this.context.changes?.run?.knownIndexes?.clear();
    this.context.changes?.run?.constraintIndexes?.clear();
  }

  /** After an operation ran: keep RunFacts.knownTables exact (a table it created is one; one it dropped or renamed is not). */
  private followTables(op: Operation): void {
    this.followIndexes(op);
    this.followConstraintIndexes(op);
    const known = this.context.changes?.run?.knownTables;
    if (!known) return;
    if (op.kind === 'createTable' && op.table.schema === undefined) known.add(op.table.name);
    else if (op.kind === 'dropTable') known.forget(op.table.name);
    else if (op.kind === 'renameTable') {
      known.forget(op.from);
      known.forget(op.to);
    }
  }

  /** Keep RunFacts.constraintIndexes exact: what a drop removed leaves it; a moved name empties it (raw SQL: ranRawSql). */
  private followConstraintIndexes(op: Operation): void {
    const known = this.context.changes?.run?.constraintIndexes;
    if (!known) return;
    if (op.kind === 'dropIndex') known.forget(op.table.schema, op.table.name, op.index.name);
    else if (op.kind === 'dropTable') known.forgetTable(op.table.schema, op.table.name);
    else if (op.kind === 'renameTable' || op.kind === 'renameIndex' || op.kind === 'batchAlterTable') known.clear();
  }

  /**
   * Keep RunFacts.knownIndexes exact: an index created on a table of the
   * default schema is known there; any other change to an index or its table
   * (a drop, a rename, a batch that may rebuild it) forgets it.
   */
  private followIndexes(op: Operation): void {
    const known = this.context.changes?.run?.knownIndexes;
    if (!known) return;
    switch (op.kind) {
      case 'createTable':
        if (op.table.schema !== undefined) return;
        known.forgetTable(op.table.name);
        for (const index of op.table.indexes) known.add(index.name, op.table.name);
        return;
      case 'createIndex':
        known.forget(op.index.name);
        if (op.table.schema === undefined) known.add(op.index.name, op.table.name);
        return;
      case 'dropIndex':
        known.forget(op.index.name);
        return;
      case 'renameIndex':
        known.forget(op.from);
        known.forget(op.to);
        return;
      case 'renameTable':
        known.forgetTable(op.from);
        known.forgetTable(op.to);
        return;
      default:
        // Enums and extensions hold no table's index; raw SQL empties it already (ranRawSql).
        if ('table' in op) known.forgetTable(op.table.name);
    }
  }

  /** Compile one operation and run (online) or print (offline) its statements. */
  private async run(op: Operation): Promise<void> {
    this.context.changes?.operations.push(op);
    if (this.offline && op.kind === 'batchAlterTable' && op.shape) {
      // The frozen shape is the truth for this table at this point of the script.
      this.context.shapes?.set(key(op.table), op.shape);
    }
    this.context.onOperation?.();
    if (this.context.skip && this.skipped < this.context.skip.ops) {
      this.skipped++;
      return;
    }
    if (this.context.journal) return this.runJournaled(op, this.context.journal);
    const statements = await this.dialect.compile(op, this.compileContext());
    try {
      for (const statement of statements) await this.execute(statement);
    } catch (error) {
      // Part of the operation may have run (and a revision may catch the error and go on).
      this.forgetRunFacts();
      throw error;
    }
    if (this.offline) await this.trackShape(op);
    else this.followTables(op);
  }

  /**
   * Non-transactional DDL: skip what an interrupted run of this revision
   * already did, replay the operation it stopped in as it was compiled then,
   * and record progress around every statement (see journal.ts).
   */
  private async runJournaled(op: Operation, journal: RevisionJournal): Promise<void> {
    const index = this.opIndex++;
    const resumed = journal.resumed;
    if (resumed && index < resumed.opsDone) return;
    journal.current = describeOperation(op);
    const replay = resumed && index === resumed.opsDone && resumed.pending ? resumed : undefined;
    const statements = replay ? replay.pending! : await this.dialect.compile(op, this.compileContext());
    const from = replay ? replay.statementsDone : 0;
    const state = () => ({
      ...journal.state,
      opsDone: index,
      pending: statements,
      dataDone: journal.state.dataDone || this.dataAt !== undefined,
      ...(this.dataAt !== undefined ? { dataAt: this.dataAt } : {}),
    });
    for (let i = from; i < statements.length; i++) {
      // Commits the data hook's writes, if any, with the record that they are done.
      await journal.save({ ...state(), statementsDone: i, inFlight: true });
      try {
        await this.execute(statements[i]!);
      } catch (error) {
        const inFlightBefore = replay?.inFlight && i === from;
        if (!inFlightBefore || !this.dialect.alreadyApplied?.(error)) throw error;
      }
      // A schema change found applied on resume is recognised (alreadyApplied), so the next
      // statement's record says this one is done; raw SQL may not fail when repeated: recorded now.
      if (op.kind === 'execute') await journal.save({ ...state(), statementsDone: i + 1, inFlight: false });
      else journal.state = { ...state(), statementsDone: i + 1, inFlight: false };
    }
    journal.state = { ...state(), opsDone: index + 1, statementsDone: 0, inFlight: false, ran: [...journal.state.ran, describeOperation(op)] };
    delete journal.state.pending;
    journal.current = undefined;
    this.followTables(op);
  }

  /** A resumed revision whose data hook already ran and committed: its reads and writes are skipped. */
  private skipsData(): boolean {
    if (this.context.skip?.data) return true;
    const resumed = this.context.journal?.resumed;
    return !!resumed?.dataDone && resumed.dataAt === this.opIndex;
  }

  private compileContext(): CompileContext {
    return {
      offline: this.offline,
      getTable: (ref) => (this.offline ? this.offlineTable(ref) : this.onlineTable(ref)),
      ...(this.offline
        ? {}
        : {
            probe: {
              // Read-only: nothing changes, so what was introspected stays valid.
              query: (sql: string, params: unknown[]) => this.context.connection!.query(sql, params),
              hiddenTables: [VERSION_TABLE, ...(this.context.excludeTables ?? [])],
              ...(this.context.changes?.run?.knownTables ? { knownTables: this.context.changes.run.knownTables } : {}),
              ...(this.context.changes?.run?.knownIndexes ? { knownIndexes: this.context.changes.run.knownIndexes } : {}),
              ...(this.context.changes?.run?.constraintIndexes ? { constraintIndexes: this.context.changes.run.constraintIndexes } : {}),
            },
          }),
    };
  }

  /** The table as introspection reads it; only that table is read (a revision of n tables never reads all n per operation). */
  private async onlineTable(ref: TableRef): Promise<TableModel | undefined> {
    const tableKey = key(ref);
    let table = this.introspected.get(tableKey);
    if (!table) {
      table = this.dialect
        .introspect(this.context.connection!, {
          ...(ref.schema !== undefined ? { schemas: [ref.schema] } : {}),
          excludeTables: [VERSION_TABLE, ...(this.context.excludeTables ?? [])],
          tables: [ref.name],
        })
        .then((model) => model.tables.find((t) => t.name === ref.name && (ref.schema === undefined || t.schema === ref.schema)));
      this.introspected.set(tableKey, table);
      table.catch(() => this.introspected.delete(tableKey));
    }
    return table;
  }

  /**
   * Offline nothing can be reflected: the shape comes from the script so far
   * (tables it created, batches' frozen shapes). Unknown tables are
   * `undefined`; the dialect decides whether it can do without (plain ALTERs)
   * or must refuse.
   */
  private async offlineTable(ref: TableRef): Promise<TableModel | undefined> {
    return this.context.shapes?.get(key(ref));
  }

  /** Offline: keep the known shapes in step with the script, so later operations can be compiled. */
  private async trackShape(op: Operation): Promise<void> {
    const shapes = this.context.shapes;
    if (!shapes) return;
    switch (op.kind) {
      case 'createTable':
        shapes.set(key(op.table), op.table);
        return;
      case 'dropTable':
        shapes.delete(key(op.table));
        return;
      case 'renameTable': {
        const from = key({ schema: op.schema, name: op.from });
        const shape = shapes.get(from);
        shapes.delete(from);
        if (shape) shapes.set(key({ schema: op.schema, name: op.to }), { ...shape, name: op.to });
        return;
      }
      case 'batchAlterTable':
      case 'addColumn':
      case 'dropColumn':
      case 'renameColumn':
      case 'alterColumn':
      case 'createIndex':
      case 'dropIndex':
      case 'renameIndex':
      case 'addForeignKey':
      case 'dropForeignKey':
      case 'addPrimaryKey':
      case 'dropPrimaryKey': {
        const k = key(op.table);
        const shape = shapes.get(k);
        if (!shape) return;
        const { applyToShape } = await import('../autogenerate/shape.js');
        const inner = op.kind === 'batchAlterTable' ? op.ops : [op];
        let next = shape;
        for (const o of inner) next = applyToShape(next, o);
        shapes.set(k, next);
        return;
      }
      default:
        return;
    }
  }

  private async execute(statement: Statement): Promise<void> {
    if (this.offline) {
      const sink = this.context.sink!;
      if (statement.outsideTransaction) {
        sink.write({ sql: 'COMMIT' });
        sink.write(statement);
        sink.write({ sql: 'BEGIN' });
      } else {
        sink.write(statement);
      }
      return;
    }
    const connection = this.context.connection!;
    // Anything run may change the schema: introspect afresh next time.
    this.introspected.clear();
    if (statement.outsideTransaction && connection.inTransaction) {
      await connection.commit();
      try {
        await connection.execute(statement.sql, statement.params);
      } finally {
        await connection.begin();
      }
      return;
    }
    await connection.execute(statement.sql, statement.params);
  }

  private async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    if (this.offline || this.skipsData()) return [];
    this.ranRawSql();
    this.introspected.clear();
    return this.context.connection!.query<T>(sql, params);
  }

  private async autocommitBlock(fn: () => Promise<void>): Promise<void> {
    // What runs inside commits on its own; whatever it is, the check looks at everything.
    this.ranRawSql();
    if (this.offline) {
      this.context.sink!.write({ sql: 'COMMIT' });
      await fn();
      this.context.sink!.write({ sql: 'BEGIN' });
      return;
    }
    const connection = this.context.connection!;
    const wasInTransaction = connection.inTransaction;
    if (wasInTransaction) await connection.commit();
    try {
      await fn();
    } finally {
      if (wasInTransaction) await connection.begin();
    }
  }
}

function key(ref: { schema?: string | undefined; name: string }): string {
  return qualifiedName({ name: ref.name, ...(ref.schema ? { schema: ref.schema } : {}) });
}

function enumRef(enumType: { schema?: string; name: string }): { schema?: string; name: string } {
  return enumType.schema !== undefined ? { schema: enumType.schema, name: enumType.name } : { name: enumType.name };
}


/**
 * A shape as written in a revision may leave out what is empty (`indexes`,
 * `foreignKeys`, an index's `unique: false`); dialects get the full model.
 */
function completeShape(shape: TableModel): TableModel {
  const partial = shape as Partial<TableModel> & Pick<TableModel, 'name' | 'columns'>;
  return {
    ...shape,
    columns: partial.columns.map((c) => ({ ...c, nullable: c.nullable ?? true })),
    indexes: (partial.indexes ?? []).map((i) => ({ ...i, unique: i.unique ?? false })),
    foreignKeys: partial.foreignKeys ?? [],
  };
}

function alterColumnOp(table: TableRef, name: string, change: AlterColumnSpec): AlterColumnOp {
  const { from, to } = alteredColumn(name, change);
  return { kind: 'alterColumn', table, from, to, ...(change.using !== undefined ? { using: change.using } : {}) };
}

