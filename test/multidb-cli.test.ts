/**
 * multidb end to end with the built CLI: one revision stream whose revisions
 * carry an upgrade_<db>/downgrade_<db> pair per database; every command acts
 * on all databases (or the one --name picks), each with its own
 * alembic_version. Catalog is SQLite; monitoring is SQLite, then PostgreSQL,
 * then MariaDB.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.js';
import { createTempMysqlDatabase, mysqlAvailable, type TempMysqlDatabase } from './support/mysql.js';
import { describeRun, ensureBuilt, generatedFile, problemLines, runCli, withDb as withMysqlDb, type CliResult } from './support/e2e.js';

const withMysql = <T>(url: string, fn: Parameters<typeof withMysqlDb<T>>[2]) => withMysqlDb<T>('mysql', url, fn);
import { typecheck } from './data-helpers.ts';

const dirs: string[] = [];
const pgDatabases: TempDatabase[] = [];
const hasPg = await pgAvailable();
const hasMysql = await mysqlAvailable();
const mysqlDatabases: TempMysqlDatabase[] = [];

beforeAll(() => ensureBuilt(), 180_000);
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const db of pgDatabases) await db.drop();
  for (const db of mysqlDatabases) await db.drop();
});

interface Db {
  tables(): Promise<string[]>;
  versions(): Promise<string[]>;
  columns(table: string): Promise<string[]>;
}

function sqliteDb(path: string): Db {
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(path);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    tables: async () =>
      withDb((db) =>
        (db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map(
          (r) => r.name,
        ),
      ),
    versions: async () =>
      withDb((db) => {
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name='alembic_version'").get()) return [];
        return (db.prepare('SELECT version_num FROM alembic_version ORDER BY 1').all() as Array<{ version_num: string }>).map((r) => r.version_num);
      }),
    columns: async (table) => withDb((db) => (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((r) => r.name)),
  };
}

function pgDb(url: string): Db {
  const query = async (sql: string, params: unknown[] = []): Promise<Array<Record<string, string>>> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Array<Record<string, string>>;
    } finally {
      await client.end();
    }
  };
  return {
    tables: async () =>
      (await query("SELECT table_name AS n FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map((r) => r.n!),
    versions: async () => {
      const exists = await query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'alembic_version'");
      return exists.length === 0 ? [] : (await query('SELECT version_num AS v FROM alembic_version ORDER BY 1')).map((r) => r.v!);
    },
    columns: async (table) =>
      (await query('SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])).map((r) => r.c!),
  };
}

function mysqlDb(url: string): Db {
  const query = async (sql: string): Promise<Array<Record<string, string>>> =>
    withMysql(url, async (db) => db.query<Record<string, string>>(sql));
  return {
    // Sorted as the other databases sort them (bytewise), not by MySQL's case-insensitive collation.
    tables: async () => (await query('SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')).map((r) => r.n!).sort(),
    versions: async () => {
      const exists = await query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'alembic_version'");
      return exists.length === 0 ? [] : (await query('SELECT version_num AS v FROM alembic_version ORDER BY 1')).map((r) => r.v!);
    },
    columns: async (table) =>
      (await query(`SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`)).map((r) => r.c!),
  };
}

function ok(run: CliResult): CliResult {
  expect(run.status, describeRun(run)).toBe(0);
  return run;
}

const schemaText = (provider: string, models: string) => `datasource db {\n  provider = "${provider}"\n}\n\n${models.trim()}\n`;

for (const monitoringProvider of ['sqlite', 'postgresql', 'mysql'] as const) {
  describe.skipIf((monitoringProvider === 'postgresql' && !hasPg) || (monitoringProvider === 'mysql' && !hasMysql))(`multidb: catalog on SQLite, monitoring on ${monitoringProvider}`, () => {
    it('autogenerates both databases into one file, upgrades, downgrades and stamps them together', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'revise-multidb-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'multidb-app', private: true, type: 'module' }));
      let monitoringUrl = `file:${join(dir, 'monitoring.db')}`;
      if (monitoringProvider === 'postgresql') {
        const temp = await createTempDatabase();
        pgDatabases.push(temp);
        monitoringUrl = temp.url;
      } else if (monitoringProvider === 'mysql') {
        const temp = await createTempMysqlDatabase();
        mysqlDatabases.push(temp);
        monitoringUrl = temp.url;
      }
      const env = { CATALOG_DATABASE_URL: 'file:./catalog.db', MONITORING_DATABASE_URL: monitoringUrl };
      const cli = (args: string[]) => runCli(args, { cwd: dir, env });
      const catalog = sqliteDb(join(dir, 'catalog.db'));
      const monitoring =
        monitoringProvider === 'sqlite' ? sqliteDb(join(dir, 'monitoring.db')) : monitoringProvider === 'mysql' ? mysqlDb(monitoringUrl) : pgDb(monitoringUrl);

      // init: one stream, both databases in package.json.
      ok(cli(['init', '--template', 'multidb', '--database', 'catalog', '--database', 'monitoring']));
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(pkg.revise.databases).toEqual({
        catalog: { url: 'CATALOG_DATABASE_URL', schema: 'prisma/catalog.prisma' },
        monitoring: { url: 'MONITORING_DATABASE_URL', schema: 'prisma/monitoring.prisma' },
      });
      expect(readFileSync(join(dir, 'migrations', 'README'), 'utf8')).toContain('upgrade_catalog(op: MigrationOps)');

      mkdirSync(join(dir, 'prisma'));
      const writeSchemas = (catalogModels: string, monitoringModels: string) => {
        writeFileSync(join(dir, 'prisma', 'catalog.prisma'), schemaText('sqlite', catalogModels));
        writeFileSync(join(dir, 'prisma', 'monitoring.prisma'), schemaText(monitoringProvider, monitoringModels));
      };
      writeSchemas('model Product {\n  id Int @id\n  name String\n}', 'model Metric {\n  id Int @id\n  value Float\n}');

      // One autogenerate: each database against its own schema, one file with both pairs.
      const first = ok(cli(['autogenerate', '-m', 'initial']));
      expect(first.stderr).toContain("Detected added table 'Product' in database catalog");
      expect(first.stderr).toContain("Detected added table 'Metric' in database monitoring");
      const firstFile = generatedFile(first)!;
      const firstText = readFileSync(firstFile, 'utf8');
      expect(firstText).toMatch(/export async function upgrade_catalog\(op: MigrationOps\)[^}]*name: 'Product'/);
      expect(firstText).toMatch(/export async function upgrade_monitoring\(op: MigrationOps\)[^}]*name: 'Metric'/);
      expect(firstText).toMatch(/export async function downgrade_catalog[\s\S]*dropTable\('Product'\)/);
      expect(firstText).not.toMatch(/export async function upgrade\(/);
      const rev1 = /export const revision = '([0-9a-f]+)'/.exec(firstText)![1]!;

      const up = ok(cli(['upgrade', 'head']));
      expect(up.stderr.indexOf('Migrating database catalog')).toBeGreaterThanOrEqual(0);
      expect(up.stderr.indexOf('Migrating database monitoring')).toBeGreaterThan(up.stderr.indexOf('Migrating database catalog'));
      expect(up.stderr.match(/Running upgrade {2}-> /g)).toHaveLength(2);
      expect(await catalog.tables()).toEqual(['Product', 'alembic_version']);
      expect(await monitoring.tables()).toEqual(['Metric', 'alembic_version']);
      expect(await catalog.versions()).toEqual([rev1]);
      expect(await monitoring.versions()).toEqual([rev1]);
      expect(ok(cli(['check'])).stdout).toContain('No new upgrade operations detected.');

      // A change to one database only: the other's pair is empty.
      writeSchemas('model Product {\n  id Int @id\n  name String\n  price Int?\n}', 'model Metric {\n  id Int @id\n  value Float\n}');
      const checkRun = cli(['check']);
      expect(checkRun.status).toBe(1);
      expect(problemLines(checkRun.stderr).join('\n')).toMatch(/added column 'Product.price' in database catalog/);
      const second = ok(cli(['autogenerate', '-m', 'price']));
      const secondText = readFileSync(generatedFile(second)!, 'utf8');
      expect(secondText).toMatch(
        /export async function upgrade_monitoring\(op: MigrationOps\): Promise<void> \{\n {2}\/\/ no schema changes\n {2}await upgradeData_monitoring\(op, op\.data<UpgradeTables_monitoring>\(\)\);\n\}/,
      );
      expect(secondText).toMatch(/upgrade_catalog[\s\S]*'price'/);
      const rev2 = /export const revision = '([0-9a-f]+)'/.exec(secondText)![1]!;
      ok(cli(['upgrade', 'head']));
      expect(await catalog.columns('Product')).toEqual(['id', 'name', 'price']);
      expect(await catalog.versions()).toEqual([rev2]);
      expect(await monitoring.versions()).toEqual([rev2]);

      const current = ok(cli(['current']));
      expect(current.stdout).toBe(`catalog: ${rev2} (head)\nmonitoring: ${rev2} (head)\n`);
      const currentJson = JSON.parse(ok(cli(['current', '--json'])).stdout);
      expect(currentJson.databases.map((d: { database: string; current: Array<{ id: string }> }) => [d.database, d.current[0]!.id])).toEqual([
        ['catalog', rev2],
        ['monitoring', rev2],
      ]);
      // The graph needs no database and no --name.
      expect(ok(cli(['history'])).stdout).toBe(`${rev1} -> ${rev2} (head), price\n<base> -> ${rev1}, initial\n`);

      // --name: only that database.
      ok(cli(['downgrade', '-1', '--name', 'monitoring']));
      expect(await catalog.versions()).toEqual([rev2]);
      expect(await monitoring.versions()).toEqual([rev1]);
      expect(ok(cli(['current'])).stdout).toBe(`catalog: ${rev2} (head)\nmonitoring: ${rev1}\n`);
      ok(cli(['upgrade', 'head']));
      expect(await monitoring.versions()).toEqual([rev2]);

      // Down to base together, then up again.
      const down = ok(cli(['downgrade', 'base']));
      expect(down.stderr.match(/Running downgrade /g)).toHaveLength(4);
      expect(await catalog.tables()).toEqual(['alembic_version']);
      expect(await monitoring.tables()).toEqual(['alembic_version']);
      expect(await catalog.versions()).toEqual([]);
      expect(await monitoring.versions()).toEqual([]);
      expect(ok(cli(['current'])).stdout).toBe('catalog: <base>\nmonitoring: <base>\n');

      ok(cli(['upgrade', 'head']));
      expect(await catalog.tables()).toEqual(['Product', 'alembic_version']);
      expect(await monitoring.tables()).toEqual(['Metric', 'alembic_version']);
      expect(await catalog.versions()).toEqual([rev2]);
      expect(await monitoring.versions()).toEqual([rev2]);

      // stamp acts on every database too.
      ok(cli(['stamp', rev1]));
      expect(await catalog.versions()).toEqual([rev1]);
      expect(await monitoring.versions()).toEqual([rev1]);
      ok(cli(['stamp', 'head']));

      // Offline: one script part per database, or only --name's.
      const sql = ok(cli(['upgrade', `${rev1}:${rev2}`, '--sql']));
      expect(sql.stdout).toMatch(/^-- Database catalog\n[\s\S]*ALTER TABLE "Product" ADD COLUMN "price"[\s\S]*-- Database monitoring\n/);
      const onlyCatalog = ok(cli(['upgrade', `${rev1}:${rev2}`, '--sql', '--name', 'catalog']));
      expect(onlyCatalog.stdout).not.toContain('-- Database');
      expect(onlyCatalog.stdout).toContain('"price"');

      // A hand-written revision and a merge get a pair per database too.
      const manual = ok(cli(['revision', '-m', 'by hand']));
      expect(readFileSync(generatedFile(manual)!, 'utf8')).toMatch(/upgrade_catalog[\s\S]*downgrade_catalog[\s\S]*upgrade_monitoring[\s\S]*downgrade_monitoring/);
      // Every file written compiles as a user's would (hooks typed by the frozen shapes).
      expect(typecheck([firstFile, generatedFile(second)!, generatedFile(manual)!])).toEqual([]);

      // Errors name the database.
      const noUrl = runCli(['upgrade', 'head'], { cwd: dir, env: { CATALOG_DATABASE_URL: 'file:./catalog.db' } });
      expect(noUrl.status).toBe(1);
      expect(problemLines(noUrl.stderr)).toEqual([expect.stringMatching(/MONITORING_DATABASE_URL is not set \(the URL of database 'monitoring'\)/)]);
      const badName = cli(['upgrade', 'head', '--name', 'nope']);
      expect(problemLines(badName.stderr)).toEqual([expect.stringMatching(/No database 'nope' in package.json revise.databases \(catalog, monitoring\)/)]);
    }, 240_000);
  });
}

describe('multidb: a revision without a database pair', () => {
  it('reads the upgrades/downgrades object form; a missing pair fails naming the function, that database left untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revise-multidb-missing-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'x', private: true, type: 'module', revise: { databases: { a: { url: 'file:./a.db' }, b: { url: 'file:./b.db' } } } }),
    );
    mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
    writeFileSync(
      join(dir, 'migrations', 'versions', 'r1_one.ts'),
      [
        "export const revision = 'r1';",
        'export const downRevision = null;',
        "export async function upgrade_a(op: any) { await op.execute('CREATE TABLE t (x INTEGER)'); }",
        'export async function downgrade_a(op: any) {}',
      ].join('\n'),
    );
    // The object form (`upgrades = { a, b }`) is read too.
    writeFileSync(
      join(dir, 'migrations', 'versions', 'r0_zero.ts'),
      [
        "export const revision = 'r0';",
        'export const downRevision = null;',
        "export const upgrades = { a: async (op: any) => { await op.execute('CREATE TABLE zero_a (x INTEGER)'); }, b: async (op: any) => { await op.execute('CREATE TABLE zero_b (x INTEGER)'); } };",
        'export const downgrades = { a: async () => {}, b: async () => {} };',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'migrations', 'versions', 'r1_one.ts'), readFileSync(join(dir, 'migrations', 'versions', 'r1_one.ts'), 'utf8').replace("downRevision = null", "downRevision = 'r0'"));
    const run = runCli(['upgrade', 'head'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(problemLines(run.stderr)).toEqual([expect.stringMatching(/r1_one\.ts does not export an async function upgrade_b\(op\)/)]);
    expect(run.stderr).toContain('Migrating database b');
    // Databases run in order: a was migrated, b got nothing (its revisions are loaded before any runs).
    expect(await sqliteDb(join(dir, 'a.db')).versions()).toEqual(['r1']);
    expect(await sqliteDb(join(dir, 'a.db')).tables()).toEqual(['alembic_version', 't', 'zero_a']);
    // b: r1 has no pair for it; every revision is loaded before the first runs, so nothing ran.
    expect(await sqliteDb(join(dir, 'b.db')).tables()).toEqual([]);
  });
});
