import { foldAscii } from '../model/names.js';

/**
 * Tables of the default schema a run knows to exist as plain tables (see
 * RunFacts.knownTables), by exact name, findable under any spelling that
 * differs only in ASCII case (how SQLite, and MySQL on most systems, compare
 * table names): forgetting a table forgets every such spelling, so a name is
 * never known wrongly, only sometimes unknown.
 */
export class KnownTables {
  /** Folded name -> exact names known under it. */
  private readonly byFolded = new Map<string, Set<string>>();

  has(name: string): boolean {
    return this.byFolded.get(foldAscii(name))?.has(name) === true;
  }

  add(name: string): void {
    const folded = foldAscii(name);
    let names = this.byFolded.get(folded);
    if (!names) this.byFolded.set(folded, (names = new Set()));
    names.add(name);
  }

  forget(name: string): void {
    this.byFolded.delete(foldAscii(name));
  }

  clear(): void {
    this.byFolded.clear();
  }
}
