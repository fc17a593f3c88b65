import {
  quoteIdentifier,
  renderLiteral,
  toBindable
} from "./chunk-HOY2IDPX.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";
import {
  normalizeSqliteDefault,
  normalizeSqliteType,
  prismaDateTimeText,
  sqliteTypeMap
} from "./chunk-2TP5XQGQ.js";

// dist/dialect/sqlite/driver.js
import { mkdirSync } from "node:fs";
import path from "node:path";
var BUSY_TIMEOUT_MS = 5e3;
var LOCK_POLL_MS = 50;
function sqliteFilePath(url) {
  let rest = url.trim();
  const scheme = /^(file|sqlite):/i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length).replace(/[?#].*$/, "");
    if (rest.startsWith("///"))
      rest = rest.slice(2);
    else if (rest.startsWith("//"))
      rest = rest.slice(2);
  }
  if (rest === "")
    throw new ReviseError(`invalid SQLite URL "${url}": no file path`);
  if (rest === ":memory:")
    return ":memory:";
  return path.resolve(process.cwd(), rest);
}
async function loadDriver() {
  const mod = await import("better-sqlite3");
  return mod.default ?? mod;
}
function oneLine(text, max = 200) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
function toReviseError(err, sql) {
  if (err instanceof ReviseError)
    return err;
  const message = err instanceof Error ? err.message : String(err);
  const notNull = /NOT NULL constraint failed: new_(.+)\.(.+)$/.exec(message);
  if (notNull) {
    return new ReviseError(`cannot rebuild table "${notNull[1]}": column "${notNull[2]}" is NOT NULL but existing rows have no value for it; give it a default or fill it first`);
  }
  return new ReviseError(`SQLite: ${message} (while running: ${oneLine(sql)})`);
}
function bind(params) {
  return (params ?? []).map(toBindable);
}
async function connectSqlite(url, dialect) {
  const Driver = await loadDriver();
  const file = sqliteFilePath(url);
  if (file !== ":memory:") {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch (err) {
      throw new ReviseError(`cannot create the folder of SQLite database ${file}: ${err.message}`);
    }
  }
  let db;
  try {
    db = new Driver(file);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (err) {
    throw new ReviseError(`cannot open SQLite database ${file}: ${err.message}`);
  }
  return new SqliteConnection(db, file, dialect, Driver);
}
var SqliteConnection = class {
  db;
  file;
  dialect;
  Driver;
  constructor(db, file, dialect, Driver) {
    this.db = db;
    this.file = file;
    this.dialect = dialect;
    this.Driver = Driver;
  }
  get inTransaction() {
    return this.db.inTransaction;
  }
  async query(sql, params) {
    try {
      const stmt = this.db.prepare(sql);
      if (stmt.reader)
        return stmt.all(...bind(params));
      stmt.run(...bind(params));
      return [];
    } catch (err) {
      throw toReviseError(err, sql);
    }
  }
  async execute(sql, params) {
    try {
      if (!params || params.length === 0)
        this.db.exec(sql);
      else
        this.db.prepare(sql).run(...bind(params));
    } catch (err) {
      throw toReviseError(err, sql);
    }
  }
  async begin() {
    await this.execute("BEGIN IMMEDIATE");
  }
  async commit() {
    await this.execute("COMMIT");
  }
  async rollback() {
    if (this.db.inTransaction)
      await this.execute("ROLLBACK");
  }
  async acquireMigrationLock(options) {
    if (this.file === ":memory:")
      return async () => {
      };
    const lockFile = `${this.file}.revise-lock`;
    let lockDb;
    try {
      lockDb = new this.Driver(lockFile);
    } catch (err) {
      throw new ReviseError(`cannot open migration lock file ${lockFile}: ${err.message}`);
    }
    const deadline = Date.now() + Math.max(0, options.timeoutMs);
    lockDb.pragma("busy_timeout = 0");
    for (; ; ) {
      try {
        lockDb.exec("BEGIN EXCLUSIVE");
        break;
      } catch (err) {
        const code = err.code ?? "";
        if (!code.startsWith("SQLITE_BUSY") && !code.startsWith("SQLITE_LOCKED")) {
          lockDb.close();
          throw new ReviseError(`cannot take the migration lock ${lockFile}: ${err.message}`);
        }
        if (Date.now() >= deadline) {
          lockDb.close();
          throw new ReviseError(`another migration is running on ${this.file} (lock ${lockFile} still held after ${options.timeoutMs} ms); try again when it finishes`);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, Math.max(1, deadline - Date.now()))));
      }
    }
    let released = false;
    return async () => {
      if (released)
        return;
      released = true;
      try {
        if (lockDb.inTransaction)
          lockDb.exec("ROLLBACK");
      } finally {
        lockDb.close();
      }
    };
  }
  async close() {
    if (this.db.open)
      this.db.close();
  }
};

// dist/dialect/sqlite/index.js
var SHOWN_VIOLATIONS = 5;
var sqliteDialect = {
  name: "sqlite",
  transactionalDdl: true,
  preferBatch: true,
  contextImpl: "SQLiteImpl",
  revisionBoundary: "savepoint",
  bindMarker: () => "?",
  tableExistsQuery: (table) => ({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", params: [table] }),
  typeMap: sqliteTypeMap,
  connect: (url) => connectSqlite(url, sqliteDialect),
  // The DDL compiler and the introspector load on first use: a no-op `upgrade head` needs neither.
  introspect: async (connection, options) => (await import("./introspector-MKQD4XSM.js")).introspectSqlite(connection, options),
  compile: async (op, context) => (await import("./ddl-ZZRMTIU3.js")).compileSqlite(op, context),
  quoteIdentifier,
  renderLiteral,
  offlinePreamble: () => ["PRAGMA foreign_keys=OFF;"],
  async prepareForMigration(connection) {
    await connection.execute("PRAGMA foreign_keys = OFF");
  },
  async beforeCommit(connection) {
    const violations = await connection.query("PRAGMA foreign_key_check");
    if (violations.length === 0)
      return;
    const shown = violations.slice(0, SHOWN_VIOLATIONS).map((v) => `"${v.table}" row ${v.rowid ?? "?"} -> "${v.parent}"`).join(", ");
    const more = violations.length > SHOWN_VIOLATIONS ? ` and ${violations.length - SHOWN_VIOLATIONS} more` : "";
    throw new ReviseError(`foreign key check failed after migration: ${shown}${more}`);
  }
};
export {
  connectSqlite,
  normalizeSqliteDefault,
  normalizeSqliteType,
  prismaDateTimeText,
  quoteIdentifier,
  renderLiteral,
  sqliteDialect,
  sqliteFilePath,
  sqliteTypeMap
};
