import type { DatabaseModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';

/**
 * Prisma's implicit many-to-many join tables (`_RoleToUser`: columns `A` and
 * `B`, `A` pointing at the model whose name sorts first) belong to their
 * relation, not to a model: their name comes from the relation (by default
 * `{A}To{B}` of the two model names), and so do their index and foreign key
 * names. When a model or the relation is renamed, the database still holds the
 * same links under the old names. This pairs each join table of the live
 * database with the target's join table of the same relation, so the links
 * are renamed (and `A` / `B` traded when the order of the models flips)
 * instead of dropped and created empty.
 *
 * A join table is told by its shape (a `_` name, exactly the columns A and B)
 * and the relation by what its two foreign keys point at. Without foreign keys
 * (`relationMode = "prisma"`) nothing tells which models a live join table
 * joins, so such tables are never paired here. Under multiSchema a join table
 * lives in the schema of its model A, so a flip can also move it.
 */

export interface JoinTable {
  /** Qualified name. */
  key: string;
  table: TableModel;
  /** Qualified names of the tables A and B point at; undefined without foreign keys. */
  ends?: { a: string; b: string };
}

export interface JoinTablePair {
  /** The live join table (qualified name). */
  from: string;
  /** Its name. */
  name: string;
  /** The target join table's name. */
  to: string;
  /** The target's schema, when it is not the live table's (the model A of a flipped relation lives in another schema). */
  schema?: string;
  /** The two models changed order: the live `A` holds what the target calls `B`, and the other way round. */
  swap: boolean;
}

export interface JoinTablePairing {
  /** Pairs that can only be the same relation. */
  pairs: JoinTablePair[];
  /** Several live and target join tables join the same two tables: every pairing, for the caller to ask about. */
  ambiguous: JoinTablePair[];
}

/** The join-table view of a table, or undefined when it is not shaped like one. */
export function asJoinTable(table: TableModel): JoinTable | undefined {
  if (!table.name.startsWith('_')) return undefined;
  const columns = table.columns.map((c) => c.name).sort();
  if (columns.length !== 2 || columns[0] !== 'A' || columns[1] !== 'B') return undefined;
  const end = (column: 'A' | 'B') => {
    const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === column);
    return fk ? qualifiedName({ schema: fk.referencedSchema || table.schema, name: fk.referencedTable }) : undefined;
  };
  const a = end('A');
  const b = end('B');
  return { key: qualifiedName(table), table, ...(a && b ? { ends: { a, b } } : {}) };
}

export function isJoinTable(table: TableModel): boolean {
  return asJoinTable(table) !== undefined;
}

function joinTables(model: DatabaseModel): JoinTable[] {
  return model.tables.map(asJoinTable).filter((j): j is JoinTable => j !== undefined);
}

/**
 * Pairs the live join tables with the target's, once `tables` (live qualified
 * name -> new name, same schema: the table renames already decided) are done:
 * 1. a join table `tables` already renames goes to the target table of that name;
 * 2. a target join table of the same name is the same one when it joins the same two tables;
 * 3. of the rest, a live and a target join table joining the same two tables are
 *    the same relation, renamed (`@relation("Old")` -> `@relation("New")`, or a
 *    model's new name), when they are the only two doing so; otherwise every
 *    pairing of that pair of tables is ambiguous.
 * A same-name table joining other tables than before is left alone (compared as it is, as Prisma would).
 */
export function pairJoinTables(current: DatabaseModel, target: DatabaseModel, tables: Record<string, string>): JoinTablePairing {
  const renamed = (key: string) => {
    const to = tables[key];
    if (to === undefined) return key;
    return qualifiedName({ schema: current.tables.find((t) => qualifiedName(t) === key)?.schema, name: to });
  };
  // The live ends under the new table names.
  const live = joinTables(current).map((j) => (j.ends ? { ...j, ends: { a: renamed(j.ends.a), b: renamed(j.ends.b) } } : j));
  const wanted = joinTables(target);
  const pairs: JoinTablePair[] = [];
  const ambiguous: JoinTablePair[] = [];
  const doneLive = new Set<string>();
  const doneWanted = new Set<string>();
  const pair = (j: JoinTable, t: JoinTable): JoinTablePair => {
    const moved = (j.table.schema ?? undefined) !== (t.table.schema ?? undefined);
    return { from: j.key, name: j.table.name, to: t.table.name, swap: isSwapped(j, t), ...(moved && t.table.schema ? { schema: t.table.schema } : {}) };
  };
  const take = (j: JoinTable, t: JoinTable | undefined) => {
    doneLive.add(j.key);
    if (t) doneWanted.add(t.key);
  };

  for (const j of live) {
    if (tables[j.key] === undefined) continue;
    // The name in the same schema; under multiSchema, another schema's table of that name joining the same tables.
    const t = wanted.find((w) => w.key === renamed(j.key)) ?? wanted.find((w) => w.table.name === tables[j.key] && j.ends && w.ends && sameEnds(j, w));
    if (t && (!j.ends || !t.ends || sameEnds(j, t))) pairs.push(pair(j, t));
    take(j, t);
  }
  for (const j of live) {
    if (doneLive.has(j.key)) continue;
    const t = wanted.find((w) => w.key === j.key && !doneWanted.has(w.key));
    if (!t) continue;
    if (j.ends && t.ends && sameEnds(j, t) && isSwapped(j, t)) pairs.push(pair(j, t));
    take(j, t);
  }
  const currentKeys = new Set(current.tables.map(qualifiedName));
  const byEnds = (j: JoinTable) => (j.ends ? [j.ends.a, j.ends.b].sort().join('\u0000') : undefined);
  const restLive = live.filter((j) => !doneLive.has(j.key) && j.ends);
  const restWanted = wanted.filter((t) => !doneWanted.has(t.key) && !currentKeys.has(t.key) && t.ends);
  for (const group of new Set(restLive.map(byEnds))) {
    const js = restLive.filter((j) => byEnds(j) === group);
    const ts = restWanted.filter((t) => byEnds(t) === group);
    if (js.length === 1 && ts.length === 1) pairs.push(pair(js[0]!, ts[0]!));
    else for (const j of js) for (const t of ts) ambiguous.push(pair(j, t));
  }
  return { pairs, ambiguous };
}

function sameEnds(j: JoinTable, t: JoinTable): boolean {
  const x = j.ends!;
  const y = t.ends!;
  return (x.a === y.a && x.b === y.b) || (x.a === y.b && x.b === y.a);
}

/** A and B point the other way round (never for a self-relation, whose two ends are one table). */
function isSwapped(j: JoinTable, t: JoinTable): boolean {
  return !!j.ends && !!t.ends && j.ends.a !== j.ends.b && j.ends.a === t.ends.b && j.ends.b === t.ends.a;
}
