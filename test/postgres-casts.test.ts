/**
 * A type change PostgreSQL has no cast for (boolean -> timestamp, uuid -> int):
 * revise's table of casts is PostgreSQL's own, and such a change does what
 * Prisma's engine does (drop and re-add: every value becomes the new default
 * or NULL) with a WARNING, instead of an ALTER ... TYPE that always fails.
 * Skipped loudly when no server answers.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnModel } from '../src/model/types.ts';
import { isCastable } from '../src/dialect/postgres/casts.ts';
import { importPrisma } from '../src/actions/import-prisma.ts';
import { downgrade, upgrade } from '../src/actions/migrate.ts';
import { writeHistory } from './support/prisma-history.ts';
import { describeRun, generatedFile, makeProject, rawTables, withDb, type E2EProject } from './support/e2e.ts';
import { meaningfulSql, prismaDrift, prismaMigrationSql } from './support/prisma-oracle.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();
if (!available) console.warn('postgres-casts: no PostgreSQL on 127.0.0.1:5432; skipping');

const TYPES = [
  'SMALLINT', 'INTEGER', 'BIGINT', 'DECIMAL(32,16)', 'REAL', 'DOUBLE PRECISION', 'MONEY', 'OID', 'VARCHAR(53)', 'CHAR(53)', 'TEXT',
  'UUID', 'XML', 'INET', 'BIT(10)', 'VARBIT(10)', 'BYTEA', 'TIMESTAMP(3)', 'TIMESTAMPTZ(3)', 'DATE', 'TIME(3)', 'TIMETZ(3)', 'BOOLEAN',
  'JSON', 'JSONB',
];

const column = (type: string): ColumnModel => ({ name: 'c', type, nullable: true }) as ColumnModel;

describe.skipIf(!available)('PostgreSQL type changes without a cast', () => {
  const databases: TempDatabase[] = [];
  let p: E2EProject;
  beforeAll(async () => {
    const db = await createTempDatabase();
    databases.push(db);
    p = makeProject({ provider: 'postgresql', url: db.url });
  }, 180_000);
  afterAll(async () => {
    p?.cleanup();
    for (const db of databases) await db.drop();
  });

  it('the table of casts is what PostgreSQL accepts, for every pair of types Prisma creates', async () => {
    const db = await createTempDatabase();
    databases.push(db);
    const wrong: string[] = [];
    await withDb('postgresql', db.url, async (c) => {
      for (const from of TYPES) {
        for (const to of TYPES) {
          if (from === to) continue;
          let accepted = true;
          await c.exec(`CREATE TABLE "probe" ("c" ${from})`);
          try {
            await c.exec(`ALTER TABLE "probe" ALTER COLUMN "c" SET DATA TYPE ${to} USING "c"::${to}`);
          } catch {
            accepted = false;
          }
          await c.exec('DROP TABLE "probe"');
          if (accepted !== isCastable(column(from), column(to))) wrong.push(`${from} -> ${to}: PostgreSQL ${accepted ? 'casts' : 'does not cast'}`);
        }
      }
    });
    expect(wrong).toEqual([]);
  }, 120_000);

  const before = `model Poll {
  id       Int       @id
  closed   Boolean?
  token    String?   @db.Uuid
  deadline DateTime?
  votes    Int?

  @@index([closed])
}`;
  const after = `model Poll {
  id       Int       @id
  closed   DateTime?
  token    Int       @default(0)
  deadline Boolean?
  votes    String?

  @@index([closed])
}`;

  it('autogenerate replaces the values as Prisma does, warns, and Prisma sees no drift either way', async () => {
    const schemaBefore = p.writeSchema(before);
    const first = p.cli(['autogenerate', '-m', 'poll']);
    expect(first.status, describeRun(first)).toBe(0);
    const up = p.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(0);
    await withDb('postgresql', p.url, (c) =>
      c.exec(`INSERT INTO "Poll" VALUES (1, true, '6c1b2a52-0f57-4a5f-9d1c-8b1b6e0b7a11', '2026-01-02 03:04:05', 7)`),
    );

    const schemaAfter = p.writeSchema(after);
    // Prisma's own engine drops and re-adds the three columns without a cast; the castable one it alters.
    const prisma = await prismaMigrationSql(schemaBefore, schemaAfter, 'postgresql');
    for (const name of ['closed', 'token', 'deadline']) expect(prisma).toContain(`DROP COLUMN "${name}"`);
    expect(prisma).not.toContain('DROP COLUMN "votes"');

    const gen = p.cli(['autogenerate', '-m', 'retype']);
    expect(gen.status, describeRun(gen)).toBe(0);
    const text = readFileSync(generatedFile(gen)!, 'utf8');
    expect(text).toMatch(/\/\/ WARNING: .*no cast from BOOLEAN to TIMESTAMP\(3\): every value of "Poll"."closed" is replaced by NULL/);
    expect(text).toMatch(/\/\/ WARNING: .*no cast from UUID to INTEGER: every value of "Poll"."token" is replaced by its default \(0\)/);
    expect(text).not.toMatch(/no cast from INTEGER to TEXT/);

    const sql = p.cli(['upgrade', 'head', '--sql']);
    expect(sql.status, describeRun(sql)).toBe(0);
    expect(sql.stdout).toContain('ALTER TABLE "Poll" ALTER COLUMN "closed" SET DATA TYPE TIMESTAMP(3) USING NULL::TIMESTAMP(3)');

    const up2 = p.cli(['upgrade', 'head']);
    expect(up2.status, describeRun(up2)).toBe(0);
    expect(meaningfulSql(await prismaDrift({ schemaText: schemaAfter, url: p.url }))).toBe('');
    const row = await withDb('postgresql', p.url, (c) => c.query('SELECT "closed", "token", "deadline", "votes" FROM "Poll"'));
    expect(row).toEqual([{ closed: null, token: 0, deadline: null, votes: '7' }]);

    // The way back has no casts either: the column that was made NOT NULL loses it first.
    const down = p.cli(['downgrade', '-1']);
    expect(down.status, describeRun(down)).toBe(0);
    expect(meaningfulSql(await prismaDrift({ schemaText: schemaBefore, url: p.url }))).toBe('');
    const back = await withDb('postgresql', p.url, (c) => c.query('SELECT "closed", "token", "deadline", "votes" FROM "Poll"'));
    expect(back).toEqual([{ closed: null, token: null, deadline: null, votes: 7 }]);
    const again = p.cli(['upgrade', 'head']);
    expect(again.status, describeRun(again)).toBe(0);
    expect(meaningfulSql(await prismaDrift({ schemaText: schemaAfter, url: p.url }))).toBe('');
  }, 180_000);

  it('an imported Prisma migration that turned a timestamp into a boolean downgrades (seen on rallly), with the note', async () => {
    const db = await createTempDatabase();
    databases.push(db);
    const project = makeProject({ provider: 'postgresql', url: db.url });
    try {
      const user = (type: string) => `model User {\n  id            Int  @id\n  emailVerified ${type}\n}`;
      const schema = await writeHistory(join(project.dir, 'prisma', 'migrations'), 'postgresql', [
        { name: '20240101000000_init', models: user('DateTime?') },
        { name: '20240102000000_verified_flag', models: user('Boolean?') },
      ]);
      writeFileSync(project.schemaPath, schema);
      const result = await importPrisma({ cwd: project.dir, url: db.url, out: () => {}, log: () => {} });
      expect(result.imported.map((r) => r.unverified ?? 'ok')).toEqual(['ok', 'ok']);
      const file = readdirSync(project.versionsDir).find((f) => f.includes('verified_flag'))!;
      expect(readFileSync(join(project.versionsDir, file), 'utf8')).toMatch(/\/\/ WARNING: PostgreSQL has no cast from BOOLEAN to TIMESTAMP\(3\)/);
      const quiet = { cwd: project.dir, url: db.url, out: () => {}, log: () => {} };
      await upgrade(quiet);
      await withDb('postgresql', db.url, (c) => c.exec('INSERT INTO "User" VALUES (1, true)'));
      await downgrade({ ...quiet, target: 'base' });
      expect(await rawTables('postgresql', db.url)).toEqual(['alembic_version']);
    } finally {
      project.cleanup();
    }
  }, 180_000);
});
