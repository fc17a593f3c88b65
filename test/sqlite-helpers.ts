import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import type { CompileContext, Connection, Statement } from '../src/dialect/types.js';
import { findTable, type DatabaseModel, type TableModel } from '../src/model/types.js';
import type { Operation } from '../src/operations/types.js';

/** A temp folder per test file, removed afterwards. */
export function tempDir(prefix = 'revise-sqlite-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;

export async function openDb(dir: string, name = `db${++counter}.db`): Promise<Connection> {
  const conn = await sqliteDialect.connect(`file:${path.join(dir, name)}`);
  await sqliteDialect.prepareForMigration(conn);
  return conn;
}

export function onlineContext(conn: Connection): CompileContext {
  return {
    offline: false,
    getTable: async (ref) => findTable(await sqliteDialect.introspect(conn), ref.name),
  };
}

export async function compile(conn: Connection, op: Operation): Promise<Statement[]> {
  return sqliteDialect.compile(op, onlineContext(conn));
}

/** Compile and run one operation in its own transaction, checking foreign keys before commit like the runner. */
export async function apply(conn: Connection, op: Operation): Promise<Statement[]> {
  const statements = await compile(conn, op);
  await conn.begin();
  try {
    for (const s of statements) await conn.execute(s.sql, s.params);
    await sqliteDialect.beforeCommit(conn);
    await conn.commit();
  } catch (err) {
    await conn.rollback();
    throw err;
  }
  return statements;
}

export async function introspect(conn: Connection): Promise<DatabaseModel> {
  return sqliteDialect.introspect(conn);
}

export async function table(conn: Connection, name: string): Promise<TableModel> {
  const t = findTable(await introspect(conn), name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}
