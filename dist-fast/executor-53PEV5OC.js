import {
  qualifiedName
} from "./chunk-5RSOFSS4.js";
import {
  VERSION_TABLE
} from "./chunk-NGLJZLU3.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/data/batched.js
import { sql } from "kysely";

// dist/data/progress.js
var REDRAW_MS = 200;
var SILENT = { advance: () => void 0, done: () => void 0 };
function createProgress(label, total, stream = process.stderr, now = Date.now) {
  if (!stream.isTTY)
    return SILENT;
  const started = now();
  let rows = 0;
  let drawnAt = 0;
  let drawn = false;
  const draw = () => {
    drawnAt = now();
    drawn = true;
    stream.write(`\r\x1B[2K${formatProgress(label, rows, total, drawnAt - started)}`);
  };
  return {
    advance(n) {
      rows += n;
      if (now() - drawnAt >= REDRAW_MS)
        draw();
    },
    done() {
      if (!drawn && now() - started < REDRAW_MS)
        return;
      draw();
      stream.write("\n");
    }
  };
}
function formatProgress(label, rows, total, elapsedMs) {
  const n = (x) => Math.round(x).toLocaleString("en-US");
  const rate = elapsedMs > 0 ? rows * 1e3 / elapsedMs : 0;
  let text = `${label}: ${n(rows)}`;
  if (total !== void 0 && total > 0)
    text += ` / ${n(total)} rows (${Math.min(100, Math.floor(rows * 100 / total))}%)`;
  else
    text += " rows";
  if (rate > 0)
    text += `, ${n(rate)} rows/s`;
  if (total !== void 0 && rate > 0 && rows < total)
    text += `, ${formatDuration((total - rows) * 1e3 / rate)} left`;
  else
    text += `, ${formatDuration(elapsedMs)}`;
  return text;
}
function formatDuration(ms) {
  const s = Math.ceil(ms / 1e3);
  if (s < 60)
    return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60)
    return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

// dist/data/batched.js
var DEFAULT_CHUNK_SIZE = 5e3;
async function runBatched(db, offline, options, fn, stream) {
  const size = options.size ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(size) || size < 1)
    throw new ReviseError(`batched: size must be a positive integer, got ${String(options.size)}`);
  if (!options.key)
    throw new ReviseError("batched: a key column is required");
  const tableName = typeof options.table === "string" ? options.table : [options.table.schema, options.table.name].filter(Boolean).join(".");
  const table = sql.table(tableName);
  const key2 = sql.ref(options.key);
  if (offline) {
    await fn({ where: sql`${sql.lit(true)}`, after: void 0, last: void 0, rows: 0, index: 0 });
    return { rows: 0, chunks: 1 };
  }
  const out = stream ?? process.stderr;
  let total;
  if (out.isTTY) {
    const counted = await sql`SELECT count(*) AS n FROM ${table}`.execute(db);
    total = Number(counted.rows[0]?.n ?? 0);
  }
  const progress = createProgress(options.label ?? tableName, total, out);
  let after;
  let rows = 0;
  let index = 0;
  try {
    for (; ; ) {
      const lowerBound = index === 0 ? sql`` : sql`WHERE ${key2} > ${after}`;
      const boundary = await sql`SELECT max(${sql.ref("chunk.k")}) AS last, count(*) AS n FROM (SELECT ${key2} AS k FROM ${table} ${lowerBound} ORDER BY ${key2} LIMIT ${size}) AS chunk`.execute(db);
      const n = Number(boundary.rows[0]?.n ?? 0);
      if (n === 0)
        break;
      const last = boundary.rows[0].last;
      const where = index === 0 ? sql`${key2} <= ${last}` : sql`${key2} > ${after} AND ${key2} <= ${last}`;
      await fn({ where, after, last, rows: n, index });
      rows += n;
      index++;
      progress.advance(n);
      if (n < size)
        break;
      after = last;
    }
  } finally {
    progress.done();
  }
  return { rows, chunks: index };
}

// dist/operations/build.js
function tableRefOf(table) {
  if (typeof table === "string")
    return { name: table };
  return table.schema ? { schema: table.schema, name: table.name } : { name: table.name };
}
function indexFromSpec(spec) {
  const index = {
    name: spec.name,
    columns: spec.columns.map((c) => typeof c === "string" ? { name: c } : { ...c }),
    unique: !!spec.unique
  };
  if (spec.using !== void 0)
    index.using = spec.using;
  if (spec.where !== void 0)
    index.where = spec.where;
  return index;
}
function alteredColumn(name, change) {
  const from = { ...change.existing, name };
  const to = { ...from };
  if (change.type !== void 0)
    to.type = change.type;
  if (change.nullable !== void 0)
    to.nullable = change.nullable;
  if (change.default === null)
    delete to.default;
  else if (change.default !== void 0)
    to.default = change.default;
  if (change.autoincrement !== void 0)
    to.autoincrement = change.autoincrement;
  if (change.isList !== void 0)
    to.isList = change.isList;
  if (change.enumType === null)
    delete to.enumType;
  else if (change.enumType !== void 0)
    to.enumType = change.enumType;
  return { from, to };
}
function placeholderTable(ref) {
  return { ...ref, columns: [], indexes: [], foreignKeys: [] };
}
function droppedColumn(table, name) {
  return table?.columns.find((c) => c.name === name) ?? { name, type: "", nullable: true };
}
function droppedIndex(table, name) {
  return table?.indexes.find((i) => i.name === name) ?? { name, columns: [], unique: false };
}
function droppedForeignKey(table, name) {
  return table?.foreignKeys.find((f) => f.name === name) ?? {
    name,
    columns: [],
    referencedTable: "",
    referencedColumns: [],
    onDelete: "NO ACTION",
    onUpdate: "NO ACTION"
  };
}
function droppedPrimaryKey(table, name) {
  if (table?.primaryKey)
    return { ...table.primaryKey };
  return name !== void 0 ? { name, columns: [] } : { columns: [] };
}

// dist/data/kysely-dialect.js
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
var KITS = {
  sqlite: {
    compiler: () => new SqliteQueryCompiler(),
    adapter: () => new SqliteAdapter(),
    introspector: (db) => new SqliteIntrospector(db)
  },
  postgres: {
    compiler: () => new PostgresQueryCompiler(),
    adapter: () => new PostgresAdapter(),
    introspector: (db) => new PostgresIntrospector(db)
  }
};
var DEFAULT_COMPILER = { sqlite: "sqlite", postgresql: "postgres" };
function createRevisionDb(dialect, runner) {
  const kit = KITS[dialect.dataCompiler ?? DEFAULT_COMPILER[dialect.name]];
  return new Kysely({ dialect: new RevisionKyselyDialect(kit, runner) });
}
var RevisionKyselyDialect = class {
  kit;
  runner;
  constructor(kit, runner) {
    this.kit = kit;
    this.runner = runner;
  }
  createDriver() {
    return new RevisionDriver(new RevisionConnection(this.runner));
  }
  createQueryCompiler() {
    return this.kit.compiler();
  }
  createAdapter() {
    return this.kit.adapter();
  }
  createIntrospector(db) {
    return this.kit.introspector(db);
  }
};
var RevisionDriver = class {
  connection;
  constructor(connection) {
    this.connection = connection;
  }
  async init() {
  }
  async acquireConnection() {
    return this.connection;
  }
  async beginTransaction() {
    throw new ReviseError("db.transaction() is not available in a data hook: it already runs in the revision's transaction (use op.autocommitBlock for work outside it)");
  }
  async commitTransaction() {
  }
  async rollbackTransaction() {
  }
  async releaseConnection() {
  }
  async destroy() {
  }
};
var RevisionConnection = class {
  runner;
  constructor(runner) {
    this.runner = runner;
  }
  async executeQuery(compiled) {
    const rows = await this.runner.run(compiled.sql, compiled.parameters, compiled.query.kind === "SelectQueryNode");
    return { rows };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery() {
    throw new ReviseError("streaming queries are not supported in data hooks; walk large tables with op.batched()");
  }
};

// dist/runtime/executor.js
function createOps(context) {
  return new Executor(context).ops();
}
var Executor = class {
  context;
  dialect;
  offline;
  /** Online: the introspected model per schema key, dropped after any statement runs. */
  introspected = /* @__PURE__ */ new Map();
  /** The data handle, made on first use (one per revision run). */
  db;
  constructor(context) {
    this.context = context;
    this.dialect = context.dialect;
    this.offline = !context.connection;
    if (this.offline && !context.sink)
      throw new Error("createOps: offline execution needs a sink");
  }
  ops() {
    const run = (op) => this.run(op);
    return {
      dialect: this.dialect.name,
      offline: this.offline,
      tag: this.context.tag,
      createTable: (spec) => run({
        kind: "createTable",
        table: {
          ...spec.schema !== void 0 ? { schema: spec.schema } : {},
          name: spec.name,
          columns: spec.columns.map((c) => ({ ...c })),
          ...spec.primaryKey ? { primaryKey: spec.primaryKey } : {},
          indexes: (spec.indexes ?? []).map(indexFromSpec),
          foreignKeys: spec.foreignKeys ?? []
        }
      }),
      dropTable: (table) => run({ kind: "dropTable", table: placeholderTable(tableRefOf(table)) }),
      renameTable: (from, to) => {
        const ref = tableRefOf(from);
        return run({ kind: "renameTable", ...ref.schema !== void 0 ? { schema: ref.schema } : {}, from: ref.name, to });
      },
      addColumn: (table, column) => run({ kind: "addColumn", table: tableRefOf(table), column: { ...column } }),
      dropColumn: (table, column) => run({ kind: "dropColumn", table: tableRefOf(table), column: droppedColumn(void 0, column) }),
      renameColumn: (table, from, to) => run({ kind: "renameColumn", table: tableRefOf(table), from, to }),
      alterColumn: (table, column, change) => run(alterColumnOp(tableRefOf(table), column, change)),
      createIndex: (table, index, options) => run({ kind: "createIndex", table: tableRefOf(table), index: indexFromSpec(index), ...options?.concurrently ? { concurrently: true } : {} }),
      dropIndex: (table, name) => run({ kind: "dropIndex", table: tableRefOf(table), index: droppedIndex(void 0, name) }),
      renameIndex: (table, from, to) => run({ kind: "renameIndex", table: tableRefOf(table), from, to }),
      createForeignKey: (table, foreignKey) => run({ kind: "addForeignKey", table: tableRefOf(table), foreignKey }),
      dropForeignKey: (table, name) => run({ kind: "dropForeignKey", table: tableRefOf(table), foreignKey: droppedForeignKey(void 0, name) }),
      createPrimaryKey: (table, primaryKey) => run({ kind: "addPrimaryKey", table: tableRefOf(table), primaryKey }),
      dropPrimaryKey: (table, name) => run({ kind: "dropPrimaryKey", table: tableRefOf(table), primaryKey: droppedPrimaryKey(void 0, name) }),
      createEnum: (enumType) => run({ kind: "createEnum", enum: { ...enumType, values: [...enumType.values] } }),
      dropEnum: (enumType) => run({ kind: "dropEnum", enum: { ...enumRef(enumType), values: [] } }),
      alterEnum: (enumType, change) => run({
        kind: "alterEnum",
        ...enumRef(enumType),
        from: change.from,
        to: change.to,
        ...change.usages ? { usages: change.usages.map((u) => ({ ...u, table: tableRefOf(u.table) })) } : {}
      }),
      renameEnumValue: (enumType, from, to) => run({ kind: "renameEnumValue", ...enumRef(enumType), from, to }),
      batchAlterTable: (table, build, options) => this.batch(tableRefOf(table), build, options),
      execute: (sql2, params) => this.execute({ sql: sql2, ...params && params.length > 0 ? { params } : {} }),
      query: (sql2, params) => this.query(sql2, params),
      autocommitBlock: (fn) => this.autocommitBlock(fn),
      data: () => this.data(),
      batched: (options, fn) => runBatched(this.data(), this.offline, options, fn, this.context.progress)
    };
  }
  /** The Kysely handle of this revision: compiled by the dialect's query compiler, run like `op.query` / `op.execute`. */
  data() {
    this.db ??= createRevisionDb(this.dialect, {
      run: async (sql2, params, read) => {
        const values = [...params];
        if (!this.offline)
          return this.query(sql2, values);
        if (!read)
          await this.execute({ sql: sql2, ...values.length > 0 ? { params: values } : {} });
        return [];
      }
    });
    return this.db;
  }
  async batch(table, build, options = {}) {
    const ops = [];
    const recorder = {
      addColumn: (column) => void ops.push({ kind: "addColumn", table, column: { ...column } }),
      dropColumn: (name) => void ops.push({ kind: "dropColumn", table, column: droppedColumn(void 0, name) }),
      renameColumn: (from, to) => void ops.push({ kind: "renameColumn", table, from, to }),
      alterColumn: (name, change) => void ops.push(alterColumnOp(table, name, change)),
      createIndex: (index) => void ops.push({ kind: "createIndex", table, index: indexFromSpec(index) }),
      dropIndex: (name) => void ops.push({ kind: "dropIndex", table, index: droppedIndex(void 0, name) }),
      createForeignKey: (foreignKey) => void ops.push({ kind: "addForeignKey", table, foreignKey }),
      dropForeignKey: (name) => void ops.push({ kind: "dropForeignKey", table, foreignKey: droppedForeignKey(void 0, name) }),
      createPrimaryKey: (primaryKey) => void ops.push({ kind: "addPrimaryKey", table, primaryKey }),
      dropPrimaryKey: () => void ops.push({ kind: "dropPrimaryKey", table, primaryKey: droppedPrimaryKey(void 0) })
    };
    const result = build(recorder);
    if (result && typeof result.then === "function")
      await result;
    if (ops.length === 0)
      return;
    await this.run({
      kind: "batchAlterTable",
      table,
      recreate: options.recreate ?? "auto",
      ops,
      ...options.shape ? { shape: completeShape(options.shape) } : {}
    });
  }
  /** Compile one operation and run (online) or print (offline) its statements. */
  async run(op) {
    if (this.offline && op.kind === "batchAlterTable" && op.shape) {
      this.context.shapes?.set(key(op.table), op.shape);
    }
    const statements = await this.dialect.compile(op, this.compileContext());
    for (const statement of statements)
      await this.execute(statement);
    if (this.offline)
      await this.trackShape(op);
  }
  compileContext() {
    return {
      offline: this.offline,
      getTable: (ref) => this.offline ? this.offlineTable(ref) : this.onlineTable(ref)
    };
  }
  async onlineTable(ref) {
    const schemaKey = ref.schema ?? "";
    let tables = this.introspected.get(schemaKey);
    if (!tables) {
      tables = this.dialect.introspect(this.context.connection, {
        ...ref.schema !== void 0 ? { schemas: [ref.schema] } : {},
        excludeTables: [VERSION_TABLE, ...this.context.excludeTables ?? []]
      }).then((model) => model.tables);
      this.introspected.set(schemaKey, tables);
      tables.catch(() => this.introspected.delete(schemaKey));
    }
    return (await tables).find((t) => t.name === ref.name && (ref.schema === void 0 || t.schema === ref.schema));
  }
  /**
   * Offline nothing can be reflected: the shape comes from the script so far
   * (tables it created, batches' frozen shapes). Unknown tables are
   * `undefined`; the dialect decides whether it can do without (plain ALTERs)
   * or must refuse.
   */
  async offlineTable(ref) {
    return this.context.shapes?.get(key(ref));
  }
  /** Offline: keep the known shapes in step with the script, so later operations can be compiled. */
  async trackShape(op) {
    const shapes = this.context.shapes;
    if (!shapes)
      return;
    switch (op.kind) {
      case "createTable":
        shapes.set(key(op.table), op.table);
        return;
      case "dropTable":
        shapes.delete(key(op.table));
        return;
      case "renameTable": {
        const from = key({ schema: op.schema, name: op.from });
        const shape = shapes.get(from);
        shapes.delete(from);
        if (shape)
          shapes.set(key({ schema: op.schema, name: op.to }), { ...shape, name: op.to });
        return;
      }
      case "batchAlterTable":
      case "addColumn":
      case "dropColumn":
      case "renameColumn":
      case "alterColumn":
      case "createIndex":
      case "dropIndex":
      case "renameIndex":
      case "addForeignKey":
      case "dropForeignKey":
      case "addPrimaryKey":
      case "dropPrimaryKey": {
        const k = key(op.table);
        const shape = shapes.get(k);
        if (!shape)
          return;
        const { applyToShape } = await import("./shape-YWKOTJNQ.js");
        const inner = op.kind === "batchAlterTable" ? op.ops : [op];
        let next = shape;
        for (const o of inner)
          next = applyToShape(next, o);
        shapes.set(k, next);
        return;
      }
      default:
        return;
    }
  }
  async execute(statement) {
    if (this.offline) {
      const sink = this.context.sink;
      if (statement.outsideTransaction) {
        sink.write({ sql: "COMMIT" });
        sink.write(statement);
        sink.write({ sql: "BEGIN" });
      } else {
        sink.write(statement);
      }
      return;
    }
    const connection = this.context.connection;
    this.introspected.clear();
    if (statement.outsideTransaction && connection.inTransaction) {
      await connection.commit();
      try {
        await connection.execute(statement.sql, statement.params);
      } finally {
        await connection.begin();
      }
      return;
    }
    await connection.execute(statement.sql, statement.params);
  }
  async query(sql2, params) {
    if (this.offline)
      return [];
    this.introspected.clear();
    return this.context.connection.query(sql2, params);
  }
  async autocommitBlock(fn) {
    if (this.offline) {
      this.context.sink.write({ sql: "COMMIT" });
      await fn();
      this.context.sink.write({ sql: "BEGIN" });
      return;
    }
    const connection = this.context.connection;
    const wasInTransaction = connection.inTransaction;
    if (wasInTransaction)
      await connection.commit();
    try {
      await fn();
    } finally {
      if (wasInTransaction)
        await connection.begin();
    }
  }
};
function key(ref) {
  return qualifiedName({ name: ref.name, ...ref.schema ? { schema: ref.schema } : {} });
}
function enumRef(enumType) {
  return enumType.schema !== void 0 ? { schema: enumType.schema, name: enumType.name } : { name: enumType.name };
}
function completeShape(shape) {
  const partial = shape;
  return {
    ...shape,
    columns: partial.columns.map((c) => ({ ...c, nullable: c.nullable ?? true })),
    indexes: (partial.indexes ?? []).map((i) => ({ ...i, unique: i.unique ?? false })),
    foreignKeys: partial.foreignKeys ?? []
  };
}
function alterColumnOp(table, name, change) {
  const { from, to } = alteredColumn(name, change);
  return { kind: "alterColumn", table, from, to, ...change.using !== void 0 ? { using: change.using } : {} };
}
export {
  createOps
};
