import { autogenerate, type RevisionPhases } from '../autogenerate/index.js';
import type { Dialect } from '../dialect/types.js';
import { qualifiedName, type DatabaseModel } from '../model/types.js';
import type { Operation } from '../operations/types.js';
import { nextOrder } from './history.js';
import type { ReplayedMigration } from './replay.js';
import { dropStatement, leadingWords, renamesIn, unmodelledStatement, unquote, writesData, type UnmodelledObject } from './statements.js';

/**
 * The downgrade of one imported migration: the schema as it was before
 * (introspected on the scratch database) reached from the schema after it by
 * revise's own autogenerate, with the renames the statements spell out kept
 * as renames; around it, what the table model cannot see: objects the
 * migration created are dropped first, earlier definitions of what it
 * replaced or dropped are run again last.
 */
export interface PlannedDowngrade {
  steps: RevisionPhases;
  /** Raw statements run before the compared steps (drops of created objects) and after them (earlier definitions). */
  first: string[];
  last: string[];
  /** `// WARNING:` lines: what the downgrade cannot give back. */
  warnings: string[];
  /** Why nothing can invert the migration; undefined when the downgrade is complete. */
  irreversible?: string;
  /** The downgrade's operations, in run order. */
  operations: Operation[];
}

/** Definitions of objects outside the table model, by key, as the history so far left them. */
export type UnmodelledHistory = Map<string, { object: UnmodelledObject; sql: string; order: number }>;

/** Kinds a DROP names that may be the model's own (a foreign key, an enum type, a serial's sequence). */
const MODEL_MAY_OWN = new Set(['CONSTRAINT', 'TYPE', 'SEQUENCE']);

/** Statements the table model accounts for: their effect is compared, nothing needs saying. */
const MODELLED =
  /^(CREATE (UNIQUE )?INDEX|DROP INDEX|ALTER INDEX|REINDEX|CREATE TABLE|DROP TABLE|ALTER TABLE|CREATE TYPE|ALTER TYPE|DROP TYPE|CREATE EXTENSION|DROP EXTENSION|ALTER EXTENSION|PRAGMA|CREATE SCHEMA|CREATE VIRTUAL TABLE|ANALYZE|VACUUM)\b/;

export function planDowngrade(
  replayed: ReplayedMigration,
  before: DatabaseModel,
  after: DatabaseModel,
  history: UnmodelledHistory,
  dialect: Dialect,
): PlannedDowngrade {
  const pg = dialect.name === 'postgresql';
  const sqls = replayed.statements.map((s) => s.sql);
  const renames = compareRenames(renamesIn(sqls, pg), before, after);
  const result = autogenerate(after, before, { preferBatch: dialect.preferBatch, renames, dialect: dialect.name, enumOrder: true });

  const warnings: string[] = [];
  const first: string[] = [];
  const last: string[] = [];
  let irreversible: string | undefined;
  const touched = new Map<string, { object: UnmodelledObject; previous?: { sql: string; order: number } }>();
  const created = new Set(after.tables.filter((t) => !before.tables.some((b) => qualifiedName(b) === qualifiedName(t))).map((t) => t.name));
  const dataWrites: string[] = [];
  const notUndone: string[] = [];
  for (const sql of sqls) {
    const unmodelled = unmodelledStatement(sql, pg);
    if (unmodelled) {
      const { object, action } = unmodelled;
      const known = history.get(object.key);
      if (!touched.has(object.key)) touched.set(object.key, { object, ...(known ? { previous: { sql: known.sql, order: known.order } } : {}) });
      if (action === 'drop') {
        if (!known && !MODEL_MAY_OWN.has(object.kind) && !/\bIF\s+EXISTS\b/i.test(sql)) {
          irreversible ??= `it drops ${object.kind.toLowerCase()} ${object.name}, whose definition is not in the imported history`;
        }
        history.delete(object.key);
      } else history.set(object.key, { object, sql, order: known?.order ?? nextOrder(history) });
      continue;
    }
    const write = writesData(sql);
    if (write) {
      const table = unquote(write.table?.split('.').pop() ?? '', pg);
      // Rows copied into a table this migration creates (SQLite's table redefinition) go with the table.
      if (!(write.kind === 'INSERT' && (created.has(table) || table.startsWith('new_')))) dataWrites.push(`${write.kind} ${write.table ?? ''}`.trim());
      continue;
    }
    const words = leadingWords(sql, 4);
    if (!MODELLED.test(words)) notUndone.push(leadingWords(sql, 5).toLowerCase());
  }
  // Created objects go first, newest first; what stood before comes back last, oldest first.
  for (const { object } of [...touched.values()].reverse()) {
    if (history.has(object.key)) first.push(dropStatement(object, dialect.name));
  }
  const previous = [...touched.values()].flatMap((t) => (t.previous ? [t.previous] : []));
  for (const p of previous.sort((a, b) => a.order - b.order)) last.push(p.sql);

  for (const op of flatten(result.operations)) {
    if (op.kind === 'createTable') warnings.push(`table "${qualifiedName(op.table)}" comes back empty: the migration dropped it with its rows.`);
    if (op.kind === 'addColumn') {
      warnings.push(`column "${qualifiedName(op.table)}"."${op.column.name}" comes back ${op.column.default !== undefined ? 'holding its default' : 'empty'}: the migration dropped its values (fill it in downgradeData).`);
    }
  }
  if (dataWrites.length > 0) warnings.push(`the migration changes data (${[...new Set(dataWrites)].join(', ')}); the downgrade does not undo that.`);
  for (const what of [...new Set(notUndone)]) warnings.push(`not undone: \`${what} ...\` (revise cannot see what it changed).`);
  return { steps: result.upgrade, first, last, warnings, ...(irreversible ? { irreversible } : {}), operations: result.operations };
}

const flatten = (ops: Operation[]): Operation[] => ops.flatMap((o): Operation[] => (o.kind === 'batchAlterTable' ? o.ops : [o]));

/** The statements' renames, turned around (after -> before) for the compare, where both sides agree. */
function compareRenames(found: ReturnType<typeof renamesIn>, before: DatabaseModel, after: DatabaseModel) {
  const has = (model: DatabaseModel, schema: string | undefined, name: string) => model.tables.find((t) => t.name === name && (schema === undefined || t.schema === schema));
  const tables: Record<string, string> = {};
  const columns: Record<string, Record<string, string>> = {};
  const enumValues: Record<string, Record<string, string>> = {};
  for (const r of found.tables) {
    const now = has(after, r.schema, r.to);
    if (now && has(before, r.schema, r.from) && !has(after, r.schema, r.from)) tables[qualifiedName(now)] = r.from;
  }
  for (const r of found.columns) {
    const now = has(after, r.table.schema, r.table.name);
    if (!now || !now.columns.some((c) => c.name === r.to) || now.columns.some((c) => c.name === r.from)) continue;
    const was = has(before, r.table.schema, tables[qualifiedName(now)] ?? r.table.name);
    if (was?.columns.some((c) => c.name === r.from)) (columns[qualifiedName(now)] ??= {})[r.to] = r.from;
  }
  for (const r of found.enumValues) {
    const e = after.enums.find((x) => x.name === r.type.name && (r.type.schema === undefined || x.schema === r.type.schema));
    if (e) (enumValues[qualifiedName(e)] ??= {})[r.to] = r.from;
  }
  return { tables, columns, enumValues };
}
