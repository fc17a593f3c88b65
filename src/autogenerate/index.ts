import { implicitForeignKeyIndexes } from './implicit-fk-index.js';
import type { DatabaseModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import type { Operation, TableScopedOp } from '../operations/types.js';
import { compareModels, type CompareOptions } from './compare.js';
import { withRunTimeContext } from './context.js';
import { invertOperations } from './invert.js';
import { isBackfillPair, orderOperations, splitPhases } from './order.js';
import { describeRisk, renderOperations } from './render.js';
import { applyAllToModel } from './shape.js';
import type { DialectName } from '../dialect/types.js';
import { freezeTables, touchedTables, type FrozenTables } from '../data/frozen.js';

export { compareModels, type CompareOptions } from './compare.js';
export type { FrozenTables } from '../data/frozen.js';
export { invertOperation, invertOperations } from './invert.js';
export { orderOperations, splitPhases, isDestructive } from './order.js';
export { describeRisk, renderOperation, renderOperations } from './render.js';
export { applyAllToModel, applyToModel, applyToShape } from './shape.js';
export { recordOperations } from './record.js';

/** One direction of a revision: source lines before and after its data hook, and the tables the hook sees. */
export interface RevisionPhases {
  additive: string[];
  destructive: string[];
  /**
   * The touched tables as the data hook finds them (after the additive
   * steps, before the destructive ones), frozen into the revision file.
   */
  frozen?: FrozenTables;
}

export interface AutogenerateOptions extends CompareOptions {
  /** Which driver's value types the frozen table types use; without it they cover both dialects. */
  dialect?: DialectName;
}

export interface AutogenerateResult {
  /** Source lines for the revision's upgrade(): additive before the data hook, destructive after it. */
  upgrade: RevisionPhases;
  /** The exact inverse of the upgrade, split the same way. */
  downgrade: RevisionPhases;
  /** The upgrade operations in run order (additive, then destructive). */
  operations: Operation[];
  /** How many of `operations` are additive, i.e. run before the data hook. */
  additiveCount: number;
  /** One line per upgrade operation that can lose data or fail on existing data. */
  warnings: string[];
}

interface Phased {
  additive: Operation[];
  destructive: Operation[];
}

/**
 * A batch whose every step runs as a plain ALTER without knowing the table
 * (an index created or dropped, a column renamed, a column added with no
 * default or a constant one) never rebuilds it, online or with `--sql`: it needs no
 * frozen shape, and the revision is shorter without one.
 */
const CONSTANT_DEFAULT = /^(?:[-+]?\d+(?:\.\d+)?|'(?:[^']|'')*'|true|false|null)$/i;

function needsShape(op: TableScopedOp): boolean {
  switch (op.kind) {
    case 'createIndex':
    case 'dropIndex':
    case 'renameColumn':
      return false;
    case 'addColumn': {
      // SQLite's ADD COLUMN takes a constant default (NOT NULL only with a non-NULL one); anything else rebuilds.
      const d = op.column.default?.trim();
      if (op.column.autoincrement) return true;
      if (d === undefined) return !op.column.nullable;
      return !CONSTANT_DEFAULT.test(d) || (!op.column.nullable && /^null$/i.test(d));
    }
    default:
      return true;
  }
}

function withoutNeedlessShape(op: Operation): Operation {
  if (op.kind !== 'batchAlterTable' || !op.shape || op.recreate === 'always' || op.ops.some(needsShape)) return op;
  const { shape: _shape, ...rest } = op;
  return rest;
}

/** Split, then fill in batch shapes and enum usages for the order the operations really run in. */
function phase(ops: Operation[], start: DatabaseModel): Phased {
  const { additive, destructive } = splitPhases(ops);
  const filled = withRunTimeContext([...additive, ...destructive], start).map(withoutNeedlessShape);
  return { additive: filled.slice(0, additive.length), destructive: filled.slice(additive.length) };
}

/** Lines for one phase, with a note where a NOT NULL column is completed after the back-fill. */
function renderPhase(ops: Operation[], earlier: Operation[], notes: (op: Operation) => string[] = () => []): string[] {
  const flat = (list: Operation[]) => list.flatMap((o): Operation[] => (o.kind === 'batchAlterTable' ? o.ops : [o]));
  const lines: string[] = [];
  ops.forEach((op, i) => {
    const before = flat([...earlier, ...ops.slice(0, i)]);
    for (const alter of flat([op])) {
      if (alter.kind === 'alterColumn' && before.some((prev) => isBackfillPair(prev, alter))) {
        lines.push(
          `// NOTE: "${qualifiedName(alter.table)}"."${alter.from.name}" was added as nullable above so existing rows can be back-filled; it becomes NOT NULL here.`,
        );
      }
    }
    for (const inner of flat([op])) lines.push(...notes(inner));
    lines.push(...renderOperations([op]));
  });
  return lines;
}

/**
 * A downgrade that brings back a dropped NOT NULL column (no default) would
 * fail on any table with rows, and its data hook would run before the column
 * exists. Split it the way compare splits an upgrade's new NOT NULL column:
 * added nullable (before the hook, which can fill it), made NOT NULL after.
 */
function withBackfillPairs(ops: Operation[]): Operation[] {
  const split = (op: TableScopedOp): TableScopedOp[] => {
    if (op.kind !== 'addColumn' || op.column.nullable || op.column.default !== undefined || op.column.autoincrement) return [op];
    const loose = { ...op.column, nullable: true };
    return [
      { ...op, column: loose },
      { kind: 'alterColumn', table: op.table, from: loose, to: op.column },
    ];
  };
  return ops.flatMap((op): Operation[] => {
    if (op.kind === 'addColumn') return split(op);
    if (op.kind === 'batchAlterTable') return [{ ...op, ops: op.ops.flatMap(split) }];
    return [op];
  });
}

const flatten = (ops: Operation[]): Operation[] => ops.flatMap((o): Operation[] => (o.kind === 'batchAlterTable' ? o.ops : [o]));

/**
 * A downgrade brings back the tables and columns the upgrade dropped, but not
 * what was in them: say so where it happens, so nobody mistakes the downgrade
 * for a restore.
 */
function dataLossNotes(upgrade: Operation[]): (op: Operation) => string[] {
  const tables = new Set<string>();
  const columns = new Set<string>();
  for (const op of flatten(upgrade)) {
    if (op.kind === 'dropTable') tables.add(qualifiedName(op.table));
    if (op.kind === 'dropColumn') columns.add(`${qualifiedName(op.table)}\0${op.column.name}`);
  }
  return (op) => {
    if (op.kind === 'createTable' && tables.has(qualifiedName(op.table))) {
      return [`// NOTE: data in "${qualifiedName(op.table)}" is not restored: the upgrade dropped the table; it comes back empty.`];
    }
    if (op.kind === 'addColumn' && columns.has(`${qualifiedName(op.table)}\0${op.column.name}`)) {
      return [
        `// NOTE: data in "${qualifiedName(op.table)}"."${op.column.name}" is not restored: the upgrade dropped the column; it comes back ${op.column.default !== undefined ? 'holding its default' : 'empty'} (fill it in downgradeData).`,
      ];
    }
    return [];
  };
}

/**
 * An extension the schema does not list but needs (see ExtensionModel.requiredBy):
 * say so where the upgrade creates it and where the downgrade drops it again.
 */
function extensionNotes(target: DatabaseModel): (op: Operation) => string[] {
  const needed = new Map((target.extensions ?? []).flatMap((x) => (x.requiredBy ? [[x.name, x.requiredBy] as const] : [])));
  return (op) => {
    if (op.kind === 'createExtension' && needed.has(op.extension.name)) {
      return [
        `// NOTE: extension "${op.extension.name}" is not in the datasource's extensions, but ${needed.get(op.extension.name)} needs it; created first.`,
      ];
    }
    if (op.kind === 'dropExtension' && needed.has(op.extension.name)) {
      return [
        `// NOTE: extension "${op.extension.name}" was created by the upgrade (${needed.get(op.extension.name)} needs it), so it goes again:`,
        '// without CASCADE, PostgreSQL refuses while anything else still uses it, so nothing of yours is dropped with it.',
      ];
    }
    return [];
  };
}

const bothNotes = (a: (op: Operation) => string[], b: (op: Operation) => string[]) => (op: Operation) => [...a(op), ...b(op)];

/** `{ frozen }` with the tables `ops` touch as the data hook sees them (`model`); `{}` when they touch none. */
function frozenFor(model: DatabaseModel, ops: Operation[], dialect: DialectName | undefined): { frozen?: FrozenTables } {
  const frozen = freezeTables(model, touchedTables(ops), dialect);
  return frozen.tables.length > 0 ? { frozen } : {};
}

/** Alembic's autogenerate: compare, order, split into phases, invert for the downgrade, render. */
export function autogenerate(current: DatabaseModel, target: DatabaseModel, options: AutogenerateOptions): AutogenerateResult {
  const ordered = orderOperations(compareModels(current, target, options), { preferBatch: options.preferBatch });
  const up = phase(ordered, current);
  const operations = [...up.additive, ...up.destructive];
  // The downgrade starts from what the upgrade leaves (kept tables and columns included).
  const afterUpgrade = applyAllToModel(current, operations);
  const inverted = withBackfillPairs(invertOperations(operations));
  const downOps = options.implicitForeignKeyIndexes && !options.preferBatch ? implicitForeignKeyIndexes(inverted, afterUpgrade, current) : inverted;
  const down = phase(downOps, afterUpgrade);
  const warnings = operations.map(describeRisk).filter((w): w is string => w !== undefined);
  const extensions = extensionNotes(target);
  const notes = bothNotes(dataLossNotes(operations), extensions);
  return {
    upgrade: {
      additive: renderPhase(up.additive, [], extensions),
      destructive: renderPhase(up.destructive, up.additive, extensions),
      ...frozenFor(applyAllToModel(current, up.additive), operations, options.dialect),
    },
    downgrade: {
      additive: renderPhase(down.additive, [], notes),
      destructive: renderPhase(down.destructive, down.additive, notes),
      ...frozenFor(applyAllToModel(afterUpgrade, down.additive), downOps, options.dialect),
    },
    operations,
    additiveCount: up.additive.length,
    warnings,
  };
}
