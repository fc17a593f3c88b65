import type { ColumnModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import type {
  AlterEnumOp,
  BatchAlterTableOp,
  CreateTableOp,
  DropTableOp,
  Operation,
  TableScopedOp,
} from '../operations/types.js';
import { canonicalTable, columnsEqual, sameRef, tableRef } from './canonical.js';
import { applyToShape } from './shape.js';

/**
 * Ordering (so that no foreign key ever points at a missing table or column)
 * and the split into the revision's two phases: additive changes run first,
 * then the data hook, then destructive changes.
 */

export interface OrderOptions {
  /** SQLite: foreign keys stay inline in CREATE TABLE (SQLite does not check their targets then, and cannot add them later without a rebuild). */
  preferBatch?: boolean;
}

const TABLE_OP_ORDER: Array<TableScopedOp['kind']> = [
  'renameColumn',
  'dropForeignKey',
  'dropIndex',
  'renameIndex',
  'dropPrimaryKey',
  'addColumn',
  'alterColumn',
  'dropColumn',
  'addPrimaryKey',
  'createIndex',
  'addForeignKey',
];

/** Safe order for the operations inside one batch (stable otherwise). */
export function orderTableOps(ops: TableScopedOp[]): TableScopedOp[] {
  return stableSortBy(ops, (op) => TABLE_OP_ORDER.indexOf(op.kind));
}

function enumRemovesValues(op: AlterEnumOp): boolean {
  return op.from.some((v) => !op.to.includes(v));
}

function enumAddsValues(op: AlterEnumOp): boolean {
  return op.to.some((v) => !op.from.includes(v));
}

function rank(op: Operation): number {
  switch (op.kind) {
    // Extensions first: types, operator classes and functions of later steps may come from them.
    case 'createExtension': return -1;
    case 'alterExtension': return -0.5;
    case 'createEnum': return 0;
    case 'alterEnum': return enumRemovesValues(op) ? 14 : 1;
    case 'renameEnumValue': return 1;
    case 'renameTable': return 2;
    case 'renameColumn': return 3;
    case 'dropForeignKey': return 4;
    case 'dropIndex': return 5;
    case 'renameIndex': return 5.5;
    case 'dropPrimaryKey': return 6;
    case 'createTable': return 7;
    case 'addColumn': return 8;
    case 'alterColumn': return 9;
    case 'dropColumn': return 10;
    case 'batchAlterTable': return 11;
    case 'dropTable': return 13;
    case 'addPrimaryKey': return 15;
    case 'createIndex': return 16;
    case 'addForeignKey': return 17;
    case 'dropEnum': return 18;
    case 'dropExtension': return 18.5;
    case 'execute': return 19;
  }
}

/**
 * Global order: create / alter extensions -> create enums -> renames -> drop foreign keys / indexes ->
 * create tables (dependency order) -> column changes -> batches -> drop tables
 * (reverse dependency order) -> enum value removals -> primary keys, indexes,
 * foreign keys -> drop enums -> drop extensions.
 */
export function orderOperations(ops: Operation[], options: OrderOptions = {}): Operation[] {
  const expanded: Operation[] = [];
  for (const op of ops) {
    // An enum that both gains and loses values: gain early (new columns may use them), lose late.
    if (op.kind === 'alterEnum' && enumAddsValues(op) && enumRemovesValues(op)) {
      const widened = [...op.from, ...op.to.filter((v) => !op.from.includes(v))];
      expanded.push({ ...op, to: widened }, { ...op, from: widened });
    } else {
      expanded.push(op);
    }
  }

  const creates = expanded.filter((o): o is CreateTableOp => o.kind === 'createTable');
  const drops = expanded.filter((o): o is DropTableOp => o.kind === 'dropTable');
  const rest = expanded.filter((o) => o.kind !== 'createTable' && o.kind !== 'dropTable');

  const { tables: createdTables, extracted: lateForeignKeys } = orderCreates(creates, expanded, options);
  const { tables: droppedTables, extracted: earlyForeignKeyDrops } = orderDrops(drops, options);

  const sorted = stableSortBy([...rest, ...lateForeignKeys, ...earlyForeignKeyDrops], rank);
  // A unique key that a foreign key of a dropped table references goes once that table is gone:
  // PostgreSQL and MySQL refuse to drop the index a foreign key needs.
  const heldUp = heldByDroppedForeignKeys(drops);
  const before = sorted.filter((o) => rank(o) < 7 && !heldUp(o));
  const middle = sorted.filter((o) => rank(o) > 7 && rank(o) < 13);
  const after = sorted.filter((o) => rank(o) > 13);
  return [...before, ...createdTables, ...middle, ...droppedTables, ...sorted.filter(heldUp), ...after];
}

/** Whether an operation drops a unique index that a foreign key of one of the dropped tables references. */
function heldByDroppedForeignKeys(drops: DropTableOp[]): (op: Operation) => boolean {
  const referenced = drops.flatMap((d) =>
    d.table.foreignKeys.map((fk) => ({ table: { schema: fk.referencedSchema || d.table.schema, name: fk.referencedTable }, columns: [...fk.referencedColumns].sort().join('\0') })),
  );
  if (referenced.length === 0) return () => false;
  return (op) => {
    if (op.kind !== 'dropIndex' || (!op.index.unique && op.index.columns.length > 0)) return false;
    // An index known by name only (a revision written by hand) may be the one: it waits too.
    const columns = op.index.columns.map((c) => c.name).sort().join('\0');
    return referenced.some((r) => sameRef(r.table, op.table) && (op.index.columns.length === 0 || r.columns === columns));
  };
}

function stableSortBy<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.item);
}

/** Tables this table's foreign keys point at (other than itself). */
function references(table: TableModel): Array<{ schema?: string; name: string }> {
  return table.foreignKeys
    .map((fk) => ({ schema: fk.referencedSchema || table.schema, name: fk.referencedTable }))
    .filter((ref) => !sameRef(ref, table));
}

/**
 * Creates in dependency order. Where a cycle makes that impossible, the
 * table is created without the cycle-closing foreign keys, which are added
 * afterwards (not on SQLite: there they stay inline). On PostgreSQL a foreign
 * key to an existing table whose keys change in this migration is also added
 * afterwards, once those keys exist.
 */
function orderCreates(creates: CreateTableOp[], all: Operation[], options: OrderOptions): { tables: Operation[]; extracted: Operation[] } {
  const extracted: Operation[] = [];
  // Columns of existing tables that gain, change, or become keys in this migration.
  const touched = new Set<string>();
  const touch = (op: Operation) => {
    const qn = 'table' in op && op.kind !== 'createTable' && op.kind !== 'dropTable' ? qualifiedName(op.table) : '';
    if (op.kind === 'addColumn') touched.add(`${qn}.${op.column.name}`);
    else if (op.kind === 'alterColumn') touched.add(`${qn}.${op.from.name}`);
    else if (op.kind === 'renameColumn') touched.add(`${qn}.${op.to}`);
    else if (op.kind === 'createIndex' && op.index.unique) op.index.columns.forEach((c) => touched.add(`${qn}.${c.name}`));
    else if (op.kind === 'addPrimaryKey') op.primaryKey.columns.forEach((c) => touched.add(`${qn}.${c}`));
    else if (op.kind === 'batchAlterTable') op.ops.forEach(touch);
  };
  all.forEach(touch);

  const pending = creates.map((c) => canonicalTable(c.table));
  const done: TableModel[] = [];
  const isNew = (ref: { schema?: string; name: string }) => pending.some((t) => sameRef(t, ref)) || done.some((t) => sameRef(t, ref));
  while (pending.length > 0) {
    const waitingOn = (t: TableModel) => references(t).filter((r) => pending.some((p) => p !== t && sameRef(p, r)));
    let i = pending.findIndex((t) => waitingOn(t).length === 0);
    const cycle = i < 0;
    if (cycle) i = 0;
    const table = pending.splice(i, 1)[0]!;
    if (!options.preferBatch) {
      const keep = [];
      for (const fk of table.foreignKeys) {
        const ref = { schema: fk.referencedSchema || table.schema, name: fk.referencedTable };
        const late =
          (cycle && !sameRef(ref, table) && pending.some((p) => sameRef(p, ref))) ||
          (!isNew(ref) && fk.referencedColumns.some((c) => touched.has(`${qualifiedName(ref)}.${c}`)));
        if (late) extracted.push({ kind: 'addForeignKey', table: tableRef(table), foreignKey: fk });
        else keep.push(fk);
      }
      table.foreignKeys = keep;
    }
    done.push(table);
  }
  return { tables: done.map((table) => ({ kind: 'createTable', table })), extracted };
}

/** Drops in reverse dependency order; foreign keys closing a cycle are dropped first (not on SQLite). */
function orderDrops(drops: DropTableOp[], options: OrderOptions): { tables: Operation[]; extracted: Operation[] } {
  const extracted: Operation[] = [];
  const pending = drops.map((d) => canonicalTable(d.table));
  const done: TableModel[] = [];
  while (pending.length > 0) {
    // A table can go once no other pending table points at it.
    const pointedAt = (t: TableModel) => pending.filter((p) => p !== t && references(p).some((r) => sameRef(r, t)));
    let i = pending.findIndex((t) => pointedAt(t).length === 0);
    if (i < 0) {
      i = 0;
      const table = pending[0]!;
      if (!options.preferBatch) {
        for (const p of pointedAt(table)) {
          const keep = [];
          for (const fk of p.foreignKeys) {
            if (sameRef({ schema: fk.referencedSchema || p.schema, name: fk.referencedTable }, table)) {
              extracted.push({ kind: 'dropForeignKey', table: tableRef(p), foreignKey: fk });
            } else keep.push(fk);
          }
          p.foreignKeys = keep;
        }
      }
    }
    done.push(pending.splice(i, 1)[0]!);
  }
  return { tables: done.map((table) => ({ kind: 'dropTable', table })), extracted };
}

// ---------------------------------------------------------------------------
// Phases

interface Footprint {
  reads: string[];
  writes: string[];
}

const tk = (t: { schema?: string; name: string }) => `t:${qualifiedName(t)}`;
const ck = (t: { schema?: string; name: string }, c: string) => `c:${qualifiedName(t)}.${c}`;
const uk = (t: { schema?: string; name: string }) => `u:${qualifiedName(t)}`;
const ek = (e: { schema?: string; name: string }) => `e:${qualifiedName(e)}`;
const xk = (name: string) => `x:${name}`;

function columnEnumReads(column: ColumnModel): string[] {
  return column.enumType ? [ek(column.enumType)] : [];
}

function tableFootprint(table: TableModel): Footprint {
  const writes = [tk(table), uk(table), `p:${qualifiedName(table)}`, ...table.columns.map((c) => ck(table, c.name))];
  // Index and primary key names share one namespace per schema on PostgreSQL.
  writes.push(...table.indexes.map((i) => `i:${table.schema ?? ''}.${i.name}`));
  if (table.primaryKey?.name) writes.push(`i:${table.schema ?? ''}.${table.primaryKey.name}`);
  writes.push(...table.foreignKeys.map((f) => `f:${qualifiedName(table)}.${f.name}`));
  const reads = table.columns.flatMap(columnEnumReads);
  for (const fk of table.foreignKeys) {
    const ref = { schema: fk.referencedSchema || table.schema, name: fk.referencedTable };
    if (sameRef(ref, table)) continue;
    reads.push(tk(ref), uk(ref), ...fk.referencedColumns.map((c) => ck(ref, c)));
  }
  return { reads, writes };
}

function footprint(op: Operation): Footprint {
  switch (op.kind) {
    case 'createTable':
    case 'dropTable':
      return tableFootprint(op.table);
    case 'renameTable': {
      const from = { schema: op.schema, name: op.from };
      const to = { schema: op.schema, name: op.to };
      return { reads: [], writes: [tk(from), tk(to)] };
    }
    case 'addColumn':
    case 'dropColumn':
      return { reads: [tk(op.table), ...columnEnumReads(op.column)], writes: [ck(op.table, op.column.name)] };
    case 'alterColumn':
      return { reads: [tk(op.table), ...columnEnumReads(op.from), ...columnEnumReads(op.to)], writes: [ck(op.table, op.from.name)] };
    case 'renameColumn':
      return { reads: [tk(op.table)], writes: [ck(op.table, op.from), ck(op.table, op.to)] };
    case 'createIndex':
    case 'dropIndex':
      return {
        reads: [tk(op.table), ...op.index.columns.map((c) => ck(op.table, c.name))],
        writes: [`i:${op.table.schema ?? ''}.${op.index.name}`, ...(op.index.unique ? [uk(op.table)] : [])],
      };
    case 'renameIndex':
      return { reads: [tk(op.table)], writes: [`i:${op.table.schema ?? ''}.${op.from}`, `i:${op.table.schema ?? ''}.${op.to}`] };
    case 'addForeignKey':
    case 'dropForeignKey': {
      const ref = { schema: op.foreignKey.referencedSchema || op.table.schema, name: op.foreignKey.referencedTable };
      return {
        reads: [tk(op.table), ...op.foreignKey.columns.map((c) => ck(op.table, c)), tk(ref), uk(ref), ...op.foreignKey.referencedColumns.map((c) => ck(ref, c))],
        writes: [`f:${qualifiedName(op.table)}.${op.foreignKey.name}`],
      };
    }
    case 'addPrimaryKey':
    case 'dropPrimaryKey':
      return {
        reads: [tk(op.table), ...op.primaryKey.columns.map((c) => ck(op.table, c))],
        writes: [`p:${qualifiedName(op.table)}`, uk(op.table), ...(op.primaryKey.name ? [`i:${op.table.schema ?? ''}.${op.primaryKey.name}`] : [])],
      };
    case 'createEnum':
    case 'dropEnum':
      return { reads: [], writes: [ek(op.enum)] };
    case 'alterEnum':
    case 'renameEnumValue':
      return { reads: [], writes: [ek(op)] };
    case 'createExtension':
    case 'dropExtension':
      return { reads: [], writes: [xk(op.extension.name)] };
    case 'alterExtension':
      return { reads: [], writes: [xk(op.name)] };
    case 'execute':
      return { reads: [], writes: ['*'] };
    case 'batchAlterTable': {
      const parts = op.ops.map(footprint);
      return { reads: parts.flatMap((p) => p.reads), writes: parts.flatMap((p) => p.writes) };
    }
  }
}

function tightens(from: ColumnModel, to: ColumnModel): boolean {
  return (
    from.type !== to.type ||
    !!from.isList !== !!to.isList ||
    !!from.autoincrement !== !!to.autoincrement ||
    JSON.stringify(from.enumType ?? null) !== JSON.stringify(to.enumType ?? null) ||
    (from.nullable && !to.nullable)
  );
}

/** Whether an operation, on its own, can fail on or lose existing data. */
export function isDestructive(op: Operation, newTables: Set<string> = new Set()): boolean {
  switch (op.kind) {
    case 'createTable':
    case 'createEnum':
    case 'renameTable':
    case 'renameColumn':
    case 'renameIndex':
    case 'renameEnumValue':
    case 'createExtension':
    case 'alterExtension':
      return false;
    case 'addColumn':
      return !op.column.nullable && op.column.default === undefined && !op.column.autoincrement && !newTables.has(qualifiedName(op.table));
    case 'alterColumn':
      return tightens(op.from, op.to);
    case 'createIndex':
      return op.index.unique && !newTables.has(qualifiedName(op.table));
    case 'addForeignKey':
    case 'addPrimaryKey':
      return !newTables.has(qualifiedName(op.table));
    case 'alterEnum':
      return enumRemovesValues(op);
    case 'batchAlterTable':
      return op.ops.some((o) => isDestructive(o, newTables));
    case 'dropTable':
    case 'dropColumn':
    case 'dropIndex':
    case 'dropForeignKey':
    case 'dropPrimaryKey':
    case 'dropEnum':
    case 'dropExtension':
    case 'execute':
      return true;
  }
}

/**
 * Additive operations (safe on existing data) run before the data hook,
 * destructive ones after it. An additive operation that touches something a
 * destructive one before it also touches (an index dropped and created again
 * under the same name, a rename after a drop) stays behind it, in the
 * destructive phase. A batch is split into an additive and a destructive batch.
 */
export function splitPhases(ops: Operation[]): { additive: Operation[]; destructive: Operation[] } {
  const newTables = new Set(ops.filter((o) => o.kind === 'createTable').map((o) => qualifiedName((o as CreateTableOp).table)));
  const dWrites = new Set<string>();
  const dReads = new Set<string>();
  const additive: Operation[] = [];
  const destructive: Operation[] = [];

  const classify = (op: Operation): boolean => {
    const fp = footprint(op);
    const conflicts =
      dWrites.has('*') ||
      fp.writes.some((k) => k === '*' || dWrites.has(k) || dReads.has(k)) ||
      fp.reads.some((k) => dWrites.has(k));
    const d = conflicts || isDestructive(op, newTables);
    if (d) {
      fp.writes.forEach((k) => dWrites.add(k));
      fp.reads.forEach((k) => dReads.add(k));
    }
    return d;
  };

  for (const op of ops) {
    if (op.kind !== 'batchAlterTable') {
      (classify(op) ? destructive : additive).push(op);
      continue;
    }
    const add: TableScopedOp[] = [];
    const del: TableScopedOp[] = [];
    for (const inner of op.ops) (classify(inner) ? del : add).push(inner);
    if (add.length > 0) additive.push({ ...op, ops: add });
    if (del.length > 0) {
      const shape = op.shape && add.length > 0 ? add.reduce(applyToShape, op.shape) : op.shape;
      const rest: BatchAlterTableOp = { ...op, ops: del };
      if (shape) rest.shape = shape;
      destructive.push(rest);
    }
  }
  return { additive, destructive };
}

/** An addColumn made nullable by compare, followed by the alterColumn that sets NOT NULL after the back-fill. */
export function isBackfillPair(added: Operation, alter: Operation): boolean {
  return (
    added.kind === 'addColumn' &&
    alter.kind === 'alterColumn' &&
    sameRef(added.table, alter.table) &&
    added.column.name === alter.from.name &&
    columnsEqual(added.column, alter.from) &&
    alter.from.nullable &&
    !alter.to.nullable
  );
}
