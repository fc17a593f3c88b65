import { isAbsolute, resolve } from 'node:path';
import { PRISMA_MIGRATIONS_TABLE } from './prisma-migrate.js';
import type { AutogenerateResult, CompareOptions } from '../autogenerate/index.js';
import type { RenameCandidate, RenamePlan, RenameRequests } from '../autogenerate/renames.js';
import type { EnumUsages, NameMap } from '../autogenerate/name-map.js';
import type { Dialect } from '../dialect/types.js';
import type { Operation, TableRef } from '../operations/types.js';
import { requireSchemaPath } from '../config/project.js';
import { ReviseError } from '../errors.js';
import { qualifiedName, type DatabaseModel } from '../model/types.js';
import type { IgnoredObjects } from '../schema/to-model.js';
import type { MigrationEnv } from './runner.js';
import { VERSION_TABLE, VersionTable } from './version-table.js';

/** Prisma Migrate's own bookkeeping table: never compared, never dropped. */

export interface AutogenerateRunOptions {
  /** Prisma schema path (file or folder); default: the project's. */
  schema?: string;
  /** Renames decided by the caller, in database names. */
  renames?: CompareOptions['renames'];
  /** `--rename` requests as written: Prisma names (`Post.title=headline`, `Old=New`, `Role.OLD=NEW`) or database names. */
  renameRequests?: RenameRequests;
  /**
   * Asked about each drop + add that looks like a rename ("Was Post.title
   * renamed to Post.headline? [y/N] "); true makes it a rename. Without it
   * (no terminal) such pairs stay drop + add with a warning.
   */
  ask?: (question: string) => Promise<boolean>;
  /**
   * Compare a database alembic_version records no revision for (`check` before
   * a database is adopted), rather than refusing it as not up to date.
   */
  allowUnstamped?: boolean;
  /**
   * Writing the project's first revision: compare the schema with an empty
   * database even when this one already has tables, so the revision builds
   * the whole schema from base (a revision of only the difference could
   * never build a new database); the existing database is adopted with
   * `stamp` afterwards.
   */
  firstRevisionFromEmpty?: boolean;
}

export interface AutogenerateRun extends AutogenerateResult {
  provider: 'sqlite' | 'postgresql' | 'mysql';
  /** The live database as introspected. */
  current: DatabaseModel;
  /** What the Prisma schema asks for. */
  target: DatabaseModel;
  /** Objects Prisma creates but the DMMF hides; autogenerate leaves them alone. */
  ignored: IgnoredObjects;
  /** Top-level lines for the revision file: the Prisma -> database names of what it touches. */
  preamble: string[];
  /** Drops + adds that looked like renames and were not confirmed (also in `warnings`). */
  unanswered: RenameCandidate[];
  /** Whether alembic_version records any revision (false only with `allowUnstamped`, or with no revisions at all). */
  stamped: boolean;
  /** With `firstRevisionFromEmpty`: the tables the database already has, which the revision was not compared with. */
  notCompared?: string[];
}

/**
 * Alembic's `revision --autogenerate`: the Prisma schema (target) against the
 * live database (current). Refuses, like Alembic, when the database is not at
 * the head revisions: the difference would repeat what pending revisions do.
 */
export async function computeAutogenerate(env: MigrationEnv, options: AutogenerateRunOptions = {}): Promise<AutogenerateRun> {
  const [{ loadSchema }, { schemaToModel }, { autogenerate }] = await Promise.all([
    import('../schema/load.js'),
    import('../schema/to-model.js'),
    import('../autogenerate/index.js'),
  ]);
  const { dialect } = env;
  const loaded = await loadSchema(schemaPathFor(env, options.schema));
  if (loaded.provider !== dialect.name) {
    throw new ReviseError(
      `The Prisma schema's datasource provider is "${loaded.provider}" but the database URL is for ${dialect.name}`,
    );
  }
  const { model: wanted, ignored, warnings: schemaWarnings } = schemaToModel(loaded, dialect.typeMap);
  const excludeTables = [VERSION_TABLE, PRISMA_MIGRATIONS_TABLE, ...env.project.excludeTables];
  // Excluded tables are invisible on both sides (Alembic's include_object).
  const target: DatabaseModel = { ...wanted, tables: wanted.tables.filter((t) => !excludeTables.includes(t.name)) };
  const schemas = loaded.schemas ?? env.schemas;

  // Comparing only reads: a missing SQLite file is compared as an empty database, never created.
  const connection = await dialect.connect(env.url, { ...(schemas ? { schemas } : {}), access: 'read' });
  let current: DatabaseModel;
  let stamped: boolean;
  try {
    const heads = await new VersionTable(connection).read();
    stamped = heads.length > 0;
    const expected = env.scripts.headIds;
    if (!sameSet(heads, expected) && !(options.allowUnstamped && !stamped)) throw new ReviseError('Target database is not up to date.');
    current = await dialect.introspect(connection, {
      ...(schemas ? { schemas } : {}),
      excludeTables,
    });
  } finally {
    await connection.close();
  }
  let notCompared: string[] | undefined;
  if (options.firstRevisionFromEmpty && env.scripts.headIds.length === 0 && !stamped && current.tables.length > 0) {
    notCompared = current.tables.map(qualifiedName);
    current = { tables: [], enums: [] };
  }

  const [{ nameMapFromSchema, recordedNameMap, renderNameMap, touchedNames }, { planRenames, candidateWarning }, { withRiskSettings }, { applyAllToModel }] =
    await Promise.all([
      import('../autogenerate/name-map.js'),
      import('../autogenerate/renames.js'),
      import('../autogenerate/risk.js'),
      import('../autogenerate/shape.js'),
    ]);
  const { names, enumUsages } = nameMapFromSchema(loaded);
  // Only autogenerate reads whole revision files (for their recorded names); nothing is run.
  const recorded = recordedNameMap(env.scripts.all, env.database);
  const { plan, unanswered, warnings: renameWarnings } = await planRenames(
    { current, target, names, ...(recorded ? { recorded } : {}), keep: ignored },
    options.renameRequests ?? { tables: {}, columns: {} },
    options.ask,
    options.renames,
  );

  const start = moveJoinTables(renameEnumTypes(current, plan), plan);
  const enumValues = splitEnumValueRenames(plan, names, enumUsages, start, target, dialect);
  const existingTables = new Set([...start.tables.map(qualifiedName), ...renamedTableKeys(start, plan)]);
  const result = withRiskSettings({ dialect, existingTables }, () =>
    autogenerate(start, target, {
      preferBatch: dialect.preferBatch,
      ...(dialect.foreignKeysPinColumnTypes ? { foreignKeysPinColumnTypes: true } : {}),
      ...(dialect.implicitForeignKeyIndexes ? { implicitForeignKeyIndexes: true } : {}),
      keep: ignored,
      renames: { tables: plan.tables, columns: plan.columns, enumValues: enumValues.inPlace },
      dialect: dialect.name,
    }),
  );

  // Raw steps the operation pipeline cannot invert: enum type renames and join-table moves (multiSchema)
  // first up / last down, stored enum values (TEXT columns) rewritten where their columns have their new names.
  const typeRenames = enumTypeRenameOps(current, plan, dialect);
  const moves = joinTableMoveOps(current, plan, dialect);
  typeRenames.up.push(...moves.up);
  typeRenames.down.unshift(...moves.down);
  const { renderOperation } = await import('../autogenerate/render.js');
  const lines = (ops: Operation[]) => ops.map((op) => renderOperation(op));
  const planWarnings = [...unanswered.map(candidateWarning), ...renameWarnings];
  const warnings = [...schemaWarnings, ...planWarnings, ...result.warnings];
  result.upgrade.additive.unshift(...planWarnings.map((w) => `// WARNING: ${w}`), ...joinTableNotes(plan, current, 'up'), ...lines(typeRenames.up));
  result.downgrade.additive.unshift(...joinTableNotes(plan, current, 'down'));
  // Before the data hook when the additive steps already gave every column its new name, so the
  // hook sees the new values (as on PostgreSQL, where the value is renamed in place); else last.
  const additive = result.operations.slice(0, result.additiveCount);
  const afterAdditive = enumValues.usages.length > 0 ? applyAllToModel(start, additive) : start;
  const valuesFirst = enumValues.usages.every((u) => hasColumn(afterAdditive, u.table, u.column));
  (valuesFirst ? result.upgrade.additive : result.upgrade.destructive).push(...lines(enumValues.up));
  result.downgrade.additive.unshift(...lines(enumValues.down));
  result.downgrade.destructive.push(...lines(typeRenames.down));
  const operations = valuesFirst
    ? [...typeRenames.up, ...additive, ...enumValues.up, ...result.operations.slice(result.additiveCount)]
    : [...typeRenames.up, ...result.operations, ...enumValues.up];
  const preamble = operations.length > 0 ? renderNameMap(touchedNames(names, enumUsages, operations, [...plan.touched]), env.database) : [];
  return { ...result, operations, warnings, provider: dialect.name, current, target, ignored, preamble, unanswered, stamped, ...(notCompared ? { notCompared } : {}) };
}

/** Why a join table's A and B are renamed through a temporary name (the order of its models flipped), and why it changes schema. */
function joinTableNotes(plan: RenamePlan, current: DatabaseModel, direction: 'up' | 'down'): string[] {
  return plan.joinTables
    .filter((j) => j.swap || j.schema !== undefined)
    .map((j) => {
      const [from, to] = direction === 'up' ? [j.name, j.to] : [j.to, j.name];
      const liveSchema = current.tables.find((t) => qualifiedName(t) === j.from)?.schema;
      const changes = [
        ...(j.schema !== undefined ? [`moves to schema "${direction === 'up' ? j.schema : liveSchema}" (the schema of its model A)`] : []),
        ...(from !== to ? [`becomes "${to}"`] : []),
      ];
      const table = [`join table "${from}"`, ...(changes.length > 0 ? [changes.join(' and ')] : [])].join(' ');
      const swap = j.swap ? '; its columns A and B trade places (A points at the model whose name sorts first)' : '';
      return `// NOTE: ${table}${swap}; every row is kept.`;
    });
}

/** The live model with the planned join-table moves done (they run as raw SQL, before the compared operations). */
function moveJoinTables(model: DatabaseModel, plan: RenamePlan): DatabaseModel {
  if (Object.keys(plan.moves).length === 0) return model;
  return { ...model, tables: model.tables.map((t) => (plan.moves[qualifiedName(t)] ? { ...t, schema: plan.moves[qualifiedName(t)]! } : t)) };
}

/** Moving a join table to another schema carries its rows, indexes and constraints along (multiSchema). */
function joinTableMoveOps(current: DatabaseModel, plan: RenamePlan, dialect: Dialect): { up: Operation[]; down: Operation[] } {
  const up: Operation[] = [];
  const down: Operation[] = [];
  for (const [from, schema] of Object.entries(plan.moves)) {
    const t = current.tables.find((x) => qualifiedName(x) === from);
    if (!t?.schema) continue;
    const q = dialect.quoteIdentifier;
    up.push({ kind: 'execute', sql: `ALTER TABLE ${q(t.schema)}.${q(t.name)} SET SCHEMA ${q(schema)}` });
    down.unshift({ kind: 'execute', sql: `ALTER TABLE ${q(schema)}.${q(t.name)} SET SCHEMA ${q(t.schema)}` });
  }
  return { up, down };
}

function renamedTableKeys(current: DatabaseModel, plan: RenamePlan): string[] {
  return Object.entries(plan.tables).map(([from, to]) => qualifiedName({ schema: current.tables.find((t) => qualifiedName(t) === from)?.schema, name: to }));
}

/** The live model with the planned enum type renames already done (they run as raw SQL, outside the compared operations). */
function renameEnumTypes(current: DatabaseModel, plan: RenamePlan): DatabaseModel {
  if (Object.keys(plan.enums).length === 0) return current;
  const renamed = (ref: { schema?: string; name: string }) => plan.enums[qualifiedName(ref)];
  return {
    ...current,
    enums: current.enums.map((e) => (renamed(e) ? { ...e, name: renamed(e)! } : e)),
    tables: current.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => {
        const to = c.enumType ? renamed(c.enumType) : undefined;
        if (!to || !c.enumType) return c;
        return { ...c, type: c.type === c.enumType.name ? to : c.type, enumType: { ...c.enumType, name: to } };
      }),
    })),
  };
}

function enumTypeRenameOps(current: DatabaseModel, plan: RenamePlan, dialect: Dialect): { up: Operation[]; down: Operation[] } {
  const up: Operation[] = [];
  const down: Operation[] = [];
  for (const [from, to] of Object.entries(plan.enums)) {
    const e = current.enums.find((x) => qualifiedName(x) === from);
    if (!e) continue;
    const q = (name: string) => (e.schema ? `${dialect.quoteIdentifier(e.schema)}.${dialect.quoteIdentifier(name)}` : dialect.quoteIdentifier(name));
    up.push({ kind: 'execute', sql: `ALTER TYPE ${q(e.name)} RENAME TO ${dialect.quoteIdentifier(to)}` });
    down.unshift({ kind: 'execute', sql: `ALTER TYPE ${q(to)} RENAME TO ${dialect.quoteIdentifier(e.name)}` });
  }
  return { up, down };
}

/**
 * Enum value renames: in place on a database with enum types (the compare
 * step emits renameEnumValue); where enums are plain TEXT columns (SQLite),
 * an UPDATE of every column that uses the enum, and its inverse.
 */
function splitEnumValueRenames(
  plan: RenamePlan,
  names: NameMap,
  enumUsages: EnumUsages,
  start: DatabaseModel,
  target: DatabaseModel,
  dialect: Dialect,
): { inPlace: Record<string, Record<string, string>>; up: Operation[]; down: Operation[]; usages: Array<{ table: TableRef; column: string }> } {
  const inPlace: Record<string, Record<string, string>> = {};
  const up: Operation[] = [];
  const down: Operation[] = [];
  const usages: Array<{ table: TableRef; column: string }> = [];
  const textEnums = start.enums.length === 0 && target.enums.length === 0;
  for (const [prismaEnum, values] of Object.entries(plan.enumValues)) {
    const entry = names[prismaEnum];
    if (!entry || !('enum' in entry)) continue;
    const typeKey = qualifiedName({ schema: entry.schema, name: entry.enum });
    if (start.enums.some((e) => qualifiedName(e) === typeKey)) {
      inPlace[typeKey] = values;
      continue;
    }
    if (!textEnums) continue;
    for (const usage of enumUsages[prismaEnum] ?? []) {
      if (!target.tables.some((t) => qualifiedName(t) === qualifiedName(usage.table))) continue;
      const table = usage.table.schema
        ? `${dialect.quoteIdentifier(usage.table.schema)}.${dialect.quoteIdentifier(usage.table.name)}`
        : dialect.quoteIdentifier(usage.table.name);
      const column = dialect.quoteIdentifier(usage.column);
      const sql = `UPDATE ${table} SET ${column} = ? WHERE ${column} = ?`;
      usages.push({ table: usage.table, column: usage.column });
      for (const [from, to] of Object.entries(values)) {
        up.push({ kind: 'execute', sql, params: [to, from] });
        down.unshift({ kind: 'execute', sql, params: [from, to] });
      }
    }
  }
  return { inPlace, up, down, usages };
}

function hasColumn(model: DatabaseModel, table: TableRef, column: string): boolean {
  return model.tables.some((t) => qualifiedName(t) === qualifiedName(table) && t.columns.some((c) => c.name === column));
}

/**
 * An explicit path wins; a relative one was already resolved against the
 * working directory by openMigrationEnv (same --schema), so use that result.
 */
function schemaPathFor(env: MigrationEnv, schema: string | undefined): string {
  if (schema && isAbsolute(schema)) return schema;
  if (env.project.schemaPath) return env.project.schemaPath;
  return schema ? resolve(schema) : requireSchemaPath(env.project);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}
