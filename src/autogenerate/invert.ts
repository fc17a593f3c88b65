import { ReviseError } from '../errors.js';
import type { Operation, TableScopedOp } from '../operations/types.js';
import { applyToShape } from './shape.js';

/** The operation that undoes `op` (Alembic's reverse()). Raw SQL cannot be undone: it throws. */
export function invertOperation(op: Operation): Operation {
  switch (op.kind) {
    case 'createTable':
      return { kind: 'dropTable', table: op.table };
    case 'dropTable':
      return { kind: 'createTable', table: op.table };
    case 'renameTable':
      return { ...op, from: op.to, to: op.from };
    case 'addColumn':
      return { kind: 'dropColumn', table: op.table, column: op.column };
    case 'dropColumn':
      return { kind: 'addColumn', table: op.table, column: op.column };
    case 'renameColumn':
      return { ...op, from: op.to, to: op.from };
    case 'alterColumn':
      // A USING expression only works in its own direction.
      return { kind: 'alterColumn', table: op.table, from: op.to, to: op.from };
    case 'createIndex':
      return { kind: 'dropIndex', table: op.table, index: op.index };
    case 'dropIndex':
      return { kind: 'createIndex', table: op.table, index: op.index };
    case 'renameIndex':
      return { ...op, from: op.to, to: op.from };
    case 'addForeignKey':
      return { kind: 'dropForeignKey', table: op.table, foreignKey: op.foreignKey };
    case 'dropForeignKey':
      return { kind: 'addForeignKey', table: op.table, foreignKey: op.foreignKey };
    case 'addPrimaryKey':
      return { kind: 'dropPrimaryKey', table: op.table, primaryKey: op.primaryKey };
    case 'dropPrimaryKey':
      return { kind: 'addPrimaryKey', table: op.table, primaryKey: op.primaryKey };
    case 'createEnum':
      return { kind: 'dropEnum', enum: op.enum };
    case 'dropEnum':
      return { kind: 'createEnum', enum: op.enum };
    case 'alterEnum':
      return { ...op, from: op.to, to: op.from };
    case 'renameEnumValue':
      return { ...op, from: op.to, to: op.from };
    case 'createExtension':
      return { kind: 'dropExtension', extension: op.extension };
    case 'dropExtension':
      return { kind: 'createExtension', extension: op.extension };
    case 'alterExtension':
      return { ...op, from: op.to, to: op.from };
    case 'execute':
      throw new ReviseError('op.execute() cannot be inverted automatically; write its downgrade by hand.');
    case 'batchAlterTable': {
      const inverse: Operation = { ...op, ops: [...op.ops].reverse().map((o) => invertOperation(o) as TableScopedOp) };
      if (op.shape) inverse.shape = op.ops.reduce(applyToShape, op.shape);
      return inverse;
    }
  }
}

/** The downgrade of a sequence: each operation inverted, last first. */
export function invertOperations(ops: Operation[]): Operation[] {
  return [...ops].reverse().map(invertOperation);
}
