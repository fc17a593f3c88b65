import { mkdtempSync, rmSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from '../src/dialect/sqlite/index.ts';
import type { Connection } from '../src/dialect/types.ts';
import { ReviseError } from '../src/errors.ts';
import { loadDialect, providerOfUrl } from '../src/runtime/dialects.ts';
import { loadRevisionModule } from '../src/runtime/loader.ts';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import { inlineParams, renderOffline } from '../src/runtime/sql-params.ts';
import { VERSION_TABLE, VersionTable, VersionTableSql } from '../src/runtime/version-table.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revise-rt-units-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('providerOfUrl / loadDialect', () => {
  it('tells the provider from the scheme', () => {
    expect(providerOfUrl('file:./dev.db')).toBe('sqlite');
    expect(providerOfUrl('postgresql://u:p@h/db')).toBe('postgresql');
    expect(providerOfUrl('postgres://h/db')).toBe('postgresql');
    expect(providerOfUrl('mysql://u:p@h/db')).toBe('mysql');
  });
  it('refuses other URLs without showing the password', () => {
    expect(() => providerOfUrl('sqlserver://root:secret@h/db')).toThrow(ReviseError);
    expect(() => providerOfUrl('sqlserver://root:secret@h/db')).toThrow(/sqlserver:\/\/root:\*\*\*\*@h\/db/);
  });
  it('loads the SQLite dialect lazily', async () => {
    expect((await loadDialect('sqlite')).name).toBe('sqlite');
  });
});

describe('inlineParams', () => {
  const lit = { renderLiteral: (v: unknown) => sqliteDialect.renderLiteral(v) };
  it('inlines ? markers in order, leaving quoted text and comments alone', () => {
    expect(inlineParams(`SELECT '?', "a?" FROM t WHERE a = ? AND b = ? -- ?`, ['x', 2], lit)).toBe(
      `SELECT '?', "a?" FROM t WHERE a = 'x' AND b = 2 -- ?`,
    );
  });
  it('inlines $n markers by number and escapes quotes', () => {
    expect(inlineParams('UPDATE t SET a = $2 WHERE b = $1', ["it's", 1], lit)).toBe("UPDATE t SET a = 1 WHERE b = 'it''s'");
  });
  it('fails on a marker without a value', () => {
    expect(() => inlineParams('SELECT ?, ?', [1], lit)).toThrow(/parameter 2/);
  });
  it('renders one statement per line ending with ;', () => {
    expect(renderOffline({ sql: 'DELETE FROM t WHERE a = ?;', params: [1] }, lit)).toBe('DELETE FROM t WHERE a = 1;');
  });
});

describe('VersionTable on SQLite', () => {
  let connection: Connection;
  let file: string;
  beforeEach(async () => {
    file = join(dir, 'v.db');
    connection = await sqliteDialect.connect(`file:${file}`);
  });
  afterEach(async () => {
    await connection.close();
  });

  it('creates exactly Alembic\'s table and moves heads with UPDATE / INSERT / DELETE', async () => {
    const table = new VersionTable(connection);
    expect(await table.exists()).toBe(false);
    expect(await table.read()).toEqual([]);
    await table.ensure();
    await table.ensure(); // idempotent
    const db = new Database(file, { readonly: true });
    const ddl = db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(VERSION_TABLE) as { sql: string };
    expect(ddl.sql.replace(/\s+/g, ' ')).toBe(
      'CREATE TABLE alembic_version ( version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num) )',
    );
    db.close();

    await table.apply([], ['aaa']);
    expect(await table.read()).toEqual(['aaa']);
    await table.apply(['aaa'], ['bbb', 'ccc']); // branch point
    expect((await table.read()).sort()).toEqual(['bbb', 'ccc']);
    await table.apply(['bbb', 'ccc'], ['ddd']); // merge
    expect(await table.read()).toEqual(['ddd']);
    await table.apply(['ddd'], []);
    expect(await table.read()).toEqual([]);
    expect(await table.exists()).toBe(true);
    await table.apply([], ['x1']);
    await table.purge();
    expect(await table.read()).toEqual([]);
  });

  it('writes Alembic\'s statements', () => {
    const sql = new VersionTableSql(sqliteDialect);
    expect(sql.statementsFor(['a'], ['b']).map((s) => renderOffline(s, sqliteDialect))).toEqual([
      "UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a';",
    ]);
    expect(sql.statementsFor([], ['a']).map((s) => renderOffline(s, sqliteDialect))).toEqual([
      "INSERT INTO alembic_version (version_num) VALUES ('a');",
    ]);
    expect(sql.statementsFor(['a', 'b'], ['c']).map((s) => renderOffline(s, sqliteDialect))).toEqual([
      "UPDATE alembic_version SET version_num='c' WHERE alembic_version.version_num = 'a';",
      "DELETE FROM alembic_version WHERE alembic_version.version_num = 'b';",
    ]);
    const pg = new VersionTableSql(postgresDialect, { schema: 'ops' });
    expect(pg.update('a', 'b')).toEqual({
      sql: 'UPDATE "ops".alembic_version SET version_num=$1 WHERE alembic_version.version_num = $2',
      params: ['b', 'a'],
    });
  });
});

describe('loadRevisionModule', () => {
  it('transforms TypeScript into the project cache, once per content', async () => {
    const file = join(dir, 'r1.ts');
    writeFileSync(
      file,
      `import type { MigrationOps } from 'prisma-revise';\nexport const revision: string = 'r1';\nexport const irreversible = 'data is lost';\n` +
        `export async function upgrade(op: MigrationOps): Promise<void> { await op.execute('SELECT 1'); }\n` +
        `export async function downgrade(op: MigrationOps): Promise<void> {}\n`,
    );
    const mod = await loadRevisionModule(file, dir);
    expect(typeof mod.upgrade).toBe('function');
    expect(mod.irreversible).toBe('data is lost');
    const calls: string[] = [];
    await mod.upgrade({ execute: async (sql: string) => void calls.push(sql) } as never);
    expect(calls).toEqual(['SELECT 1']);
    const cache = join(dir, 'node_modules', '.cache', 'revise');
    expect(readdirSync(cache)).toHaveLength(1);
    await loadRevisionModule(file, dir);
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('names the file when upgrade or downgrade is missing, or it does not compile', async () => {
    mkdirSync(join(dir, 'v'));
    const missing = join(dir, 'v', 'bad.ts');
    writeFileSync(missing, `export async function upgrade() {}\n`);
    await expect(loadRevisionModule(missing, dir)).rejects.toThrow(/bad\.ts does not export an async function downgrade/);
    const broken = join(dir, 'v', 'broken.ts');
    writeFileSync(broken, `export async function upgrade( {\n`);
    await expect(loadRevisionModule(broken, dir)).rejects.toThrow(/Cannot compile revision file .*broken\.ts/);
  });

  it('bundles relative helper imports so they resolve from the cache', async () => {
    mkdirSync(join(dir, 'versions'));
    writeFileSync(join(dir, 'helpers.ts'), `export const tableName: string = 'from_helper';\n`);
    const file = join(dir, 'versions', 'r2.ts');
    writeFileSync(
      file,
      `import { tableName } from '../helpers.ts';\nexport async function upgrade(op: any) { await op.execute('CREATE TABLE ' + tableName); }\nexport async function downgrade() {}\n`,
    );
    const calls: string[] = [];
    await (await loadRevisionModule(file, dir)).upgrade({ execute: async (sql: string) => void calls.push(sql) } as never);
    expect(calls).toEqual(['CREATE TABLE from_helper']);
    // Helper changed: new output, new behaviour.
    writeFileSync(join(dir, 'helpers.ts'), `export const tableName: string = 'changed';\n`);
    await (await loadRevisionModule(file, dir)).upgrade({ execute: async (sql: string) => void calls.push(sql) } as never);
    expect(calls).toEqual(['CREATE TABLE from_helper', 'CREATE TABLE changed']);
  });
});
