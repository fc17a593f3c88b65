/**
 * A NOT NULL column added to a 10,000-row table through the three phases:
 * autogenerate adds it nullable, the data hook back-fills it with the batched
 * helper (keyset chunks of 1,000), then it becomes NOT NULL. Real SQLite and
 * PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';
import { fillHook, makeDataProject, type DataProject, type Provider } from './data-helpers.ts';
import { introspect } from './support/e2e.ts';

const pg = await pgAvailable();
const ROWS = 10_000;

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

const BACKFILL = `
  const result = await op.batched({ table: 'Item', key: 'id', size: 1000 }, (chunk) =>
    db
      .updateTable('Item')
      .set((eb) => ({ code: eb(eb.val('item-'), '||', eb.cast<string>(eb.ref('id'), 'text')) }))
      .where(chunk.where)
      .execute(),
  );
  // Ten chunks of 1,000 rows: the helper walked the whole key range, nothing twice.
  if (result.rows !== ${ROWS} || result.chunks !== ${ROWS / 1000}) throw new Error(\`walked \${result.rows} rows in \${result.chunks} chunks\`);`;

const SEED: Record<Provider, string> = {
  sqlite: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) INSERT INTO "Item" ("label") SELECT 'label ' || i FROM n`,
  postgresql: `INSERT INTO "Item" ("label") SELECT 'label ' || i FROM generate_series(1, ${ROWS}) AS i`,
};

function suite(provider: Provider) {
  let project: DataProject;
  let database: TempDatabase | undefined;
  let v2: string;

  beforeAll(async () => {
    if (provider === 'postgresql') database = await createTempDatabase();
    project = await makeDataProject(provider, database?.url);
    project.writeSchema(V1);
    await project.autogenerate('items', 'aaaa00000001');
    await project.upgrade();
    await withDb(provider, project.url, (db) => db.exec(SEED[provider]));
    project.writeSchema(V2);
    v2 = await project.autogenerate('item code', 'bbbb00000002');
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
  });

  it('autogenerate splits the NOT NULL column around the data hook', () => {
    const text = readFileSync(v2, 'utf8');
    const upgrade = text.slice(text.indexOf('export async function upgrade'), text.indexOf('export async function downgrade'));
    const added = upgrade.search(/name: 'code', type: 'TEXT', nullable: true/);
    const hook = upgrade.indexOf('await upgradeData(op, op.data<UpgradeTables>());');
    const tightened = upgrade.search(/'code', \{ nullable: false/);
    expect(added).toBeGreaterThan(0);
    expect(hook).toBeGreaterThan(added);
    expect(tightened).toBeGreaterThan(hook);
    expect(text).toMatch(/\n {4}code: string \| null; \/\/ TEXT\n/);
  });

  it('a hook that leaves rows empty fails the NOT NULL step and rolls the revision back', async () => {
    const original = readFileSync(v2, 'utf8');
    fillHook(v2, 'upgradeData', `
  await op.batched({ table: 'Item', key: 'id', size: 1000 }, (chunk) =>
    db.updateTable('Item').set({ code: 'x' }).where(chunk.where).where('id', '<', 5000).execute(),
  );`);
    await expect(project.upgrade()).rejects.toThrow(/Revision bbbb00000002 \(item code\) failed: .*; rolled back/);
    const model = await introspect(provider, project.url);
    expect(model.tables.find((t) => t.name === 'Item')!.columns.map((c) => c.name)).toEqual(['id', 'label']);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(v2, original);
  });

  it('back-fills 10,000 rows in keyset chunks, then the column is NOT NULL', async () => {
    fillHook(v2, 'upgradeData', BACKFILL);
    await project.upgrade();
    const model = await introspect(provider, project.url);
    const code = model.tables.find((t) => t.name === 'Item')!.columns.find((c) => c.name === 'code')!;
    expect(code.nullable).toBe(false);
    const stats = await withDb(provider, project.url, (db) =>
      db.query<{ n: number | string; ok: number | string }>(
        `SELECT count(*) AS n, sum(CASE WHEN "code" = 'item-' || CAST("id" AS TEXT) THEN 1 ELSE 0 END) AS ok FROM "Item"`,
      ),
    );
    expect(Number(stats[0]!.n)).toBe(ROWS);
    expect(Number(stats[0]!.ok)).toBe(ROWS);

    await project.downgrade('-1');
    const after = await introspect(provider, project.url);
    expect(after.tables.find((t) => t.name === 'Item')!.columns.map((c) => c.name)).toEqual(['id', 'label']);
    await project.upgrade();
  });
}

describe('batched back-fill of a NOT NULL column on SQLite', () => suite('sqlite'));
describe.skipIf(!pg)('batched back-fill of a NOT NULL column on PostgreSQL', () => suite('postgresql'));
