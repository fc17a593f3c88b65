/**
 * SQLite's foreign key check before each revision commits: a revision that
 * leaves a broken foreign key is refused, whichever way it broke it, while a
 * revision that only creates tables, indexes and columns (which cannot break
 * one) is not made to scan the whole database again, nor is one that drops or
 * renames (checked only where its change can reach: the tables whose keys
 * reference what it dropped, renamed or altered).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { upgrade } from '../src/index.js';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import type { Connection } from '../src/dialect/types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const quiet = { out: () => undefined, log: () => undefined };

const parent = "await op.createTable({ name: 'p', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });";
const child = (name: string, refColumn = 'id') =>
  `await op.createTable({ name: '${name}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'pId', type: 'INTEGER', nullable: true }], primaryKey: { columns: ['id'] }, foreignKeys: [{ name: '${name}_pId_fkey', columns: ['pId'], referencedTable: 'p', referencedColumns: ['${refColumn}'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' }] });`;

function project(bodies: string[], seed?: (db: Database.Database) => void): { cwd: string; url: string; db: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'revise-fk-check-'));
  dirs.push(cwd);
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 's', private: true, type: 'module' }));
  mkdirSync(join(cwd, 'migrations', 'versions'), { recursive: true });
  bodies.forEach((body, i) => {
    const id = `r${i + 1}`;
    writeFileSync(
      join(cwd, 'migrations', 'versions', `${id}_step.ts`),
      `export const revision = '${id}';\nexport const downRevision = ${i === 0 ? 'null' : `'r${i}'`};\nexport async function upgrade(op: any) {\n  ${body}\n}\nexport async function downgrade(op: any) {}\n`,
    );
  });
  const db = join(cwd, 'app.db');
  if (seed) {
    const conn = new Database(db);
    seed(conn);
    conn.close();
  }
  return { cwd, url: `file:${db}`, db };
}

function versions(db: string): string[] {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare('SELECT version_num FROM alembic_version').all() as Array<{ version_num: string }>).map((r) => r.version_num);
  } finally {
    conn.close();
  }
}

/** Reads of the schema's foreign keys (ReferencingTables.read), which a run makes once, not per revision. */
const MAP_READ = /^SELECT name FROM sqlite_master WHERE type = 'table'$|pragma_foreign_key_list\("m"\."name"\)/;

/**
 * Runs `run`, returning the SQL of every check before commit it made (with
 * the tables a narrowed check looked at: `<sql> [tables]`), and how many
 * times the schema's keys were read.
 */
async function recordChecks(run: () => Promise<unknown>): Promise<string[] & { reads: number }> {
  const checks = Object.assign([] as string[], { reads: 0 });
  const original = sqliteDialect.beforeCommit;
  sqliteDialect.beforeCommit = async (connection: Connection, changes) => {
    const query = connection.query.bind(connection);
    connection.query = (async (sql: string, params?: readonly unknown[]) => {
      if (MAP_READ.test(sql)) checks.reads += sql.includes('pragma_foreign_key_list') ? 1 : 0;
      else checks.push(/^SELECT \* FROM pragma_foreign_key_check\(\?\)/.test(sql) ? `${sql} ${JSON.stringify(params)}` : sql);
      return query(sql, params);
    }) as Connection['query'];
    try {
      return await original.call(sqliteDialect, connection, changes);
    } finally {
      connection.query = query;
    }
  };
  try {
    await run();
  } finally {
    sqliteDialect.beforeCommit = original;
  }
  return checks;
}

const FULL = 'PRAGMA foreign_key_check';
/** The check of exactly `tables` (after a drop or a rename: the tables whose keys reference what changed). */
const checkOf = (...tables: string[]) => `${tables.map(() => 'SELECT * FROM pragma_foreign_key_check(?)').join(' UNION ALL ')} ${JSON.stringify(tables)}`;

const refused = /^Revision r3 failed: foreign key check failed after migration: "c" row 1 -> "p" .*rolled back$/;

describe('SQLite: the foreign key check before each revision commits', () => {
  it('a later revision breaking a key through raw SQL is refused, the ones before it kept', async () => {
    const p = project([parent, child('c'), `await op.execute('INSERT INTO "c" ("id", "pId") VALUES (1, 42)');`]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(refused));
    expect(versions(p.db)).toEqual(['r2']);
    expect(checks.at(-1)).toBe(FULL);
  });

  it('through the data handle', async () => {
    const p = project([parent, child('c'), `await op.data().insertInto('c').values({ id: 1, pId: 42 }).execute();`]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(refused);
    expect(versions(p.db)).toEqual(['r2']);
  });

  it('by dropping the parent of rows (an operation that can break keys)', async () => {
    const p = project([
      `${parent}\n  await op.execute('INSERT INTO "p" ("id") VALUES (7)');`,
      `${child('c')}\n  await op.execute('INSERT INTO "c" ("id", "pId") VALUES (1, 7)');`,
      "await op.dropTable('p');",
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(refused));
    expect(versions(p.db)).toEqual(['r2']);
    // Refused by the narrowed check: the tables whose keys reference "p".
    expect(checks.at(-1)).toBe(checkOf('c'));
  });

  it('by dropping the unique index a child key points at: refused as a foreign key mismatch', async () => {
    const p = project([
      `${parent}\n  await op.addColumn('p', { name: 'code', type: 'TEXT', nullable: true });\n  await op.createIndex('p', { name: 'p_code_key', columns: ['code'], unique: true });`,
      child('c', 'code'),
      "await op.dropIndex('p', 'p_code_key');",
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: SQLite: foreign key mismatch - "c" referencing "p"/));
    expect(versions(p.db)).toEqual(['r2']);
    expect(checks.at(-1)).toBe(checkOf('p', 'c'));
  });

  it('by dropping the unique column a child key points at: refused as a foreign key mismatch', async () => {
    const p = project([
      `${parent}\n  await op.addColumn('p', { name: 'code', type: 'TEXT', nullable: true });\n  await op.createIndex('p', { name: 'p_code_key', columns: ['code'], unique: true });`,
      child('c', 'code'),
      "await op.dropColumn('p', 'code');",
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: SQLite: foreign key mismatch - "c" referencing "p"/));
    expect(versions(p.db)).toEqual(['r2']);
    expect(checks.at(-1)).toBe(checkOf('p', 'c'));
  });

  it('a rebuild from a frozen shape whose key the rows break: refused by the check of the rebuilt table', async () => {
    const shape = "{ name: 'c', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'pId', type: 'INTEGER', nullable: true }], primaryKey: { columns: ['id'] }, indexes: [], foreignKeys: [] }";
    const p = project([
      `${parent}\n  await op.execute('INSERT INTO "p" ("id") VALUES (7)');`,
      `await op.createTable({ name: 'c', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'pId', type: 'INTEGER', nullable: true }], primaryKey: { columns: ['id'] } });\n  await op.execute('INSERT INTO "c" ("id", "pId") VALUES (1, 42)');`,
      `await op.batchAlterTable('c', (batch) => { batch.createForeignKey({ name: 'c_pId_fkey', columns: ['pId'], referencedTable: 'p', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' }); }, { shape: ${shape} });`,
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(refused));
    expect(versions(p.db)).toEqual(['r2']);
    expect(checks.at(-1)).toBe(checkOf('c'));
  });

  it('the map of keys a run reads follows a rebuild: a key its frozen shape added is seen by a later drop', async () => {
    const shape = "{ name: 'c', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'pId', type: 'INTEGER', nullable: true }], primaryKey: { columns: ['id'] }, indexes: [], foreignKeys: [] }";
    const p = project([
      `${parent}\n  await op.execute('INSERT INTO "p" ("id") VALUES (7)');`,
      `await op.createTable({ name: 'c', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'pId', type: 'INTEGER', nullable: true }], primaryKey: { columns: ['id'] } });\n  await op.execute('INSERT INTO "c" ("id", "pId") VALUES (1, 7)');`,
      // A drop: the run reads the map of keys here, before "c" has one.
      "await op.createIndex('c', { name: 'c_pId_idx', columns: ['pId'] });\n  await op.dropIndex('c', 'c_pId_idx');",
      `await op.batchAlterTable('c', (batch) => { batch.createForeignKey({ name: 'c_pId_fkey', columns: ['pId'], referencedTable: 'p', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' }); }, { shape: ${shape} });`,
      "await op.dropTable('p');",
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r5 failed: foreign key check failed after migration: "c" row 1 -> "p"/));
    expect(versions(p.db)).toEqual(['r4']);
    expect(checks.at(-1)).toBe(checkOf('c'));
    expect(checks.reads).toBe(1);
  });

  it('a rebuild of a parent whose frozen shape loses the unique key a child points at: refused as a foreign key mismatch', async () => {
    const shape =
      "{ name: 'p', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'code', type: 'TEXT', nullable: true }], primaryKey: { columns: ['id'] }, indexes: [], foreignKeys: [] }";
    const p = project([
      `${parent}\n  await op.addColumn('p', { name: 'code', type: 'TEXT', nullable: true });\n  await op.createIndex('p', { name: 'p_code_key', columns: ['code'], unique: true });`,
      child('c', 'code'),
      `await op.batchAlterTable('p', (batch) => { batch.alterColumn('code', { type: 'VARCHAR(10)', existing: { type: 'TEXT', nullable: true } }); }, { shape: ${shape} });`,
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: SQLite: foreign key mismatch - "c" referencing "p"/));
    expect(versions(p.db)).toEqual(['r2']);
    expect(checks.at(-1)).toBe(checkOf('p', 'c'));
  });

  it('a standalone alterColumn that rebuilds a parent: checked at the parent and its children only, and the key holds', async () => {
    const p = project([
      `${parent}\n  await op.addColumn('p', { name: 'code', type: 'TEXT', nullable: true });\n  await op.createIndex('p', { name: 'p_code_key', columns: ['code'], unique: true });\n  await op.execute("INSERT INTO \\"p\\" (\\"id\\", \\"code\\") VALUES (1, 'A1')");`,
      `${child('c', 'code')}\n  await op.execute("INSERT INTO \\"c\\" (\\"id\\", \\"pId\\") VALUES (1, 'A1')");`,
      // The rebuild copies the parent's rows: the child's key still finds 'A1'.
      "await op.alterColumn('p', 'code', { type: 'VARCHAR(10)', existing: { type: 'TEXT', nullable: true } });",
    ]);
    const checks = await recordChecks(() => upgrade({ cwd: p.cwd, url: p.url, ...quiet }));
    expect(versions(p.db)).toEqual(['r3']);
    expect(checks.at(-1)).toBe(checkOf('p', 'c'));
  });

  it('drops and renames that break nothing pass, each checked only where its change can reach', async () => {
    const p = project([
      `${parent}\n  await op.execute('INSERT INTO "p" ("id") VALUES (7)');`,
      `${child('c')}\n  await op.createIndex('c', { name: 'c_pId_idx', columns: ['pId'] });\n  await op.addColumn('c', { name: 'note', type: 'TEXT', nullable: true });\n  await op.execute('INSERT INTO "c" ("id", "pId") VALUES (1, 7)');`,
      "await op.dropIndex('c', 'c_pId_idx');\n  await op.dropColumn('c', 'note');",
      // SQLite rewrites "c"'s key to follow the new name.
      "await op.renameTable('p', 'parent');\n  await op.renameColumn('parent', 'id', 'key');",
      "await op.dropTable('c');",
      "await op.dropTable('parent');",
    ]);
    const checks = await recordChecks(() => upgrade({ cwd: p.cwd, url: p.url, ...quiet }));
    expect(versions(p.db)).toEqual(['r6']);
    expect(checks.slice(0, 2)).toEqual([FULL, FULL]);
    // r3: "c" and what references it; r4: both names of the renamed table (the map read again: SQLite
    // rewrote the keys that named it); r5 and r6 drop tables nothing references any more: no query at all.
    expect(checks.slice(2)).toEqual([checkOf('c'), checkOf('parent', 'c')]);
    expect(checks.reads).toBe(2);
  });

  it('a dropped parent key found under another spelling of its name is still refused', async () => {
    const p = project([
      `${parent}\n  await op.execute('INSERT INTO "p" ("id") VALUES (7)');`,
      // The key names its parent in upper case: SQLite matches table names without case.
      "await op.execute('CREATE TABLE \"c\" (\"id\" INTEGER PRIMARY KEY, \"pId\" INTEGER REFERENCES P (id))');\n  await op.execute('INSERT INTO \"c\" VALUES (1, 7)');",
      "await op.dropTable('p');",
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: foreign key check failed after migration: "c" row 1 -> "P"/));
    expect(versions(p.db)).toEqual(['r2']);
    expect(checks.at(-1)).toBe(checkOf('c'));
  });

  it('the map of keys a run reads once follows the tables later revisions create and rename', async () => {
    const keyed = `${parent}\n  await op.addColumn('p', { name: 'code', type: 'TEXT', nullable: true });\n  await op.createIndex('p', { name: 'p_code_key', columns: ['code'], unique: true });\n  await op.createIndex('p', { name: 'p_code_idx', columns: ['code'] });`;
    // r2 reads the map (nothing references "p" yet); r3's key to "p" is followed into it, not read.
    const followed = project([keyed, "await op.dropIndex('p', 'p_code_idx');", child('c', 'code'), "await op.dropIndex('p', 'p_code_key');"]);
    const checks = await recordChecks(() =>
      expect(upgrade({ cwd: followed.cwd, url: followed.url, ...quiet })).rejects.toThrow(/^Revision r4 failed: SQLite: foreign key mismatch - "c" referencing "p"/),
    );
    expect(versions(followed.db)).toEqual(['r3']);
    expect(checks.reads).toBe(1);
    expect(checks.at(-1)).toBe(checkOf('p', 'c'));

    // A rename makes SQLite rewrite the keys naming the table: the map is read again after it.
    const renamed = project([keyed, child('c', 'code'), "await op.dropIndex('p', 'p_code_idx');", "await op.renameTable('p', 'parent');", "await op.dropIndex('parent', 'p_code_key');"]);
    const after = await recordChecks(() =>
      expect(upgrade({ cwd: renamed.cwd, url: renamed.url, ...quiet })).rejects.toThrow(/^Revision r5 failed: SQLite: foreign key mismatch - "c" referencing "parent"/),
    );
    expect(versions(renamed.db)).toEqual(['r4']);
    expect(after.reads).toBe(2);
  });

  it('raw SQL in a run drops the map: a key it made is seen by the next drop', async () => {
    const p = project([
      `${parent}\n  await op.execute('INSERT INTO "p" ("id") VALUES (7)');\n  await op.createIndex('p', { name: 'p_id_idx', columns: ['id'] });`,
      "await op.dropIndex('p', 'p_id_idx');",
      "await op.execute('CREATE TABLE \"c\" (\"id\" INTEGER PRIMARY KEY, \"pId\" INTEGER REFERENCES \"p\" (\"id\"))');\n  await op.execute('INSERT INTO \"c\" VALUES (1, 7)');",
      "await op.dropTable('p');",
    ]);
    const checks = await recordChecks(() => expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r4 failed: foreign key check failed after migration: "c" row 1 -> "p"/));
    expect(versions(p.db)).toEqual(['r3']);
    expect(checks.slice(1)).toEqual([checkOf('p'), FULL, checkOf('c')]);
    expect(checks.reads).toBe(2);
  });

  it('a created table whose key points at no unique column: refused by the revision that created it', async () => {
    const p = project([
      parent,
      "await op.addColumn('p', { name: 'code', type: 'TEXT', nullable: true });",
      child('c', 'code'),
    ]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: SQLite: foreign key mismatch - "c" referencing "p"/);
    expect(versions(p.db)).toEqual(['r2']);
  });

  it('a database broken before the run is refused at the first revision, even one that only creates a table', async () => {
    const p = project([parent], (db) => db.exec('PRAGMA foreign_keys = OFF; CREATE TABLE "q" ("id" INTEGER PRIMARY KEY); CREATE TABLE "k" ("id" INTEGER PRIMARY KEY, "qId" INTEGER REFERENCES "q" ("id")); INSERT INTO "k" VALUES (1, 5);'));
    // revise refuses to run revisions from base over existing tables unless they are excluded.
    writeFileSync(join(p.cwd, 'package.json'), JSON.stringify({ name: 's', private: true, type: 'module', revise: { excludeTables: ['q', 'k'] } }));
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r1 failed: foreign key check failed after migration: "k" row 1 -> "q"/);
  });

  it('revisions that only create tables, indexes and columns are not checked against the whole database', async () => {
    const p = project([
      parent,
      child('c'),
      "await op.createIndex('c', { name: 'c_pId_idx', columns: ['pId'] });\n  await op.addColumn('c', { name: 'note', type: 'TEXT', nullable: true });",
      // Autogenerate's form: a batch SQLite does in place; then one that rebuilds the table.
      "await op.batchAlterTable('c', (batch) => { batch.addColumn({ name: 'more', type: 'TEXT', nullable: true }); batch.createIndex({ name: 'c_more_idx', columns: ['more'] }); });",
      "await op.batchAlterTable('c', (batch) => { batch.addColumn({ name: 'stamp', type: 'DATETIME', nullable: true, default: 'CURRENT_TIMESTAMP' }); });",
    ]);
    const checks: string[] = [];
    const original = sqliteDialect.beforeCommit;
    sqliteDialect.beforeCommit = async (connection: Connection, changes) => {
      const query = connection.query.bind(connection);
      connection.query = (async (sql: string, params?: readonly unknown[]) => {
        checks.push(sql);
        return query(sql, params);
      }) as Connection['query'];
      try {
        return await original.call(sqliteDialect, connection, changes);
      } finally {
        connection.query = query;
      }
    };
    try {
      await upgrade({ cwd: p.cwd, url: p.url, ...quiet });
    } finally {
      sqliteDialect.beforeCommit = original;
    }
    expect(versions(p.db)).toEqual(['r5']);
    // r3 and r4 change nothing a key can see: no query at all. r5 rebuilds "c": its own keys and those
    // referencing it (from the map of keys, read once for the run), not the whole database.
    expect(checks.filter((sql) => !MAP_READ.test(sql))).toEqual(['PRAGMA foreign_key_check', 'SELECT * FROM pragma_foreign_key_check(?)', 'SELECT * FROM pragma_foreign_key_check(?)']);
  });
});
