/**
 * Data hooks offline and at the edges: `upgrade --sql` of a revision with a
 * typed data hook writes its UPDATEs with literals inlined, and the script
 * runs on an empty database (sqlite3 / psql); the `revision` skeleton carries
 * the typed hooks; an irreversible revision stops a downgrade before anything
 * runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { introspect, sqliteFile, withDb } from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';
import { fillHook, makeDataProject, type DataProject, type Provider } from './data-helpers.ts';

const pg = await pgAvailable();

const V1 = `
model Item {
  id    Int    @id @default(autoincrement())
  label String
}`;

const V2 = `
model Item {
  id    Int    @id @default(autoincrement())
  label String
  code  String
}`;

const HOOK = `
  await op.batched({ table: 'Item', key: 'id', size: 2 }, (chunk) =>
    db.updateTable('Item').set({ code: "O'Brien's" }).where('label', '<>', 'skip').where(chunk.where).execute(),
  );
  await db.updateTable('Item').set({ code: 'skipped' }).where('label', '=', 'skip').execute();
  // Reads return no rows offline (and are left out of the script).
  const rows = await db.selectFrom('Item').select('id').execute();
  if (op.offline && rows.length !== 0) throw new Error('offline reads must be empty');`;

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function project(provider: Provider): Promise<DataProject> {
  let database: TempDatabase | undefined;
  if (provider === 'postgresql') {
    database = await createTempDatabase();
    cleanup.push(() => database!.drop());
  }
  const p = await makeDataProject(provider, database?.url);
  cleanup.push(() => p.cleanup());
  return p;
}

/** Run an offline script with the database's own command-line client. */
function runScript(p: DataProject, script: string): void {
  const file = join(p.dir, 'script.sql');
  writeFileSync(file, script);
  const run =
    p.provider === 'sqlite'
      ? spawnSync('sqlite3', ['-bail', sqliteFile(p.url)], { input: script, encoding: 'utf8' })
      : spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', p.url, '-f', file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`script failed (${run.status}): ${run.stderr}\n${script}`);
}

function offlineSuite(provider: Provider) {
  it('upgrade --sql writes the hook\'s UPDATEs with inlined literals; the script works on an empty database', async () => {
    const p = await project(provider);
    // Generate the revisions against a scratch database, then leave it empty again.
    p.writeSchema(V1);
    await p.autogenerate('items', 'aaaa00000001');
    await p.upgrade();
    p.writeSchema(V2);
    const v2 = await p.autogenerate('item code', 'bbbb00000002');
    fillHook(v2, 'upgradeData', HOOK);
    await p.downgrade('base');
    await withDb(provider, p.url, (db) => db.exec('DROP TABLE alembic_version'));

    const first = await p.upgradeSql('base:aaaa00000001');
    const second = await p.upgradeSql('aaaa00000001:bbbb00000002');
    if (process.env.SHOW_SCRIPT) console.log(second);
    // The data statements, literals inlined (quotes doubled), no bound-parameter markers left.
    expect(second).toContain(`update "Item" set "code" = 'O''Brien''s' where "label" <> 'skip' and true;`);
    expect(second).toContain(`update "Item" set "code" = 'skipped' where "label" = 'skip';`);
    expect(second).not.toMatch(/\?|\$\d/);
    expect(second.toLowerCase()).not.toContain('select "id" from "item"');
    // Between the nullable add and the NOT NULL step.
    const added = second.search(/ADD COLUMN "code"/i);
    const update = second.indexOf('update "Item" set "code"');
    expect(added).toBeGreaterThanOrEqual(0);
    expect(update).toBeGreaterThan(added);

    runScript(p, first);
    await withDb(provider, p.url, (db) => db.exec(`INSERT INTO "Item" ("label") VALUES ('a'), ('b'), ('skip'), ('c'), ('d')`));
    runScript(p, second);
    const rows = await withDb(provider, p.url, (db) => db.query<{ label: string; code: string }>('SELECT "label", "code" FROM "Item" ORDER BY "id"'));
    expect(rows).toEqual([
      { label: 'a', code: "O'Brien's" },
      { label: 'b', code: "O'Brien's" },
      { label: 'skip', code: 'skipped' },
      { label: 'c', code: "O'Brien's" },
      { label: 'd', code: "O'Brien's" },
    ]);
    const model = await introspect(provider, p.url);
    expect(model.tables.find((t) => t.name === 'Item')!.columns.find((c) => c.name === 'code')!.nullable).toBe(false);
    const version = await withDb(provider, p.url, (db) => db.query<{ version_num: string }>('SELECT version_num FROM alembic_version'));
    expect(version).toEqual([{ version_num: 'bbbb00000002' }]);
  });
}

describe('offline data hooks on SQLite', () => offlineSuite('sqlite'));
describe.skipIf(!pg)('offline data hooks on PostgreSQL', () => offlineSuite('postgresql'));

describe('revision skeleton and irreversible revisions', () => {
  it('`revision` without autogenerate writes the three phases with the typed, empty hooks, and it runs', async () => {
    const p = await project('sqlite');
    const path = await p.revision('hand written', 'aaaa00000001');
    const text = readFileSync(path, 'utf8');
    // No frozen table uses Generated<...>, so it is not imported (an unused import fails noUnusedLocals).
    expect(text).toContain("import type { DataHook, MigrationOps } from 'prisma-revise';");
    expect(text).toContain('export async function upgrade(op: MigrationOps): Promise<void> {\n  // no schema changes\n  await upgradeData(op, op.data<UpgradeTables>());\n}');
    expect(text).toContain('const upgradeData: DataHook<UpgradeTables> = () => Promise.resolve();');
    expect(text).toContain('const downgradeData: DataHook<DowngradeTables> = () => Promise.resolve();');
    // The database has no tables yet: one empty shape, written once.
    expect(text).toContain('type UpgradeTables = Record<string, never>;\ntype DowngradeTables = UpgradeTables;');
    await p.upgrade();
    await p.downgrade('base');
  });

  it('an irreversible revision stops a downgrade before anything runs, with its reason', async () => {
    const p = await project('sqlite');
    const first = await p.revision('merge accounts', 'aaaa00000001');
    const second = await p.revision('add notes', 'bbbb00000002');
    const setBodies = (path: string, up: string, down: string, extra = '') => {
      let text = readFileSync(path, 'utf8');
      text = text.replace('  // no schema changes\n  await upgradeData', `  ${up}\n  await upgradeData`);
      text = text.replace('  // no schema changes\n  await downgradeData', `  ${down}\n  await downgradeData`);
      writeFileSync(path, text + extra);
    };
    setBodies(
      first,
      `await op.execute('CREATE TABLE "account" ("id" INTEGER PRIMARY KEY, "email" TEXT)');`,
      `await op.execute('DROP TABLE "account"');`,
      "\nexport const irreversible = 'duplicate accounts were merged; the originals are gone';\n",
    );
    setBodies(second, `await op.execute('CREATE TABLE "note" ("id" INTEGER PRIMARY KEY)');`, `await op.execute('DROP TABLE "note"');`);
    await p.upgrade();

    await expect(p.downgrade('base')).rejects.toThrow(
      'Revision aaaa00000001 (merge accounts) is irreversible: duplicate accounts were merged; the originals are gone; nothing was downgraded',
    );
    // Not even the reversible revision above it was downgraded.
    const tables = await withDb('sqlite', p.url, (db) =>
      db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
    );
    expect(tables.map((t) => t.name)).toEqual(['account', 'alembic_version', 'note']);
    const version = await withDb('sqlite', p.url, (db) => db.query('SELECT version_num FROM alembic_version'));
    expect(version).toEqual([{ version_num: 'bbbb00000002' }]);
    // Down to the irreversible one is fine.
    await p.downgrade('aaaa00000001');
    expect(await withDb('sqlite', p.url, (db) => db.query('SELECT version_num FROM alembic_version'))).toEqual([{ version_num: 'aaaa00000001' }]);
  });
});
