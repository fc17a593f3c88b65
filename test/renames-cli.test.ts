/**
 * Renames that never lose data, through the built CLI on real SQLite and
 * PostgreSQL databases: @map / @@map / enum @map changes are renamed
 * automatically (the revisions' recorded Prisma names tell them from drops),
 * Prisma-level renames are drop + add with a warning unless `--rename` says
 * otherwise, and rows survive upgrade and downgrade every time. The CLI runs
 * with stdin closed (not a terminal): it must never wait for an answer.
 */
import { readFileSync, rmSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeRun, generatedFile, withDb, type CliResult, type E2EProject, type Provider } from './support/e2e.ts';
import { describeOnEachProvider } from './support/each-provider.ts';

function ok(run: CliResult): CliResult {
  expect(run.status, describeRun(run)).toBe(0);
  return run;
}

function schema(parts: { post: string; title: string; role: string; tag: string; values: string; enumMap?: string }): string {
  return `
enum Role {
  ${parts.values}
${parts.enumMap ?? ''}
}

model ${parts.post} {
  id   Int    @id
  ${parts.title}
  ${parts.role}
}

model ${parts.tag} {
  id   Int    @id
  name String
}
`;
}

function defineScenario(provider: Provider, project: () => E2EProject) {
  const rows = (sql: string) => withDb(provider, project().url, (db) => db.query<Record<string, unknown>>(sql));
  const text = (run: CliResult) => readFileSync(generatedFile(run)!, 'utf8');
  const upgradeAndCheck = () => {
    ok(project().cli(['upgrade', 'head']));
    // The database now matches the schema exactly: nothing left to generate.
    expect(ok(project().cli(['check'])).stdout).toContain('No new upgrade operations detected.');
  };
  // PostgreSQL has real enum types: renaming the type is an @@map on the enum there.
  const enumMap = provider === 'postgresql' ? '  @@map("role")' : '';

  it('starts from a first revision with rows in it', async () => {
    project().writeSchema(schema({ post: 'Post', title: 'title String', role: 'role Role @default(USER)', tag: 'Tag', values: 'USER\n  ADMIN' }));
    const gen = ok(project().cli(['autogenerate', '-m', 'init']));
    expect(text(gen)).toMatch(/export const prismaNames = \{/);
    ok(project().cli(['upgrade', 'head']));
    await withDb(provider, project().url, async (db) => {
      await db.exec(`INSERT INTO "Post" ("id", "title", "role") VALUES (1, 'hello', 'ADMIN'), (2, 'world', 'USER')`);
      await db.exec(`INSERT INTO "Tag" ("id", "name") VALUES (1, 'news')`);
    });
  });

  it('@@map, @map and an enum value @map are renames, without --rename', async () => {
    project().writeSchema(
      schema({
        post: 'Post',
        title: 'title String @map("headline")',
        role: 'role Role @default(USER)\n\n  @@map("posts")',
        tag: 'Tag',
        values: 'USER\n  ADMIN @map("admin")',
        enumMap,
      }),
    );
    const gen = ok(project().cli(['autogenerate', '-m', 'maps']));
    const file = text(gen);
    expect(file).toContain("await op.renameTable('Post', 'posts');");
    expect(file).toMatch(/renameColumn\('(posts', )?'?title', 'headline'\)/);
    expect(file).not.toMatch(/dropTable|dropColumn|createTable|addColumn/);
    if (provider === 'postgresql') {
      expect(file).toContain(`await op.execute('ALTER TYPE "Role" RENAME TO "role"');`);
      expect(file).toContain("await op.renameEnumValue({ name: 'role' }, 'ADMIN', 'admin');");
    } else {
      expect(file).toContain(`await op.execute('UPDATE "posts" SET "role" = ? WHERE "role" = ?', ['admin', 'ADMIN']);`);
    }
    // The stored values are renamed before the upgrade's data hook, on both databases: the hook sees 'admin'.
    const upgradeBody = file.slice(file.indexOf('export async function upgrade('), file.indexOf('export async function downgrade('));
    const valueRename = provider === 'postgresql' ? upgradeBody.indexOf('renameEnumValue(') : upgradeBody.indexOf('UPDATE "posts" SET "role"');
    expect(valueRename).toBeGreaterThan(0);
    expect(valueRename).toBeLessThan(upgradeBody.indexOf('await upgradeData('));
    expect(file).toMatch(/Post: \{ table: 'posts', columns: \{ id: 'id', title: 'headline', role: 'role' \} \}/);
    upgradeAndCheck();
    expect(await rows('SELECT "id", "headline", "role" FROM "posts" ORDER BY "id"')).toEqual([
      { id: 1, headline: 'hello', role: 'admin' },
      { id: 2, headline: 'world', role: 'USER' },
    ]);
    ok(project().cli(['downgrade', '-1']));
    expect(await rows('SELECT "id", "title", "role" FROM "Post" ORDER BY "id"')).toEqual([
      { id: 1, title: 'hello', role: 'ADMIN' },
      { id: 2, title: 'world', role: 'USER' },
    ]);
    upgradeAndCheck();
  });

  it('a field renamed in Prisma only: drop + add with a warning when nobody can answer, a rename with --rename', async () => {
    project().writeSchema(
      schema({ post: 'Post', title: 'subject String', role: 'role Role @default(USER)\n\n  @@map("posts")', tag: 'Tag', values: 'USER\n  ADMIN @map("admin")', enumMap }),
    );
    const guess = ok(project().cli(['autogenerate', '-m', 'guess']));
    const warning = `Post.title was dropped and Post.subject added: if this was a rename, re-run with --rename Post.title=subject, or edit to op.renameColumn('posts', 'headline', 'subject')`;
    expect(text(guess)).toContain(`// WARNING: ${warning}`);
    expect(text(guess)).toMatch(/dropColumn\((?:'posts', )?'headline'\)/);
    expect(guess.stderr).toContain(`WARN  [revise.autogenerate.compare] ${warning}`);
    expect(guess.stderr).toContain('drops column "posts"."headline" and its data');
    rmSync(generatedFile(guess)!);

    const gen = ok(project().cli(['autogenerate', '-m', 'subject', '--rename', 'Post.title=subject']));
    expect(text(gen)).toMatch(/renameColumn\((?:'posts', )?'headline', 'subject'\)/);
    expect(text(gen)).not.toMatch(/dropColumn|WARNING/);
    upgradeAndCheck();
    expect(await rows('SELECT "id", "subject" FROM "posts" ORDER BY "id"')).toEqual([
      { id: 1, subject: 'hello' },
      { id: 2, subject: 'world' },
    ]);
    ok(project().cli(['downgrade', '-1']));
    expect(await rows('SELECT "id", "headline" FROM "posts" ORDER BY "id"')).toEqual([
      { id: 1, headline: 'hello' },
      { id: 2, headline: 'world' },
    ]);
    upgradeAndCheck();
  });

  it('a model renamed in Prisma only: warned as a drop, renamed with --rename Old=New', async () => {
    project().writeSchema(
      schema({ post: 'Post', title: 'subject String', role: 'role Role @default(USER)\n\n  @@map("posts")', tag: 'Label', values: 'USER\n  ADMIN @map("admin")', enumMap }),
    );
    const guess = ok(project().cli(['autogenerate', '-m', 'guess']));
    expect(text(guess)).toContain('// WARNING: Tag was dropped and Label added: if this was a rename, re-run with --rename Tag=Label');
    expect(guess.stderr).toContain('WARN  [revise.autogenerate.compare] Tag was dropped and Label added');
    expect(text(guess)).toContain("await op.dropTable('Tag');");
    rmSync(generatedFile(guess)!);

    const gen = ok(project().cli(['autogenerate', '-m', 'label', '--rename', 'Tag=Label']));
    expect(text(gen)).toContain("await op.renameTable('Tag', 'Label');");
    expect(text(gen)).not.toMatch(/dropTable|createTable/);
    upgradeAndCheck();
    expect(await rows('SELECT "id", "name" FROM "Label"')).toEqual([{ id: 1, name: 'news' }]);
    ok(project().cli(['downgrade', '-1']));
    expect(await rows('SELECT "id", "name" FROM "Tag"')).toEqual([{ id: 1, name: 'news' }]);
    upgradeAndCheck();
  });

  it('an enum value renamed in Prisma only: warned, then renamed in place with --rename Enum.OLD=NEW', async () => {
    project().writeSchema(
      schema({ post: 'Post', title: 'subject String', role: 'role Role @default(MEMBER)\n\n  @@map("posts")', tag: 'Label', values: 'MEMBER\n  ADMIN @map("admin")', enumMap }),
    );
    const guess = ok(project().cli(['autogenerate', '-m', 'guess']));
    expect(text(guess)).toContain('// WARNING: Role.USER was dropped and Role.MEMBER added: if this was a rename, re-run with --rename Role.USER=MEMBER');
    expect(guess.stderr).toContain('WARN  [revise.autogenerate.compare] Role.USER was dropped and Role.MEMBER added');
    rmSync(generatedFile(guess)!);

    const gen = ok(project().cli(['autogenerate', '-m', 'member', '--rename', 'Role.USER=MEMBER']));
    const file = text(gen);
    if (provider === 'postgresql') {
      expect(file).toContain("await op.renameEnumValue({ name: 'role' }, 'USER', 'MEMBER');");
      expect(file).not.toMatch(/alterEnum|alterColumn/);
    } else {
      expect(file).toContain(`await op.execute('UPDATE "posts" SET "role" = ? WHERE "role" = ?', ['MEMBER', 'USER']);`);
      expect(file).toContain(`await op.execute('UPDATE "posts" SET "role" = ? WHERE "role" = ?', ['USER', 'MEMBER']);`);
    }
    upgradeAndCheck();
    expect(await rows('SELECT "id", "role" FROM "posts" ORDER BY "id"')).toEqual([
      { id: 1, role: 'admin' },
      { id: 2, role: 'MEMBER' },
    ]);
    ok(project().cli(['downgrade', '-1']));
    expect(await rows('SELECT "id", "role" FROM "posts" ORDER BY "id"')).toEqual([
      { id: 1, role: 'admin' },
      { id: 2, role: 'USER' },
    ]);
    upgradeAndCheck();
  });

  it.runIf(provider === 'postgresql')('an enum type renamed in Prisma only: warned, renamed with --rename Old=New', async () => {
    const text2 = schema({ post: 'Post', title: 'subject String', role: 'role Access @default(MEMBER)\n\n  @@map("posts")', tag: 'Label', values: 'MEMBER\n  ADMIN @map("admin")' }).replace(
      'enum Role',
      'enum Access',
    );
    project().writeSchema(text2);
    const guess = ok(project().cli(['autogenerate', '-m', 'guess']));
    expect(guess.stderr).toContain('WARN  [revise.autogenerate.compare] Role was dropped and Access added: if this was a rename, re-run with --rename Role=Access');
    rmSync(generatedFile(guess)!);
    const gen = ok(project().cli(['autogenerate', '-m', 'access', '--rename', 'Role=Access']));
    expect(text(gen)).toContain(`await op.execute('ALTER TYPE "role" RENAME TO "Access"');`);
    expect(text(gen)).toContain(`await op.execute('ALTER TYPE "Access" RENAME TO "role"');`);
    expect(text(gen)).not.toMatch(/createEnum|dropEnum|alterColumn/);
    upgradeAndCheck();
    expect(await rows('SELECT "id", "role"::text AS role FROM "posts" ORDER BY "id"')).toEqual([
      { id: 1, role: 'admin' },
      { id: 2, role: 'MEMBER' },
    ]);
  });

  it('back to base and up again keeps the schema in step (every revision inverts)', async () => {
    ok(project().cli(['downgrade', 'base']));
    upgradeAndCheck();
  });
}

describeOnEachProvider((db) => `renames on ${db} (CLI, stdin closed)`, defineScenario);
