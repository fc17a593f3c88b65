import type { Connection, Dialect, Statement } from '../dialect/types.js';

/** Alembic's table, same name and shape, so tools that read it keep working. */
export const VERSION_TABLE = 'alembic_version';

export interface VersionTableOptions {
  /** PostgreSQL schema holding the table (Alembic's version_table_schema); default: the connection's. */
  schema?: string;
}

/**
 * The SQL for the alembic_version table, without a connection (offline
 * scripts use it too). One row per head: a 1:1 move is an UPDATE, a branch
 * point adds INSERTs, a merge adds DELETEs — the statements Alembic writes.
 */
export class VersionTableSql {
  readonly table: string;
  constructor(
    readonly dialect: Pick<Dialect, 'quoteIdentifier' | 'bindMarker' | 'tableExistsQuery'>,
    readonly options: VersionTableOptions = {},
  ) {
    // Alembic writes the name unquoted; a schema is user input and is quoted.
    this.table = options.schema ? `${dialect.quoteIdentifier(options.schema)}.${VERSION_TABLE}` : VERSION_TABLE;
  }

  create(): Statement {
    return {
      sql: `CREATE TABLE ${this.table} (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)`,
    };
  }

  drop(): Statement {
    return { sql: `DROP TABLE ${this.table}` };
  }

  select(): Statement {
    return { sql: `SELECT ${VERSION_TABLE}.version_num FROM ${this.table}` };
  }

  deleteAll(): Statement {
    return { sql: `DELETE FROM ${this.table}` };
  }

  insert(version: string): Statement {
    return { sql: `INSERT INTO ${this.table} (version_num) VALUES (${this.marker(1)})`, params: [version] };
  }

  update(from: string, to: string): Statement {
    return {
      sql: `UPDATE ${this.table} SET version_num=${this.marker(1)} WHERE ${VERSION_TABLE}.version_num = ${this.marker(2)}`,
      params: [to, from],
    };
  }

  delete(version: string): Statement {
    return {
      sql: `DELETE FROM ${this.table} WHERE ${VERSION_TABLE}.version_num = ${this.marker(1)}`,
      params: [version],
    };
  }

  /** Statements moving the heads: pairs become UPDATEs, the rest DELETEs or INSERTs. */
  statementsFor(deleteHeads: readonly string[], insertHeads: readonly string[]): Statement[] {
    const removed = deleteHeads.filter((h) => !insertHeads.includes(h));
    const added = insertHeads.filter((h) => !deleteHeads.includes(h));
    const statements: Statement[] = [];
    const pairs = Math.min(removed.length, added.length);
    for (let i = 0; i < pairs; i++) statements.push(this.update(removed[i]!, added[i]!));
    for (const version of removed.slice(pairs)) statements.push(this.delete(version));
    for (const version of added.slice(pairs)) statements.push(this.insert(version));
    return statements;
  }

  /** Query telling whether the table exists (rows returned = yes). */
  existsQuery(): Statement {
    return this.dialect.tableExistsQuery(VERSION_TABLE, this.options.schema);
  }

  private marker(index: number): string {
    return this.dialect.bindMarker(index);
  }
}

/** The alembic_version table on a live connection. */
export class VersionTable {
  readonly sql: VersionTableSql;

  constructor(
    readonly connection: Connection,
    options: VersionTableOptions = {},
  ) {
    this.sql = new VersionTableSql(connection.dialect, options);
  }

  async exists(): Promise<boolean> {
    const q = this.sql.existsQuery();
    return (await this.connection.query(q.sql, q.params)).length > 0;
  }

  /** Create the table unless it exists (callers hold the migration lock, so check-then-create is safe). */
  async ensure(): Promise<void> {
    if (!(await this.exists())) await this.run(this.sql.create());
  }

  /** The current heads; [] when the table does not exist yet. */
  async read(): Promise<string[]> {
    if (!(await this.exists())) return [];
    const q = this.sql.select();
    const rows = await this.connection.query<{ version_num: string }>(q.sql, q.params);
    return rows.map((r) => String(r.version_num));
  }

  async apply(deleteHeads: readonly string[], insertHeads: readonly string[]): Promise<void> {
    for (const statement of this.statementsFor(deleteHeads, insertHeads)) await this.run(statement);
  }

  statementsFor(deleteHeads: readonly string[], insertHeads: readonly string[]): Statement[] {
    return this.sql.statementsFor(deleteHeads, insertHeads);
  }

  /** Remove every row (`stamp --purge`); the table stays, as in Alembic. */
  async purge(): Promise<void> {
    if (await this.exists()) await this.run(this.sql.deleteAll());
  }

  async drop(): Promise<void> {
    if (await this.exists()) await this.run(this.sql.drop());
  }

  private async run(statement: Statement): Promise<void> {
    // Once per revision on the same connection: kept prepared where the driver can (PostgreSQL).
    await this.connection.execute(statement.sql, statement.params, { reuse: true });
  }
}
