import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import type { DatabaseModel } from '../src/model/types.ts';
import { openMigrationEnv, readCurrentHeads, runDowngrade, runStamp, runUpgrade, type RunnerOptions } from '../src/runtime/runner.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

/** The runner end to end on a real PostgreSQL server (skipped loudly when none answers). */

const available = await pgAvailable();

let root: string;
let versions: string;
const databases: TempDatabase[] = [];

function revisionFile(id: string, down: string | null, message: string, upgrade: string, downgrade: string): void {
  writeFileSync(
    join(versions, `${id}_rev.ts`),
    `/**
 * ${message}
 */
import type { MigrationOps } from 'prisma-revise';
export const revision = '${id}';
export const downRevision: string | null = ${down === null ? 'null' : `'${down}'`};
export async function upgrade(op: MigrationOps): Promise<void> {
${upgrade}
}
export async function downgrade(op: MigrationOps): Promise<void> {
${downgrade}
}
`,
  );
}

function writeRevisions(): void {
  revisionFile(
    'a1a1a1a1a1a1',
    null,
    'users and roles',
    `  await op.createEnum({ name: 'Role', values: ['USER', 'ADMIN'] });
  await op.createTable({
    name: 'users',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'email', type: 'TEXT', nullable: false },
      { name: 'role', type: 'Role', nullable: false, enumType: { name: 'Role' } },
    ],
    primaryKey: { name: 'users_pkey', columns: ['id'] },
    indexes: [{ name: 'users_email_key', columns: ['email'], unique: true }],
  });
  await op.execute('INSERT INTO "users" ("email", "role") VALUES ($1, $2)', ["o'hara@example.com", 'ADMIN']);`,
    `  await op.dropTable('users');
  await op.dropEnum({ name: 'Role' });`,
  );
  revisionFile(
    'b2b2b2b2b2b2',
    'a1a1a1a1a1a1',
    'posts',
    `  await op.createTable({
    name: 'posts',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'title', type: 'TEXT', nullable: false },
      { name: 'authorId', type: 'INTEGER', nullable: false },
    ],
    primaryKey: { name: 'posts_pkey', columns: ['id'] },
    foreignKeys: [{ name: 'posts_authorId_fkey', columns: ['authorId'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' }],
  });
  await op.createIndex('posts', { name: 'posts_title_idx', columns: ['title'] }, { concurrently: true });
  await op.addColumn('users', { name: 'name', type: 'TEXT', nullable: true });`,
    `  await op.dropColumn('users', 'name');
  await op.dropIndex('posts', 'posts_title_idx');
  await op.dropTable('posts');`,
  );
  revisionFile(
    'c3c3c3c3c3c3',
    'b2b2b2b2b2b2',
    'guests',
    `  await op.alterEnum({ name: 'Role' }, { from: ['USER', 'ADMIN'], to: ['USER', 'ADMIN', 'GUEST'] });
  await op.execute('UPDATE "users" SET "name" = $1 WHERE "name" IS NULL', ['']);
  await op.alterColumn('users', 'name', { nullable: false, default: "''", existing: { type: 'TEXT', nullable: true } });
  const rows = await op.query<{ n: string }>('SELECT count(*) AS n FROM "users" WHERE "role" = $1', ['ADMIN']);
  if (!op.offline && Number(rows[0]?.n) !== 1) throw new Error('expected one admin');`,
    `  await op.alterColumn('users', 'name', { nullable: true, default: null, existing: { type: 'TEXT', nullable: false, default: "''" } });
  await op.alterEnum({ name: 'Role' }, { from: ['USER', 'ADMIN', 'GUEST'], to: ['USER', 'ADMIN'], usages: [{ table: 'users', column: 'role' }] });`,
  );
}

function io(extra: Partial<RunnerOptions> = {}): RunnerOptions & { lines: string[]; logs: string[] } {
  const lines: string[] = [];
  const logs: string[] = [];
  return { out: (l) => lines.push(l), log: (l) => logs.push(l), lines, logs, ...extra };
}

async function tempDb(): Promise<TempDatabase> {
  const db = await createTempDatabase();
  databases.push(db);
  return db;
}

async function introspect(url: string): Promise<DatabaseModel> {
  const connection = await postgresDialect.connect(url);
  try {
    return await postgresDialect.introspect(connection, { excludeTables: ['alembic_version'] });
  } finally {
    await connection.close();
  }
}

async function versionRows(url: string): Promise<string[] | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('public.alembic_version') AS t`);
    if (!exists.rows[0].t) return null;
    return (await client.query('SELECT version_num FROM alembic_version ORDER BY 1')).rows.map((r) => r.version_num);
  } finally {
    await client.end();
  }
}

beforeAll(() => undefined);
afterAll(async () => {
  for (const db of databases) await db.drop().catch(() => undefined);
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'revise-rt-pg-'));
  versions = join(root, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'rt-pg', private: true, type: 'module' }));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!available)('runner on PostgreSQL', () => {
  it('upgrades, downgrades to base, upgrades again; enum values added outside the transaction', async () => {
    writeRevisions();
    const db = await tempDb();
    const env = await openMigrationEnv({ cwd: root, url: db.url });

    const up = io();
    await runUpgrade(env, 'head', up);
    expect(up.logs).toEqual([
      'INFO  [revise] Running upgrade  -> a1a1a1a1a1a1, users and roles',
      'INFO  [revise] Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2, posts',
      'INFO  [revise] Running upgrade b2b2b2b2b2b2 -> c3c3c3c3c3c3, guests',
    ]);
    let model = await introspect(db.url);
    expect(model.tables.map((t) => t.name).sort()).toEqual(['posts', 'users']);
    expect(model.enums).toEqual([expect.objectContaining({ name: 'Role', values: ['USER', 'ADMIN', 'GUEST'] })]);
    const users = model.tables.find((t) => t.name === 'users')!;
    expect(users.columns.find((c) => c.name === 'name')).toMatchObject({ nullable: false });
    expect(model.tables.find((t) => t.name === 'posts')!.indexes.map((i) => i.name)).toEqual(['posts_title_idx']);
    expect(await versionRows(db.url)).toEqual(['c3c3c3c3c3c3']);
    expect(await readCurrentHeads(env)).toEqual(['c3c3c3c3c3c3']);

    await runDowngrade(env, '-1', io());
    model = await introspect(db.url);
    expect(model.enums[0]!.values).toEqual(['USER', 'ADMIN']);
    expect(model.tables.find((t) => t.name === 'users')!.columns.find((c) => c.name === 'name')).toMatchObject({ nullable: true });
    expect(await versionRows(db.url)).toEqual(['b2b2b2b2b2b2']);

    await runDowngrade(env, 'base', io());
    model = await introspect(db.url);
    expect(model.tables).toEqual([]);
    expect(model.enums).toEqual([]);
    expect(await versionRows(db.url)).toEqual([]);

    await runUpgrade(env, 'head', io());
    expect((await introspect(db.url)).tables.map((t) => t.name).sort()).toEqual(['posts', 'users']);
    expect(await versionRows(db.url)).toEqual(['c3c3c3c3c3c3']);
  });

  it('a revision may open its transaction with SET TRANSACTION (the version table is not touched first)', async () => {
    revisionFile('e5e5e5e5e5e5', null, 'first', `  await op.execute('CREATE TABLE "first" ("id" INTEGER PRIMARY KEY)');`, `  await op.execute('DROP TABLE "first"');`);
    revisionFile(
      'f6f6f6f6f6f6',
      'e5e5e5e5e5e5',
      'repeatable read',
      `  await op.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  const [row] = await op.query<{ level: string }>("SELECT current_setting('transaction_isolation') AS level");
  await op.execute(\`CREATE TABLE "seen" ("level" TEXT); INSERT INTO "seen" VALUES ('\${row!.level}')\`);`,
      `  await op.execute('DROP TABLE "seen"');`,
    );
    const db = await tempDb();
    const env = await openMigrationEnv({ cwd: root, url: db.url });
    await runUpgrade(env, 'e5e5e5e5e5e5', io());
    // A new run whose first revision is the one that sets its isolation level.
    await runUpgrade(env, 'head', io());
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      expect((await client.query('SELECT "level" FROM "seen"')).rows).toEqual([{ level: 'repeatable read' }]);
      expect((await client.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'f6f6f6f6f6f6' }]);
    } finally {
      await client.end();
    }
  });

  it('rolls a failing revision back: schema and alembic_version as before', async () => {
    writeRevisions();
    revisionFile(
      'd4d4d4d4d4d4',
      'c3c3c3c3c3c3',
      'broken',
      `  await op.createTable({ name: 'tags', columns: [{ name: 'id', type: 'INTEGER', nullable: false }] });
  await op.addColumn('users', { name: 'nick', type: 'TEXT', nullable: true });
  await op.dropColumn('posts', 'title');
  await op.execute('SELECT * FROM "nope"');`,
      `  await op.dropTable('tags');`,
    );
    const db = await tempDb();
    const env = await openMigrationEnv({ cwd: root, url: db.url });
    await runUpgrade(env, 'c3c3c3c3c3c3', io());
    const before = await introspect(db.url);
    await expect(runUpgrade(env, 'head', io())).rejects.toThrow(/^Revision d4d4d4d4d4d4 \(broken\) failed: .*nope.*; rolled back$/);
    expect(await introspect(db.url)).toEqual(before);
    expect(await versionRows(db.url)).toEqual(['c3c3c3c3c3c3']);
  });

  it('stamps without running anything', async () => {
    writeRevisions();
    const db = await tempDb();
    const env = await openMigrationEnv({ cwd: root, url: db.url });
    await runStamp(env, ['head'], io());
    expect(await versionRows(db.url)).toEqual(['c3c3c3c3c3c3']);
    expect((await introspect(db.url)).tables).toEqual([]);
    await runStamp(env, ['base'], io());
    expect(await versionRows(db.url)).toEqual([]);
  });

  it('offline scripts run with psql build the same database as the online run', async () => {
    writeRevisions();
    const online = await tempDb();
    const offline = await tempDb();
    const env = await openMigrationEnv({ cwd: root, url: online.url });
    await runUpgrade(env, 'head', io());

    const script = io({ sql: true });
    await runUpgrade(env, 'head', script);
    const text = script.lines.join('\n');
    expect(text).toContain(`INSERT INTO "users" ("email", "role") VALUES ('o''hara@example.com', 'ADMIN');`);
    // CONCURRENTLY and ADD VALUE leave the script's transaction, as the autocommit block does online.
    expect(text).toMatch(/COMMIT;\n\nCREATE INDEX CONCURRENTLY[^\n]*;\n\nBEGIN;/);
    const file = join(root, 'up.sql');
    writeFileSync(file, text);
    execFileSync('psql', [offline.url, '-q', '-v', 'ON_ERROR_STOP=1', '-f', file], { stdio: 'pipe' });
    expect(await introspect(offline.url)).toEqual(await introspect(online.url));
    expect(await versionRows(offline.url)).toEqual(['c3c3c3c3c3c3']);

    const down = io({ sql: true });
    await runDowngrade(env, 'c3c3c3c3c3c3:base', down);
    const downFile = join(root, 'down.sql');
    writeFileSync(downFile, down.lines.join('\n'));
    execFileSync('psql', [offline.url, '-q', '-v', 'ON_ERROR_STOP=1', '-f', downFile], { stdio: 'pipe' });
    const after = await introspect(offline.url);
    expect(after.tables).toEqual([]);
    expect(after.enums).toEqual([]);
    expect(await versionRows(offline.url)).toBeNull();
  });
});
