/**
 * multidb revisions at parity with the generic template, through the built
 * CLI on real databases (catalog on SQLite; monitoring on SQLite, then on
 * PostgreSQL): per database a data hook between the additive and the
 * destructive steps, typed by the table shapes frozen in the file, and the
 * Prisma -> database names recorded as `prismaNames_<db>`, which the next
 * autogenerate of that database reads to tell an `@map` change (a rename)
 * from a drop + add. The generated files type-check as a user's would.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameMapExport, parseNameMap, recordedNameMap, renderNameMap, type NameMap } from '../src/autogenerate/name-map.ts';
import { typecheck } from './data-helpers.ts';
import { describeRun, ensureBuilt, generatedFile, runCli, withDb, type CliResult, type Provider } from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const hasPg = await pgAvailable();
const dirs: string[] = [];
const pgDatabases: TempDatabase[] = [];

beforeAll(() => ensureBuilt(), 180_000);
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const db of pgDatabases) await db.drop();
});

function ok(run: CliResult): CliResult {
  expect(run.status, describeRun(run)).toBe(0);
  return run;
}

/** Replace the empty body of a multidb data hook, e.g. `upgradeData_catalog` typed by `UpgradeTables_catalog`. */
function fillHook(path: string, direction: 'upgrade' | 'downgrade', database: string, body: string): void {
  const tables = `${direction === 'upgrade' ? 'Upgrade' : 'Downgrade'}Tables_${database}`;
  const empty = `const ${direction}Data_${database}: DataHook<${tables}> = () => Promise.resolve();`;
  const text = readFileSync(path, 'utf8');
  if (!text.includes(empty)) throw new Error(`no empty ${direction}Data_${database} in ${path}`);
  writeFileSync(path, text.replace(empty, `const ${direction}Data_${database}: DataHook<${tables}> = async (op, db) => {\n${body.trim()}\n};`));
}

/** The source of `export async function <name>(...) {...}` up to the next top-level function. */
function functionText(text: string, name: string): string {
  const start = text.indexOf(`export async function ${name}(`);
  expect(start, `${name} in the file`).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n}\n', start) + 3);
}

const CATALOG_V1 = 'model Product {\n  id   Int    @id\n  name String\n}';
// A NOT NULL column without a default: added nullable, back-filled by the hook, then tightened.
const CATALOG_V2 = 'model Product {\n  id   Int    @id\n  name String\n  slug String\n}';
const METRIC_V1 = 'model Metric {\n  id    Int   @id\n  value Float\n}';
const METRIC_V2 = 'model Metric {\n  id    Int   @id\n  value Float @map("reading")\n}';

const BACKFILL = `
  // Typed by UpgradeTables_catalog: Product has name (string) and the new, still nullable slug.
  const products = await db.selectFrom('Product').select(['id', 'name']).orderBy('id').execute();
  for (const product of products) {
    await db.updateTable('Product').set({ slug: product.name.toLowerCase().replace(/ /g, '-') }).where('id', '=', product.id).execute();
  }`;

for (const monitoringProvider of ['sqlite', 'postgresql'] as const satisfies readonly Provider[]) {
  describe.skipIf(monitoringProvider === 'postgresql' && !hasPg)(`multidb data hooks and recorded names: monitoring on ${monitoringProvider}`, () => {
    let dir: string;
    let monitoringUrl: string;
    const catalogUrl = () => `file:${join(dir, 'catalog.db')}`;
    const cli = (args: string[]) => runCli(args, { cwd: dir, env: { CATALOG_DATABASE_URL: 'file:./catalog.db', MONITORING_DATABASE_URL: monitoringUrl } });
    const writeSchemas = (catalog: string, monitoring: string) => {
      writeFileSync(join(dir, 'prisma', 'catalog.prisma'), `datasource db {\n  provider = "sqlite"\n}\n\n${catalog}\n`);
      writeFileSync(join(dir, 'prisma', 'monitoring.prisma'), `datasource db {\n  provider = "${monitoringProvider}"\n}\n\n${monitoring}\n`);
    };
    const catalogRows = () => withDb('sqlite', catalogUrl(), (db) => db.query<Record<string, unknown>>('SELECT * FROM "Product" ORDER BY "id"'));
    const metricRows = () => withDb(monitoringProvider, monitoringUrl, (db) => db.query<Record<string, unknown>>('SELECT * FROM "Metric" ORDER BY "id"'));
    let initial: string;
    let slug: string;
    let reading: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'revise-multidb-data-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'multidb-data', private: true, type: 'module' }));
      monitoringUrl = `file:${join(dir, 'monitoring.db')}`;
      if (monitoringProvider === 'postgresql') {
        const temp = await createTempDatabase();
        pgDatabases.push(temp);
        monitoringUrl = temp.url;
      }
      ok(cli(['init', '--template', 'multidb', '--database', 'catalog', '--database', 'monitoring']));
      mkdirSync(join(dir, 'prisma'));
    });

    it('autogenerate writes, per database, the hooks, the frozen shapes and prismaNames_<db>', async () => {
      writeSchemas(CATALOG_V1, METRIC_V1);
      initial = generatedFile(ok(cli(['autogenerate', '-m', 'initial'])))!;
      const text = readFileSync(initial, 'utf8');
      expect(text).not.toMatch(/export const prismaNames\b/);
      expect(parseNameMap(text, 'catalog')).toEqual({ Product: { table: 'Product', columns: { id: 'id', name: 'name' } } });
      expect(parseNameMap(text, 'monitoring')).toEqual({ Metric: { table: 'Metric', columns: { id: 'id', value: 'value' } } });
      for (const db of ['catalog', 'monitoring']) {
        expect(functionText(text, `upgrade_${db}`)).toContain(`  await upgradeData_${db}(op, op.data<UpgradeTables_${db}>());\n`);
        expect(functionText(text, `downgrade_${db}`)).toContain(`  await downgradeData_${db}(op, op.data<DowngradeTables_${db}>());\n`);
        expect(text).toContain(`const upgradeData_${db}: DataHook<UpgradeTables_${db}> = () => Promise.resolve();`);
        expect(text).toContain(`const downgradeData_${db}: DataHook<DowngradeTables_${db}> = () => Promise.resolve();`);
        // Both hooks see the same tables (created up, dropped down): the shapes are written once.
        expect(text).toContain(`type DowngradeTables_${db} = UpgradeTables_${db};`);
      }
      // Each database's interfaces freeze its own tables only.
      expect(text).toMatch(/interface UpgradeTables_catalog \{\n {2}Product: \{\n {4}id: [^\n]*\n {4}name: string; \/\/ TEXT, NOT NULL\n {2}\};\n\}/);
      expect(text).toMatch(/interface UpgradeTables_monitoring \{\n {2}Metric: \{\n {4}id: [^\n]*\n {4}value: number;[^\n]*\n {2}\};\n\}/);
      expect(typecheck([initial])).toEqual([]);

      ok(cli(['upgrade', 'head']));
      await withDb('sqlite', catalogUrl(), (db) => db.exec(`INSERT INTO "Product" ("id", "name") VALUES (1, 'Blue Widget'), (2, 'Gadget')`));
      await withDb(monitoringProvider, monitoringUrl, (db) => db.exec('INSERT INTO "Metric" ("id", "value") VALUES (1, 0.5), (2, 42)'));
    });

    it("a catalog data hook back-fills a new NOT NULL column between that database's steps", async () => {
      writeSchemas(CATALOG_V2, METRIC_V1);
      slug = generatedFile(ok(cli(['autogenerate', '-m', 'product slug'])))!;
      const text = readFileSync(slug, 'utf8');
      // Added nullable, then the hook, then made NOT NULL.
      expect(functionText(text, 'upgrade_catalog')).toMatch(
        /name: 'slug', type: 'TEXT', nullable: true[\s\S]*\n {2}await upgradeData_catalog\(op, op\.data<UpgradeTables_catalog>\(\)\);\n[\s\S]*'slug', \{ nullable: false/,
      );
      // The hook sees the column as it is at that point: there, but still nullable.
      expect(text).toMatch(/interface UpgradeTables_catalog \{[^}]*\n {4}slug: string \| null; \/\/ TEXT\n/);
      // Monitoring did not change: an empty pair, its hook still called, no names recorded for it.
      expect(functionText(text, 'upgrade_monitoring')).toBe(
        'export async function upgrade_monitoring(op: MigrationOps): Promise<void> {\n  // no schema changes\n  await upgradeData_monitoring(op, op.data<UpgradeTables_monitoring>());\n}\n',
      );
      expect(text).toMatch(/export const prismaNames_catalog = /);
      expect(text).not.toMatch(/export const prismaNames_monitoring/);

      fillHook(slug, 'upgrade', 'catalog', BACKFILL);
      expect(typecheck([slug])).toEqual([]);
      // The handle is really typed by the frozen shape: a column Product does not have is an error.
      const broken = join(dir, 'migrations', 'versions', 'broken.ts');
      writeFileSync(broken, readFileSync(slug, 'utf8').replace("set({ slug: product.name", "set({ sku: product.name"));
      try {
        expect(typecheck([broken]).join('\n')).toMatch(/sku/);
      } finally {
        rmSync(broken);
      }

      ok(cli(['upgrade', 'head']));
      expect(await catalogRows()).toEqual([
        { id: 1, name: 'Blue Widget', slug: 'blue-widget' },
        { id: 2, name: 'Gadget', slug: 'gadget' },
      ]);
      const notNull = await withDb('sqlite', catalogUrl(), (db) => db.query<{ name: string; notnull: number }>(`PRAGMA table_info("Product")`));
      expect(notNull.find((c) => c.name === 'slug')!.notnull).toBe(1);
    });

    it('an @map change in monitoring is a rename, found through prismaNames_monitoring: no prompt, no --rename', async () => {
      writeSchemas(CATALOG_V2, METRIC_V2);
      const run = ok(cli(['autogenerate', '-m', 'reading']));
      expect(run.stderr).not.toMatch(/was dropped and .* added/);
      reading = generatedFile(run)!;
      const text = readFileSync(reading, 'utf8');
      expect(functionText(text, 'upgrade_monitoring')).toMatch(/renameColumn\(('Metric', )?'value', 'reading'\)/);
      expect(functionText(text, 'downgrade_monitoring')).toMatch(/renameColumn\(('Metric', )?'reading', 'value'\)/);
      expect(text).not.toMatch(/dropColumn|addColumn/);
      expect(parseNameMap(text, 'monitoring')).toEqual({ Metric: { table: 'Metric', columns: { id: 'id', value: 'reading' } } });
      expect(typecheck([reading])).toEqual([]);

      ok(cli(['upgrade', 'head']));
      expect((await metricRows()).map((r) => [Number(r.id), Number(r.reading)])).toEqual([
        [1, 0.5],
        [2, 42],
      ]);
      expect(ok(cli(['check'])).stdout).toContain('No new upgrade operations detected.');
    });

    it('downgrade base and upgrade head round-trip both databases', async () => {
      ok(cli(['downgrade', 'base']));
      const tables = (provider: Provider, url: string) =>
        withDb(provider, url, (db) =>
          db.query<{ name: string }>(
            provider === 'sqlite'
              ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
              : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
          ),
        );
      expect((await tables('sqlite', catalogUrl())).map((t) => t.name)).toEqual(['alembic_version']);
      expect((await tables(monitoringProvider, monitoringUrl)).map((t) => t.name)).toEqual(['alembic_version']);
      ok(cli(['upgrade', 'head']));
      expect((await tables('sqlite', catalogUrl())).map((t) => t.name)).toEqual(['Product', 'alembic_version']);
      expect((await tables(monitoringProvider, monitoringUrl)).map((t) => t.name)).toEqual(['Metric', 'alembic_version']);
      expect(ok(cli(['check'])).stdout).toContain('No new upgrade operations detected.');
    });

    it('a plain revision writes the same skeleton per database: empty steps, hooks called, each database\'s tables frozen', async () => {
      const path = generatedFile(ok(cli(['revision', '-m', 'by hand'])))!;
      const text = readFileSync(path, 'utf8');
      for (const db of ['catalog', 'monitoring']) {
        expect(functionText(text, `downgrade_${db}`)).toBe(
          `export async function downgrade_${db}(op: MigrationOps): Promise<void> {\n  // no schema changes\n  await downgradeData_${db}(op, op.data<DowngradeTables_${db}>());\n}\n`,
        );
        expect(text).toContain(`type DowngradeTables_${db} = UpgradeTables_${db};`);
      }
      // Written without autogenerate, the hooks are still typed: by each database as it is at head.
      expect(text).toMatch(/interface UpgradeTables_catalog \{\n {2}Product: \{\n[^}]*\n {4}slug: string; \/\/ TEXT, NOT NULL\n {2}\};\n\}/);
      expect(text).toMatch(/interface UpgradeTables_monitoring \{\n {2}Metric: \{\n[^}]*\n {4}reading: number;/);
      expect(text).not.toMatch(/prismaNames/);
      expect(typecheck([path])).toEqual([]);
      // The empty hooks run, and the names recorded before stay readable past this revision.
      ok(cli(['upgrade', 'head']));
      const chain = [initial, slug, reading, path].map((p) => ({ path: p }));
      expect(recordedNameMap(chain, 'monitoring')).toEqual({ Metric: { table: 'Metric', columns: { id: 'id', value: 'reading' } } });
      expect(recordedNameMap(chain, 'catalog')!.Product).toEqual({ table: 'Product', columns: { id: 'id', name: 'name', slug: 'slug' } });
      expect(recordedNameMap(chain)).toBeUndefined();
    });
  });
}

describe('name maps per database', () => {
  const catalog: NameMap = { Product: { table: 'products', columns: { id: 'id' } } };
  const generic: NameMap = { User: { table: 'users', columns: { id: 'id' } } };

  it("prismaNames_<db> is read for that database only, and never as the generic project's prismaNames", () => {
    expect(nameMapExport()).toBe('prismaNames');
    expect(nameMapExport('catalog')).toBe('prismaNames_catalog');
    const rendered = renderNameMap(catalog, 'catalog').join('\n');
    expect(rendered).toContain('export const prismaNames_catalog = ');
    const source = `${rendered}\n${renderNameMap(generic).join('\n')}\n`;
    expect(parseNameMap(source, 'catalog')).toEqual(catalog);
    expect(parseNameMap(source)).toEqual(generic);
    expect(parseNameMap(rendered)).toBeUndefined();
    expect(parseNameMap(rendered, 'monitoring')).toBeUndefined();
    // A database whose name starts like another's does not read the other's names.
    expect(parseNameMap(rendered, 'cat')).toBeUndefined();
  });
});
