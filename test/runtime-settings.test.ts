import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.js';
import {
  makeProject,
  problemLines,
  describeRun,
  rawTables,
  versionRows,
  withDb,
  writeRevision,
  type E2EProject,
  type Provider,
} from './support/e2e.js';

/** Runtime settings from package.json#revise / the environment, and adopting a Prisma Migrate database. */

const projects: E2EProject[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.cleanup();
});

function sqliteProject(revise?: Record<string, unknown>): E2EProject {
  const p = makeProject({ provider: 'sqlite' });
  projects.push(p);
  if (revise) {
    const file = join(p.dir, 'package.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), revise }, null, 2));
  }
  return p;
}

function twoRevisionsSecondFails(p: E2EProject): void {
  writeRevision(p, 'aaaa00000001', null, `await op.execute('CREATE TABLE "first" ("id" INTEGER)');`, `await op.execute('DROP TABLE "first"');`);
  writeRevision(
    p,
    'aaaa00000002',
    'aaaa00000001',
    `await op.execute('CREATE TABLE "second" ("id" INTEGER)');\n  throw new Error('boom in the second revision');`,
  );
}

describe('transaction per revision (package.json#revise.transactionPerRevision)', () => {
  it('default: the revisions before a failing one stay applied', async () => {
    const p = sqliteProject();
    twoRevisionsSecondFails(p);
    const up = p.cli(['upgrade', 'head']);
    expect(up.status).toBe(1);
    expect(problemLines(up.stderr)).toEqual([expect.stringContaining('boom in the second revision')]);
    expect(await rawTables('sqlite', p.url)).toEqual(['alembic_version', 'first']);
    expect(await versionRows('sqlite', p.url)).toEqual(['aaaa00000001']);
  });

  it('false: one transaction for the whole run, so nothing stays applied', async () => {
    const p = sqliteProject({ transactionPerRevision: false });
    twoRevisionsSecondFails(p);
    const up = p.cli(['upgrade', 'head']);
    expect(up.status).toBe(1);
    expect(await rawTables('sqlite', p.url)).toEqual([]);
    expect(await versionRows('sqlite', p.url)).toBeNull();
  });

  it('a setting of the wrong type is one clear line', () => {
    const p = sqliteProject({ transactionPerRevision: 'yes' });
    const up = p.cli(['upgrade', 'head']);
    expect(up.status).toBe(1);
    expect(problemLines(up.stderr)).toEqual(['Error: package.json revise.transactionPerRevision must be true or false']);
  });
});

describe('lock timeout (REVISE_LOCK_TIMEOUT / package.json#revise.lockTimeout)', () => {
  it('gives up after the configured time with one line naming the lock', async () => {
    const p = sqliteProject();
    writeRevision(p, 'bbbb00000001', null, `await op.execute('CREATE TABLE "t" ("id" INTEGER)');`);
    const holder = await sqliteDialect.connect(p.url);
    const release = await holder.acquireMigrationLock({ timeoutMs: 1000 });
    try {
      const started = Date.now();
      const up = await p.cliAsync(['upgrade', 'head'], { REVISE_LOCK_TIMEOUT: '1' });
      const elapsed = Date.now() - started;
      expect(up.status, describeRun(up)).toBe(1);
      expect(problemLines(up.stderr)).toEqual([expect.stringMatching(/another migration is running/)]);
      // One second of waiting, not the 60 s default.
      expect(elapsed).toBeLessThan(15_000);
      expect(await versionRows('sqlite', p.url)).toBeNull();
    } finally {
      await release();
      await holder.close();
    }
    const up = p.cli(['upgrade', 'head'], { REVISE_LOCK_TIMEOUT: '1' });
    expect(up.status, describeRun(up)).toBe(0);
    expect(await versionRows('sqlite', p.url)).toEqual(['bbbb00000001']);
  });

  it('rejects a value that is not a number of seconds', () => {
    const p = sqliteProject({ lockTimeout: 'soon' });
    const up = p.cli(['upgrade', 'head']);
    expect(up.status).toBe(1);
    expect(problemLines(up.stderr)).toEqual([expect.stringContaining('revise.lockTimeout must be a number of seconds')]);
  });
});

// ---------------------------------------------------------------------------
// A database Prisma Migrate built: `_prisma_migrations` exists, alembic_version does not.

const PRISMA_MIGRATIONS_DDL: Record<Provider, string> = {
  sqlite: `CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

function adoptionSuite(provider: Provider, url: () => string) {
  it('upgrade refuses to replay revisions over it; stamp head adopts it and explains; _prisma_migrations is untouched', async () => {
    const p = makeProject({ provider, url: url() });
    projects.push(p);
    await withDb(provider, p.url, async (db) => {
      await db.exec(PRISMA_MIGRATIONS_DDL[provider]);
      await db.exec(`CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"))`);
      await db.exec(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
         VALUES ('m1', 'c1', CURRENT_TIMESTAMP, '20240101000000_init', CURRENT_TIMESTAMP, 1),
                ('m2', 'c2', CURRENT_TIMESTAMP, '20240202000000_users', CURRENT_TIMESTAMP, 1)`,
      );
    });
    writeRevision(
      p,
      'cccc00000001',
      null,
      `await op.createTable({ name: 'User', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { name: 'User_pkey', columns: ['id'] } });`,
      `await op.dropTable('User');`,
    );
    const before = await withDb(provider, p.url, (db) => db.query(`SELECT * FROM "_prisma_migrations" ORDER BY "id"`));

    const up = p.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(1);
    expect(problemLines(up.stderr)).toEqual([expect.stringContaining('managed by Prisma Migrate (2 migration(s) in _prisma_migrations)')]);
    expect(problemLines(up.stderr)[0]).toContain('revise stamp head');

    const stamp = p.cli(['stamp', 'head']);
    expect(stamp.status, describeRun(stamp)).toBe(0);
    expect(stamp.stderr).toContain('managed by Prisma Migrate: 2 migration(s) applied in _prisma_migrations (last: 20240202000000_users)');
    expect(stamp.stderr).toContain('revise never edits it');
    expect(await versionRows(provider, p.url)).toEqual(['cccc00000001']);

    const noop = p.cli(['upgrade', 'head']);
    expect(noop.status, describeRun(noop)).toBe(0);
    const after = await withDb(provider, p.url, (db) => db.query(`SELECT * FROM "_prisma_migrations" ORDER BY "id"`));
    expect(after).toEqual(before);
  });
}

describe('adopting a Prisma Migrate database on SQLite', () => {
  adoptionSuite('sqlite', () => undefined as unknown as string);
});

const pg = await pgAvailable();
describe.skipIf(!pg)('adopting a Prisma Migrate database on PostgreSQL', () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  adoptionSuite('postgresql', () => db.url);
});
