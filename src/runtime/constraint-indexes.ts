/**
 * The indexes of UNIQUE constraints a run knows of (PostgreSQL): a revision
 * that drops an index by name alone (`op.dropIndex(table, name)`) must drop
 * the constraint instead when the index is one's. Listed from the catalog
 * once, when a revision first needs it, instead of a question per drop (a
 * round trip each: a 1,000-revision downgrade paid 20% for them). revise's
 * own operations never make such a constraint, and the executor keeps the
 * listing exact for those that remove one (a dropped index or table); SQL it
 * did not compile (raw SQL, the data handle), an operation that failed, or
 * one that moves names (a rename, a batch) empties it, and the next need
 * lists again.
 */
export class ConstraintIndexes {
  private byTable: Map<string, Set<string>> | undefined;
  private defaultSchema = '';

  /** Whether the listing holds this constraint; undefined while nothing is listed. */
  has(schema: string | undefined, table: string, name: string): boolean | undefined {
    return this.byTable === undefined ? undefined : this.byTable.get(this.tableKey(schema, table))?.has(name) === true;
  }

  /** The listing: every UNIQUE constraint, and the schema unqualified names mean. */
  fill(rows: ReadonlyArray<{ schema: string; table: string; name: string }>, defaultSchema: string): void {
    this.defaultSchema = defaultSchema;
    this.byTable = new Map();
    for (const row of rows) {
      const key = this.tableKey(row.schema, row.table);
      const names = this.byTable.get(key);
      if (names) names.add(row.name);
      else this.byTable.set(key, new Set([row.name]));
    }
  }

  /** An index dropped by name (its constraint, if it was one, went with it). */
  forget(schema: string | undefined, table: string, name: string): void {
    this.byTable?.get(this.tableKey(schema, table))?.delete(name);
  }

  /** A dropped table: its constraints went with it. */
  forgetTable(schema: string | undefined, table: string): void {
    this.byTable?.delete(this.tableKey(schema, table));
  }

  clear(): void {
    this.byTable = undefined;
  }

  private tableKey(schema: string | undefined, table: string): string {
    return `${schema ?? this.defaultSchema}\0${table}`;
  }
}
