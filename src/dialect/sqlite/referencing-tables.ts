import type { Operation } from '../../operations/types.js';
import type { Connection } from '../types.js';
import { foldAscii as fold } from '../../model/names.js';

/**
 * Which tables' foreign keys point at which, for the check after a revision
 * that dropped or altered a table: read from the schema once per run, then
 * kept in step with the operations each revision ran, so a run of n such
 * revisions does not read n schemas of up to n tables.
 *
 * Exact by construction: it is only ever updated from operations whose
 * effect on foreign keys is known (a created table's keys, a dropped table's
 * keys gone); a table an operation rebuilt or altered (from its live shape
 * or a frozen one) is read again before the next answer; anything else (a
 * renamed table, whose referencing keys SQLite rewrites; raw SQL) makes the
 * caller drop it (`forget`), and the next answer reads the schema afresh.
 */
export class ReferencingTables {
  /** Every table, by folded name. */
  private readonly tables = new Map<string, string>();
  /** Folded parent name -> folded names of the tables whose keys reference it. */
  private readonly children = new Map<string, Set<string>>();
  /** Folded child name -> folded names of the tables its keys reference. */
  private readonly parents = new Map<string, Set<string>>();
  /** Tables whose keys may have changed since they were read (folded names). */
  private readonly stale = new Set<string>();

  private constructor() {}

  /** Read every table and every foreign key of the main database. */
  static async read(connection: Connection): Promise<ReferencingTables> {
    const refs = new ReferencingTables();
    const tables = await connection.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    for (const { name } of tables) refs.tables.set(fold(name), name);
    const keys = await connection.query<{ child: string; parent: string }>(
      `SELECT "m"."name" AS "child", "f"."table" AS "parent" FROM "sqlite_master" AS "m", pragma_foreign_key_list("m"."name") AS "f" WHERE "m"."type" = 'table'`,
    );
    for (const { child, parent } of keys) refs.link(fold(child), fold(parent));
    return refs;
  }

  /**
   * Follow one revision's operations (all of them ones the check knows the
   * reach of). False when one of them makes the map unknowable: drop it.
   */
  follow(operations: readonly Operation[]): boolean {
    for (const op of operations) {
      switch (op.kind) {
        case 'createTable': {
          const name = fold(op.table.name);
          this.unlink(name);
          this.tables.set(name, op.table.name);
          for (const key of op.table.foreignKeys) this.link(name, fold(key.referencedTable));
          break;
        }
        case 'dropTable': {
          const name = fold(op.table.name);
          this.tables.delete(name);
          // The tables referencing it still do (their keys now dangle): those links stay.
          this.unlink(name);
          break;
        }
        case 'renameTable':
          return false;
        case 'createIndex':
        case 'dropIndex':
        case 'renameIndex':
          // Indexes hold no foreign keys.
          break;
        case 'batchAlterTable':
          // Rebuilt from its shape (its keys may be the shape's now), under the shape's name: read its keys again.
          this.stale.add(fold(op.table.name));
          if (op.shape) this.stale.add(fold(op.shape.name));
          break;
        default:
          // A column change in place or a rebuild of the table from its live shape: read its keys again.
          if ('table' in op && op.table !== undefined && 'name' in op.table) this.stale.add(fold(op.table.name));
          else return false;
      }
    }
    return true;
  }

  /** Of `names`, those that are tables now, as the schema spells them. */
  existing(names: Iterable<string>): string[] {
    const found = new Set<string>();
    for (const name of names) {
      const spelled = this.tables.get(fold(name));
      if (spelled !== undefined) found.add(spelled);
    }
    return [...found];
  }

  /**
   * The tables whose keys reference one of `parents` (as the schema spells
   * them). `checked` are looked at by the same check anyway: one whose keys
   * changed need not be read again for this answer (wherever its keys now
   * point, it is checked), so a run that rebuilds one table revision after
   * revision reads its keys only when another answer needs them.
   */
  async referencing(connection: Connection, parents: Iterable<string>, checked: Iterable<string> = []): Promise<string[]> {
    await this.refresh(connection, new Set([...checked].map(fold)));
    const found = new Set<string>();
    for (const parent of parents) for (const child of this.children.get(fold(parent)) ?? []) found.add(child);
    return this.existing(found);
  }

  /** Read again the keys of the tables operations changed, but those in `skip` (folded names). */
  private async refresh(connection: Connection, skip: ReadonlySet<string>): Promise<void> {
    for (const name of this.stale) {
      if (skip.has(name)) continue;
      this.stale.delete(name);
      this.unlink(name);
      const spelled = this.tables.get(name);
      if (spelled === undefined) continue;
      const keys = await connection.query<{ table: string }>('SELECT "table" FROM pragma_foreign_key_list(?)', [spelled]);
      for (const key of keys) this.link(name, fold(key.table));
    }
  }

  private link(child: string, parent: string): void {
    let children = this.children.get(parent);
    if (!children) this.children.set(parent, (children = new Set()));
    children.add(child);
    let parents = this.parents.get(child);
    if (!parents) this.parents.set(child, (parents = new Set()));
    parents.add(parent);
  }

  /** Forget the keys `child` has. */
  private unlink(child: string): void {
    for (const parent of this.parents.get(child) ?? []) this.children.get(parent)?.delete(child);
    this.parents.delete(child);
  }
}
