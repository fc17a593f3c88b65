import type { DatabaseModel } from '../model/types.js';
import type { AlterEnumOp, Operation } from '../operations/types.js';
import { canonicalEnum, canonicalExtension, canonicalTable, sameRef, tableRef } from './canonical.js';
import { applyToModel } from './shape.js';

/**
 * Fill in what depends on the exact moment an operation runs, by walking the
 * final sequence from the starting model: a batch's frozen `shape` (the table
 * just before it) and an enum change's `usages` (the columns of that type just
 * then, with their defaults).
 */
export function withRunTimeContext(ops: Operation[], start: DatabaseModel): Operation[] {
  let model: DatabaseModel = { tables: start.tables.map(canonicalTable), enums: start.enums.map(canonicalEnum) };
  if (start.extensions) model.extensions = start.extensions.map(canonicalExtension);
  const out: Operation[] = [];
  for (const op of ops) {
    let filled: Operation = op;
    if (op.kind === 'batchAlterTable') {
      const table = model.tables.find((t) => sameRef(t, op.table));
      filled = table ? { ...op, shape: canonicalTable(table) } : op;
    } else if (op.kind === 'alterEnum') {
      const usages: NonNullable<AlterEnumOp['usages']> = [];
      for (const t of model.tables) {
        for (const c of t.columns) {
          if (!c.enumType || !sameRef(c.enumType, op)) continue;
          const usage: NonNullable<AlterEnumOp['usages']>[number] = { table: tableRef(t), column: c.name };
          if (c.default !== undefined) usage.default = c.default;
          if (c.isList) usage.isList = true;
          usages.push(usage);
        }
      }
      const { usages: _old, ...rest } = op;
      filled = usages.length > 0 ? { ...rest, usages } : rest;
    }
    out.push(filled);
    if (filled.kind !== 'execute') model = applyToModel(model, filled);
  }
  return out;
}
