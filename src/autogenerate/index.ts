import type { DatabaseModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import type { Operation } from '../operations/types.js';
import { compareModels, type CompareOptions } from './compare.js';
import { withRunTimeContext } from './context.js';
import { invertOperations } from './invert.js';
import { isBackfillPair, orderOperations, splitPhases } from './order.js';
import { describeRisk, renderOperations } from './render.js';
import { applyAllToModel } from './shape.js';

export { compareModels, type CompareOptions } from './compare.js';
export { invertOperation, invertOperations } from './invert.js';
export { orderOperations, splitPhases, isDestructive } from './order.js';
export { describeRisk, renderOperation, renderOperations } from './render.js';
export { applyAllToModel, applyToModel, applyToShape } from './shape.js';
export { recordOperations } from './record.js';

export interface AutogenerateResult {
  /** Source lines for the revision's upgrade(): additive before the data hook, destructive after it. */
  upgrade: { additive: string[]; destructive: string[] };
  /** The exact inverse of the upgrade, split the same way. */
  downgrade: { additive: string[]; destructive: string[] };
  /** The upgrade operations in run order (additive, then destructive). */
  operations: Operation[];
  /** One line per upgrade operation that can lose data or fail on existing data. */
  warnings: string[];
}

interface Phased {
  additive: Operation[];
  destructive: Operation[];
}

/** Split, then fill in batch shapes and enum usages for the order the operations really run in. */
function phase(ops: Operation[], start: DatabaseModel): Phased {
  const { additive, destructive } = splitPhases(ops);
  const filled = withRunTimeContext([...additive, ...destructive], start);
  return { additive: filled.slice(0, additive.length), destructive: filled.slice(additive.length) };
}

/** Lines for one phase, with a note where a NOT NULL column is completed after the back-fill. */
function renderPhase(ops: Operation[], earlier: Operation[]): string[] {
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
    lines.push(...renderOperations([op]));
  });
  return lines;
}

/** Alembic's autogenerate: compare, order, split into phases, invert for the downgrade, render. */
export function autogenerate(current: DatabaseModel, target: DatabaseModel, options: CompareOptions): AutogenerateResult {
  const ordered = orderOperations(compareModels(current, target, options), { preferBatch: options.preferBatch });
  const up = phase(ordered, current);
  const operations = [...up.additive, ...up.destructive];
  // The downgrade starts from what the upgrade leaves (kept tables and columns included).
  const down = phase(invertOperations(operations), applyAllToModel(current, operations));
  const warnings = operations.map(describeRisk).filter((w): w is string => w !== undefined);
  return {
    upgrade: { additive: renderPhase(up.additive, []), destructive: renderPhase(up.destructive, up.additive) },
    downgrade: { additive: renderPhase(down.additive, []), destructive: renderPhase(down.destructive, down.additive) },
    operations,
    warnings,
  };
}
