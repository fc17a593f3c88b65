import { qualifiedName } from '../model/types.js';
import type { Operation, TableRef } from '../operations/types.js';

/**
 * What autogenerate found, one phrase per change, in Alembic's words
 * ("added table 'Post'", "removed column 'User.age'"). The CLI logs them as
 * `Detected <phrase>` and `check` lists them.
 */
export function describeOperations(operations: readonly Operation[]): string[] {
  return operations.flatMap((op) => describeOperation(op));
}

export function describeOperation(op: Operation): string[] {
  switch (op.kind) {
    case 'createTable':
      return [`added table '${qualifiedName(op.table)}'`];
    case 'dropTable':
      return [`removed table '${qualifiedName(op.table)}'`];
    case 'renameTable':
      return [`renamed table '${qualifiedName({ schema: op.schema, name: op.from })}' to '${op.to}'`];
    case 'addColumn':
      return [`added column '${col(op.table, op.column.name)}'`];
    case 'dropColumn':
      return [`removed column '${col(op.table, op.column.name)}'`];
    case 'renameColumn':
      return [`renamed column '${col(op.table, op.from)}' to '${op.to}'`];
    case 'alterColumn': {
      const where = col(op.table, op.from.name);
      const phrases: string[] = [];
      const fromType = `${op.from.type}${op.from.isList ? '[]' : ''}`;
      const toType = `${op.to.type}${op.to.isList ? '[]' : ''}`;
      if (fromType !== toType) phrases.push(`type change from '${fromType}' to '${toType}' on '${where}'`);
      if (op.from.nullable !== op.to.nullable) phrases.push(`${op.to.nullable ? 'NULL' : 'NOT NULL'} on column '${where}'`);
      if ((op.from.default ?? null) !== (op.to.default ?? null)) phrases.push(`server default changed on column '${where}'`);
      if (Boolean(op.from.autoincrement) !== Boolean(op.to.autoincrement)) phrases.push(`autoincrement change on column '${where}'`);
      return phrases.length > 0 ? phrases : [`changed column '${where}'`];
    }
    case 'createIndex':
      return [`added ${op.index.unique ? 'unique index' : 'index'} '${op.index.name}' on '${tbl(op.table)}(${op.index.columns.map((c) => c.name).join(', ')})'`];
    case 'dropIndex':
      return [`removed ${op.index.unique ? 'unique index' : 'index'} '${op.index.name}' on '${tbl(op.table)}'`];
    case 'renameIndex':
      return [`renamed index '${op.from}' to '${op.to}' on '${tbl(op.table)}'`];
    case 'addForeignKey':
      return [`added foreign key (${op.foreignKey.columns.join(', ')})(${op.foreignKey.referencedColumns.join(', ')}) on table ${tbl(op.table)}`];
    case 'dropForeignKey':
      return [`removed foreign key (${op.foreignKey.columns.join(', ')})(${op.foreignKey.referencedColumns.join(', ')}) on table ${tbl(op.table)}`];
    case 'addPrimaryKey':
      return [`added primary key (${op.primaryKey.columns.join(', ')}) on table ${tbl(op.table)}`];
    case 'dropPrimaryKey':
      return [`removed primary key (${op.primaryKey.columns.join(', ')}) on table ${tbl(op.table)}`];
    case 'createEnum':
      return [`added enum '${qualifiedName(op.enum)}'`];
    case 'dropEnum':
      return [`removed enum '${qualifiedName(op.enum)}'`];
    case 'alterEnum':
      return [`changed values of enum '${qualifiedName(op)}'`];
    case 'renameEnumValue':
      return [`renamed value '${op.from}' to '${op.to}' of enum '${qualifiedName(op)}'`];
    case 'createExtension':
      return [`added extension '${op.extension.name}'`];
    case 'dropExtension':
      return [`removed extension '${op.extension.name}'`];
    case 'alterExtension': {
      const phrases: string[] = [];
      if (op.from.version !== op.to.version) phrases.push(`version change from '${op.from.version ?? ''}' to '${op.to.version ?? ''}' of extension '${op.name}'`);
      if (op.from.schema !== op.to.schema) phrases.push(`schema change from '${op.from.schema ?? ''}' to '${op.to.schema ?? ''}' of extension '${op.name}'`);
      return phrases.length > 0 ? phrases : [`changed extension '${op.name}'`];
    }
    case 'execute':
      return [];
    case 'batchAlterTable':
      return op.ops.flatMap((inner) => describeOperation(inner));
  }
}

function tbl(table: TableRef): string {
  return qualifiedName(table);
}

function col(table: TableRef, column: string): string {
  return `${qualifiedName(table)}.${column}`;
}
