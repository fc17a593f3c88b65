import {
  qualifiedName
} from "./chunk-5RSOFSS4.js";
import {
  ReviseError,
  maskUrl
} from "./chunk-AVVEHRSJ.js";
import {
  baseType,
  normalizeType,
  postgresTypeMap,
  quoteString
} from "./chunk-I2PECFX6.js";

// dist/dialect/postgres/ddl.js
function quoteIdentifier(name) {
  return `"${name.replace(/"/g, '""')}"`;
}
var q = quoteIdentifier;
function qualified(ref) {
  return ref.schema ? `${q(ref.schema)}.${q(ref.name)}` : q(ref.name);
}
var SERIAL_TYPES = { INTEGER: "SERIAL", BIGINT: "BIGSERIAL", SMALLINT: "SMALLSERIAL" };
function columnType(column) {
  const element = column.enumType ? qualified(column.enumType) : column.type.startsWith('"') ? column.type : normalizeType(column.type);
  return column.isList ? `${element}[]` : element;
}
function defaultSql(column, value) {
  if (column.isList && /^array\[/i.test(value) && !/\]\s*::/.test(value))
    return `${value}::${columnType(column)}`;
  return value;
}
function columnDefinition(column) {
  const serial = column.autoincrement ? SERIAL_TYPES[normalizeType(column.type)] : void 0;
  let sql = `${q(column.name)} ${serial ?? columnType(column)}`;
  if (!column.nullable)
    sql += " NOT NULL";
  if (!serial && column.default !== void 0)
    sql += ` DEFAULT ${defaultSql(column, column.default)}`;
  return sql;
}
function primaryKeyClause(table, pk) {
  return `CONSTRAINT ${q(pk.name ?? `${table.name}_pkey`)} PRIMARY KEY (${pk.columns.map(q).join(",")})`;
}
function createTable(table) {
  const lines = table.columns.map((c) => `    ${columnDefinition(c)}`);
  let body = lines.join(",\n");
  if (table.primaryKey)
    body += `${lines.length ? ",\n\n" : ""}    ${primaryKeyClause(table, table.primaryKey)}`;
  const statements = [{ sql: `CREATE TABLE ${qualified(table)} (
${body}
)` }];
  for (const index of table.indexes)
    statements.push(createIndex(table, index, false));
  for (const fk of table.foreignKeys)
    statements.push(addForeignKey(table, fk));
  return statements;
}
function indexColumn(column) {
  const name = column.name.includes("(") ? column.name : q(column.name);
  return [name, column.opclass, column.sort].filter(Boolean).join(" ");
}
function createIndex(table, index, concurrently) {
  const using = index.using && index.using.toLowerCase() !== "btree" ? ` USING ${index.using.toUpperCase()} ` : "";
  let sql = `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${concurrently ? "CONCURRENTLY " : ""}${q(index.name)} ON ${qualified(table)}${using}(${index.columns.map(indexColumn).join(", ")})`;
  if (index.where)
    sql += ` WHERE ${index.where}`;
  return concurrently ? { sql, outsideTransaction: true } : { sql };
}
function dropIndex(table, index) {
  const name = qualified({ schema: table.schema, name: index.name });
  if (!index.unique)
    return [{ sql: `DROP INDEX ${name}` }];
  return [
    { sql: `ALTER TABLE ${qualified(table)} DROP CONSTRAINT IF EXISTS ${q(index.name)}` },
    { sql: `DROP INDEX IF EXISTS ${name}` }
  ];
}
function addForeignKey(table, fk) {
  const referenced = qualified({ schema: fk.referencedSchema, name: fk.referencedTable });
  return {
    sql: `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(", ")}) REFERENCES ${referenced}(${fk.referencedColumns.map(q).join(", ")}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`
  };
}
function alterTable(table, clause) {
  return { sql: `ALTER TABLE ${qualified(table)} ${clause}` };
}
function typeFamily(column) {
  if (column.enumType)
    return `enum:${column.enumType.schema ?? ""}.${column.enumType.name}`;
  const base = baseType(normalizeType(column.type));
  if (["SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "DECIMAL", "MONEY", "OID"].includes(base))
    return "number";
  if (["TEXT", "VARCHAR", "CHAR", "CITEXT"].includes(base))
    return "string";
  if (["TIMESTAMP", "TIMESTAMPTZ", "DATE"].includes(base))
    return "datetime";
  if (["TIME", "TIMETZ"].includes(base))
    return "time";
  if (["BIT", "VARBIT"].includes(base))
    return "bit";
  return base;
}
function sequenceName(table, column) {
  return `${table.name}_${column}_seq`;
}
function alterColumn(op) {
  const { table, from, to } = op;
  const col = q(to.name);
  const out = [];
  const typeChanged = columnType(from) !== columnType(to) || Boolean(from.isList) !== Boolean(to.isList) || op.using !== void 0;
  const autoOff = Boolean(from.autoincrement) && !to.autoincrement;
  const autoOn = !from.autoincrement && Boolean(to.autoincrement);
  if (autoOff) {
    out.push(alterTable(table, `ALTER COLUMN ${col} DROP DEFAULT`));
    out.push({
      sql: `DO $$ DECLARE s text := pg_get_serial_sequence(${quoteString(qualified(table))}, ${quoteString(to.name)}); BEGIN IF s IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || s; END IF; END $$`
    });
  }
  const hadDefault = from.default !== void 0 && !from.autoincrement;
  const defaultChanged = from.default !== to.default;
  let defaultDropped = false;
  if (hadDefault && (defaultChanged || typeChanged)) {
    out.push(alterTable(table, `ALTER COLUMN ${col} DROP DEFAULT`));
    defaultDropped = true;
  }
  if (typeChanged) {
    const newType = columnType(to);
    let using = op.using;
    if (using === void 0 && (typeFamily(from) !== typeFamily(to) || Boolean(from.isList) !== Boolean(to.isList))) {
      const cast = (expr, type) => from.enumType || to.enumType ? `${expr}::text::${type}` : `${expr}::${type}`;
      const element = columnType({ ...to, isList: false });
      if (!from.isList && to.isList)
        using = `CASE WHEN ${col} IS NULL THEN NULL ELSE ARRAY[${cast(col, element)}] END`;
      else if (from.isList && !to.isList)
        using = cast(`${col}[1]`, element);
      else
        using = cast(col, newType);
    }
    out.push(alterTable(table, `ALTER COLUMN ${col} SET DATA TYPE ${newType}${using ? ` USING ${using}` : ""}`));
  }
  if (from.nullable !== to.nullable) {
    out.push(alterTable(table, `ALTER COLUMN ${col} ${to.nullable ? "DROP" : "SET"} NOT NULL`));
  }
  if (!to.autoincrement && to.default !== void 0 && (defaultDropped || defaultChanged)) {
    out.push(alterTable(table, `ALTER COLUMN ${col} SET DEFAULT ${defaultSql(to, to.default)}`));
  }
  if (autoOn) {
    const seq = qualified({ schema: table.schema, name: sequenceName(table, to.name) });
    const seqType = SERIAL_TYPES[normalizeType(to.type)] ? normalizeType(to.type) : "INTEGER";
    out.push({ sql: `CREATE SEQUENCE ${seq} AS ${seqType}` });
    out.push(alterTable(table, `ALTER COLUMN ${col} SET DEFAULT nextval(${quoteString(seq)})`));
    out.push({ sql: `ALTER SEQUENCE ${seq} OWNED BY ${qualified(table)}.${col}` });
    out.push({
      sql: `SELECT setval(${quoteString(seq)}, COALESCE((SELECT MAX(${col}) FROM ${qualified(table)}), 0) + 1, false)`
    });
  }
  return out;
}
function enumValues(values) {
  return values.map(quoteString).join(", ");
}
function alterEnum(op) {
  const type = qualified({ schema: op.schema, name: op.name });
  const kept = op.to.filter((v) => op.from.includes(v));
  const additionsOnly = op.from.every((v) => op.to.includes(v)) && kept.every((v, i) => v === op.from[i]);
  if (additionsOnly) {
    const out2 = [];
    op.to.forEach((value, i) => {
      if (op.from.includes(value))
        return;
      const next = op.to.slice(i + 1).find((v) => op.from.includes(v));
      const position = next !== void 0 ? ` BEFORE ${quoteString(next)}` : "";
      out2.push({ sql: `ALTER TYPE ${type} ADD VALUE IF NOT EXISTS ${quoteString(value)}${position}`, outsideTransaction: true });
    });
    return out2;
  }
  const tempName = `${op.name}_new`;
  const temp = qualified({ schema: op.schema, name: tempName });
  const old = `${op.name}_old`;
  const out = [{ sql: `CREATE TYPE ${temp} AS ENUM (${enumValues(op.to)})` }];
  if (op.usages) {
    for (const usage of op.usages) {
      const col = q(usage.column);
      const target = usage.isList ? `${temp}[]` : temp;
      if (usage.default !== void 0)
        out.push(alterTable(usage.table, `ALTER COLUMN ${col} DROP DEFAULT`));
      out.push(alterTable(usage.table, `ALTER COLUMN ${col} TYPE ${target} USING (${col}::text::${target})`));
    }
  } else {
    out.push({ sql: convertAllUsages(type, temp) });
  }
  out.push({ sql: `ALTER TYPE ${type} RENAME TO ${q(old)}` });
  out.push({ sql: `ALTER TYPE ${temp} RENAME TO ${q(op.name)}` });
  out.push({ sql: `DROP TYPE ${qualified({ schema: op.schema, name: old })}` });
  for (const usage of op.usages ?? []) {
    if (usage.default === void 0)
      continue;
    const column = { name: usage.column, type: op.name, nullable: true, isList: usage.isList, enumType: { schema: op.schema, name: op.name } };
    out.push(alterTable(usage.table, `ALTER COLUMN ${q(usage.column)} SET DEFAULT ${defaultSql(column, usage.default)}`));
  }
  return out;
}
function convertAllUsages(type, temp) {
  return `DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT a.attrelid::regclass::text AS tbl, quote_ident(a.attname) AS col,
           (a.atttypid = ${quoteString(type)}::regtype) AS scalar,
           pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.atttypid IN (${quoteString(type)}::regtype, ${quoteString(`${type}[]`)}::regtype)
       AND a.attnum > 0 AND NOT a.attisdropped
       AND (SELECT relkind FROM pg_class WHERE oid = a.attrelid) IN ('r', 'p')
  LOOP
    IF r.def IS NOT NULL THEN EXECUTE format('ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT', r.tbl, r.col); END IF;
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %s TYPE %s USING (%s::text::%s)', r.tbl, r.col,
                   CASE WHEN r.scalar THEN ${quoteString(temp)} ELSE ${quoteString(`${temp}[]`)} END, r.col,
                   CASE WHEN r.scalar THEN ${quoteString(temp)} ELSE ${quoteString(`${temp}[]`)} END);
    IF r.def IS NOT NULL THEN
      -- Drop the casts to the old type; a list default gets the new array type.
      EXECUTE format('ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s', r.tbl, r.col,
                     regexp_replace(r.def, '::(("[^"]*"|\\w+)\\.)?("[^"]*"|\\w+)(\\[\\])*', '', 'g')
                     || CASE WHEN r.scalar THEN '' ELSE '::' || ${quoteString(`${temp}[]`)} END);
    END IF;
  END LOOP;
END $$`;
}
function ensureSchema(schema) {
  return schema ? [{ sql: `CREATE SCHEMA IF NOT EXISTS ${q(schema)}` }] : [];
}
async function compilePostgres(op, context) {
  switch (op.kind) {
    case "createTable":
      return [...ensureSchema(op.table.schema), ...createTable(op.table)];
    case "dropTable":
      return [{ sql: `DROP TABLE ${qualified(op.table)}` }];
    case "renameTable":
      return [{ sql: `ALTER TABLE ${qualified({ schema: op.schema, name: op.from })} RENAME TO ${q(op.to)}` }];
    case "addColumn":
      return [alterTable(op.table, `ADD COLUMN ${columnDefinition(op.column)}`)];
    case "dropColumn":
      return [alterTable(op.table, `DROP COLUMN ${q(op.column.name)}`)];
    case "renameColumn":
      return [alterTable(op.table, `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`)];
    case "alterColumn":
      return alterColumn(op);
    case "createIndex":
      return [createIndex(op.table, op.index, Boolean(op.concurrently))];
    case "dropIndex":
      return dropIndex(op.table, op.index);
    case "renameIndex":
      return [{ sql: `ALTER INDEX ${qualified({ schema: op.table.schema, name: op.from })} RENAME TO ${q(op.to)}` }];
    case "addForeignKey":
      return [addForeignKey(op.table, op.foreignKey)];
    case "dropForeignKey":
      return [alterTable(op.table, `DROP CONSTRAINT ${q(op.foreignKey.name)}`)];
    case "addPrimaryKey":
      return [alterTable(op.table, `ADD ${primaryKeyClause(op.table, op.primaryKey)}`)];
    case "dropPrimaryKey":
      return [alterTable(op.table, `DROP CONSTRAINT ${q(op.primaryKey.name ?? `${op.table.name}_pkey`)}`)];
    case "createEnum":
      return [...ensureSchema(op.enum.schema), { sql: `CREATE TYPE ${qualified(op.enum)} AS ENUM (${enumValues(op.enum.values)})` }];
    case "dropEnum":
      return [{ sql: `DROP TYPE ${qualified(op.enum)}` }];
    case "alterEnum":
      return alterEnum(op);
    case "renameEnumValue":
      return [
        {
          sql: `ALTER TYPE ${qualified({ schema: op.schema, name: op.name })} RENAME VALUE ${quoteString(op.from)} TO ${quoteString(op.to)}`
        }
      ];
    case "execute":
      return [{ sql: op.sql, ...op.params && op.params.length > 0 ? { params: [...op.params] } : {} }];
    case "batchAlterTable": {
      const out = [];
      for (const inner of op.ops)
        out.push(...await compilePostgres(inner, context));
      return out;
    }
    default: {
      const unknown = op;
      throw new Error(`unsupported operation ${unknown.kind}`);
    }
  }
}
function renderLiteral(value) {
  if (value === null || value === void 0)
    return "NULL";
  if (typeof value === "boolean")
    return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      return `'${value}'::double precision`;
    return String(value);
  }
  if (typeof value === "bigint")
    return value.toString();
  if (typeof value === "string")
    return quoteString(value);
  if (value instanceof Date)
    return quoteString(value.toISOString());
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return `'\\x${Buffer.from(value).toString("hex")}'::bytea`;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? `'{}'` : `ARRAY[${value.map(renderLiteral).join(", ")}]`;
  }
  return quoteString(JSON.stringify(value));
}

// dist/dialect/postgres/driver.js
import { createHash } from "node:crypto";

// dist/dialect/postgres/url.js
import { readFileSync } from "node:fs";
function parsePostgresUrl(url) {
  const masked = maskUrl(url);
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new ReviseError(`invalid PostgreSQL URL: ${masked}`);
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new ReviseError(`not a PostgreSQL URL (expected postgresql://...): ${masked}`);
  }
  const params = parsed.searchParams;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres";
  const host = params.get("host") || decodeURIComponent(parsed.hostname) || "localhost";
  const port = parsed.port ? Number(parsed.port) : Number(params.get("port") ?? 5432);
  const connectTimeoutSeconds = Number(params.get("connect_timeout") ?? 5);
  const sslmode = (params.get("sslmode") ?? "prefer").toLowerCase();
  const target = {
    host: host.replace(/^\[|\]$/g, ""),
    port,
    user: parsed.username ? decodeURIComponent(parsed.username) : void 0,
    password: parsed.password ? decodeURIComponent(parsed.password) : void 0,
    database,
    schema: params.get("schema") || "public",
    ssl: sslOptions(sslmode, params, masked),
    // connect_timeout=0 means "no limit" for Prisma and libpq.
    connectTimeoutMs: connectTimeoutSeconds > 0 ? connectTimeoutSeconds * 1e3 : 0,
    applicationName: params.get("application_name") || "revise",
    pgbouncer: params.get("pgbouncer") === "true",
    options: params.get("options") ?? void 0,
    address: host.startsWith("/") ? host : `${host}:${port}`,
    masked
  };
  return target;
}
function sslOptions(sslmode, params, masked) {
  const caPath = params.get("sslrootcert") ?? params.get("sslcert");
  const acceptInvalid = params.get("sslaccept") === "accept_invalid_certs";
  const ca = caPath ? readCertificate(caPath, masked) : void 0;
  switch (sslmode) {
    case "disable":
      return false;
    case "allow":
    case "prefer":
      return "prefer";
    case "require":
      return ca && !acceptInvalid ? { ca, rejectUnauthorized: true, checkServerIdentity: () => void 0 } : { rejectUnauthorized: false };
    case "verify-ca":
      return { ca, rejectUnauthorized: !acceptInvalid, checkServerIdentity: () => void 0 };
    case "verify-full":
      return { ca, rejectUnauthorized: !acceptInvalid };
    default:
      throw new ReviseError(`unknown sslmode "${sslmode}" in ${masked} (use disable, prefer, require, verify-ca or verify-full)`);
  }
}
function readCertificate(path, masked) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new ReviseError(`cannot read the TLS certificate "${path}" named in ${masked}`);
  }
}
function clientConfig(target, ssl) {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl,
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: target.applicationName,
    ...target.options ? { options: target.options } : {}
  };
}

// dist/dialect/postgres/driver.js
var PostgresConnection = class {
  dialect;
  target;
  client;
  schemas;
  transactionOpen = false;
  broken;
  constructor(dialect, target, client, schemas) {
    this.dialect = dialect;
    this.target = target;
    this.client = client;
    this.schemas = schemas;
    client.on("error", (error) => {
      this.broken = error;
    });
  }
  /** The URL's `?schema=` (default `public`). */
  get defaultSchema() {
    return this.target.schema;
  }
  get inTransaction() {
    return this.transactionOpen;
  }
  async query(sql, params) {
    this.throwIfBroken();
    const result = await this.client.query(sql, params);
    return result.rows;
  }
  async execute(sql, params) {
    this.throwIfBroken();
    await this.client.query(sql, params);
  }
  async begin() {
    await this.execute("BEGIN");
    this.transactionOpen = true;
  }
  async commit() {
    try {
      await this.execute("COMMIT");
    } finally {
      this.transactionOpen = false;
    }
  }
  async rollback() {
    try {
      await this.execute("ROLLBACK");
    } finally {
      this.transactionOpen = false;
    }
  }
  acquireMigrationLock(options) {
    return acquireAdvisoryLock(this.target, options.timeoutMs);
  }
  async close() {
    await this.client.end().catch(() => void 0);
  }
  throwIfBroken() {
    if (this.broken) {
      throw new ReviseError(`lost the connection to PostgreSQL at ${this.target.address}: ${this.broken.message}`);
    }
  }
};
async function connectPostgres(dialect, url, options = {}) {
  const target = parsePostgresUrl(url);
  const client = await openClient(target);
  try {
    await client.query(`SET search_path TO ${quoteIdent(target.schema)}; SET TIME ZONE 'UTC'`);
  } catch (error) {
    await client.end().catch(() => void 0);
    throw connectError(error, target);
  }
  return new PostgresConnection(dialect, target, client, options.schemas);
}
function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`;
}
async function openClient(target, applicationName) {
  const pg = (await import("pg")).default;
  const attempt = async (ssl) => {
    const config = clientConfig(target, ssl);
    if (applicationName)
      config.application_name = applicationName;
    const client = new pg.Client(config);
    client.on("error", () => void 0);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => void 0);
      throw error;
    }
  };
  try {
    if (target.ssl !== "prefer")
      return await attempt(target.ssl);
    try {
      return await attempt({ rejectUnauthorized: false });
    } catch (error) {
      if (!/does not support SSL/i.test(errorMessage(error)))
        throw error;
      return await attempt(false);
    }
  } catch (error) {
    throw connectError(error, target);
  }
}
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
function errorCode(error) {
  const e = error;
  return e?.code ?? e?.errors?.find((inner) => inner.code)?.code;
}
function connectError(error, target) {
  if (error instanceof ReviseError)
    return error;
  const where = `PostgreSQL at ${target.address}`;
  const code = errorCode(error);
  const user = target.user ?? "the current user";
  let message;
  switch (code) {
    case "ECONNREFUSED":
      message = `could not connect to ${where}: connection refused (is the server running and listening there?)`;
      break;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      message = `could not connect to ${where}: host "${target.host}" not found`;
      break;
    case "ETIMEDOUT":
      message = `could not connect to ${where}: timed out`;
      break;
    case "28P01":
      message = `could not connect to ${where}: password authentication failed for user "${user}"`;
      break;
    case "28000":
      message = `could not connect to ${where}: access denied for user "${user}" (${firstLine(error)})`;
      break;
    case "3D000":
      message = `database "${target.database}" does not exist on ${where}; create it first (CREATE DATABASE "${target.database}"; or: createdb ${target.database})`;
      break;
    case "3F000":
      message = `schema "${target.schema}" does not exist in database "${target.database}" on ${where}`;
      break;
    default:
      if (/timeout/i.test(errorMessage(error))) {
        message = `could not connect to ${where}: timed out after ${target.connectTimeoutMs / 1e3}s (connect_timeout)`;
      } else {
        message = `could not connect to ${where}: ${firstLine(error)}`;
      }
  }
  return new ReviseError(`${message} [${target.masked}]`);
}
function firstLine(error) {
  const text = errorMessage(error).split("\n")[0] ?? "";
  return text.replace(/(\/\/[^:/?#@]*:)[^@/?#]*@/g, "$1****@");
}
function migrationLockKey(database, schema) {
  const digest = createHash("sha256").update(`revise:migration-lock\0${database}\0${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}
function lockKeyParts(key) {
  const unsigned = BigInt.asUintN(64, BigInt(key));
  return [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()];
}
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function acquireAdvisoryLock(target, timeoutMs) {
  const scope = `database "${target.database}", schema "${target.schema}"`;
  if (target.pgbouncer) {
    throw new ReviseError(`cannot take the migration lock through PgBouncer (?pgbouncer=true): session advisory locks need a direct connection; point revise at the database itself (Prisma's directUrl)`);
  }
  const key = migrationLockKey(target.database, target.schema);
  const [classid, objid] = lockKeyParts(key);
  const client = await openClient(target, `${target.applicationName} (migration lock)`);
  const fail = async (error) => {
    await client.end().catch(() => void 0);
    throw error;
  };
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let delay = 20;
  let lockedBy;
  for (; ; ) {
    let row;
    try {
      const result = await client.query("SELECT pg_try_advisory_lock($1::bigint) AS locked, pg_backend_pid() AS pid", [key]);
      row = result.rows[0];
    } catch (error) {
      return fail(new ReviseError(`cannot take the migration lock on PostgreSQL at ${target.address}: pg_advisory_lock is not available (${firstLine(error)}); revise needs session advisory locks, so connect directly rather than through a pooler`));
    }
    if (row.locked) {
      lockedBy = row.pid;
      break;
    }
    const left = deadline - Date.now();
    if (left <= 0)
      return fail(new ReviseError(await describeHolder(client, classid, objid, scope, timeoutMs)));
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, 500);
  }
  const check = await client.query("SELECT pg_backend_pid() AS pid");
  if (check.rows[0].pid !== lockedBy) {
    await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => void 0);
    return fail(new ReviseError(`cannot hold the migration lock on PostgreSQL at ${target.address}: the connection goes through a transaction-mode pooler (e.g. PgBouncer), where session advisory locks do not work; point revise at the database directly`));
  }
  let released = false;
  return async () => {
    if (released)
      return;
    released = true;
    try {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
    } finally {
      await client.end().catch(() => void 0);
    }
  };
}
async function describeHolder(client, classid, objid, scope, timeoutMs) {
  const prefix = `timed out after ${timeoutMs} ms waiting for the migration lock (${scope})`;
  try {
    const result = await client.query(`SELECT l.pid, a.usename, a.application_name, a.client_addr::text AS client_addr, a.backend_start
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid::bigint = $1::bigint AND l.objid::bigint = $2::bigint
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [classid, objid]);
    const holder = result.rows[0];
    if (!holder)
      return `${prefix}: it is held by another session that is not visible here`;
    const details = [
      holder.usename ? `user ${holder.usename}` : void 0,
      holder.application_name ? `application "${holder.application_name}"` : void 0,
      holder.client_addr ? `from ${holder.client_addr}` : void 0,
      holder.backend_start ? `connected since ${new Date(holder.backend_start).toISOString()}` : void 0
    ].filter(Boolean);
    return `${prefix}: held by PostgreSQL backend pid ${holder.pid}${details.length ? ` (${details.join(", ")})` : ""}; another migration is probably running \u2014 wait for it, or end that session with SELECT pg_terminate_backend(${holder.pid})`;
  } catch {
    return `${prefix}: another session holds it`;
  }
}

// dist/dialect/postgres/risk.js
var VOLATILE_DEFAULT = /\b(random|gen_random_uuid|uuid_generate_v[14]|uuid_generate_v1mc|clock_timestamp|timeofday|nextval|txid_current|setseed)\s*\(/i;
function postgresRiskNotes(op, context) {
  switch (op.kind) {
    case "createIndex":
      return !op.concurrently && context.isExistingTable(op.table) ? [
        `builds index "${op.index.name}" on existing table "${qualifiedName(op.table)}" without CONCURRENTLY: writes to the table wait until it is built; on a large table use \`await op.autocommitBlock(() => op.createIndex(..., { concurrently: true }))\``
      ] : [];
    case "addForeignKey":
      return context.isExistingTable(op.table) ? [
        `adds foreign key "${op.foreignKey.name}" to existing table "${qualifiedName(op.table)}" without NOT VALID: locks both tables and scans every row; on a large table add it with op.execute('ALTER TABLE ... ADD CONSTRAINT ... NOT VALID') and VALIDATE CONSTRAINT in a later revision`
      ] : [];
    case "addColumn":
      return op.column.default !== void 0 && VOLATILE_DEFAULT.test(op.column.default) && context.isExistingTable(op.table) ? [
        `adds "${qualifiedName(op.table)}"."${op.column.name}" with the volatile default ${op.column.default}: rewrites the whole table under an exclusive lock; on a large table add it without a default, back-fill in batches, then set the default`
      ] : [];
    default:
      return [];
  }
}

// dist/dialect/postgres/index.js
function defaultSchemaOf(connection) {
  return connection.defaultSchema ?? "public";
}
var postgresDialect = {
  name: "postgresql",
  transactionalDdl: true,
  typeMap: postgresTypeMap,
  preferBatch: false,
  contextImpl: "PostgresqlImpl",
  // A real commit per revision, so one revision's locks are not held through the rest of the run.
  revisionBoundary: "commit",
  bindMarker: (index) => `$${index}`,
  tableExistsQuery: (table, schema) => schema ? { sql: "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2", params: [schema, table] } : { sql: "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1", params: [table] },
  connect: (url, options) => connectPostgres(postgresDialect, url, options),
  // Loaded on first use: a no-op `upgrade head` never introspects.
  introspect: async (connection, options) => (await import("./introspector-3SVR6IFF.js")).introspectPostgres(connection, options),
  compile: compilePostgres,
  quoteIdentifier,
  renderLiteral,
  offlinePreamble: () => [],
  async prepareForMigration(connection) {
    await connection.execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(defaultSchemaOf(connection))}`);
  },
  async beforeCommit() {
  },
  riskNotes: postgresRiskNotes
};
export {
  PostgresConnection,
  parsePostgresUrl,
  postgresDialect
};
