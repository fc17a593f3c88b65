import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from '../src/dialect/sqlite/index.ts';
import type { DatabaseModel } from '../src/model/types.ts';
import { openMigrationEnv, readCurrentHeads, runDowngrade, runStamp, runUpgrade, type MigrationEnv, type RunnerOptions } from '../src/runtime/runner.ts';

/**
 * The runner end to end on real SQLite files: hand-written TypeScript
 * revisions in a temporary project, applied, reverted, stamped, and printed
 * as offline scripts that are then run with better-sqlite3.
 */

const REPO = resolve(import.meta.dirname, '..');

let root: string;
let versions: string;
let dbFile: string;

function revisionFile(id: string, down: string | null, message: string, upgrade: string, downgrade: string, extra = ''): void {
  const text = `/**
 * ${message}
 *
 * Revision ID: ${id}
 * Create Date: 2025-01-01 00:00:00
 */
import type { MigrationOps } from 'prisma-revise';

export const revision = '${id}';
export const downRevision: string | null = ${down === null ? 'null' : `'${down}'`};
${extra}
export async function upgrade(op: MigrationOps): Promise<void> {
${upgrade}
}

export async function downgrade(op: MigrationOps): Promise<void> {
${downgrade}
}
`;
  writeFileSync(join(versions, `${id}_${message.replace(/\W+/g, '_')}.ts`), text);
}

const POSTS_SHAPE_AFTER_C3 = `{
      name: 'posts',
      columns: [
        { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
        { name: 'title', type: 'TEXT', nullable: false },
        { name: 'authorId', type: 'INTEGER', nullable: false },
        { name: 'published', type: 'BOOLEAN', nullable: false, default: 'false' },
      ],
      primaryKey: { columns: ['id'] },
      indexes: [{ name: 'posts_title_idx', columns: [{ name: 'title' }], unique: false }],
      foreignKeys: [{ name: 'posts_authorId_fkey', columns: ['authorId'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' }],
    }`;

function writeStandardRevisions(): void {
  revisionFile(
    'a1a1a1a1a1a1',
    null,
    'create users',
    `  await op.createTable({
    name: 'users',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'email', type: 'TEXT', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'users_email_key', columns: ['email'], unique: true }],
  });
  await op.execute('INSERT INTO "users" ("email") VALUES (?)', ["o'hara@example.com"]);`,
    `  await op.dropTable('users');`,
  );
  revisionFile(
    'b2b2b2b2b2b2',
    'a1a1a1a1a1a1',
    'add posts',
    `  await op.createTable({
    name: 'posts',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'title', type: 'TEXT', nullable: false },
      { name: 'authorId', type: 'INTEGER', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    foreignKeys: [{ name: 'posts_authorId_fkey', columns: ['authorId'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' }],
  });
  await op.addColumn('users', { name: 'name', type: 'TEXT', nullable: true });`,
    `  await op.dropColumn('users', 'name');
  await op.dropTable('posts');`,
  );
  revisionFile(
    'c3c3c3c3c3c3',
    'b2b2b2b2b2b2',
    'publish flag',
    `  await op.batchAlterTable('posts', (batch) => {
    batch.addColumn({ name: 'published', type: 'BOOLEAN', nullable: false, default: 'false' });
    batch.createIndex({ name: 'posts_title_idx', columns: ['title'] });
  });
  const rows = await op.query<{ n: number }>('SELECT count(*) AS n FROM "users"');
  if (!op.offline && rows[0]?.n !== 1) throw new Error('expected one user, got ' + JSON.stringify(rows));`,
    `  await op.batchAlterTable('posts', (batch) => {
    batch.dropIndex('posts_title_idx');
    batch.dropColumn('published');
  }, { recreate: 'always', shape: ${POSTS_SHAPE_AFTER_C3} });`,
  );
}

async function env(): Promise<MigrationEnv> {
  return openMigrationEnv({ cwd: root, url: `file:${dbFile}` });
}

function io(extra: Partial<RunnerOptions> = {}): RunnerOptions & { lines: string[]; logs: string[] } {
  const lines: string[] = [];
  const logs: string[] = [];
  return { out: (l) => lines.push(l), log: (l) => logs.push(l), lines, logs, ...extra };
}

async function introspect(file: string): Promise<DatabaseModel> {
  const connection = await sqliteDialect.connect(`file:${file}`);
  try {
    return await sqliteDialect.introspect(connection, { excludeTables: ['alembic_version'] });
  } finally {
    await connection.close();
  }
}

function tableNames(model: DatabaseModel): string[] {
  return model.tables.map((t) => t.name).sort();
}

function columns(model: DatabaseModel, table: string): string[] {
  return model.tables.find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];
}

function versionRows(file: string): string[] | null {
  const db = new Database(file, { readonly: true });
  try {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'`).get();
    if (!exists) return null;
    return (db.prepare('SELECT version_num FROM alembic_version').all() as Array<{ version_num: string }>).map((r) => r.version_num).sort();
  } finally {
    db.close();
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'revise-rt-sqlite-'));
  versions = join(root, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(root, 'node_modules', 'prisma-revise'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'rt-test', private: true, type: 'module' }));
  dbFile = join(root, 'dev.db');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('runner on SQLite', () => {
  it('upgrades to head, downgrades to base and upgrades again', async () => {
    writeStandardRevisions();
    const e = await env();

    const up = io();
    await runUpgrade(e, 'head', up);
    expect(up.logs).toEqual([
      `INFO  [revise] SQLite database dev.db created at ${dbFile}`,
      'INFO  [revise] Running upgrade  -> a1a1a1a1a1a1, create users',
      'INFO  [revise] Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2, add posts',
      'INFO  [revise] Running upgrade b2b2b2b2b2b2 -> c3c3c3c3c3c3, publish flag',
    ]);
    expect(up.lines).toEqual([]);
    let model = await introspect(dbFile);
    expect(tableNames(model)).toEqual(['posts', 'users']);
    expect(columns(model, 'users')).toEqual(['id', 'email', 'name']);
    expect(columns(model, 'posts')).toEqual(['id', 'title', 'authorId', 'published']);
    expect(model.tables.find((t) => t.name === 'posts')!.indexes.map((i) => i.name)).toEqual(['posts_title_idx']);
    expect(model.tables.find((t) => t.name === 'posts')!.foreignKeys.map((f) => f.name ?? f.referencedTable)).toHaveLength(1);
    expect(versionRows(dbFile)).toEqual(['c3c3c3c3c3c3']);
    expect(await readCurrentHeads(e)).toEqual(['c3c3c3c3c3c3']);

    // Nothing to do: no lines, nothing changes.
    const again = io();
    await runUpgrade(e, 'head', again);
    expect(again.logs).toEqual([]);

    const down1 = io();
    await runDowngrade(e, '-1', down1);
    expect(down1.logs).toEqual(['INFO  [revise] Running downgrade c3c3c3c3c3c3 -> b2b2b2b2b2b2, publish flag']);
    model = await introspect(dbFile);
    expect(columns(model, 'posts')).toEqual(['id', 'title', 'authorId']);
    expect(model.tables.find((t) => t.name === 'posts')!.indexes).toEqual([]);
    expect(versionRows(dbFile)).toEqual(['b2b2b2b2b2b2']);

    const down = io();
    await runDowngrade(e, 'base', down);
    expect(down.logs).toEqual([
      'INFO  [revise] Running downgrade b2b2b2b2b2b2 -> a1a1a1a1a1a1, add posts',
      'INFO  [revise] Running downgrade a1a1a1a1a1a1 -> , create users',
    ]);
    expect(tableNames(await introspect(dbFile))).toEqual([]);
    // Alembic keeps the table at base, with no rows.
    expect(versionRows(dbFile)).toEqual([]);
    expect(await readCurrentHeads(e)).toEqual([]);

    await runUpgrade(e, 'head', io());
    model = await introspect(dbFile);
    expect(tableNames(model)).toEqual(['posts', 'users']);
    expect(columns(model, 'posts')).toEqual(['id', 'title', 'authorId', 'published']);
    expect(versionRows(dbFile)).toEqual(['c3c3c3c3c3c3']);
  });

  it('creates alembic_version on an upgrade with nothing to run', async () => {
    const e = await env();
    expect(await readCurrentHeads(e)).toEqual([]);
    // Reading the heads of a database that does not exist yet creates nothing.
    expect(existsSync(dbFile)).toBe(false);
    await runUpgrade(e, 'head', io());
    expect(versionRows(dbFile)).toEqual([]);
  });

  it('rolls a failing revision back completely: schema and alembic_version as before', async () => {
    writeStandardRevisions();
    revisionFile(
      'd4d4d4d4d4d4',
      'c3c3c3c3c3c3',
      'half done',
      `  await op.createTable({ name: 'tags', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });
  await op.addColumn('users', { name: 'nickname', type: 'TEXT', nullable: true });
  await op.batchAlterTable('posts', (b) => { b.dropColumn('published'); }, { recreate: 'always' });
  await op.execute('INSERT INTO "nope" VALUES (1)');`,
      `  await op.dropTable('tags');`,
    );
    const e = await env();
    await runUpgrade(e, 'c3c3c3c3c3c3', io());
    const before = await introspect(dbFile);

    const failing = io();
    await expect(runUpgrade(e, 'head', failing)).rejects.toThrow(
      /^Revision d4d4d4d4d4d4 \(half done\) failed: .*no such table: nope.*; rolled back$/,
    );
    expect(await introspect(dbFile)).toEqual(before);
    expect(versionRows(dbFile)).toEqual(['c3c3c3c3c3c3']);

    // The first revision failing from an empty database leaves no alembic_version behind either.
    const fresh = join(root, 'fresh.db');
    const e2 = await openMigrationEnv({ cwd: root, url: `file:${fresh}` });
    writeFileSync(join(versions, 'a1a1a1a1a1a1_create_users.ts'), `/** create users */\nexport const revision = 'a1a1a1a1a1a1';\nexport const downRevision = null;\nexport async function upgrade(op: any) { await op.execute('CREATE TABLE "x" ("id" INTEGER)'); throw new Error('boom'); }\nexport async function downgrade() {}\n`);
    await expect(runUpgrade(e2, 'a1a1a1a1a1a1', io())).rejects.toThrow(
      /^Revision a1a1a1a1a1a1 \(create users\) failed: boom \(at \S+a1a1a1a1a1a1_create_users\.ts:4:\d+\); rolled back$/,
    );
    expect(tableNames(await introspect(fresh))).toEqual([]);
    expect(versionRows(fresh)).toBeNull();
  });

  it('refuses to downgrade through an irreversible revision before running anything', async () => {
    writeStandardRevisions();
    revisionFile('d4d4d4d4d4d4', 'c3c3c3c3c3c3', 'drop names', `  await op.dropColumn('users', 'name');`, `  throw new Error('must not run');`, `export const irreversible = 'the names are gone';\n`);
    const e = await env();
    await runUpgrade(e, 'head', io());
    await expect(runDowngrade(e, 'a1a1a1a1a1a1', io())).rejects.toThrow(
      'Revision d4d4d4d4d4d4 (drop names) is irreversible: the names are gone; nothing was downgraded',
    );
    expect(versionRows(dbFile)).toEqual(['d4d4d4d4d4d4']);
    expect(tableNames(await introspect(dbFile))).toEqual(['posts', 'users']);
  });

  it('stamps head, base and --purge without running revisions', async () => {
    writeStandardRevisions();
    const e = await env();
    const s = io();
    await runStamp(e, ['head'], s);
    expect(s.logs).toEqual([`INFO  [revise] SQLite database dev.db created at ${dbFile}`, 'INFO  [revise] Running stamp_revision  -> c3c3c3c3c3c3']);
    expect(versionRows(dbFile)).toEqual(['c3c3c3c3c3c3']);
    expect(tableNames(await introspect(dbFile))).toEqual([]);

    await runStamp(e, ['a1a1a1a1a1a1'], io());
    expect(versionRows(dbFile)).toEqual(['a1a1a1a1a1a1']);

    await runStamp(e, ['base'], io());
    expect(versionRows(dbFile)).toEqual([]);

    // --purge: whatever is in the table (even unknown revisions) goes first.
    const db = new Database(dbFile);
    db.prepare('INSERT INTO alembic_version (version_num) VALUES (?)').run('ffffffffffff');
    db.close();
    await runStamp(e, ['b2b2b2b2b2b2'], { ...io(), purge: true });
    expect(versionRows(dbFile)).toEqual(['b2b2b2b2b2b2']);
  });

  it('prints offline scripts that build the same database as the online run', async () => {
    writeStandardRevisions();
    const e = await env();
    await runUpgrade(e, 'head', io());

    const offline = io({ sql: true });
    await runUpgrade(e, 'head', offline);
    const script = offline.lines.join('\n');
    expect(offline.lines[0]).toBe('PRAGMA foreign_keys=OFF;');
    expect(script).toContain('BEGIN;');
    expect(script).toContain('CREATE TABLE alembic_version (');
    expect(script).toContain('-- Running upgrade  -> a1a1a1a1a1a1');
    expect(script).toContain(`INSERT INTO "users" ("email") VALUES ('o''hara@example.com');`);
    expect(script).toContain("INSERT INTO alembic_version (version_num) VALUES ('a1a1a1a1a1a1');");
    expect(script).toContain("UPDATE alembic_version SET version_num='c3c3c3c3c3c3' WHERE alembic_version.version_num = 'b2b2b2b2b2b2';");
    expect(offline.lines.at(-2)).toBe('COMMIT;');

    const offlineDb = join(root, 'offline.db');
    const db = new Database(offlineDb);
    db.exec(script);
    db.close();
    expect(await introspect(offlineDb)).toEqual(await introspect(dbFile));
    expect(versionRows(offlineDb)).toEqual(versionRows(dbFile));

    // Downgrade script from head back to a1, run on a copy of the upgraded database.
    const downDb = join(root, 'down.db');
    copyFileSync(dbFile, downDb);
    const downScript = io({ sql: true });
    await runDowngrade(e, 'c3c3c3c3c3c3:a1a1a1a1a1a1', downScript);
    expect(downScript.lines.join('\n')).toContain('-- Running downgrade c3c3c3c3c3c3 -> b2b2b2b2b2b2');
    const d = new Database(downDb);
    d.exec(downScript.lines.join('\n'));
    d.close();
    await runDowngrade(e, 'a1a1a1a1a1a1', io());
    expect(await introspect(downDb)).toEqual(await introspect(dbFile));
    expect(versionRows(downDb)).toEqual(['a1a1a1a1a1a1']);

    // All the way down offline drops the version table, like Alembic.
    const baseScript = io({ sql: true });
    await runDowngrade(e, 'a1a1a1a1a1a1:base', baseScript);
    expect(baseScript.lines).toContain('DROP TABLE alembic_version;');
  });

  it('refuses --sql downgrade without a range, and ranges online', async () => {
    writeStandardRevisions();
    const e = await env();
    await expect(runDowngrade(e, 'base', io({ sql: true }))).rejects.toThrow('downgrade with --sql requires <fromrev>:<torev>');
    await expect(runUpgrade(e, 'a1a1a1a1a1a1:head', io())).rejects.toThrow('Range revision not allowed');
  });

  it('offline mode never opens the database', async () => {
    writeStandardRevisions();
    const missingDir = join(root, 'no', 'such', 'dir', 'x.db');
    const e = await openMigrationEnv({ cwd: root, url: `file:${missingDir}` });
    const offline = io({ sql: true });
    await runUpgrade(e, 'b2b2b2b2b2b2:head', offline);
    const script = offline.lines.join('\n');
    expect(script).not.toContain('CREATE TABLE alembic_version');
    expect(script).not.toContain('-- Running upgrade  -> a1a1a1a1a1a1');
    expect(script).toContain('-- Running upgrade b2b2b2b2b2b2 -> c3c3c3c3c3c3');
    expect(script).toContain('ALTER TABLE "posts" ADD COLUMN');
    expect(script).toContain('CREATE INDEX "posts_title_idx"');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(root, 'no'))).toBe(false);
  });

  it('keeps the work of an autocommit block when the rest of the revision fails', async () => {
    revisionFile(
      'a1a1a1a1a1a1',
      null,
      'with autocommit',
      `  await op.execute('CREATE TABLE "audit" ("note" TEXT)');
  await op.autocommitBlock(async () => {
    await op.execute('INSERT INTO "audit" ("note") VALUES (?)', ['inside']);
  });
  await op.execute('CREATE TABLE "later" ("id" INTEGER)');
  throw new Error('stop here');`,
      `  await op.dropTable('audit');`,
    );
    const e = await env();
    await expect(runUpgrade(e, 'head', io())).rejects.toThrow(
      /^Revision a1a1a1a1a1a1 \(with autocommit\) failed: stop here \(at \S+a1a1a1a1a1a1_with_autocommit\.ts:18:\d+\); rolled back$/,
    );
    // The block committed what came before it and itself; what followed was rolled back.
    expect(tableNames(await introspect(dbFile))).toEqual(['audit']);
    const db = new Database(dbFile, { readonly: true });
    expect(db.prepare('SELECT note FROM audit').all()).toEqual([{ note: 'inside' }]);
    db.close();
    // The version table was created in the same committed part, but the revision is not recorded.
    expect(versionRows(dbFile)).toEqual([]);
  });

  it('runs everything in one transaction with transactionPerRevision: false', async () => {
    writeStandardRevisions();
    revisionFile('d4d4d4d4d4d4', 'c3c3c3c3c3c3', 'fails', `  throw new Error('nope');`, ``);
    const e = await env();
    await expect(runUpgrade(e, 'head', io({ transactionPerRevision: false }))).rejects.toThrow(
      /^Revision d4d4d4d4d4d4 \(fails\) failed: nope \(at \S+d4d4d4d4d4d4_fails\.ts:13:\d+\); rolled back$/,
    );
    // Nothing at all was applied: the earlier revisions shared the failed transaction.
    expect(tableNames(await introspect(dbFile))).toEqual([]);
    expect(versionRows(dbFile)).toBeNull();
    // Without the failing one, all three commit together.
    await runUpgrade(e, 'c3c3c3c3c3c3', io({ transactionPerRevision: false }));
    expect(tableNames(await introspect(dbFile))).toEqual(['posts', 'users']);
    expect(versionRows(dbFile)).toEqual(['c3c3c3c3c3c3']);
  });

  it('keeps one alembic_version row per head through branches and a merge', async () => {
    const noop = `  await op.execute('SELECT 1');`;
    revisionFile('aaaa00000001', null, 'root', noop, noop);
    revisionFile('bbbb00000002', 'aaaa00000001', 'branch one', noop, noop);
    revisionFile('cccc00000003', 'aaaa00000001', 'branch two', noop, noop);
    writeFileSync(
      join(versions, 'dddd00000004_merge.ts'),
      `/** merge */\nexport const revision = 'dddd00000004';\nexport const downRevision = ['bbbb00000002', 'cccc00000003'];\nexport async function upgrade() {}\nexport async function downgrade() {}\n`,
    );
    const e = await env();
    await runUpgrade(e, 'bbbb00000002', io());
    expect(versionRows(dbFile)).toEqual(['bbbb00000002']);
    await runUpgrade(e, 'cccc00000003', io());
    expect(versionRows(dbFile)).toEqual(['bbbb00000002', 'cccc00000003']);
    const merge = io();
    await runUpgrade(e, 'head', merge);
    expect(merge.logs).toEqual(['INFO  [revise] Running upgrade bbbb00000002, cccc00000003 -> dddd00000004, merge']);
    expect(versionRows(dbFile)).toEqual(['dddd00000004']);
    await runDowngrade(e, '-1', io());
    expect(versionRows(dbFile)).toEqual(['bbbb00000002', 'cccc00000003']);
    await runDowngrade(e, 'base', io());
    expect(versionRows(dbFile)).toEqual([]);
  });

  it('prints stamp SQL offline', async () => {
    writeStandardRevisions();
    const e = await env();
    const fromBase = io({ sql: true });
    await runStamp(e, ['head'], fromBase);
    expect(fromBase.lines.filter((l) => l !== '')).toEqual([
      'BEGIN;',
      'CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);',
      "INSERT INTO alembic_version (version_num) VALUES ('c3c3c3c3c3c3');",
      'COMMIT;',
    ]);
    const move = io({ sql: true });
    await runStamp(e, ['a1a1a1a1a1a1:c3c3c3c3c3c3'], move);
    expect(move.lines.filter((l) => l !== '')).toEqual([
      'BEGIN;',
      "UPDATE alembic_version SET version_num='c3c3c3c3c3c3' WHERE alembic_version.version_num = 'a1a1a1a1a1a1';",
      'COMMIT;',
    ]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(dbFile)).toBe(false);
  });

  it('rolls back a revision that leaves a foreign key violated (checked before commit)', async () => {
    writeStandardRevisions();
    revisionFile('d4d4d4d4d4d4', 'c3c3c3c3c3c3', 'orphan post', `  await op.execute('INSERT INTO "posts" ("title", "authorId") VALUES (?, ?)', ['orphan', 999]);`, ``);
    const e = await env();
    await runUpgrade(e, 'c3c3c3c3c3c3', io());
    await expect(runUpgrade(e, 'head', io())).rejects.toThrow(/^Revision d4d4d4d4d4d4 \(orphan post\) failed: foreign key check failed.*; rolled back$/);
    const db = new Database(dbFile, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 0 });
    db.close();
    expect(versionRows(dbFile)).toEqual(['c3c3c3c3c3c3']);
  });

  it('accepts frozen batch shapes that leave out empty lists (as autogenerate renders them)', async () => {
    writeStandardRevisions();
    revisionFile(
      'd4d4d4d4d4d4',
      'c3c3c3c3c3c3',
      'rebuild users',
      `  await op.batchAlterTable('users', (b) => { b.alterColumn('name', { nullable: false, default: "''", existing: { type: 'TEXT', nullable: true } }); }, {
    shape: { name: 'users', columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'email', type: 'TEXT', nullable: false },
      { name: 'name', type: 'TEXT', nullable: true },
    ], primaryKey: { columns: ['id'] } } as any,
  });`,
      ``,
    );
    const e = await env();
    const offline = io({ sql: true });
    await runUpgrade(e, 'c3c3c3c3c3c3:head', offline);
    const script = offline.lines.join('\n');
    expect(script).toContain('CREATE TABLE "new_users"');
    await runUpgrade(e, 'head', io());
    const users = (await introspect(dbFile)).tables.find((t) => t.name === 'users')!;
    expect(users.columns.find((c) => c.name === 'name')).toMatchObject({ nullable: false, default: "''" });
  });
});
