import type { DatabaseModel, ForeignKeyModel, IndexModel, TableModel } from '../model/types.js';
import type { Operation } from '../operations/types.js';
import { canonicalForeignKey, sameRef, tableRef } from './canonical.js';

/**
 * MySQL makes a foreign key's index by itself (named after the key) when the
 * key is added and no index can serve it, and drops that index by itself when
 * an index that can serve the key is created later. An index made by CREATE
 * INDEX under the same name looks the same in the catalog but is the table's
 * own: MySQL never drops it. So where a revision brings the key's own index
 * back because the index that served the key goes (a unique key taken off a
 * relation field, Prisma's histories have it), the index is not created: the
 * key is dropped and added again around that drop, as Prisma's engine does,
 * and MySQL makes its index. Otherwise running the same history again after
 * such a downgrade leaves an index a fresh database does not have.
 */
export function implicitForeignKeyIndexes(ops: Operation[], current: DatabaseModel, target: DatabaseModel): Operation[] {
  let out = ops;
  for (const op of ops) {
    if (op.kind !== 'createIndex') continue;
    const before = current.tables.find((t) => sameRef(t, op.table));
    const after = target.tables.find((t) => sameRef(t, op.table));
    const fk = after?.foreignKeys.find((f) => f.name === op.index.name);
    if (!before || !after || !fk || !isKeysOwnIndex(op.index, fk)) continue;
    // The key is there before and after, unchanged by this revision.
    const was = before.foreignKeys.find((f) => f.name === fk.name);
    if (!was || JSON.stringify(canonicalForeignKey(was)) !== JSON.stringify(canonicalForeignKey(fk))) continue;
    if (ops.some((o) => (o.kind === 'dropForeignKey' || o.kind === 'addForeignKey') && sameRef(o.table, op.table) && o.foreignKey.name === fk.name)) continue;
    // Afterwards only its own index serves it, and what serves it now is dropped by this revision.
    if (after.indexes.some((i) => i.name !== fk.name && serves(i, fk)) || servedByPrimaryKey(after, fk)) continue;
    const serving = before.indexes.filter((i) => serves(i, fk));
    const drops = (o: Operation) => o.kind === 'dropIndex' && sameRef(o.table, op.table) && serving.some((i) => i.name === o.index.name);
    if (serving.length === 0 || serving.length !== ops.filter(drops).length) continue;
    // The key goes just before the first of those drops and comes back just after the last.
    const first = out.findIndex(drops);
    const last = out.length - 1 - [...out].reverse().findIndex(drops);
    const drop: Operation = { kind: 'dropForeignKey', table: tableRef(before), foreignKey: canonicalForeignKey(was) };
    const add: Operation = { kind: 'addForeignKey', table: tableRef(after), foreignKey: canonicalForeignKey(fk) };
    out = [...out.slice(0, first), drop, ...out.slice(first, last + 1), add, ...out.slice(last + 1)].filter((o) => o !== op);
  }
  return out;
}

/** The index MySQL would make for the key: its columns, in order, nothing else. */
function isKeysOwnIndex(index: IndexModel, fk: ForeignKeyModel): boolean {
  return (
    !index.unique &&
    !index.using &&
    !index.where &&
    index.columns.length === fk.columns.length &&
    index.columns.every((c, i) => c.name === fk.columns[i] && !c.sort && c.length === undefined && !c.expression)
  );
}

/** An index MySQL can use for the key: the key's columns lead it. */
function serves(index: IndexModel, fk: ForeignKeyModel): boolean {
  return !index.using && fk.columns.every((c, i) => index.columns[i]?.name === c && !index.columns[i]?.expression);
}

function servedByPrimaryKey(table: TableModel, fk: ForeignKeyModel): boolean {
  return !!table.primaryKey && fk.columns.every((c, i) => table.primaryKey!.columns[i] === c);
}
