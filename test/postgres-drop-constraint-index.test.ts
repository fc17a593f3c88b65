/**
 * PostgreSQL: `op.dropIndex(table, name)` on the index of a UNIQUE
 * constraint added by hand (`ADD CONSTRAINT ... UNIQUE`, as real histories
 * do; Prisma itself makes unique indexes): PostgreSQL refuses `DROP INDEX`
 * there, so revise drops the constraint, which takes its index with it.
 * A plain index is still dropped as an index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, makeProject, withDb, writeRevision, type E2EProject } from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();
if (!available) console.warn('PostgreSQL does not answer on 127.0.0.1:5432: drop-index-of-a-constraint tests skipped');

describe.skipIf(!available)('dropping the index of a UNIQUE constraint on PostgreSQL', () => {
  let db: TempDatabase;
  let project: E2EProject;
  const indexes = () =>
    withDb('postgresql', db.url, async (c) => (await c.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'Memory' ORDER BY indexname`)).map((r) => r.indexname));

  beforeAll(async () => {
    db = await createTempDatabase();
    project = makeProject({ provider: 'postgresql', url: db.url });
    writeRevision(
      project,
      'aa0000000001',
      null,
      [
        `await op.execute('CREATE TABLE "Memory" ("id" SERIAL PRIMARY KEY, "kind" TEXT NOT NULL, "content" TEXT NOT NULL)');`,
        `await op.execute('ALTER TABLE "Memory" ADD CONSTRAINT "Memory_kind_content_key" UNIQUE ("kind", "content")');`,
        `await op.execute('CREATE INDEX "Memory_content_idx" ON "Memory" ("content")');`,
      ].join('\n  '),
      `await op.execute('DROP TABLE "Memory"');`,
    );
    writeRevision(
      project,
      'aa0000000002',
      'aa0000000001',
      `await op.dropIndex('Memory', 'Memory_kind_content_key');\n  await op.dropIndex('Memory', 'Memory_content_idx');`,
      `await op.createIndex('Memory', { name: 'Memory_content_idx', columns: ['content'] });\n  await op.execute('ALTER TABLE "Memory" ADD CONSTRAINT "Memory_kind_content_key" UNIQUE ("kind", "content")');`,
    );
    // In the same run: an index of the dropped constraint's name, made and dropped again (a plain index now),
    // and a constraint that raw SQL adds, dropped by name in the same revision.
    writeRevision(
      project,
      'aa0000000003',
      'aa0000000002',
      [
        `await op.createIndex('Memory', { name: 'Memory_kind_content_key', columns: ['kind', 'content'], unique: true });`,
        `await op.dropIndex('Memory', 'Memory_kind_content_key');`,
        `await op.execute('ALTER TABLE "Memory" ADD CONSTRAINT "Memory_content_key" UNIQUE ("content")');`,
        `await op.dropIndex('Memory', 'Memory_content_key');`,
      ].join('\n  '),
      `await op.execute('SELECT 1');`,
    );
  }, 60_000);
  afterAll(async () => {
    project?.cleanup();
    await db?.drop();
  });

  it('drops the constraint (and so its index) and the plain index; down and up again', async () => {
    const run = (args: string[]) => {
      const result = project.cli(args);
      expect(result.status, describeRun(result)).toBe(0);
      return result.stdout;
    };
    run(['upgrade', 'aa0000000001']);
    expect(await indexes()).toEqual(['Memory_content_idx', 'Memory_kind_content_key', 'Memory_pkey']);
    // One run through all three: the listing follows the drops and sees what raw SQL added.
    run(['upgrade', 'head']);
    expect(await indexes()).toEqual(['Memory_pkey']);
    run(['downgrade', 'aa0000000001']);
    expect(await indexes()).toEqual(['Memory_content_idx', 'Memory_kind_content_key', 'Memory_pkey']);
    run(['upgrade', 'head']);
    expect(await indexes()).toEqual(['Memory_pkey']);
    // Offline there is no catalog to ask: the script says DROP INDEX, as the revision does.
    expect(run(['upgrade', 'aa0000000001:aa0000000002', '--sql'])).toContain('DROP INDEX "Memory_kind_content_key"');
  }, 60_000);
});
