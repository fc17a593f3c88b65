/**
 * Autogenerate end to end on real databases: for a history of Prisma schemas,
 * compare the live database with the schema, render the revision body, run it
 * through the real executor and dialect, and check that
 *  - the database then matches the schema (nothing left to autogenerate, and
 *    Prisma's own engine sees no drift),
 *  - the rendered downgrade brings the database back to what it was,
 *  - the data hook between the phases can back-fill a new NOT NULL column.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { autogenerate, type CompareOptions } from '../src/autogenerate/index.ts';
import { compareModels } from '../src/autogenerate/compare.ts';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import { sqliteDialect } from '../src/dialect/sqlite/index.ts';
import type { Connection, Dialect } from '../src/dialect/types.ts';
import type { DatabaseModel } from '../src/model/types.ts';
import type { MigrationOps } from '../src/operations/api.ts';
import { createOps } from '../src/runtime/executor.ts';
import { loadSchema } from '../src/schema/load.ts';
import { schemaToModel } from '../src/schema/to-model.ts';
import { expectNoDrift } from './support/prisma-oracle.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const dir = mkdtempSync(join(tmpdir(), 'revise-ag-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

interface Step {
  name: string;
  models: string;
  /** SQL run before the upgrade (rows the migration must cope with). */
  seed?: string[];
  /** SQL for the data hook between the additive and destructive phases. */
  hook?: string[];
  renames?: CompareOptions['renames'];
}

const steps = (provider: 'sqlite' | 'postgresql'): Step[] => [
  {
    name: 'users and posts',
    models: `
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  posts Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  createdAt DateTime @default(now())
  author    User     @relation(fields: [authorId], references: [id])
  authorId  Int

  @@index([title])
}
`,
  },
  {
    name: 'new columns, a NOT NULL one back-filled by the data hook, an enum',
    seed: [`INSERT INTO "User" ("email") VALUES ('a@x.io')`],
    hook: [`UPDATE "User" SET "nickname" = 'anon' WHERE "nickname" IS NULL`],
    models: `
enum Role {
  USER
  ADMIN
}

model User {
  id       Int     @id @default(autoincrement())
  email    String  @unique
  name     String?
  nickname String
  role     Role    @default(USER)
  posts    Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  views     Int      @default(0)
  createdAt DateTime @default(now())
  author    User     @relation(fields: [authorId], references: [id])
  authorId  Int

  @@index([title])
}
`,
  },
  {
    name: 'composite id, m2m, self-relation, cycle, actions, uniques, enum value added',
    models: `
enum Role {
  USER
  ADMIN
  GUEST
}

model User {
  id       Int     @id @default(autoincrement())
  email    String  @unique
  name     String?
  nickname String
  role     Role    @default(USER)
  posts    Post[]
  favorite Post?   @relation("favorite", fields: [favoriteId], references: [id], onDelete: SetNull)
  favoriteId Int?  @unique
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  views     Int      @default(0)
  createdAt DateTime @default(now())
  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)
  authorId  Int
  tags      Tag[]
  fans      User[]   @relation("favorite")

  @@unique([title, authorId])
  @@index([title])
}

model Tag {
  id    Int    @id @default(autoincrement())
  label String @unique
  posts Post[]
}

model Translation {
  key  String
  lang String
  text String

  @@id([key, lang])
}

model Category {
  id       Int        @id @default(autoincrement())
  parent   Category?  @relation("tree", fields: [parentId], references: [id])
  parentId Int?
  children Category[] @relation("tree")
}
`,
  },
  {
    name: 'drops, tightening, enum value removed, index renamed',
    hook: [`UPDATE "User" SET "name" = '' WHERE "name" IS NULL`, `UPDATE "User" SET "role" = 'GUEST' WHERE "role" = 'ADMIN'`],
    models: `
enum Role {
  USER
  GUEST
}

model User {
  id       Int     @id @default(autoincrement())
  email    String  @unique
  name     String  @default("")
  nickname String
  role     Role    @default(GUEST)
  posts    Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  createdAt DateTime @default(now())
  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)
  authorId  Int

  @@index([title], map: "Post_title_search_idx")
}
`,
  },
  {
    name: '@@map / @map renames',
    seed: [`INSERT INTO "Post" ("title", "authorId") SELECT 'hello', "id" FROM "User"`],
    renames: { tables: { Post: 'posts' }, columns: { posts: { title: 'headline' } } },
    models: `
enum Role {
  USER
  GUEST
}

model User {
  id       Int     @id @default(autoincrement())
  email    String  @unique
  name     String  @default("")
  nickname String
  role     Role    @default(GUEST)
  posts    Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String   @map("headline")
  createdAt DateTime @default(now())
  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)
  authorId  Int

  @@index([title], map: "Post_title_search_idx")
  @@map("posts")
}
`,
  },
].map((s) => ({ ...s, models: `datasource db {\n  provider = "${provider}"\n}\n${s.models}` }));

async function loadTarget(schemaText: string, dialect: Dialect) {
  const file = join(dir, `schema${fileNo++}.prisma`);
  writeFileSync(file, schemaText);
  return schemaToModel(await loadSchema(file), dialect.typeMap);
}

/** A revision body: evaluate the rendered lines, with a data hook between the phases. */
async function compileBody(additive: string[], destructive: string[], hook: string[]): Promise<(op: MigrationOps) => Promise<void>> {
  const { transform } = await import('esbuild');
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`).join('\n');
  const hookLines = hook.map((sql) => `await op.execute(${JSON.stringify(sql)});`);
  const source = `export async function run(op: any): Promise<void> {\n${indent(additive)}\n${indent(hookLines)}\n${indent(destructive)}\n}\n`;
  const { code } = await transform(source, { loader: 'ts', format: 'esm' });
  const file = join(dir, `body${fileNo++}.mjs`);
  writeFileSync(file, code);
  return ((await import(pathToFileURL(file).href)) as { run: (op: MigrationOps) => Promise<void> }).run;
}

async function runInTransaction(conn: Connection, dialect: Dialect, body: (op: MigrationOps) => Promise<void>): Promise<void> {
  await conn.begin();
  try {
    await body(createOps({ dialect, connection: conn }));
    if (!conn.inTransaction) await conn.begin();
    await dialect.beforeCommit(conn);
    await conn.commit();
  } catch (error) {
    if (conn.inTransaction) await conn.rollback();
    throw error;
  }
}

async function history(dialect: Dialect, url: string): Promise<void> {
  const conn = await dialect.connect(url);
  try {
    await dialect.prepareForMigration(conn);
    if (dialect.name === 'mysql') throw new Error('this suite runs on SQLite and PostgreSQL only');
    for (const step of steps(dialect.name)) {
      const before: DatabaseModel = await dialect.introspect(conn);
      for (const sql of step.seed ?? []) await conn.execute(sql);
      const { model: target, ignored } = await loadTarget(step.models, dialect);
      const options: CompareOptions = { preferBatch: dialect.preferBatch, keep: ignored };
      const result = autogenerate(before, target, { ...options, ...(step.renames ? { renames: step.renames } : {}) });
      if (step.renames) expect(result.operations.map((o) => o.kind)).toContain('renameTable');
      expect(result.operations.length, step.name).toBeGreaterThan(0);

      const upgrade = await compileBody(result.upgrade.additive, result.upgrade.destructive, step.hook ?? []);
      const downgrade = await compileBody(result.downgrade.additive, result.downgrade.destructive, []);

      await runInTransaction(conn, dialect, upgrade);
      expect(compareModels(await dialect.introspect(conn), target, options), `${step.name}: nothing left after upgrade`).toEqual([]);
      await expectNoDrift({ schemaText: step.models, url });

      await runInTransaction(conn, dialect, downgrade);
      expect(compareModels(await dialect.introspect(conn), before, { preferBatch: dialect.preferBatch }), `${step.name}: downgrade restores`).toEqual([]);

      await runInTransaction(conn, dialect, upgrade);
      expect(compareModels(await dialect.introspect(conn), target, options)).toEqual([]);
    }
    // The back-filled row survived every step, and a post survived the renames.
    expect(await conn.query(`SELECT "email", "nickname" FROM "User"`)).toEqual([{ email: 'a@x.io', nickname: 'anon' }]);
    expect(await conn.query(`SELECT "headline" FROM "posts"`)).toEqual([{ headline: 'hello' }]);
  } finally {
    await conn.close();
  }
}

describe('autogenerate end to end', () => {
  it('SQLite: each revision reaches the schema, and its downgrade comes back', async () => {
    await history(sqliteDialect, `file:${join(dir, 'e2e.db')}`);
  });

  it('PostgreSQL: each revision reaches the schema, and its downgrade comes back', async (ctx) => {
    if (!(await pgAvailable())) ctx.skip();
    let db: TempDatabase | undefined;
    try {
      db = await createTempDatabase();
      await history(postgresDialect, db.url);
    } finally {
      await db?.drop();
    }
  });
});
