import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrisma } from '../src/actions/import-prisma.ts';
import { downgrade, upgrade } from '../src/actions/migrate.ts';
import { rawEnums, rawTables, withDb, type E2EProject } from './support/e2e.ts';
import { pgImportProjects } from './support/pg-import.ts';
import { expectNoDrift } from './support/prisma-oracle.ts';
import { normalized, prismaReplay, walkHistory, type HistoryStep } from './support/prisma-history.ts';
import { importedRevisionId } from '../src/prisma-import/import.ts';
import { introspect, versionRows } from './support/e2e.ts';
import { pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();

const ROLE = (values: string) => `enum Role {\n${values}\n}`;
const USER = `model User {
  id        String   @id @default(uuid()) @db.Uuid
  email     String   @unique
  role      Role     @default(USER)
  createdAt DateTime @default(now())
}`;
const POST = `model Post {
  id       Int    @id @default(autoincrement())
  title    String
  body     String @default("")
  authorId String @db.Uuid
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId, title])
}`;
const withPosts = (user: string) => user.replace('createdAt DateTime @default(now())', 'createdAt DateTime @default(now())\n  posts     Post[]');

/** A PostgreSQL history as Prisma writes it, with the hand-written parts real projects have. */
const PG_HISTORY: HistoryStep[] = [
  { name: '20240101000000_init', models: `${ROLE('  USER\n  ADMIN')}\n${USER}`, sql: 'CREATE EXTENSION IF NOT EXISTS pgcrypto;\n' },
  { name: '20240102000000_posts', models: `${ROLE('  USER\n  ADMIN')}\n${withPosts(USER)}\n${POST}` },
  // Hand-written: a renamed column and enum value, a CHECK constraint, a view, a function and its trigger.
  {
    name: '20240103000000_hand_written',
    sql: [
      'ALTER TABLE "Post" RENAME COLUMN "body" TO "content";',
      `ALTER TYPE "Role" RENAME VALUE 'USER' TO 'MEMBER';`,
      `ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'MEMBER';`,
      'ALTER TABLE "Post" ADD CONSTRAINT "title_not_empty" CHECK (length("title") > 0);',
      'CREATE VIEW "PostTitles" AS SELECT "id", "title" FROM "Post";',
      'CREATE INDEX "User_email_lower_idx" ON "User" (lower("email"));',
      `CREATE FUNCTION "touch"() RETURNS trigger AS $$\nBEGIN\n  NEW."title" := trim(NEW."title");\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;`,
      'CREATE TRIGGER "post_touch" BEFORE INSERT ON "Post" FOR EACH ROW EXECUTE FUNCTION "touch"();',
      `UPDATE "User" SET "role" = 'MEMBER' WHERE "role" = 'ADMIN' AND "email" LIKE '%@example.com';`,
    ].join('\n'),
    matches: `${ROLE('  MEMBER\n  ADMIN')}\n${withPosts(USER).replace('@default(USER)', '@default(MEMBER)')}\n${POST.replace('body     String @default("")', 'content  String @default("")')}`,
  },
  {
    name: '20240104000000_replace_view',
    sql: 'CREATE OR REPLACE VIEW "PostTitles" AS SELECT "id", "title", "authorId" FROM "Post";\n',
  },
  {
    name: '20240105000000_drop_table_and_enum_value',
    models: `${ROLE('  MEMBER\n  ADMIN\n  GUEST')}\n${withPosts(USER).replace('@default(USER)', '@default(MEMBER)').replace('@unique', '@unique\n  nickname  String?  @db.VarChar(40)')}\n${POST.replace('body     String @default("")', 'content  String @default("")')}\nmodel Tag {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n}`,
  },
  { name: '20240106000000_drop_view', sql: 'DROP VIEW "PostTitles";\nDROP TRIGGER "post_touch" ON "Post";\nDROP FUNCTION "touch"();\nDROP INDEX "User_email_lower_idx";\n' },
  {
    name: '20240107000000_drop_tag',
    models: `${ROLE('  MEMBER\n  ADMIN')}\n${withPosts(USER).replace('@default(USER)', '@default(MEMBER)')}\n${POST.replace('body     String @default("")', 'content  String @default("")')}`,
  },
  // Hand-written: a CHECK over a column that a later migration of Prisma's drops, and PostgreSQL with it.
  {
    name: '20240108000000_draft_check',
    sql: 'ALTER TABLE "Post" ADD COLUMN "draftOf" INTEGER;\nALTER TABLE "Post" ADD CONSTRAINT "draft_not_self" CHECK ("draftOf" IS NULL OR "draftOf" <> "id");\n',
    matches: `${ROLE('  MEMBER\n  ADMIN')}\n${withPosts(USER).replace('@default(USER)', '@default(MEMBER)')}\n${POST.replace('body     String @default("")', 'content  String @default("")\n  draftOf  Int?')}`,
  },
  {
    name: '20240109000000_drop_draft',
    models: `${ROLE('  MEMBER\n  ADMIN')}\n${withPosts(USER).replace('@default(USER)', '@default(MEMBER)')}\n${POST.replace('body     String @default("")', 'content  String @default("")')}`,
  },
  // Hand-written: a table with a trigger; then Prisma drops the table, and PostgreSQL its trigger with it.
  {
    name: '20240110000000_audit',
    sql: [
      'CREATE TABLE "Audit" ("id" SERIAL NOT NULL, "note" TEXT, CONSTRAINT "Audit_pkey" PRIMARY KEY ("id"));',
      `CREATE FUNCTION "audit_trim"(v text, keep integer) RETURNS text AS $$ SELECT left(trim(v), keep) $$ LANGUAGE sql;`,
      `CREATE FUNCTION "audit_touch"() RETURNS trigger AS $$\nBEGIN\n  NEW."note" := trim(NEW."note");\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;`,
      'CREATE TRIGGER "audit_touch" BEFORE INSERT ON "Audit" FOR EACH ROW EXECUTE FUNCTION "audit_touch"();',
    ].join('\n'),
    matches: `${ROLE('  MEMBER\n  ADMIN')}\n${withPosts(USER).replace('@default(USER)', '@default(MEMBER)')}\n${POST.replace('body     String @default("")', 'content  String @default("")')}\nmodel Audit {\n  id   Int     @id @default(autoincrement())\n  note String?\n}`,
  },
  {
    name: '20240111000000_drop_audit',
    models: `${ROLE('  MEMBER\n  ADMIN')}\n${withPosts(USER).replace('@default(USER)', '@default(MEMBER)')}\n${POST.replace('body     String @default("")', 'content  String @default("")')}`,
  },
];

describe.skipIf(!available)('import-prisma on PostgreSQL', () => {
  let project: E2EProject;
  let home: TempDatabase;
  let migrationsDir: string;
  let finalSchema: string;
  const projects = pgImportProjects();
  const temp = projects.temp;

  beforeAll(async () => {
    ({ project, home, migrationsDir, finalSchema } = await projects.project(PG_HISTORY));
  }, 60_000);
  afterAll(() => projects.cleanup());

  it('imports the history; downgrades keep renames as renames and put back what the model does not hold', async () => {
    const scratchDatabases = () =>
      withDb('postgresql', home.url, async (db) => (await db.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'revise_import_%'")).map((r) => r.datname));
    const scratchBefore = await scratchDatabases();
    const result = await importPrisma({ cwd: project.dir, url: home.url, out: () => {}, log: () => {} });
    expect(result.imported.map((r) => r.migration)).toEqual(PG_HISTORY.map((s) => s.name));
    expect(result.imported.filter((r) => r.unverified || r.irreversible)).toEqual([]);
    expect(readFileSync(result.imported[0]!.path, 'utf8')).toContain('`DROP EXTENSION IF EXISTS "pgcrypto"`');
    const hand = readFileSync(result.imported[2]!.path, 'utf8');
    expect(hand).toContain(`await op.renameColumn('Post', 'content', 'body');`);
    expect(hand).toContain(`await op.renameEnumValue({ name: 'Role' }, 'MEMBER', 'USER');`);
    expect(hand).toContain('ALTER TABLE "Post" DROP CONSTRAINT IF EXISTS "title_not_empty"');
    expect(hand).toContain('DROP TRIGGER IF EXISTS "post_touch" ON "Post"');
    expect(hand).toContain('DROP VIEW IF EXISTS "PostTitles"');
    // An index the schema could not describe (an expression) goes too.
    expect(hand).toContain(`await op.dropIndex('User', 'User_email_lower_idx');`);
    expect(hand).toContain('// WARNING: the migration changes data (UPDATE "User")');
    // The replaced view comes back as the database held it (pg_get_viewdef), the dropped one too.
    expect(readFileSync(result.imported[3]!.path, 'utf8')).toMatch(/const downgradeSqlLast[^\n]*\n`CREATE OR REPLACE VIEW "PostTitles" AS\nSELECT "Post".id,\n    "Post".title\n   FROM "Post";`/);
    const dropped = readFileSync(result.imported[5]!.path, 'utf8');
    // The function comes back before the compared steps, the view and the trigger using it after them.
    expect(dropped).toMatch(/const downgradeSqlFirst[^\n]*\n`CREATE FUNCTION "touch"/);
    expect(dropped).toMatch(/const downgradeSqlLast[\s\S]*CREATE OR REPLACE VIEW "PostTitles" AS\nSELECT "Post".id,\n    "Post".title,\n    "Post"."authorId"[\s\S]*CREATE TRIGGER "post_touch"/);
    // The CHECK PostgreSQL dropped with its column comes back from its definition in the history.
    expect(readFileSync(result.imported[8]!.path, 'utf8')).toMatch(/const downgradeSqlLast[\s\S]*ALTER TABLE "Post" ADD CONSTRAINT "draft_not_self" CHECK/);
    // The trigger PostgreSQL dropped with its table comes back after the table.
    expect(readFileSync(result.imported[10]!.path, 'utf8')).toMatch(/const downgradeSqlLast[\s\S]*CREATE TRIGGER "audit_touch" BEFORE INSERT ON "Audit"/);
    // No scratch database is left behind (compared with the ones there before: another import may be running).
    expect((await scratchDatabases()).filter((name) => !scratchBefore.includes(name))).toEqual([]);
  }, 120_000);

  it('builds from empty what the history builds (Prisma sees no drift), and walks every migration down and up again', async () => {
    const walk = await temp();
    const reference = await temp();
    await upgrade({ cwd: project.dir, url: walk.url, out: () => {}, log: () => {} });
    await expectNoDrift({ schemaText: finalSchema, url: walk.url });
    await downgrade({ cwd: project.dir, url: walk.url, target: 'base', out: () => {}, log: () => {} });
    expect(await rawTables('postgresql', walk.url)).toEqual(['alembic_version']);
    expect(await rawEnums('postgresql', walk.url)).toEqual([]);
    const names = PG_HISTORY.map((s) => s.name);
    await walkHistory({ provider: 'postgresql', cwd: project.dir, url: walk.url, referenceUrl: reference.url, migrationsDir, names });
    expect(await rawEnums('postgresql', walk.url)).toEqual([]);
  }, 180_000);

  it('adopts a database Prisma Migrate built to a migration with one `upgrade head`', async () => {
    const names = PG_HISTORY.map((s) => s.name);
    const full = await temp();
    await prismaReplay(full.url, 'postgresql', migrationsDir, names);
    const adopted = await temp();
    await prismaReplay(adopted.url, 'postgresql', migrationsDir, names.slice(0, 3));
    const rows = () => withDb('postgresql', adopted.url, (db) => db.query('SELECT * FROM _prisma_migrations ORDER BY started_at'));
    const before = await rows();
    await upgrade({ cwd: project.dir, url: adopted.url, out: () => {}, log: () => {} });
    expect(normalized(await introspect('postgresql', adopted.url))).toEqual(normalized(await introspect('postgresql', full.url)));
    expect(await versionRows('postgresql', adopted.url)).toEqual([importedRevisionId(names.at(-1)!)]);
    expect(await rows()).toEqual(before);
  }, 120_000);
});
