// dist/runtime/version-table.js
var VERSION_TABLE = "alembic_version";
var VersionTableSql = class {
  dialect;
  options;
  table;
  constructor(dialect, options = {}) {
    this.dialect = dialect;
    this.options = options;
    this.table = options.schema ? `${dialect.quoteIdentifier(options.schema)}.${VERSION_TABLE}` : VERSION_TABLE;
  }
  create() {
    return {
      sql: `CREATE TABLE ${this.table} (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)`
    };
  }
  drop() {
    return { sql: `DROP TABLE ${this.table}` };
  }
  select() {
    return { sql: `SELECT ${VERSION_TABLE}.version_num FROM ${this.table}` };
  }
  deleteAll() {
    return { sql: `DELETE FROM ${this.table}` };
  }
  insert(version) {
    return { sql: `INSERT INTO ${this.table} (version_num) VALUES (${this.marker(1)})`, params: [version] };
  }
  update(from, to) {
    return {
      sql: `UPDATE ${this.table} SET version_num=${this.marker(1)} WHERE ${VERSION_TABLE}.version_num = ${this.marker(2)}`,
      params: [to, from]
    };
  }
  delete(version) {
    return {
      sql: `DELETE FROM ${this.table} WHERE ${VERSION_TABLE}.version_num = ${this.marker(1)}`,
      params: [version]
    };
  }
  /** Statements moving the heads: pairs become UPDATEs, the rest DELETEs or INSERTs. */
  statementsFor(deleteHeads, insertHeads) {
    const removed = deleteHeads.filter((h) => !insertHeads.includes(h));
    const added = insertHeads.filter((h) => !deleteHeads.includes(h));
    const statements = [];
    const pairs = Math.min(removed.length, added.length);
    for (let i = 0; i < pairs; i++)
      statements.push(this.update(removed[i], added[i]));
    for (const version of removed.slice(pairs))
      statements.push(this.delete(version));
    for (const version of added.slice(pairs))
      statements.push(this.insert(version));
    return statements;
  }
  /** Query telling whether the table exists (rows returned = yes). */
  existsQuery() {
    return this.dialect.tableExistsQuery(VERSION_TABLE, this.options.schema);
  }
  marker(index) {
    return this.dialect.bindMarker(index);
  }
};
var VersionTable = class {
  connection;
  sql;
  constructor(connection, options = {}) {
    this.connection = connection;
    this.sql = new VersionTableSql(connection.dialect, options);
  }
  async exists() {
    const q = this.sql.existsQuery();
    return (await this.connection.query(q.sql, q.params)).length > 0;
  }
  /** Create the table unless it exists (callers hold the migration lock, so check-then-create is safe). */
  async ensure() {
    if (!await this.exists())
      await this.run(this.sql.create());
  }
  /** The current heads; [] when the table does not exist yet. */
  async read() {
    if (!await this.exists())
      return [];
    const q = this.sql.select();
    const rows = await this.connection.query(q.sql, q.params);
    return rows.map((r) => String(r.version_num));
  }
  async apply(deleteHeads, insertHeads) {
    for (const statement of this.statementsFor(deleteHeads, insertHeads))
      await this.run(statement);
  }
  statementsFor(deleteHeads, insertHeads) {
    return this.sql.statementsFor(deleteHeads, insertHeads);
  }
  /** Remove every row (`stamp --purge`); the table stays, as in Alembic. */
  async purge() {
    if (await this.exists())
      await this.run(this.sql.deleteAll());
  }
  async drop() {
    if (await this.exists())
      await this.run(this.sql.drop());
  }
  async run(statement) {
    await this.connection.execute(statement.sql, statement.params);
  }
};

export {
  VERSION_TABLE,
  VersionTableSql,
  VersionTable
};
