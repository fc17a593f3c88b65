/**
 * Revision files a reviewer can read (issue #13): only the tables whose shape
 * the data hooks can see change are frozen, a shape both hooks share is
 * written once, an index-only revision is short (no batch shape, no names),
 * and every generated file type-checks under the strictest common settings.
 * A revision written without autogenerate freezes the database as it is.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fillHook, makeDataProject, typecheck, type DataProject, type Provider } from './data-helpers.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const pg = await pgAvailable();
if (!pg) console.warn('revision-files: no PostgreSQL on 127.0.0.1:5432, PostgreSQL cases skipped');

const STRICTEST = { strict: true, noUnusedLocals: true, noUnusedParameters: true, exactOptionalPropertyTypes: true, noImplicitReturns: true };

const V1 = `
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}`;

/** V1 plus an index on Post.title: nothing a data hook can see. */
const V2 = V1.replace('  author   User   @relation(fields: [authorId], references: [id])\n}', '  author   User   @relation(fields: [authorId], references: [id])\n\n  @@index([title])\n}');

/** V2 with User.name dropped and a NOT NULL User.handle added: User changes shape, Post does not. */
const V3 = V2.replace('  name  String?\n', '  handle String @default("")\n');

const section = (text: string, from: string, to?: string) => text.slice(text.indexOf(from), to ? text.indexOf(to, text.indexOf(from)) : undefined);

function suite(provider: Provider) {
  let p: DataProject;
  let database: TempDatabase | undefined;
  const files: Record<string, string> = {};

  afterAll(async () => {
    p?.cleanup();
    await database?.drop();
  });

  it('an initial revision freezes its new tables once, for both hooks', async () => {
    if (provider === 'postgresql') database = await createTempDatabase();
    p = await makeDataProject(provider, database?.url);
    p.writeSchema(V1);
    files.v1 = await p.autogenerate('initial', 'aaaa00000001');
    const text = readFileSync(files.v1, 'utf8');
    expect(text).toContain('type DowngradeTables = UpgradeTables;');
    expect(text).not.toContain('interface DowngradeTables');
    expect(section(text, 'interface UpgradeTables')).toMatch(/\n {2}User: \{\n[\s\S]*\n {2}Post: \{\n/);
    expect(text).toContain("import type { DataHook, Generated, MigrationOps } from 'prisma-revise';");
    await p.upgrade();
  });

  it('an index-only revision is short: no batch shape, no recorded names, no frozen tables', async () => {
    p.writeSchema(V2);
    files.v2 = await p.autogenerate('index on title', 'bbbb00000002');
    const text = readFileSync(files.v2, 'utf8');
    expect(text.split('\n').length).toBeLessThan(45);
    expect(text).toMatch(/createIndex\(/);
    expect(text).not.toMatch(/shape:|prismaNames|^interface /m);
    expect(text).toContain('type UpgradeTables = Record<string, never>;\ntype DowngradeTables = UpgradeTables;');
    // Offline, with no shape in the file and the table unknown to the script, the index still compiles.
    expect(await p.upgradeSql('aaaa00000001:bbbb00000002')).toMatch(/CREATE INDEX "Post_title_idx"/);
    await p.upgrade();
  });

  it('a column change freezes only its table, before and after, and the filled hooks type-check', async () => {
    p.writeSchema(V3);
    files.v3 = await p.autogenerate('user handle', 'cccc00000003');
    const text = readFileSync(files.v3, 'utf8');
    const up = section(text, 'interface UpgradeTables', 'interface DowngradeTables');
    const down = section(text, 'interface DowngradeTables');
    expect(up).toMatch(/\n {2}User: \{/);
    expect(up).not.toMatch(/\n {2}Post: \{/);
    // The upgrade hook sees both columns (name is dropped after it), the downgrade hook too (handle is dropped after it).
    expect(up).toMatch(/\n {4}name: string \| null;/);
    expect(up).toMatch(/\n {4}handle: Generated<string>;/);
    expect(down).toMatch(/\n {4}name: string \| null;/);
    // SQLite: adding a column with a constant default is a plain ALTER (no shape frozen); dropping one may rebuild (shape kept).
    const upgradeFn = section(text, 'export async function upgrade', 'export async function downgrade');
    expect(upgradeFn.slice(0, upgradeFn.indexOf('await upgradeData'))).not.toContain('shape:');
    if (provider === 'sqlite') expect(upgradeFn.slice(upgradeFn.indexOf('await upgradeData'))).toContain('shape:');
    fillHook(files.v3, 'upgradeData', "  await db.updateTable('User').set({ handle: db.fn.coalesce('name', 'email') }).execute();");
    fillHook(files.v3, 'downgradeData', "  await db.updateTable('User').set({ name: 'handle' as never }).where('name', 'is', null).execute();\n  if (op.offline) return;");
    await p.upgrade();
    await p.downgrade('base');
    await p.upgrade();
  });

  it('`revision` without autogenerate freezes the tables of the database it builds on', async () => {
    files.v4 = await p.revision('fix data', 'dddd00000004');
    const text = readFileSync(files.v4, 'utf8');
    const shapes = section(text, 'interface UpgradeTables');
    expect(shapes).toMatch(/\n {2}User: \{\n[\s\S]*\n {4}handle: Generated<string>;/);
    expect(shapes).toMatch(/\n {2}Post: \{\n/);
    expect(text).toContain('type DowngradeTables = UpgradeTables;');
    fillHook(files.v4, 'upgradeData', "  const users = await db.selectFrom('User').select(['id', 'handle']).execute();\n  if (users.length > 1000) throw new Error('too many');");
    // Checked with the earlier files: every generated file passes the strictest settings, empty or filled.
    expect(typecheck([files.v1!, files.v2!, files.v3!, files.v4], STRICTEST)).toEqual([]);
    await p.upgrade();
  });

  it('`revision` on a database behind head freezes nothing and says why', async () => {
    await p.downgrade('cccc00000003');
    const before = p.logs.length;
    const path = await p.revision('behind', 'eeee00000005');
    expect(p.logs.slice(before).join('\n')).toMatch(/Table shapes not frozen .*database is at cccc00000003, the new revision builds on dddd00000004/);
    expect(readFileSync(path, 'utf8')).toContain('type UpgradeTables = Record<string, never>;');
  });
}

describe('revision files on SQLite', () => suite('sqlite'));
describe.skipIf(!pg)('revision files on PostgreSQL', () => suite('postgresql'));

describe('revision without autogenerate and without a database', () => {
  it('writes the file all the same, with empty shapes and a note saying why', async () => {
    const p = await makeDataProject('postgresql', 'postgresql://postgres@127.0.0.1:5999/nowhere');
    try {
      p.writeSchema('model A {\n  id Int @id\n}');
      const path = await p.revision('by hand', 'aaaa00000001');
      expect(readFileSync(path, 'utf8')).toContain('type UpgradeTables = Record<string, never>;\ntype DowngradeTables = UpgradeTables;');
      expect(p.logs.join('\n')).toMatch(/Table shapes not frozen \(UpgradeTables is left empty\): could not open postgresql:\/\/postgres@127\.0\.0\.1:5999\/nowhere/);
    } finally {
      p.cleanup();
    }
  });
});
