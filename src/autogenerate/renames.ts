import { ReviseError } from '../errors.js';
import type { ColumnModel, DatabaseModel, EnumModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import { asJoinTable, isJoinTable, pairJoinTables, type JoinTablePair } from './join-tables.js';
import { dbKey, isEnumNames, isModelNames, type EnumNames, type ModelNames, type NameMap } from './name-map.js';

/**
 * Which drops + adds are really renames. Three sources, in this order:
 * 1. the name maps (a Prisma name kept, its `@map` / `@@map` changed): automatic;
 * 2. `--rename` requests, in Prisma names (`Post.title=headline`, `Old=New`,
 *    `Role.OLD=NEW` for an enum value) or, as before, database names;
 * 3. candidates that only look like renames (a dropped and an added table with
 *    mostly the same columns, a dropped and an added column of the same type,
 *    an enum value removed and one added): the caller asks, or warns.
 * Implicit many-to-many join tables are never candidates of their own: once
 * the tables are decided, they follow the models they join (join-tables.ts).
 */

/** Renames in database names. Keys are the *current* (live database) qualified names. */
export interface RenamePlan {
  /** table -> new table name (same schema) */
  tables: Record<string, string>;
  /** table (current name) -> column -> new column name */
  columns: Record<string, Record<string, string>>;
  /** enum type (PostgreSQL) -> new type name */
  enums: Record<string, string>;
  /** Prisma enum name -> stored value -> new stored value */
  enumValues: Record<string, Record<string, string>>;
  /** Prisma names whose database names changed, so the new revision records them. */
  touched: Set<string>;
  /** Join tables renamed, reordered or moved with their models (also in `tables` / `columns` / `moves`). */
  joinTables: JoinTablePair[];
  /**
   * Join table (live qualified name) -> the schema it moves to first
   * (multiSchema); its entries in `tables` and `columns` are keyed by its
   * qualified name in that schema.
   */
  moves: Record<string, string>;
}

export function emptyPlan(): RenamePlan {
  return { tables: {}, columns: {}, enums: {}, enumValues: {}, touched: new Set(), joinTables: [], moves: {} };
}

export interface RenameSources {
  /** The live database. */
  current: DatabaseModel;
  /** What the Prisma schema asks for. */
  target: DatabaseModel;
  /** Prisma -> database names of the schema. */
  names: NameMap;
  /** The newest names recorded along the revision chain; undefined when none are. */
  recorded?: NameMap;
  /** Never dropped, so never a rename's old side. */
  keep?: { tables: string[]; columns: Record<string, string[]> };
}

export interface RenameCandidate {
  kind: 'table' | 'joinTable' | 'column' | 'enum' | 'enumValue';
  /** Prisma names: `Post.title`, `Post`, `Role.OLD`. */
  from: string;
  /** Prisma names: `Post.headline`, `Article`, `Role.NEW`. */
  to: string;
  /** The `--rename` value that makes it a rename. */
  flag: string;
  /** What to write by hand instead of the drop + add. */
  edit: string;
  /** Join tables that would be renamed with this table (live names). */
  follows?: string[];
  /** Database-level effect, applied by acceptCandidate. */
  db:
    | { kind: 'table'; table: string; to: string }
    | { kind: 'joinTable'; table: string; name: string; to: string; swap: boolean; schema?: string }
    | { kind: 'enum'; enum: string; to: string }
    | { kind: 'column'; table: string; from: string; to: string }
    | { kind: 'enumValue'; prismaEnum: string; from: string; to: string };
}

/** "Was Post.title renamed to Post.headline? [y/N]" */
export function candidateQuestion(c: RenameCandidate): string {
  return `Was ${c.from} renamed to ${c.to}? [y/N] `;
}

/** The `// WARNING:` / terminal text for a candidate nobody confirmed. */
export function candidateWarning(c: RenameCandidate): string {
  const follows = c.follows?.length ? ` (its join table${c.follows.length > 1 ? 's' : ''} ${c.follows.join(', ')} follow${c.follows.length > 1 ? '' : 's'} it)` : '';
  return `${c.from} was dropped and ${c.to} added: if this was a rename, re-run with --rename ${c.flag}${follows}, or edit to ${c.edit}`;
}

export function acceptCandidate(plan: RenamePlan, c: RenameCandidate, names: NameMap): void {
  const d = c.db;
  if (d.kind === 'table') plan.tables[d.table] = d.to;
  else if (d.kind === 'joinTable') followJoinTable(plan, { from: d.table, name: d.name, to: d.to, swap: d.swap, ...(d.schema ? { schema: d.schema } : {}) });
  else if (d.kind === 'enum') plan.enums[d.enum] = d.to;
  else if (d.kind === 'column') (plan.columns[d.table] ??= {})[d.from] = d.to;
  else (plan.enumValues[d.prismaEnum] ??= {})[d.from] = d.to;
  const model = c.to.split('.')[0]!;
  if (names[model]) plan.touched.add(model);
}

// ------------------------------------------------------------------ helpers

const key = (t: { schema?: string; name: string }) => qualifiedName(t);

function findTable(model: DatabaseModel, qualified: string): TableModel | undefined {
  return model.tables.find((t) => key(t) === qualified);
}

function findEnum(model: DatabaseModel, qualified: string): EnumModel | undefined {
  return model.enums.find((e) => key(e) === qualified);
}

function modelEntry(map: NameMap | undefined, name: string): ModelNames | undefined {
  const e = map?.[name];
  return isModelNames(e) ? e : undefined;
}

function enumEntry(map: NameMap | undefined, name: string): EnumNames | undefined {
  const e = map?.[name];
  return isEnumNames(e) ? e : undefined;
}

/** The Prisma model whose table is `qualified` in `map`. */
function modelOfTable(map: NameMap | undefined, qualified: string): string | undefined {
  return Object.entries(map ?? {}).find(([, e]) => isModelNames(e) && dbKey(e) === qualified)?.[0];
}

function fieldOfColumn(entry: ModelNames | undefined, column: string): string | undefined {
  return Object.entries(entry?.columns ?? {}).find(([, c]) => c === column)?.[0];
}

function valueOf(entry: EnumNames | undefined, stored: string): string | undefined {
  return Object.entries(entry?.values ?? {}).find(([, v]) => v === stored)?.[0];
}

function isKeptTable(keep: RenameSources['keep'], t: TableModel): boolean {
  return !!keep && (keep.tables.includes(key(t)) || keep.tables.includes(t.name));
}

function isKeptColumn(keep: RenameSources['keep'], t: TableModel, column: string): boolean {
  return !!keep && ((keep.columns[key(t)] ?? keep.columns[t.name] ?? []).includes(column));
}

/** The live database as it looks once the plan's table and column renames are done, with each table's current key. */
export function applyPlan(current: DatabaseModel, plan: RenamePlan): Array<{ table: TableModel; currentKey: string }> {
  return current.tables.map((t) => {
    const renames = plan.columns[key(t)] ?? {};
    const columns = t.columns.map((c) => (renames[c.name] ? { ...c, name: renames[c.name]! } : c));
    return { table: { ...t, name: plan.tables[key(t)] ?? t.name, columns }, currentKey: key(t) };
  });
}

/** Stored values of an enum as the database holds them now (PostgreSQL type), else as last recorded. */
function storedValues(src: RenameSources, plan: RenamePlan, prismaEnum: string): string[] | undefined {
  const now = enumEntry(src.names, prismaEnum);
  if (!now) return undefined;
  const before = enumEntry(src.recorded, prismaEnum);
  const typeNow = dbKey(now);
  const renamedFrom = Object.entries(plan.enums).find(([, to]) => to === now.enum)?.[0];
  const dbEnum = findEnum(src.current, renamedFrom ?? typeNow) ?? (before ? findEnum(src.current, dbKey(before)) : undefined);
  if (dbEnum) return [...dbEnum.values];
  // SQLite keeps enums as TEXT: only the recorded names know the stored values.
  if (src.current.enums.length === 0 && src.target.enums.length === 0 && before) return Object.values(before.values);
  return undefined;
}

// ------------------------------------------------------------------ 1. name maps

/**
 * Renames a changed `@map` / `@@map` implies: same Prisma name, another
 * database name than recorded. Each is checked against the live database
 * (old name there, new name not), so stale records do nothing.
 */
export function mapRenames(src: RenameSources, plan: RenamePlan = emptyPlan()): RenamePlan {
  if (!src.recorded) return plan;
  for (const [prismaName, now] of Object.entries(src.names)) {
    const before: NameMap[string] | undefined = src.recorded[prismaName];
    if (isModelNames(now) && isModelNames(before)) {
      const oldKey = dbKey(before);
      const newKey = dbKey(now);
      let tableKey = newKey;
      if (oldKey !== newKey && (before.schema ?? undefined) === (now.schema ?? undefined) && findTable(src.current, oldKey) && !findTable(src.current, newKey)) {
        plan.tables[oldKey] = now.table;
        plan.touched.add(prismaName);
        tableKey = oldKey;
      }
      const table = findTable(src.current, tableKey);
      if (!table) continue;
      for (const [field, column] of Object.entries(now.columns)) {
        const old = before.columns[field];
        if (old === undefined || old === column) continue;
        if (!table.columns.some((c) => c.name === old) || table.columns.some((c) => c.name === column)) continue;
        (plan.columns[tableKey] ??= {})[old] = column;
        plan.touched.add(prismaName);
      }
    } else if (isEnumNames(now) && isEnumNames(before)) {
      const oldKey = dbKey(before);
      const newKey = dbKey(now);
      let dbEnum = findEnum(src.current, newKey);
      if (oldKey !== newKey && (before.schema ?? undefined) === (now.schema ?? undefined) && findEnum(src.current, oldKey) && !dbEnum) {
        plan.enums[oldKey] = now.enum;
        plan.touched.add(prismaName);
        dbEnum = findEnum(src.current, oldKey);
      }
      for (const [value, stored] of Object.entries(now.values)) {
        const old = before.values[value];
        if (old === undefined || old === stored) continue;
        // PostgreSQL: the type says which values exist; SQLite: trust the record.
        if (dbEnum && (!dbEnum.values.includes(old) || dbEnum.values.includes(stored))) continue;
        (plan.enumValues[prismaName] ??= {})[old] = stored;
        plan.touched.add(prismaName);
      }
    }
  }
  return plan;
}

// ------------------------------------------------------------------ 2. --rename

/** `--rename` values after syntax checks: names as written (Prisma names, or database names). */
export interface RenameRequests {
  tables: Record<string, string>;
  columns: Record<string, Record<string, string>>;
}

/**
 * `--rename` requests into database names. A name that is a Prisma model
 * (or enum) is translated through the schema's names (new side) and the
 * recorded names (old side); anything else is taken as a database name.
 */
export function requestedRenames(requests: RenameRequests, src: RenameSources, plan: RenamePlan = emptyPlan()): RenamePlan {
  for (const [from, to] of Object.entries(requests.tables)) {
    const newEnum = enumEntry(src.names, to);
    if (newEnum) {
      // An enum type (PostgreSQL); where enums are TEXT there is nothing to rename.
      const oldEntry = enumEntry(src.recorded, from);
      const oldKey = [oldEntry ? dbKey(oldEntry) : undefined, qualifiedName({ schema: newEnum.schema, name: from })].find((k) => k && findEnum(src.current, k));
      if (oldKey && findEnum(src.current, oldKey)!.name !== newEnum.enum) plan.enums[oldKey] = newEnum.enum;
      plan.touched.add(to);
      continue;
    }
    const newEntry = modelEntry(src.names, to);
    const newName = newEntry?.table ?? to;
    const oldEntry = modelEntry(src.recorded, from) ?? modelEntry(src.names, from);
    const schema = newEntry?.schema ?? oldEntry?.schema;
    const candidates = [oldEntry ? dbKey(oldEntry) : undefined, qualifiedName({ schema, name: from }), from].filter((x): x is string => !!x);
    const oldKey = candidates.find((k) => findTable(src.current, k));
    if (!oldKey) throw new ReviseError(`--rename ${from}=${to}: there is no table for ${from} in the database`);
    if (findTable(src.current, oldKey)!.name !== newName) plan.tables[oldKey] = newName;
    if (newEntry) plan.touched.add(to);
  }
  for (const [owner, fields] of Object.entries(requests.columns)) {
    const prismaEnum = enumEntry(src.names, owner);
    if (prismaEnum) {
      for (const [from, to] of Object.entries(fields)) {
        const oldStored = enumEntry(src.recorded, owner)?.values[from] ?? from;
        const newStored = prismaEnum.values[to] ?? to;
        if (oldStored !== newStored) (plan.enumValues[owner] ??= {})[oldStored] = newStored;
      }
      plan.touched.add(owner);
      continue;
    }
    const entry = modelEntry(src.names, owner);
    const tableKey = currentTableKey(owner, entry, src, plan);
    if (!tableKey) throw new ReviseError(`--rename ${owner}.*: there is no table for ${owner} in the database`);
    const table = findTable(src.current, tableKey)!;
    const before = modelEntry(src.recorded, owner);
    for (const [from, to] of Object.entries(fields)) {
      const oldColumn = [before?.columns[from], from].find((c) => c !== undefined && table.columns.some((x) => x.name === c));
      if (!oldColumn) throw new ReviseError(`--rename ${owner}.${from}=${to}: table "${tableKey}" has no column for ${from}`);
      const newColumn = entry?.columns[to] ?? to;
      if (oldColumn !== newColumn) (plan.columns[tableKey] ??= {})[oldColumn] = newColumn;
    }
    if (entry) plan.touched.add(owner);
  }
  return plan;
}

/** The current (live) qualified name of the table a model or a table name stands for, after planned table renames. */
function currentTableKey(owner: string, entry: ModelNames | undefined, src: RenameSources, plan: RenamePlan): string | undefined {
  const wanted = entry ? [dbKey(entry), entry.table] : [owner];
  for (const name of wanted) {
    const renamedFrom = Object.entries(plan.tables).find(([from, to]) => to === name || qualifiedName({ schema: findTable(src.current, from)?.schema, name: to }) === name)?.[0];
    if (renamedFrom) return renamedFrom;
    if (findTable(src.current, name)) return name;
  }
  const recorded = modelEntry(src.recorded, owner);
  if (recorded && findTable(src.current, dbKey(recorded))) return dbKey(recorded);
  return undefined;
}

// ------------------------------------------------------------------ 3. candidates

function sameColumnKind(a: ColumnModel, b: ColumnModel): boolean {
  return (
    a.type === b.type &&
    a.nullable === b.nullable &&
    !!a.isList === !!b.isList &&
    (a.enumType?.name ?? '') === (b.enumType?.name ?? '') &&
    (a.enumType?.schema ?? '') === (b.enumType?.schema ?? '')
  );
}

/**
 * Dropped tables whose columns mostly (half or more, by name and type) match an
 * added table. Join tables are left out on both sides: they follow their models.
 */
export function tableCandidates(src: RenameSources, plan: RenamePlan): RenameCandidate[] {
  const working = applyPlan(src.current, plan);
  const dropped = working.filter((w) => !src.target.tables.some((t) => key(t) === key(w.table)) && !isKeptTable(src.keep, w.table) && !isJoinTable(w.table));
  const added = src.target.tables.filter((t) => !working.some((w) => key(w.table) === key(t)) && !isJoinTable(t));
  const pairs: Array<{ score: number; d: (typeof dropped)[number]; a: TableModel }> = [];
  for (const a of added) {
    for (const d of dropped) {
      if ((a.schema ?? undefined) !== (d.table.schema ?? undefined)) continue;
      const same = a.columns.filter((c) => d.table.columns.some((x) => x.name === c.name && x.type === c.type)).length;
      const score = same / Math.max(a.columns.length, d.table.columns.length, 1);
      if (score >= 0.5) pairs.push({ score, d, a });
    }
  }
  // Best matches first; every pair stays a candidate, in case the best one is not the rename.
  pairs.sort((x, y) => y.score - x.score);
  const out: RenameCandidate[] = [];
  for (const { d, a } of pairs) {
    const oldModel = modelOfTable(src.recorded, d.currentKey) ?? d.table.name;
    const newModel = modelOfTable(src.names, key(a)) ?? a.name;
    const tableArg = d.table.schema ? `{ schema: '${d.table.schema}', name: '${d.table.name}' }` : `'${d.table.name}'`;
    const follows = joinTablesFollowing(src, plan, d.currentKey, a.name);
    out.push({
      kind: 'table',
      from: oldModel,
      to: newModel,
      flag: `${oldModel}=${newModel}`,
      edit: `op.renameTable(${tableArg}, '${a.name}')`,
      ...(follows.length > 0 ? { follows } : {}),
      db: { kind: 'table', table: d.currentKey, to: a.name },
    });
  }
  return out;
}

/** The live join tables that renaming `table` to `to` would rename or reorder too (their names, sorted). */
function joinTablesFollowing(src: RenameSources, plan: RenamePlan, table: string, to: string): string[] {
  const changed = (tables: Record<string, string>) => pairJoinTables(src.current, src.target, tables).pairs.filter((p) => p.swap || p.to !== p.name || p.schema !== undefined);
  const before = new Set(changed(plan.tables).map((p) => p.from));
  return changed({ ...plan.tables, [table]: to })
    .filter((p) => !before.has(p.from))
    .map((p) => p.name)
    .sort();
}

/**
 * A join table paired with its target: moved to the target's schema if need
 * be, renamed, and its A and B traded (as renames, so no row moves) when the
 * models changed order.
 */
function followJoinTable(plan: RenamePlan, pair: JoinTablePair): void {
  let at = pair.from;
  if (pair.schema !== undefined) {
    plan.moves[pair.from] = pair.schema;
    delete plan.tables[pair.from];
    at = qualifiedName({ schema: pair.schema, name: pair.name });
  }
  if (pair.to !== pair.name) plan.tables[at] = pair.to;
  if (pair.swap) Object.assign((plan.columns[at] ??= {}), { A: 'B', B: 'A' });
  if (pair.to !== pair.name || pair.swap || pair.schema !== undefined) plan.joinTables.push(pair);
}

/**
 * Join tables follow the table renames decided so far (see join-tables.ts):
 * each one that can only be the same relation is renamed (and A / B traded)
 * in the plan. Where several join the same two tables, every pairing comes
 * back as a candidate.
 */
export function followJoinTables(src: RenameSources, plan: RenamePlan): RenameCandidate[] {
  const { pairs, ambiguous } = pairJoinTables(src.current, src.target, plan.tables);
  for (const p of pairs) followJoinTable(plan, p);
  return ambiguous.map((p): RenameCandidate => {
    const schema = findTable(src.current, p.from)?.schema;
    const tableArg = schema ? `{ schema: '${schema}', name: '${p.name}' }` : `'${p.name}'`;
    const move = p.schema !== undefined ? `move it to schema "${p.schema}", ` : '';
    return {
      kind: 'joinTable',
      from: p.name,
      to: p.to,
      flag: `${p.name}=${p.to}`,
      edit: `${move}op.renameTable(${tableArg}, '${p.to}')${p.swap ? " and trade its columns 'A' and 'B'" : ''}`,
      db: { kind: 'joinTable', table: p.from, name: p.name, to: p.to, swap: p.swap, ...(p.schema !== undefined ? { schema: p.schema } : {}) },
    };
  });
}

/** A dropped and an added enum type (PostgreSQL) with mostly the same values. */
export function enumTypeCandidates(src: RenameSources, plan: RenamePlan): RenameCandidate[] {
  const renamedTo = new Set(Object.values(plan.enums));
  const dropped = src.current.enums.filter((e) => !plan.enums[key(e)] && !src.target.enums.some((t) => key(t) === key(e)));
  const added = src.target.enums.filter((t) => !src.current.enums.some((e) => key(e) === key(t)) && !renamedTo.has(t.name));
  const out: RenameCandidate[] = [];
  const pairs = added.flatMap((a) =>
    dropped
      .filter((x) => (x.schema ?? undefined) === (a.schema ?? undefined) && a.values.filter((v) => x.values.includes(v)).length * 2 >= Math.max(a.values.length, x.values.length))
      .map((d) => ({ a, d })),
  );
  for (const { a, d } of pairs) {
    const oldName = Object.entries(src.recorded ?? {}).find(([, e]) => isEnumNames(e) && dbKey(e) === key(d))?.[0] ?? d.name;
    const newName = Object.entries(src.names).find(([, e]) => isEnumNames(e) && dbKey(e) === key(a))?.[0] ?? a.name;
    out.push({
      kind: 'enum',
      from: oldName,
      to: newName,
      flag: `${oldName}=${newName}`,
      edit: `op.execute('ALTER TYPE "${d.name}" RENAME TO "${a.name}"')`,
      db: { kind: 'enum', enum: key(d), to: a.name },
    });
  }
  return out;
}

/** Within one table: a dropped and an added column of the same type and nullability. */
export function columnCandidates(src: RenameSources, plan: RenamePlan): RenameCandidate[] {
  const working = applyPlan(src.current, plan);
  const out: RenameCandidate[] = [];
  for (const t of src.target.tables) {
    const w = working.find((x) => key(x.table) === key(t));
    if (!w) continue;
    const dropped = w.table.columns.filter((c) => !t.columns.some((x) => x.name === c.name) && !isKeptColumn(src.keep, w.table, c.name));
    const added = t.columns.filter((c) => !w.table.columns.some((x) => x.name === c.name));
    const model = modelOfTable(src.names, key(t));
    const recordedModel = model ? modelEntry(src.recorded, model) : undefined;
    for (const d of dropped) for (const a of added.filter((x) => sameColumnKind(d, x))) {
      const modelName = model ?? t.name;
      const oldField = fieldOfColumn(recordedModel, d.name) ?? d.name;
      const newField = fieldOfColumn(modelEntry(src.names, modelName), a.name) ?? a.name;
      const tableArg = t.schema ? `{ schema: '${t.schema}', name: '${t.name}' }` : `'${t.name}'`;
      out.push({
        kind: 'column',
        from: `${modelName}.${oldField}`,
        to: `${modelName}.${newField}`,
        flag: `${modelName}.${oldField}=${newField}`,
        edit: `op.renameColumn(${tableArg}, '${d.name}', '${a.name}')`,
        db: { kind: 'column', table: w.currentKey, from: d.name, to: a.name },
      });
    }
  }
  return out;
}

/** In one enum: a value removed and one added (PostgreSQL: the type's values; SQLite: the recorded ones). */
export function enumValueCandidates(src: RenameSources, plan: RenamePlan): RenameCandidate[] {
  const out: RenameCandidate[] = [];
  for (const [prismaEnum, entry] of Object.entries(src.names)) {
    if (!isEnumNames(entry)) continue;
    const stored = storedValues(src, plan, prismaEnum);
    if (!stored) continue;
    const renamed = plan.enumValues[prismaEnum] ?? {};
    const old = stored.map((v) => renamed[v] ?? v);
    const wanted = Object.values(entry.values);
    const removed = old.filter((v) => !wanted.includes(v));
    const added = wanted.filter((v) => !old.includes(v));
    const before = enumEntry(src.recorded, prismaEnum);
    // Same position first (the likely rename), then every other pairing.
    const pairs = removed.flatMap((from, i) => [...(i < added.length ? [added[i]!] : []), ...added.filter((_, j) => j !== i)].map((to) => ({ from, to })));
    for (const { from, to } of pairs) {
      const oldValue = valueOf(before, from) ?? from;
      const newValue = valueOf(entry, to) ?? to;
      out.push({
        kind: 'enumValue',
        from: `${prismaEnum}.${oldValue}`,
        to: `${prismaEnum}.${newValue}`,
        flag: `${prismaEnum}.${oldValue}=${newValue}`,
        edit: `op.renameEnumValue({ name: '${entry.enum}' }, '${from}', '${to}') (SQLite: an UPDATE of each column that uses it)`,
        db: { kind: 'enumValue', prismaEnum, from, to },
      });
    }
  }
  return out;
}

/**
 * Join tables without foreign keys (`relationMode = "prisma"`) cannot follow
 * their models (nothing tells which models they join): when a model table is
 * renamed, say what may need doing by hand for each of them.
 */
function unfollowedJoinTableWarnings(src: RenameSources, plan: RenamePlan): string[] {
  const followed = new Set(plan.joinTables.map((j) => j.from));
  const renamesModels = Object.keys(plan.tables).some((k) => {
    const t = findTable(src.current, k);
    return !t || !isJoinTable(t);
  });
  if (!renamesModels) return [];
  const blind = (t: TableModel) => asJoinTable(t) !== undefined && asJoinTable(t)!.ends === undefined;
  const live = src.current.tables.filter((t) => blind(t) && !followed.has(key(t)) && plan.tables[key(t)] === undefined);
  const added = src.target.tables.filter((t) => blind(t) && !findTable(src.current, key(t)));
  return live.map((t) => {
    const what = `join table ${t.name} has no foreign keys (relationMode = "prisma"), so revise cannot tell which models it joins`;
    if (src.target.tables.some((x) => key(x) === key(t))) {
      return `${what}: if a renamed model changed which of its models sorts first, its columns A and B must trade places (rename them by hand, through a temporary name)`;
    }
    const to = added.length === 1 ? added[0]!.name : '<new name>';
    return `${what}; it is dropped and created empty: if it was renamed with its models, re-run with --rename ${t.name}=${to} (its columns A and B stay where they are)`;
  });
}

/** Renames a caller already decided, in database names (keys: live qualified names, as in RenamePlan). */
export interface DecidedRenames {
  tables?: Record<string, string>;
  columns?: Record<string, Record<string, string>>;
}

/**
 * The whole decision: map renames, then requests and the caller's decided
 * renames, then candidates (tables first, so columns of a renamed table are
 * compared under its new name; then the join tables follow the tables).
 * Candidates come as every plausible pairing, best first: `ask` (a TTY
 * prompt) is asked about each pairing whose two sides are still free, so a
 * "no" to `title -> headline` still lets `title -> subtitle` be asked.
 * Without `ask`, or when every pairing of a side was declined, a one-to-one
 * pairing of what is left is returned as unanswered (for the warnings).
 */
export async function planRenames(
  src: RenameSources,
  requests: RenameRequests,
  ask?: (question: string) => Promise<boolean>,
  decided?: DecidedRenames,
): Promise<{ plan: RenamePlan; unanswered: RenameCandidate[]; warnings: string[] }> {
  const plan = mapRenames(src);
  requestedRenames(requests, src, plan);
  Object.assign(plan.tables, decided?.tables ?? {});
  for (const [table, columns] of Object.entries(decided?.columns ?? {})) Object.assign((plan.columns[table] ??= {}), columns);
  const unanswered: RenameCandidate[] = [];
  const decide = async (candidates: RenameCandidate[]) => {
    // A side (the dropped or the added thing) takes part in at most one rename, and one warning.
    const taken = new Set<string>();
    const free = (c: RenameCandidate) => !taken.has(`from:${c.from}`) && !taken.has(`to:${c.to}`);
    const take = (c: RenameCandidate) => taken.add(`from:${c.from}`).add(`to:${c.to}`);
    if (ask) {
      for (const c of candidates) {
        if (free(c) && (await ask(candidateQuestion(c)))) {
          acceptCandidate(plan, c, src.names);
          take(c);
        }
      }
    }
    for (const c of candidates) {
      if (!free(c)) continue;
      unanswered.push(c);
      take(c);
    }
  };
  await decide(tableCandidates(src, plan));
  await decide(followJoinTables(src, plan));
  await decide(enumTypeCandidates(src, plan));
  await decide(columnCandidates(src, plan));
  await decide(enumValueCandidates(src, plan));
  return { plan, unanswered, warnings: unfollowedJoinTableWarnings(src, plan) };
}
