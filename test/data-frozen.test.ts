/**
 * Data migrations with frozen historical table shapes, end to end on real
 * databases: autogenerate writes the revision with its tables frozen as
 * TypeScript types, the data hooks are written against the typed Kysely
 * handle, and the chain keeps compiling and running after later revisions
 * change the same table again.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';
import { fillHook, makeDataProject, typecheck, type DataProject, type Provider } from './data-helpers.ts';
import { withDb } from './support/e2e.ts';

const pg = await pgAvailable();

const V1 = `
model User {
  id    Int     @id @default(autoincrement())
  name  String
  bio   String?
  email String?
}`;

const V2 = `
model User {
  id        Int     @id @default(autoincrement())
  firstName String
  lastName  String?
  bio       String?
  email     String?
}`;

const V3 = `
model User {
  id        Int     @id @default(autoincrement())
  firstName String
  lastName  String?
  email     String?
}`;

const V4 = `
model User {
  id        Int     @id @default(autoincrement())
  firstName String
  surname   String?
  email     String?
}`;

const UPGRADE_SPLIT = `
  // Split "name" into "firstName" / "lastName", row by row, in JavaScript.
  const users = await db.selectFrom('User').select(['id', 'name']).orderBy('id').execute();
  for (const user of users) {
    const [first, ...rest] = user.name.split(' ');
    await db
      .updateTable('User')
      .set({ firstName: first ?? '', lastName: rest.length > 0 ? rest.join(' ') : null })
      .where('id', '=', user.id)
      .execute();
  }`;

const DOWNGRADE_JOIN = `
  // Join them back, set-based, two rows per chunk to walk the key in several chunks.
  await op.batched({ table: 'User', key: 'id', size: 2 }, (chunk) =>
    db
      .updateTable('User')
      .set((eb) => ({
        name: eb
          .case()
          .when('lastName', 'is', null)
          .then(eb.ref('firstName'))
          .else(eb(eb(eb.ref('firstName'), '||', ' '), '||', eb.ref('lastName')))
          .end(),
      }))
      .where(chunk.where)
      .execute(),
  );`;

const PEOPLE = ['Ada Lovelace', 'Alan Mathison Turing', 'Plato', 'Grace Hopper', 'Edsger Dijkstra'];

async function rows(project: DataProject, sql: string): Promise<Array<Record<string, unknown>>> {
  return withDb(project.provider, project.url, (db) => db.query(sql));
}

async function seed(project: DataProject): Promise<void> {
  await withDb(project.provider, project.url, async (db) => {
    for (const name of PEOPLE) await db.query(`INSERT INTO "User" ("name", "email") VALUES (?, ?)`, [name, `${name.split(' ')[0]!.toLowerCase()}@x.io`]);
  });
}

const splitExpected = [
  { firstName: 'Ada', lastName: 'Lovelace' },
  { firstName: 'Alan', lastName: 'Mathison Turing' },
  { firstName: 'Plato', lastName: null },
  { firstName: 'Grace', lastName: 'Hopper' },
  { firstName: 'Edsger', lastName: 'Dijkstra' },
];

function suite(provider: Provider) {
  let project: DataProject;
  let database: TempDatabase | undefined;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    if (provider === 'postgresql') database = await createTempDatabase();
    project = await makeDataProject(provider, database?.url);
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
  });

  it('autogenerate freezes the touched tables as they are while the hook runs', async () => {
    project.writeSchema(V1);
    files.v1 = await project.autogenerate('users', 'aaaa00000001');
    await project.upgrade();
    await seed(project);

    project.writeSchema(V2);
    files.v2 = await project.autogenerate('split name', 'bbbb00000002');
    const text = readFileSync(files.v2, 'utf8');
    // The hook signature shows the handle, and the call passes it.
    expect(text).toContain('await upgradeData(op, op.data<UpgradeTables>());');
    expect(text).toContain('const upgradeData: DataHook<UpgradeTables> = () => Promise.resolve();');
    expect(text).toContain('const downgradeData: DataHook<DowngradeTables> = () => Promise.resolve();');
    // Upgrade hook: new columns exist (firstName still nullable, NOT NULL comes after the hook), "name" still there.
    const upgradeTables = text.slice(text.indexOf('interface UpgradeTables'), text.indexOf('interface DowngradeTables'));
    expect(upgradeTables).toMatch(/\n {4}id: Generated<number>; \/\/ INTEGER, primary key/);
    expect(upgradeTables).toMatch(/\n {4}name: string; \/\/ TEXT, NOT NULL/);
    expect(upgradeTables).toMatch(/\n {4}firstName: string \| null; \/\/ TEXT\n/);
    expect(upgradeTables).toMatch(/\n {4}lastName: string \| null; \/\/ TEXT\n/);
    // Downgrade hook: "name" is back (nullable until its NOT NULL is restored), the split columns are still there.
    const downgradeTables = text.slice(text.indexOf('interface DowngradeTables'));
    expect(downgradeTables).toMatch(/\n {4}name: string \| null; \/\/ TEXT/);
    expect(downgradeTables).toMatch(/\n {4}firstName: string \| null; \/\/ TEXT\n/);
    // The app's models are never imported: only types from prisma-revise.
    expect(text.match(/^import .*$/gm)).toEqual(["import type { DataHook, Generated, MigrationOps } from 'prisma-revise';"]);
    // The downgrade says that dropped data does not come back by itself.
    expect(text).toMatch(/\/\/ NOTE: data in "User"\."name" is not restored/);
  });

  it('the typed hooks split on upgrade and join on downgrade', async () => {
    fillHook(files.v2!, 'upgradeData', UPGRADE_SPLIT);
    fillHook(files.v2!, 'downgradeData', DOWNGRADE_JOIN);
    await project.upgrade();
    expect(await rows(project, 'SELECT "firstName", "lastName" FROM "User" ORDER BY "id"')).toEqual(splitExpected);

    await project.downgrade('-1');
    expect((await rows(project, 'SELECT "name" FROM "User" ORDER BY "id"')).map((r) => r.name)).toEqual(PEOPLE);
    await project.upgrade();
    expect(await rows(project, 'SELECT "firstName", "lastName" FROM "User" ORDER BY "id"')).toEqual(splitExpected);
  });

  it('later revisions drop and rename columns of the same table; the old revision still compiles and runs', async () => {
    project.writeSchema(V3);
    files.v3 = await project.autogenerate('drop bio', 'cccc00000003');
    await project.upgrade();
    project.writeSchema(V4);
    files.v4 = await project.autogenerate('rename lastName', 'dddd00000004', ['User.lastName=surname']);
    await project.upgrade();
    expect(await rows(project, 'SELECT "firstName", "surname" FROM "User" ORDER BY "id"')).toEqual(
      splitExpected.map((r) => ({ firstName: r.firstName, surname: r.lastName })),
    );
    // The split revision still names "name" and "lastName", which the current schema no longer has.
    expect(readFileSync(files.v4, 'utf8')).toMatch(/surname/);

    if (provider === 'sqlite') {
      // Type-checked like an editor would: every revision compiles against its own frozen tables,
      // and a hook that uses a column its revision does not have ("surname" came later) does not.
      const broken = files.v2!.replace(/\.ts$/, '.broken.ts');
      writeFileSync(broken, readFileSync(files.v2!, 'utf8').replace("select(['id', 'name'])", "select(['id', 'surname'])"));
      const selectLine = readFileSync(broken, 'utf8').split('\n').findIndex((l) => l.includes("select(['id', 'surname'])")) + 1;
      try {
        const errors = typecheck([...Object.values(files), broken]);
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.filter((e) => !e.includes(`.broken.ts(${selectLine},`))).toEqual([]);
      } finally {
        rmSync(broken);
      }
    }

    // The whole chain, on a fresh database: base -> head with data, back down, and up again.
    await project.downgrade('base');
    await project.upgrade('aaaa00000001');
    await seed(project);
    await project.upgrade('head');
    expect(await rows(project, 'SELECT "firstName", "surname" FROM "User" ORDER BY "id"')).toEqual(
      splitExpected.map((r) => ({ firstName: r.firstName, surname: r.lastName })),
    );
    await project.downgrade('aaaa00000001');
    expect((await rows(project, 'SELECT "name" FROM "User" ORDER BY "id"')).map((r) => r.name)).toEqual(PEOPLE);
    await project.downgrade('base');
    await project.upgrade('head');
  });

}

describe('frozen shapes and typed data hooks on SQLite', () => suite('sqlite'));
describe.skipIf(!pg)('frozen shapes and typed data hooks on PostgreSQL', () => suite('postgresql'));
