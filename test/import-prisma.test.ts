import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrisma } from '../src/actions/import-prisma.ts';
import { upgrade } from '../src/actions/migrate.ts';
import { importedRevisionId } from '../src/prisma-import/import.ts';
import { describeRun, generatedFile, makeProject, problemLines, rawTables, type E2EProject } from './support/e2e.ts';
import { expectNoDrift, prismaChecksumOf } from './support/prisma-oracle.ts';
import { prismaReplay, walkHistory, writeHistory, type HistoryStep } from './support/prisma-history.ts';
import { positionIn } from '../src/runtime/prisma-adoption.ts';
import { introspect, versionRows, withDb } from './support/e2e.ts';
import { normalized } from './support/prisma-history.ts';

const USER = `model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
}`;
const POST = `model Post {
  id        Int      @id @default(autoincrement())
  title     String
  published Boolean  @default(false)
  createdAt DateTime @default(now())
  authorId  Int
  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId])
}`;
const USER_WITH_POSTS = USER.replace('name  String?', 'name  String?\n  posts Post[]');

/** A SQLite history as Prisma writes it, with hand-written migrations of the kinds real projects have. */
const SQLITE_HISTORY: HistoryStep[] = [
  { name: '20240101000000_init', models: USER },
  { name: '20240102000000_posts', models: `${USER_WITH_POSTS}\n${POST}` },
  // A hand-written rename (Prisma itself would drop and add) and a back-fill.
  {
    name: '20240103000000_rename_title',
    sql: 'ALTER TABLE "Post" RENAME COLUMN "title" TO "headline";\nUPDATE "Post" SET "headline" = \'untitled\' WHERE "headline" = \'\';\n',
  },
  {
    name: '20240104000000_required_name',
    models: `${USER_WITH_POSTS.replace('name  String?', 'name  String  @default("")')}\n${POST.replace('title     String', 'headline  String')}`,
  },
  // A trigger: semicolons inside BEGIN ... END.
  {
    name: '20240105000000_touch_trigger',
    sql: 'CREATE TRIGGER "post_touch" AFTER UPDATE ON "Post" BEGIN\n  UPDATE "Post" SET "published" = "published" WHERE "id" = NEW."id";\nEND;\n',
  },
  { name: '20240106000000_drop_trigger', sql: 'DROP TRIGGER "post_touch";\n' },
  {
    name: '20240107000000_drop_published',
    models: `${USER_WITH_POSTS.replace('name  String?', 'name  String  @default("")')}\n${POST.replace('title     String', 'headline  String').replace('  published Boolean  @default(false)\n', '')}`,
  },
];

describe('import-prisma on SQLite', () => {
  let project: E2EProject;
  let migrationsDir: string;
  let finalSchema: string;

  beforeAll(async () => {
    project = makeProject({ provider: 'sqlite' });
    migrationsDir = join(project.dir, 'prisma', 'migrations');
    finalSchema = await writeHistory(migrationsDir, 'sqlite', SQLITE_HISTORY);
    writeFileSync(project.schemaPath, finalSchema);
  }, 60_000);
  afterAll(() => project?.cleanup());

  it('writes one revision per migration, chained in Prisma order, with deterministic ids and checksums', async () => {
    const result = await importPrisma({ cwd: project.dir, url: project.url, out: () => {}, log: () => {} });
    expect(result.imported.map((r) => r.migration)).toEqual(SQLITE_HISTORY.map((s) => s.name));
    expect(result.imported.map((r) => r.revision)).toEqual(SQLITE_HISTORY.map((s) => importedRevisionId(s.name)));
    expect(result.imported.filter((r) => r.unverified)).toEqual([]);
    const files = project.revisionFiles();
    expect(files).toHaveLength(SQLITE_HISTORY.length);
    const rename = readFileSync(result.imported[2]!.path, 'utf8');
    expect(rename).toContain(`export const prismaMigration = '20240103000000_rename_title';`);
    expect(rename).toContain(`export const prismaChecksum = '${prismaChecksumOf(join(migrationsDir, '20240103000000_rename_title', 'migration.sql'))}';`);
    expect(rename).toContain(`export const downRevision: string | string[] | null = '${importedRevisionId('20240102000000_posts')}';`);
    // The rename comes back as a rename, the data change as a warning.
    expect(rename).toMatch(/renameColumn\('headline', 'title'\)|renameColumn\('Post', 'headline', 'title'\)/);
    expect(rename).toContain('// WARNING: the migration changes data (UPDATE "Post")');
    const trigger = readFileSync(result.imported[4]!.path, 'utf8');
    expect(trigger).toContain('DROP TRIGGER IF EXISTS "post_touch"');
    // Dropping it again in a later migration: its downgrade runs the definition from the history.
    expect(readFileSync(result.imported[5]!.path, 'utf8')).toMatch(/downgradeSqlLast[^\n]*\n`CREATE TRIGGER "post_touch"/);
    expect(readFileSync(result.imported.at(-1)!.path, 'utf8')).toContain('export const prismaNames = ');
  });

  it('builds from empty what the history builds (Prisma sees no drift), and walks every migration down and up again', async () => {
    const url = `file:${join(project.dir, 'walk.db')}`;
    const referenceUrl = `file:${join(project.dir, 'reference.db')}`;
    await upgrade({ cwd: project.dir, url, out: () => {}, log: () => {} });
    await expectNoDrift({ schemaText: finalSchema, url });
    const { downgrade } = await import('../src/actions/migrate.ts');
    await downgrade({ cwd: project.dir, url, target: 'base', out: () => {}, log: () => {} });
    expect(await rawTables('sqlite', url)).toEqual(['alembic_version']);
    const names = SQLITE_HISTORY.map((s) => s.name);
    expect(await walkHistory({ provider: 'sqlite', cwd: project.dir, url, referenceUrl, migrationsDir, names })).toEqual({ steps: names.length, notRerunnable: [] });
  }, 120_000);

  it('adopts a database Prisma Migrate built to any migration with one `upgrade head`, reading _prisma_migrations only', async () => {
    const names = SQLITE_HISTORY.map((s) => s.name);
    const full = `file:${join(project.dir, 'full.db')}`;
    await prismaReplay(full, 'sqlite', migrationsDir, names);
    const wanted = normalized(await introspect('sqlite', full));
    const prismaRows = (url: string) => withDb('sqlite', url, (db) => db.query('SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name'));
    for (const k of [1, 3, names.length]) {
      const url = `file:${join(project.dir, `adopt-${k}.db`)}`;
      await prismaReplay(url, 'sqlite', migrationsDir, names.slice(0, k));
      const rows = await prismaRows(url);
      const current = project.cli(['current'], { DATABASE_URL: url });
      expect(current.status, describeRun(current)).toBe(0);
      expect(current.stderr).toContain(`Prisma Migrate's last applied migration ${names[k - 1]} is revision ${importedRevisionId(names[k - 1]!)}`);
      const run = project.cli(['upgrade', 'head'], { DATABASE_URL: url });
      expect(run.status, describeRun(run)).toBe(0);
      expect(run.stderr).toContain(`stamping it`);
      expect(normalized(await introspect('sqlite', url))).toEqual(wanted);
      expect(await versionRows('sqlite', url)).toEqual([importedRevisionId(names.at(-1)!)]);
      expect(await prismaRows(url)).toEqual(rows);
      const after = project.cli(['current'], { DATABASE_URL: url });
      expect(after.stderr).toContain(`${importedRevisionId(names.at(-1)!)} is Prisma migration ${names.at(-1)}`);
    }
  }, 120_000);

  it('stops, changing nothing, on a failed Prisma migration', async () => {
    const names = SQLITE_HISTORY.map((s) => s.name);
    const url = `file:${join(project.dir, 'failed.db')}`;
    await prismaReplay(url, 'sqlite', migrationsDir, names.slice(0, 2));
    await withDb('sqlite', url, (db) =>
      db.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('x', 'c', ?, 0, 0)", [names[2]]),
    );
    const before = normalized(await introspect('sqlite', url));
    const run = project.cli(['upgrade', 'head'], { DATABASE_URL: url });
    expect(run.status).not.toBe(0);
    expect(problemLines(run.stderr)).toEqual([expect.stringContaining(`Prisma migration ${names[2]} failed on this database (started, never finished in _prisma_migrations)`)]);
    expect(normalized(await introspect('sqlite', url))).toEqual(before);
    expect(await versionRows('sqlite', url)).toBeNull();
  }, 60_000);

  it('autogenerate goes on from the imported head: nothing to do, and an @map change is a rename', async () => {
    const url = `file:${join(project.dir, 'next.db')}`;
    await upgrade({ cwd: project.dir, url, out: () => {}, log: () => {} });
    const check = project.cli(['check'], { DATABASE_URL: url });
    expect(check.status, describeRun(check)).toBe(0);
    writeFileSync(project.schemaPath, finalSchema.replace('email String  @unique', 'email String  @unique @map("email_address")'));
    try {
      const run = project.cli(['autogenerate', '-m', 'map email'], { DATABASE_URL: url });
      expect(run.status, describeRun(run)).toBe(0);
      const file = generatedFile(run)!;
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(`export const downRevision: string | string[] | null = '${importedRevisionId(SQLITE_HISTORY.at(-1)!.name)}';`);
      expect(text).toContain(`renameColumn('email', 'email_address')`);
      rmSync(file);
    } finally {
      writeFileSync(project.schemaPath, finalSchema);
    }
  }, 60_000);

  it('imports only what teammates added, and refuses a migration.sql changed after its import', async () => {
    const added = join(migrationsDir, '20240108000000_bio');
    mkdirSync(added);
    writeFileSync(join(added, 'migration.sql'), '-- AlterTable\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\n');
    const again = await importPrisma({ cwd: project.dir, url: project.url, out: () => {}, log: () => {} });
    expect(again.alreadyImported).toBe(SQLITE_HISTORY.length);
    expect(again.imported.map((r) => r.migration)).toEqual(['20240108000000_bio']);
    expect(readFileSync(again.imported[0]!.path, 'utf8')).toContain(`= '${importedRevisionId(SQLITE_HISTORY.at(-1)!.name)}';`);
    const none = await importPrisma({ cwd: project.dir, url: project.url, out: () => {}, log: () => {} });
    expect(none.imported).toEqual([]);

    writeFileSync(join(added, 'migration.sql'), '-- AlterTable\nALTER TABLE "User" ADD COLUMN "biography" TEXT;\n');
    await expect(importPrisma({ cwd: project.dir, url: project.url, out: () => {}, log: () => {} })).rejects.toThrow(
      /Prisma migration 20240108000000_bio changed after it was imported as revision \w+: its migration.sql checksum is/,
    );
  });
});

describe('import-prisma: SQL as Prisma runs it', () => {
  let project: E2EProject;
  afterAll(() => project?.cleanup());

  it('reads a double-quoted word SQLite takes for a string as a string, leaves out BEGIN/COMMIT, keeps semicolons inside strings and comments', async () => {
    project = makeProject({ provider: 'sqlite' });
    const migrationsDir = join(project.dir, 'prisma', 'migrations');
    const schema = await writeHistory(migrationsDir, 'sqlite', [
      { name: '20240101000000_init', models: USER },
      {
        name: '20240102000000_seed',
        sql: 'BEGIN;\n-- a comment; with a semicolon\nINSERT INTO "User" ("email", "name") VALUES ("admin@example.com", \'a;b\');\n/* block; comment */\nCOMMIT;\n',
      },
    ]);
    writeFileSync(project.schemaPath, schema);
    const result = await importPrisma({ cwd: project.dir, url: project.url, out: () => {}, log: () => {} });
    const seed = readFileSync(result.imported[1]!.path, 'utf8');
    expect(seed).toContain(`VALUES ('admin@example.com', 'a;b');`);
    expect(seed).toContain('// NOTE: `BEGIN` of migration.sql is left out');
    expect(seed).toContain('// WARNING: the migration changes data (INSERT "User")');
    await upgrade({ cwd: project.dir, url: project.url, out: () => {}, log: () => {} });
    const { withDb } = await import('./support/e2e.ts');
    const rows = await withDb('sqlite', project.url, (db) => db.query<{ email: string; name: string }>('SELECT "email", "name" FROM "User"'));
    expect(rows).toEqual([{ email: 'admin@example.com', name: 'a;b' }]);
  }, 60_000);
});

describe('revise import-prisma (CLI)', () => {
  let project: E2EProject;
  afterAll(() => project?.cleanup());

  it('finds prisma/migrations next to the schema (or where prisma.config.ts migrations.path says), writes the files, and reports a bad folder in one line', async () => {
    project = makeProject({ provider: 'sqlite' });
    writeFileSync(project.schemaPath, await writeHistory(join(project.dir, 'prisma', 'migrations'), 'sqlite', [{ name: '20240101000000_init', models: USER }]));
    const run = project.cli(['import-prisma']);
    expect(run.status, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(/Generating .*_20240101000000_init\.ts \.\.\.  done/);
    expect(run.stderr).toContain('Imported 1 Prisma migration(s)');
    // prisma.config.ts `migrations.path` names the folder when it is set.
    await writeHistory(join(project.dir, 'db', 'history'), 'sqlite', [{ name: '20240101000000_init', models: USER }, { name: '20240102000000_more', sql: 'CREATE TABLE "Extra" ("id" INTEGER NOT NULL PRIMARY KEY);\n' }]);
    writeFileSync(join(project.dir, 'prisma.config.ts'), "export default {\n  schema: 'prisma/schema.prisma',\n  migrations: { path: 'db/history' },\n};\n");
    const configured = project.cli(['import-prisma']);
    expect(configured.status, describeRun(configured)).toBe(0);
    expect(configured.stdout).toMatch(/Generating .*_20240102000000_more\.ts/);
    expect(configured.stderr).toContain(`after the 1 imported before`);
    const missing = project.cli(['import-prisma', 'nowhere']);
    expect(missing.status).not.toBe(0);
    expect(problemLines(missing.stderr)).toEqual([expect.stringMatching(/No Prisma migrations folder at .*nowhere/)]);
  }, 60_000);
});

describe('where a Prisma Migrate database stands in an imported history', () => {
  const recorded = ['a', 'b', 'c'].map((name) => ({ revision: `r_${name}`, name, checksum: `sum_${name}` }));
  const row = (name: string, extra: Partial<{ finished: boolean; rolledBack: boolean; checksum: string }> = {}) => ({
    name,
    checksum: `sum_${name}`,
    finished: true,
    rolledBack: false,
    ...extra,
  });

  it('is the last applied migration, a re-applied rollback included; a changed checksum is named', () => {
    expect(positionIn(recorded, [row('a'), row('b', { rolledBack: true, finished: false }), row('b', { checksum: 'other' })])).toEqual({
      revision: 'r_b',
      migration: 'b',
      applied: 2,
      changed: ['b'],
    });
    expect(positionIn(recorded, [])).toBeUndefined();
  });

  it('refuses what does not line up, saying why', () => {
    expect(() => positionIn(recorded, [row('a'), row('b', { finished: false })])).toThrow(/Prisma migration b failed on this database/);
    expect(() => positionIn(recorded, [row('a'), row('b', { rolledBack: true })])).toThrow(/b was rolled back on this database and never applied again/);
    expect(() => positionIn(recorded, [row('a'), row('z')])).toThrow(/z are applied on this database but not imported/);
    expect(() => positionIn(recorded, [row('a'), row('c')])).toThrow(/has Prisma migration c but not the earlier b/);
  });
});
