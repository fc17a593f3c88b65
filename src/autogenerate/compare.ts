import type { ColumnModel, DatabaseModel, IndexModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import type { Operation, TableRef, TableScopedOp } from '../operations/types.js';
import {
  canonicalColumn,
  canonicalEnum,
  canonicalExtension,
  canonicalForeignKey,
  canonicalIndex,
  canonicalTable,
  columnsEqual,
  foreignKeyDefinition,
  indexDefinition,
  isOpaqueIndex,
  sameRef,
  tableRef,
} from './canonical.js';
import { implicitForeignKeyIndexes } from './implicit-fk-index.js';
import { orderTableOps } from './order.js';
import { applyToModel } from './shape.js';

export interface CompareOptions {
  /** SQLite: group all changes to one existing table into one `batchAlterTable`. */
  preferBatch: boolean;
  /**
   * MySQL refuses to change the type of a column a foreign key uses (either
   * end): such keys are dropped first and added back last, as Prisma does.
   */
  foreignKeysPinColumnTypes?: boolean;
  /** MySQL makes (and drops) a foreign key's own index by itself: see implicit-fk-index.ts. */
  implicitForeignKeyIndexes?: boolean;
  /**
   * Never drop these: Prisma @@ignore models and view blocks' names /
   * @ignore and Unsupported columns, which the DMMF does not show; with
   * `partialIndexes`, every partial index (the schema cannot have them).
   */
  keep?: { tables: string[]; columns: Record<string, string[]>; partialIndexes?: boolean };
  /**
   * Renames worked out by the caller (never guessed here). `tables` maps a
   * table's current qualified name to its new name (same schema); `columns`
   * is keyed by the table's qualified name (new or current) and maps a current
   * column name to its new name.
   */
  renames?: {
    tables?: Record<string, string>;
    columns?: Record<string, Record<string, string>>;
    /**
     * Enum values renamed in place (`ALTER TYPE ... RENAME VALUE`), keyed by
     * the enum type's qualified name: stored value -> new stored value.
     * Enums the database has no type for (SQLite) are skipped here.
     */
    enumValues?: Record<string, Record<string, string>>;
  };
  /**
   * Reach `target` exactly (a database rebuilt to an earlier state, as
   * `import-prisma` downgrades do): enum value order is a change, and a
   * second index just like one the target has is dropped. By default
   * neither is, as in Prisma's engine.
   */
  exact?: boolean;
}

/**
 * Alembic's compare step: the operations that turn `current` (the live
 * database) into `target` (the Prisma schema). Unordered apart from the
 * per-table order inside batches; `orderOperations` puts them in a safe order.
 */
export function compareModels(current: DatabaseModel, target: DatabaseModel, options: CompareOptions): Operation[] {
  const ops: Operation[] = [];
  const batchRenames = new Map<string, TableScopedOp[]>();

  // 1. Renames first, so the rest compares like with like.
  let working: DatabaseModel = { tables: current.tables.map(canonicalTable), enums: current.enums.map(canonicalEnum) };
  if (current.extensions) working.extensions = current.extensions.map(canonicalExtension);
  for (const [from, to] of Object.entries(options.renames?.tables ?? {})) {
    const table = working.tables.find((t) => qualifiedName(t) === from);
    if (!table || table.name === to) continue;
    const op: Operation = table.schema ? { kind: 'renameTable', schema: table.schema, from: table.name, to } : { kind: 'renameTable', from: table.name, to };
    ops.push(op);
    working = applyToModel(working, op);
  }
  for (const [tableKey, columns] of Object.entries(options.renames?.columns ?? {})) {
    const table = working.tables.find((t) => qualifiedName(t) === tableKey) ?? renamedTable(current, working, tableKey, options);
    if (!table) continue;
    for (const [from, to] of renameSteps(table.columns.map((c) => c.name), columns)) {
      const op: TableScopedOp = { kind: 'renameColumn', table: tableRef(table), from, to };
      if (options.preferBatch) {
        const key = qualifiedName(table);
        batchRenames.set(key, [...(batchRenames.get(key) ?? []), op]);
      } else {
        ops.push(op);
      }
      working = applyToModel(working, op);
    }
  }

  for (const [enumKey, values] of Object.entries(options.renames?.enumValues ?? {})) {
    const e = working.enums.find((x) => qualifiedName(x) === enumKey);
    if (!e) continue;
    for (const [from, to] of Object.entries(values)) {
      if (from === to || !e.values.includes(from) || e.values.includes(to)) continue;
      const op: Operation = { kind: 'renameEnumValue', ...(e.schema ? { schema: e.schema } : {}), name: e.name, from, to };
      ops.push(op);
      working = renameEnumValueInDefaults(applyToModel(working, op), e, from, to);
    }
  }

  const keepTables = new Set(options.keep?.tables ?? []);
  const keepColumns = (t: TableModel) => new Set(options.keep?.columns?.[qualifiedName(t)] ?? options.keep?.columns?.[t.name] ?? []);

  // 2. Extensions (PostgreSQL) and enums.
  ops.push(...compareExtensions(working, target));
  for (const e of target.enums) {
    const now = working.enums.find((x) => sameRef(x, e));
    if (!now) {
      ops.push({ kind: 'createEnum', enum: canonicalEnum(e) });
      continue;
    }
    const to = options.exact ? (now.values.join('\0') === e.values.join('\0') ? undefined : [...e.values]) : enumValuesAfter(now.values, e.values);
    if (to) ops.push({ kind: 'alterEnum', ...(e.schema ? { schema: e.schema } : {}), name: e.name, from: [...now.values], to });
  }
  for (const e of working.enums) {
    if (!target.enums.some((x) => sameRef(x, e))) ops.push({ kind: 'dropEnum', enum: canonicalEnum(e) });
  }

  // 3. Tables.
  for (const t of target.tables) {
    const now = working.tables.find((x) => sameRef(x, t));
    if (!now) {
      ops.push({ kind: 'createTable', table: canonicalTable(t) });
      continue;
    }
    const tableOps = [
      ...(batchRenames.get(qualifiedName(now)) ?? []),
      ...compareTable(now, canonicalTable(t), { columns: keepColumns(now), partialIndexes: options.keep?.partialIndexes ?? false }, options),
    ];
    if (tableOps.length === 0) continue;
    if (options.preferBatch) {
      // The shape before the batch: after the renames recorded inside it are undone.
      const before = canonicalTable(shapeBeforeRenames(now, batchRenames.get(qualifiedName(now)) ?? []));
      ops.push({ kind: 'batchAlterTable', table: tableRef(now), recreate: 'auto', ops: orderTableOps(tableOps), shape: before });
    } else {
      ops.push(...tableOps);
    }
  }
  for (const t of working.tables) {
    if (target.tables.some((x) => sameRef(x, t))) continue;
    if (keepTables.has(qualifiedName(t)) || keepTables.has(t.name)) continue;
    ops.push({ kind: 'dropTable', table: canonicalTable(t) });
  }
  if (options.foreignKeysPinColumnTypes && !options.preferBatch) ops.push(...unpinForeignKeys(ops, working, target));
  if (options.implicitForeignKeyIndexes && !options.preferBatch) return implicitForeignKeyIndexes(ops, working, target);
  return ops;
}

/**
 * Drop-and-add pairs for the foreign keys that use a column whose type
 * changes (its own table's, and other tables' that reference it), unless the
 * operations already drop them. The orderer puts drops first, adds last.
 */
function unpinForeignKeys(ops: Operation[], current: DatabaseModel, target: DatabaseModel): Operation[] {
  const retyped = ops.filter((op): op is Extract<Operation, { kind: 'alterColumn' }> => op.kind === 'alterColumn' && op.from.type !== op.to.type);
  if (retyped.length === 0) return [];
  const uses = (table: TableModel, fk: TableModel['foreignKeys'][number]) =>
    retyped.some(
      (op) =>
        (sameRef(op.table, table) && fk.columns.includes(op.to.name)) ||
        (sameRef(op.table, { schema: fk.referencedSchema ?? table.schema, name: fk.referencedTable }) && fk.referencedColumns.includes(op.to.name)),
    );
  const dropped = new Set(ops.filter((op) => op.kind === 'dropForeignKey').map((op) => `${qualifiedName((op as { table: TableRef }).table)}\u0000${(op as { foreignKey: { name: string } }).foreignKey.name}`));
  const added = new Set(ops.filter((op) => op.kind === 'addForeignKey').map((op) => `${qualifiedName((op as { table: TableRef }).table)}\u0000${(op as { foreignKey: { name: string } }).foreignKey.name}`));
  const out: Operation[] = [];
  for (const table of current.tables) {
    for (const fk of table.foreignKeys) {
      const key = `${qualifiedName(table)}\u0000${fk.name}`;
      if (dropped.has(key) || !uses(table, fk)) continue;
      out.push({ kind: 'dropForeignKey', table: tableRef(table), foreignKey: canonicalForeignKey(fk) });
      const kept = target.tables.find((t) => sameRef(t, table))?.foreignKeys.find((x) => x.name === fk.name);
      if (kept && !added.has(key)) out.push({ kind: 'addForeignKey', table: tableRef(table), foreignKey: canonicalForeignKey(kept) });
    }
  }
  return out;
}

/**
 * The values an enum type should end with, or undefined when it already has
 * them. Order is not a change: PostgreSQL's `ADD VALUE` appends, so a
 * database built by replaying a Prisma history often holds the schema's
 * values in another order, and Prisma's engine calls that clean. The values
 * kept stay in the database's order; a new value goes before the kept value
 * that follows it in the schema (at the end when none does).
 */
function enumValuesAfter(now: string[], wanted: string[]): string[] | undefined {
  const added = wanted.filter((v) => !now.includes(v));
  const removed = now.filter((v) => !wanted.includes(v));
  if (added.length === 0 && removed.length === 0) return undefined;
  const out = now.filter((v) => wanted.includes(v));
  wanted.forEach((value, i) => {
    if (now.includes(value)) return;
    const next = wanted.slice(i + 1).find((v) => now.includes(v));
    const at = next === undefined ? -1 : out.indexOf(next);
    if (at < 0) out.push(value);
    else out.splice(at, 0, value);
  });
  return out;
}

/**
 * Extensions as Prisma's engine compares them: one the schema lists (or
 * needs) and the database lacks is created; a `version` or `schema` written
 * in the schema that the installed one does not match is altered; one the
 * database has and the schema does not list is left alone (never dropped).
 */
function compareExtensions(current: DatabaseModel, target: DatabaseModel): Operation[] {
  const ops: Operation[] = [];
  for (const wanted of target.extensions ?? []) {
    const now = current.extensions?.find((x) => x.name === wanted.name);
    if (!now) {
      ops.push({ kind: 'createExtension', extension: canonicalExtension(wanted) });
      continue;
    }
    const from: { schema?: string; version?: string } = {};
    const to: { schema?: string; version?: string } = {};
    if (wanted.version && wanted.version !== now.version) {
      if (now.version) from.version = now.version;
      to.version = wanted.version;
    }
    if (wanted.schema && wanted.schema !== now.schema) {
      if (now.schema) from.schema = now.schema;
      to.schema = wanted.schema;
    }
    if (Object.keys(to).length > 0) ops.push({ kind: 'alterExtension', name: wanted.name, from, to });
  }
  return ops;
}

/** Column defaults that name a renamed enum value follow it (PostgreSQL stores the value, not its label). */
function renameEnumValueInDefaults(model: DatabaseModel, e: { schema?: string; name: string }, from: string, to: string): DatabaseModel {
  const quoted = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const tables = model.tables.map((t) => {
    if (!t.columns.some((c) => c.enumType && sameRef(c.enumType, e) && c.default?.includes(quoted(from)))) return t;
    const columns = t.columns.map((c) =>
      c.enumType && sameRef(c.enumType, e) && c.default !== undefined ? { ...c, default: c.default.split(quoted(from)).join(quoted(to)) } : c,
    );
    return { ...t, columns };
  });
  return { ...model, tables };
}

/** A table named by its current qualified name, found under its new name after a table rename. */
function renamedTable(current: DatabaseModel, working: DatabaseModel, key: string, options: CompareOptions): TableModel | undefined {
  const before = current.tables.find((t) => qualifiedName(t) === key);
  const to = options.renames?.tables?.[key];
  if (!before || !to) return undefined;
  return working.tables.find((t) => sameRef(t, { schema: before.schema, name: to }));
}

/**
 * Column renames meant all at once (a join table's `A -> B, B -> A`) as
 * renames one at a time: each waits until its new name is free, and a cycle
 * goes through a free temporary name. A new name held by a column that stays
 * is left to fail where it is applied.
 */
function renameSteps(columns: string[], renames: Record<string, string>): Array<[string, string]> {
  const names = new Set(columns);
  const pending = Object.entries(renames).filter(([from, to]) => from !== to && names.has(from));
  const steps: Array<[string, string]> = [];
  const step = (from: string, to: string) => {
    steps.push([from, to]);
    names.delete(from);
    names.add(to);
  };
  while (pending.length > 0) {
    const free = pending.findIndex(([, to]) => !names.has(to));
    if (free >= 0) {
      const [from, to] = pending.splice(free, 1)[0]!;
      step(from, to);
      continue;
    }
    const [from, to] = pending[0]!;
    if (!pending.some(([other]) => other === to)) {
      for (const [f, t] of pending.splice(0)) step(f, t);
      break;
    }
    let temporary = 'revise_tmp';
    for (let n = 2; names.has(temporary); n++) temporary = `revise_tmp_${n}`;
    step(from, temporary);
    pending[0] = [temporary, to];
  }
  return steps;
}

/** The working table with the batch's own column renames reversed (those run inside the batch). */
function shapeBeforeRenames(now: TableModel, renames: TableScopedOp[]): TableModel {
  let model: DatabaseModel = { tables: [now], enums: [] };
  for (const op of [...renames].reverse()) {
    if (op.kind !== 'renameColumn') continue;
    model = applyToModel(model, { ...op, from: op.to, to: op.from });
  }
  return model.tables[0]!;
}

function columnNeedsBackfill(column: ColumnModel): boolean {
  return !column.nullable && column.default === undefined && !column.autoincrement;
}

/** Changes to one table that exists on both sides (already renamed). */
function compareTable(
  now: TableModel,
  target: TableModel,
  leaveAlone: { columns: Set<string>; partialIndexes: boolean },
  options: CompareOptions,
): TableScopedOp[] {
  const ref: TableRef = tableRef(now);
  const ops: TableScopedOp[] = [];
  const keep = leaveAlone.columns;
  const involvesKept = (columns: string[]) => columns.some((c) => keep.has(c));

  // Columns.
  for (const c of target.columns) {
    const before = now.columns.find((x) => x.name === c.name);
    if (!before) {
      if (columnNeedsBackfill(c)) {
        // Added nullable first; made NOT NULL later, after the data hook has back-filled it.
        const loose = canonicalColumn({ ...c, nullable: true });
        ops.push({ kind: 'addColumn', table: ref, column: loose });
        ops.push({ kind: 'alterColumn', table: ref, from: loose, to: canonicalColumn(c) });
      } else {
        ops.push({ kind: 'addColumn', table: ref, column: canonicalColumn(c) });
      }
    } else if (!columnsEqual(before, c)) {
      ops.push({ kind: 'alterColumn', table: ref, from: canonicalColumn(before), to: canonicalColumn(c) });
    }
  }
  for (const c of now.columns) {
    if (!target.columns.some((x) => x.name === c.name) && !keep.has(c.name)) ops.push({ kind: 'dropColumn', table: ref, column: canonicalColumn(c) });
  }

  // Primary key: by columns. A new name alone is an index rename (PostgreSQL's ALTER INDEX
  // renames the constraint with it); SQLite keeps no primary key names.
  const pkNow = now.primaryKey?.columns.join('\u0000');
  const pkTarget = target.primaryKey?.columns.join('\u0000');
  if (pkNow !== pkTarget && !(now.primaryKey && involvesKept(now.primaryKey.columns))) {
    if (now.primaryKey) ops.push({ kind: 'dropPrimaryKey', table: ref, primaryKey: now.primaryKey });
    if (target.primaryKey) ops.push({ kind: 'addPrimaryKey', table: ref, primaryKey: target.primaryKey });
  } else if (now.primaryKey?.name && target.primaryKey?.name && now.primaryKey.name !== target.primaryKey.name && !options.preferBatch) {
    ops.push({ kind: 'renameIndex', table: ref, from: now.primaryKey.name, to: target.primaryKey.name });
  }

  // Indexes: by name and definition; the same definition under a new name is a rename.
  // Indexes the schema cannot describe are never renamed or dropped, unless the schema wants their name.
  const unmatchedNow = now.indexes.filter((i) => !target.indexes.some((x) => x.name === i.name) && (options.exact || !isOpaqueIndex(i, !leaveAlone.partialIndexes)));
  // Without `partialIndexes` the engine does not see predicates: a partial index under the schema's name is that index.
  const asSchemaSees = (x: IndexModel): IndexModel => (leaveAlone.partialIndexes && x.where ? { ...x, where: undefined } : x);
  for (const i of target.indexes) {
    const before = now.indexes.find((x) => x.name === i.name);
    if (before) {
      if (indexDefinition(asSchemaSees(before)) !== indexDefinition(i)) {
        ops.push({ kind: 'dropIndex', table: ref, index: canonicalIndex(before) });
        ops.push({ kind: 'createIndex', table: ref, index: canonicalIndex(i) });
      }
      continue;
    }
    const same = unmatchedNow.findIndex((x) => indexDefinition(x) === indexDefinition(i));
    if (same >= 0 && !options.preferBatch) {
      // SQLite cannot rename an index; there it is dropped and created again.
      ops.push({ kind: 'renameIndex', table: ref, from: unmatchedNow[same]!.name, to: i.name });
      unmatchedNow.splice(same, 1);
    } else {
      ops.push({ kind: 'createIndex', table: ref, index: canonicalIndex(i) });
    }
  }
  for (const i of unmatchedNow) {
    if (involvesKept(i.columns.map((c) => c.name))) continue;
    // A second index just like one the schema has stays, as Prisma's engine keeps it (it pairs indexes by
    // definition, and renames only an index that has no twin).
    const twin = now.indexes.some((x) => x !== i && indexDefinition(x) === indexDefinition(i));
    if (!options.exact && twin && target.indexes.some((x) => indexDefinition(x) === indexDefinition(i))) continue;
    ops.push({ kind: 'dropIndex', table: ref, index: canonicalIndex(i) });
  }

  // Foreign keys: by name and definition (there is no rename: drop and add).
  for (const fk of target.foreignKeys) {
    const before = now.foreignKeys.find((x) => x.name === fk.name);
    if (before && foreignKeyDefinition(before, now.schema) === foreignKeyDefinition(fk, target.schema)) continue;
    if (before) ops.push({ kind: 'dropForeignKey', table: ref, foreignKey: canonicalForeignKey(before) });
    ops.push({ kind: 'addForeignKey', table: ref, foreignKey: canonicalForeignKey(fk) });
  }
  for (const fk of now.foreignKeys) {
    if (target.foreignKeys.some((x) => x.name === fk.name) || involvesKept(fk.columns)) continue;
    ops.push({ kind: 'dropForeignKey', table: ref, foreignKey: canonicalForeignKey(fk) });
  }
  return ops;
}
