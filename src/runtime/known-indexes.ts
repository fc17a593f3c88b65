import { foldAscii } from '../model/names.js';

/**
 * Indexes of the default schema whose table a run knows (see
 * RunFacts.knownIndexes): those it created, or one listing of the schema
 * found. SQLite's DROP INDEX names no table, so dropping a table's index
 * first asks whether the index is that table's; a known answer spares the
 * question. Index and table names match in any ASCII case in SQLite: an
 * index is found only under its exact spelling, and forgetting it (or its
 * table) forgets every spelling, so an index is never known wrongly, only
 * sometimes unknown.
 */
export class KnownIndexes {
  /** Folded index name -> exact index name and its table. */
  private readonly byFolded = new Map<string, { index: string; table: string }>();
  /** Folded table name -> folded names of its known indexes: forgetting a table costs its own indexes, not the whole map. */
  private readonly byTable = new Map<string, Set<string>>();
  /** The schema's indexes were listed since the last clear: an unknown index is not worth another listing. */
  listed = false;

  /** The table of the index spelled exactly `index`; undefined when unknown. */
  tableOf(index: string): string | undefined {
    const entry = this.byFolded.get(foldAscii(index));
    return entry?.index === index ? entry.table : undefined;
  }

  add(index: string, table: string): void {
    const key = foldAscii(index);
    this.forget(index);
    this.byFolded.set(key, { index, table });
    const folded = foldAscii(table);
    let indexes = this.byTable.get(folded);
    if (!indexes) this.byTable.set(folded, (indexes = new Set()));
    indexes.add(key);
  }

  forget(index: string): void {
    const key = foldAscii(index);
    const entry = this.byFolded.get(key);
    if (!entry) return;
    this.byFolded.delete(key);
    this.byTable.get(foldAscii(entry.table))?.delete(key);
  }

  /** Every index known on `table`, under any spelling of its name (dropped, renamed, rebuilt). */
  forgetTable(table: string): void {
    const folded = foldAscii(table);
    for (const key of this.byTable.get(folded) ?? []) this.byFolded.delete(key);
    this.byTable.delete(folded);
  }

  clear(): void {
    this.byFolded.clear();
    this.byTable.clear();
    this.listed = false;
  }
}
