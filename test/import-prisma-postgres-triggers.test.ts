/**
 * import-prisma on PostgreSQL: a trigger that names an enum column
 * (`UPDATE OF "kind"`) is in the way of the downgrade that takes a value out
 * of the enum (PostgreSQL refuses to change the type of a column a trigger
 * names). The downgrade drops it first and puts it back last, as the history
 * wrote it; the replay confirms it, and the history walks down and up.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrisma } from '../src/actions/import-prisma.ts';
import { downgrade, upgrade } from '../src/actions/migrate.ts';
import { withDb, type E2EProject } from './support/e2e.ts';
import { pgImportProjects } from './support/pg-import.ts';
import { walkHistory, type HistoryStep } from './support/prisma-history.ts';
import { pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();
if (!available) console.warn('PostgreSQL does not answer on 127.0.0.1:5432: import-prisma trigger tests skipped');

const KIND = (values: string) => `enum Kind {\n${values}\n}`;
const ITEM = `model Item {\n  id      Int    @id @default(autoincrement())\n  kind    Kind   @default(A)\n  changes Int    @default(0)\n}`;

const HISTORY: HistoryStep[] = [
  { name: '20250101000000_init', models: `${KIND('  A\n  B')}\n${ITEM}` },
  {
    name: '20250102000000_count_kind_changes',
    sql: [
      `CREATE FUNCTION "count_kind_change"() RETURNS trigger AS $$\nBEGIN\n  NEW."changes" := OLD."changes" + 1;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;`,
      'CREATE TRIGGER "item_kind_changes" BEFORE UPDATE OF "kind" ON "Item" FOR EACH ROW EXECUTE FUNCTION "count_kind_change"();',
    ].join('\n'),
  },
  { name: '20250103000000_kind_c', models: `${KIND('  A\n  B\n  C')}\n${ITEM}` },
];

describe.skipIf(!available)('import-prisma on PostgreSQL: triggers in the way of a type change', () => {
  let project: E2EProject;
  let home: TempDatabase;
  let migrationsDir: string;
  const projects = pgImportProjects();
  const temp = projects.temp;

  beforeAll(async () => {
    ({ project, home, migrationsDir } = await projects.project(HISTORY));
  }, 60_000);
  afterAll(() => projects.cleanup());

  it('drops the trigger before the enum goes back and puts it back after, confirmed on the replay', async () => {
    const result = await importPrisma({ cwd: project.dir, url: home.url, out: () => {}, log: () => {} });
    expect(result.imported.filter((r) => r.unverified || r.irreversible)).toEqual([]);
    const text = readFileSync(result.imported[2]!.path, 'utf8');
    expect(text).toMatch(/const downgradeSqlFirst[^\n]*\n\s*`DROP TRIGGER IF EXISTS "item_kind_changes" ON "Item"`/);
    expect(text).toMatch(/const downgradeSqlLast[\s\S]*CREATE TRIGGER "item_kind_changes" BEFORE UPDATE OF "kind" ON "Item"/);
  }, 120_000);

  it('walks every migration down and up again, and the trigger still counts after the downgrade', async () => {
    const walk = await temp();
    const reference = await temp();
    await walkHistory({ provider: 'postgresql', cwd: project.dir, url: walk.url, referenceUrl: reference.url, migrationsDir, names: HISTORY.map((s) => s.name) });
    const quiet = { cwd: project.dir, url: walk.url, out: () => {}, log: () => {} };
    await upgrade(quiet);
    await withDb('postgresql', walk.url, (db) => db.exec(`INSERT INTO "Item" ("kind") VALUES ('A')`));
    await downgrade({ ...quiet, target: '-1' });
    const changes = await withDb('postgresql', walk.url, async (db) => {
      await db.exec(`UPDATE "Item" SET "kind" = 'B'`);
      return (await db.query<{ changes: number }>('SELECT "changes" FROM "Item"'))[0]!.changes;
    });
    expect(changes).toBe(1);
  }, 180_000);
});
