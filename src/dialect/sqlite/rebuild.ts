import type { TableModel } from '../../model/types.js';
import type { Statement } from '../types.js';
import { isAutoIndex, renderCreateIndex, renderCreateTable } from './render.js';
import type { ShapeState } from './shape.js';
import { isConstantDefault, quoteIdentifier as q } from './sql.js';

/**
 * Copy-and-move, the way Prisma's engine redefines a SQLite table (and
 * Alembic's batch mode does): create `new_<T>` with the new shape, copy the
 * rows, drop the old table, rename, recreate the indexes. Foreign keys of
 * other tables keep pointing at `<T>` by name; the runner keeps
 * `foreign_keys` OFF meanwhile and runs `foreign_key_check` before commit.
 */
export function rebuildTable(old: TableModel, state: ShapeState): Statement[] {
  const next = state.table;
  const temp = `new_${next.name}`;
  const statements: Statement[] = [{ sql: renderCreateTable(next, temp) }];

  const targets: string[] = [];
  const sources: string[] = [];
  for (const col of next.columns) {
    const from = state.sources.get(col.name);
    if (from === undefined) continue; // new column: its default (or NULL) fills it
    const oldCol = old.columns.find((c) => c.name === from);
    let expr = q(from);
    // A column turning NOT NULL takes its default where the old value is NULL.
    if (oldCol?.nullable && !col.nullable && col.default !== undefined && isConstantDefault(col.default) && !/^null$/i.test(col.default)) {
      expr = `COALESCE(${expr}, ${col.default})`;
    }
    targets.push(q(col.name));
    sources.push(expr);
  }
  if (targets.length > 0) {
    statements.push({ sql: `INSERT INTO ${q(temp)} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${q(old.name)}` });
  }
  statements.push({ sql: `DROP TABLE ${q(old.name)}` });
  // Legacy rename: SQLite would otherwise re-check every view and trigger and
  // fail on those that name the (now dropped) table; nothing else refers to new_<T>.
  statements.push({ sql: 'PRAGMA legacy_alter_table=ON' });
  statements.push({ sql: `ALTER TABLE ${q(temp)} RENAME TO ${q(next.name)}` });
  statements.push({ sql: 'PRAGMA legacy_alter_table=OFF' });
  for (const index of next.indexes) {
    if (!isAutoIndex(index.name)) statements.push({ sql: renderCreateIndex(next.name, index) });
  }
  return statements;
}
