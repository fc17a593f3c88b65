import { autogenerate, type RevisionPhases } from '../autogenerate/index.js';
import { withRiskSettings } from '../autogenerate/risk.js';
import type { Dialect } from '../dialect/types.js';
import { qualifiedName, type DatabaseModel } from '../model/types.js';
import type { Operation } from '../operations/types.js';
import { nextOrder } from './history.js';
import type { ReplayedMigration } from './replay.js';
import { dropStatement, leadingWords, renamesIn, unmodelledChanges, unquote, writesData, type UnmodelledObject } from './statements.js';

/**
 * The downgrade of one imported migration: the schema as it was before
 * (introspected on the scratch database) reached from the schema after it by
 * revise's own autogenerate, with the renames the statements spell out kept
 * as renames; around it, what the table model cannot see: objects the
 * migration created are dropped, earlier definitions of what it replaced or
 * dropped are run again, each before or after the compared steps as
 * dependencies between tables and those objects require.
 */
export interface PlannedDowngrade {
  steps: RevisionPhases;
  /** Raw statements run before the compared steps and after them: drops of created objects, earlier definitions. */
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

/** Objects tables can depend on: dropped after the compared steps, put back before them. */
const DEPENDENCIES = new Set(['FUNCTION', 'PROCEDURE', 'SEQUENCE', 'DOMAIN', 'TYPE']);

/** `CREATE FUNCTION ...` as `CREATE OR REPLACE FUNCTION ...`, to put back a definition over the one that replaced it. */
function orReplace(sql: string): string {
  return sql.replace(/^((?:\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*CREATE)\s+(?!OR\s+REPLACE\b)(?=(FUNCTION|PROCEDURE)\b)/i, '$1 OR REPLACE ');
}

/** Statements the table model accounts for: their effect is compared, nothing needs saying. */
const MODELLED =
  /^(CREATE (UNIQUE |FULLTEXT |SPATIAL )?INDEX|DROP INDEX|ALTER INDEX|REINDEX|CREATE TABLE|DROP TABLE|ALTER TABLE|RENAME TABLE|CREATE TYPE|ALTER TYPE|DROP TYPE|CREATE EXTENSION|DROP EXTENSION|ALTER EXTENSION|PRAGMA|CREATE SCHEMA|CREATE VIRTUAL TABLE|ANALYZE|VACUUM)\b/;

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
  const loose = pg ? foreignKeysOverTypeChanges(after, before) : [];
  const start = loose.length === 0 ? after : withoutForeignKeys(after, loose);
  // The dialect's own risk notes too (a type change PostgreSQL cannot cast), as autogenerate writes them.
  const result = withRiskSettings({ dialect, existingTables: new Set(start.tables.map(qualifiedName)) }, () =>
    autogenerate(start, before, {
      preferBatch: dialect.preferBatch,
      // MySQL refuses to change the type of a column a foreign key names (either end): those keys go first, come back after.
      ...(dialect.foreignKeysPinColumnTypes ? { foreignKeysPinColumnTypes: true } : {}),
      ...(dialect.implicitForeignKeyIndexes ? { implicitForeignKeyIndexes: true } : {}),
      renames,
      dialect: dialect.name,
      exact: true,
    }),
  );

  const warnings: string[] = [];
  const first: string[] = [];
  const last: string[] = [];
  let irreversible: string | undefined;
  const touched = new Map<string, { object: UnmodelledObject; previous?: { sql: string; order: number } }>();
  const created = new Set(after.tables.filter((t) => !before.tables.some((b) => qualifiedName(b) === qualifiedName(t))).map((t) => t.name));
  const dataWrites: string[] = [];
  const notUndone: string[] = [];
  for (const sql of sqls) {
    const unmodelled = unmodelledChanges(sql, pg);
    for (const { object, action, sql: own } of unmodelled) {
      const known = history.get(object.key);
      if (!touched.has(object.key)) touched.set(object.key, { object, ...(known ? { previous: { sql: known.sql, order: known.order } } : {}) });
      if (action === 'drop') {
        if (!known && !MODEL_MAY_OWN.has(object.kind) && !/\bIF\s+EXISTS\b/i.test(own)) {
          irreversible ??= `it drops ${object.kind.toLowerCase()} ${object.name}, whose definition is not in the imported history`;
        }
        history.delete(object.key);
      } else history.set(object.key, { object, sql: own, order: known?.order ?? nextOrder(history) });
    }
    if (unmodelled.length > 0) continue;
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
  // Tables may depend on functions, sequences, domains and types (a default, a column type); views,
  // triggers, policies and constraints depend on tables. So before the compared steps: dependents the
  // migration created go (newest first) and earlier definitions of dependencies come back; after them:
  // dependencies it created go, earlier definitions of dependents come back (oldest first).
  const isDependency = (o: UnmodelledObject) => DEPENDENCIES.has(o.kind);
  const exists = (o: UnmodelledObject) => history.has(o.key);
  const entries = [...touched.values()];
  const drops = (dependency: boolean) =>
    [...entries].reverse().filter((t) => isDependency(t.object) === dependency && exists(t.object) && !(dependency && t.previous)).map((t) => dropStatement(t.object, dialect.name));
  const restores = (dependency: boolean) =>
    entries
      .filter((t): t is typeof t & { previous: { sql: string; order: number } } => t.previous !== undefined && isDependency(t.object) === dependency)
      .sort((a, b) => a.previous.order - b.previous.order)
      // A dependency still there (replaced) is replaced back; a dependent was dropped just before.
      .map((t) => (dependency && exists(t.object) ? orReplace(t.previous.sql) : t.previous.sql));
  // Foreign keys over a column whose type changes back go first and come back with the compared steps.
  const q = dialect.quoteIdentifier;
  first.push(...loose.map(({ table, name }) => `ALTER TABLE ${table.schema ? `${q(table.schema)}.` : ''}${q(table.name)} DROP CONSTRAINT ${q(name)}`));
  // PostgreSQL refuses to change the type of a column a trigger names (`UPDATE OF`, `WHEN`): the
  // triggers the history left on a table whose column types change back go first and come back last.
  const retyped = pg ? tablesWithTypeChanges(after, before) : new Set<string>();
  const inTheWay = [...history.values()]
    .filter(({ object }) => object.kind === 'TRIGGER' && object.on !== undefined && !touched.has(object.key) && retyped.has(unquote(object.on.split('.').pop()!, pg)))
    .sort((a, b) => a.order - b.order);
  first.push(...[...inTheWay].reverse().map(({ object }) => dropStatement(object, dialect.name)));
  first.push(...drops(false), ...restores(true));
  last.push(...drops(true), ...restores(false), ...inTheWay.map(({ sql }) => sql));
  // Compare never drops an extension (Prisma's engine leaves them); one the migration created goes last.
  for (const x of after.extensions ?? []) {
    if (!(before.extensions ?? []).some((b) => b.name === x.name)) last.push(`DROP EXTENSION IF EXISTS ${q(x.name)}`);
  }

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

function findTable(model: DatabaseModel, schema: string | undefined, name: string) {
  return model.tables.find((t) => t.name === name && t.schema === schema);
}

/**
 * Whether a column of `after` has another type in `before`: another type, a
 * list or not, or an enum whose values differ (made anew, so every column of
 * it is altered, one at a time).
 */
function typeChangeTest(after: DatabaseModel, before: DatabaseModel): (schema: string | undefined, table: string, column: string) => boolean {
  const enumValues = (model: DatabaseModel, ref: { schema?: string; name: string }) =>
    model.enums.find((e) => e.name === ref.name && e.schema === ref.schema)?.values.join('\0');
  return (schema, table, column) => {
    const now = findTable(after, schema, table)?.columns.find((c) => c.name === column);
    const was = findTable(before, schema, table)?.columns.find((c) => c.name === column);
    if (now === undefined || was === undefined) return false;
    if (now.type !== was.type || !!now.isList !== !!was.isList) return true;
    return now.enumType !== undefined && enumValues(after, now.enumType) !== enumValues(before, now.enumType);
  };
}

/** Names of the tables of `after` with a column whose type `before` has otherwise. */
function tablesWithTypeChanges(after: DatabaseModel, before: DatabaseModel): Set<string> {
  const changed = typeChangeTest(after, before);
  return new Set(after.tables.filter((t) => t.columns.some((c) => changed(t.schema, t.name, c.name))).map((t) => t.name));
}

/**
 * PostgreSQL refuses to change a column's type while a foreign key joins it
 * to a column of the old type (an enum with other values is a new type). The foreign keys (of `after`) on either end of
 * a column whose type differs in `before`, and that `before` has too.
 */
function foreignKeysOverTypeChanges(after: DatabaseModel, before: DatabaseModel): Array<{ table: { schema?: string; name: string }; name: string }> {
  const changed = typeChangeTest(after, before);
  const out: Array<{ table: { schema?: string; name: string }; name: string }> = [];
  for (const t of after.tables) {
    for (const fk of t.foreignKeys) {
      const refSchema = fk.referencedSchema ?? t.schema;
      const touches = fk.columns.some((c) => changed(t.schema, t.name, c)) || fk.referencedColumns.some((c) => changed(refSchema, fk.referencedTable, c));
      if (touches && findTable(before, t.schema, t.name)?.foreignKeys.some((x) => x.name === fk.name)) {
        out.push({ table: t.schema ? { schema: t.schema, name: t.name } : { name: t.name }, name: fk.name });
      }
    }
  }
  return out;
}

function withoutForeignKeys(model: DatabaseModel, drop: Array<{ table: { schema?: string; name: string }; name: string }>): DatabaseModel {
  const gone = new Set(drop.map((d) => `${qualifiedName(d.table)}\0${d.name}`));
  return { ...model, tables: model.tables.map((t) => ({ ...t, foreignKeys: t.foreignKeys.filter((fk) => !gone.has(`${qualifiedName(t)}\0${fk.name}`)) })) };
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
