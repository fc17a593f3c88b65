/**
 * Adopting an existing database and the bad input around it, through the
 * built CLI on real SQLite files and a real PostgreSQL server: `upgrade`
 * refuses a database that already has its tables, `check` and `stamp` say
 * whether it matches the schema, read-only commands create nothing, new
 * revision files stay in their folder, and a broken revision is reported by
 * file and line with everything rolled back. The hot commands are run both
 * through the fast path (bin/run.js) and through oclif.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  REPO_ROOT,
  describeRun,
  generatedFile,
  makeProject,
  problemLines,
  runNodeAsync,
  snapshot,
  tableRows,
  versionRows,
  withDb,
  writeRevision,
  type CliResult,
  type E2EProject,
  type Provider,
} from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';
import { prismaReferenceSql } from './support/prisma-oracle.ts';

const pg = await pgAvailable();
const providers: Array<{ provider: Provider; enabled: boolean }> = [
  { provider: 'sqlite', enabled: true },
  { provider: 'postgresql', enabled: pg },
];

const MODELS = `enum Role {
  USER
  ADMIN
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  role      Role     @default(USER)
  createdAt DateTime @default(now())
  posts     Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}`;

/** What an older, hand-managed version of the app left behind: no enum, no unique email, no index, one table too many. */
const DRIFTED_MODELS = `model User {
  id        Int      @id @default(autoincrement())
  email     String
  createdAt DateTime @default(now())
  posts     Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}

model Legacy {
  id Int @id
}`;

const ADOPT =
  'adopt it first with `revise stamp head` (or `revise stamp <rev>` for the revision it matches; `revise check` compares it with the schema), then upgrade';
const MATCHES = 'INFO  [revise.runtime.migration] The database matches the Prisma schema (as `revise check` compares them).';

// ---------------------------------------------------------------------------
// Running the CLI: the fast path (bin/run.js) or oclif itself.

type Via = 'fast path' | 'oclif';

const scratch = mkdtempSync(join(tmpdir(), 'revise-adoption-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A script that hands its arguments straight to oclif, skipping bin/run.js's fast path. */
const OCLIF_ONLY = join(scratch, 'oclif-only.mjs');
writeFileSync(
  OCLIF_ONLY,
  `const { execute } = await import(${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'node_modules', '@oclif', 'core', 'lib', 'index.js')).href)});\n` +
    `await execute({ dir: ${JSON.stringify(pathToFileURL(BIN).href)}, args: process.argv.slice(2) });\n`,
);

function run(p: E2EProject, args: string[], via: Via = 'fast path', env: Record<string, string> = {}): Promise<CliResult> {
  return runNodeAsync([via === 'oclif' ? OCLIF_ONLY : BIN, ...args], { cwd: p.dir, env: { DATABASE_URL: p.url, ...env } });
}

/** Exit 1, and stderr holds exactly one line besides INFO/WARN progress: `expected`, with no stack. */
function expectFailure(result: CliResult, expected: string | RegExp): void {
  expect(result.status, describeRun(result)).toBe(1);
  const problems = problemLines(result.stderr);
  expect(problems, describeRun(result)).toHaveLength(1);
  if (typeof expected === 'string') expect(problems[0]).toBe(expected);
  else expect(problems[0]).toMatch(expected);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

function expectSuccess(result: CliResult): CliResult {
  expect(result.status, describeRun(result)).toBe(0);
  expect(problemLines(result.stderr), describeRun(result)).toEqual([]);
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function setPackageRevise(p: E2EProject, revise: Record<string, unknown>): void {
  const file = join(p.dir, 'package.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), revise }, null, 2));
}

/** Every path under `dir` (node_modules and the revise cache left out). */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => !path.startsWith('node_modules'))
    .sort();
}

const initialRevisions = new Map<Provider, Promise<string>>();

/**
 * The text of revision r1, which creates MODELS: autogenerated once per
 * provider against an empty database (for SQLite, a file that does not exist:
 * the comparison reads it as empty and must not create it), then copied into
 * every project that needs it.
 */
function initialRevision(provider: Provider): Promise<string> {
  let text = initialRevisions.get(provider);
  if (text === undefined) {
    text = (async () => {
      const db = provider === 'postgresql' ? await createTempDatabase() : undefined;
      const p = makeProject({ provider, ...(db ? { url: db.url } : {}) });
      try {
        p.writeSchema(MODELS);
        const generated = expectSuccess(await run(p, ['autogenerate', '-m', 'initial', '--rev-id', 'r1']));
        if (provider === 'sqlite') expect(existsSync(p.url.slice('file:'.length))).toBe(false);
        return readFileSync(generatedFile(generated)!, 'utf8');
      } finally {
        p.cleanup();
        await db?.drop();
      }
    })();
    initialRevisions.set(provider, text);
  }
  return text;
}

/** `p` with MODELS as its schema and r1 as its one revision. */
async function withInitialRevision(p: E2EProject): Promise<E2EProject> {
  p.writeSchema(MODELS);
  writeFileSync(join(p.versionsDir, 'r1_initial.ts'), await initialRevision(p.provider as Provider));
  return p;
}

// ---------------------------------------------------------------------------

describe.each(providers)('adopting an existing database on $provider', ({ provider, enabled }) => {
  const projects: E2EProject[] = [];
  const databases: TempDatabase[] = [];
  afterEach(async () => {
    for (const p of projects.splice(0)) p.cleanup();
    for (const db of databases.splice(0)) await db.drop();
  });

  /** A project whose one revision (r1) creates MODELS, on a database of its own. */
  async function project(): Promise<E2EProject> {
    let url: string | undefined;
    if (provider === 'postgresql') {
      const db = await createTempDatabase();
      databases.push(db);
      url = db.url;
    }
    const p = makeProject({ provider, ...(url ? { url } : {}) });
    projects.push(p);
    return withInitialRevision(p);
  }

  /** Build the database the way Prisma would for `models` (`prisma db push` / the SQL of `migrate dev`), with a row in it. */
  async function buildWithPrisma(p: E2EProject, models: string): Promise<void> {
    const schemaText = `datasource db {\n  provider = "${provider}"\n}\n\n${models}\n`;
    const sql = await prismaReferenceSql(schemaText, provider);
    await withDb(provider, p.url, async (db) => {
      await db.exec(sql);
      await db.exec(`INSERT INTO "User" ("email") VALUES ('ann@example.com')`);
    });
  }

  it.skipIf(!enabled)(
    'a database Prisma built: upgrade refuses it untouched, check says it matches, stamp head adopts it',
    async () => {
      const p = await project();
      await buildWithPrisma(p, MODELS);
      const before = await snapshot(provider, p.url);
      const rows = await tableRows(provider, p.url);
      expect(before.versions).toBeNull();

      // The same refusal through the fast path and through oclif.
      for (const via of ['fast path', 'oclif'] as const) {
        const up = await run(p, ['upgrade', 'head'], via);
        expectFailure(up, `Error: This database already has 2 table(s) (Post, User) but no alembic_version table: ${ADOPT}; tables revise should leave alone belong in package.json#revise.excludeTables. Nothing was run.`);
        expect(up.stderr).not.toContain('Running upgrade');
        expect(await snapshot(provider, p.url)).toEqual(before);
      }

      // check answers the question it is asked, and says the database is not stamped.
      const check = expectSuccess(await run(p, ['check']));
      expect(check.stdout).toBe('No new upgrade operations detected.\n');
      expect(check.stderr).toContain(
        'WARN  [revise.autogenerate.compare] The database is not stamped (alembic_version records no revision) and was compared as it is: it matches the schema, so `revise stamp head` adopts it as it is.\n',
      );

      const stamp = expectSuccess(await run(p, ['stamp', 'head'], 'oclif'));
      expect(stamp.stderr).toContain('INFO  [revise.runtime.migration] Running stamp_revision  -> r1\n');
      expect(stamp.stderr).toContain(`${MATCHES}\n`);
      const after = await snapshot(provider, p.url);
      expect(after.model).toEqual(before.model);
      expect(after.versions).toEqual(['r1']);
      expect(await tableRows(provider, p.url)).toEqual(rows);

      const noop = expectSuccess(await run(p, ['upgrade', 'head']));
      expect(noop.stderr).not.toContain('Running upgrade');
      const stamped = expectSuccess(await run(p, ['check', '--json']));
      expect(JSON.parse(stamped.stdout)).toEqual({ changes: [], operations: [], stamped: true });
      expect(stamped.stderr).not.toContain('not stamped');
    },
    180_000,
  );

  it.skipIf(!enabled)('a drifted database: check and stamp list the same differences, stamp still stamps', async () => {
    const p = await project();
    await buildWithPrisma(p, DRIFTED_MODELS);
    const before = await snapshot(provider, p.url);

    const check = await run(p, ['check', '--json']);
    const { changes, stamped } = JSON.parse(check.stdout) as { changes: string[]; stamped: boolean };
    expectFailure(check, `Error: New upgrade operations detected: [${changes.join(', ')}]`);
    expect(stamped).toBe(false);
    expect(check.stderr).toContain(
      'The database is not stamped (alembic_version records no revision) and was compared as it is: `revise stamp head` adopts it once it matches the schema (or `revise stamp <rev>` for the revision it matches).',
    );
    expect(changes).toContain("removed table 'Legacy'");
    expect(changes).toContain("added unique index 'User_email_key' on 'User(email)'");
    expect(changes.some((c) => c.includes('User.role'))).toBe(true);

    const stamp = expectSuccess(await run(p, ['stamp', 'head']));
    const warnings = stamp.stderr.split('\n').filter((line) => line.startsWith('WARN  '));
    expect(warnings).toEqual([
      `WARN  [revise.runtime.migration] Stamped, but the database does not match the Prisma schema; \`revise autogenerate\` would write ${changes.length} change(s):`,
      ...changes.map((c) => `WARN  [revise.runtime.migration]   ${c}`),
    ]);
    const after = await snapshot(provider, p.url);
    expect(after.model).toEqual(before.model);
    expect(after.versions).toEqual(['r1']);
  }, 180_000);

  it.skipIf(!enabled)('stamping a revision other than head is not compared, and says so; stamping base says nothing', async () => {
    const p = await project();
    expectSuccess(await run(p, ['revision', '-m', 'second', '--rev-id', 'r2']));
    await buildWithPrisma(p, MODELS);
    const older = expectSuccess(await run(p, ['stamp', 'r1']));
    expect(older.stderr).toContain('INFO  [revise.runtime.migration] Not compared with the Prisma schema, which describes the head revision(s) (r2), not r1.\n');
    expect(older.stderr).not.toContain(MATCHES);
    expect(await versionRows(provider, p.url)).toEqual(['r1']);
    const base = expectSuccess(await run(p, ['stamp', 'base']));
    expect(base.stderr).not.toMatch(/compared|matches/);
    expect(await versionRows(provider, p.url)).toEqual([]);

    // An empty alembic_version (stamped base) is no adoption either.
    const before = await snapshot(provider, p.url);
    expectFailure(
      await run(p, ['upgrade', 'head']),
      `Error: This database already has 2 table(s) (Post, User) but an empty alembic_version table: ${ADOPT}; tables revise should leave alone belong in package.json#revise.excludeTables. Nothing was run.`,
    );
    expect(await snapshot(provider, p.url)).toEqual(before);
    expect(expectSuccess(await run(p, ['stamp', 'head'])).stderr).toContain(MATCHES);
  }, 180_000);

  it.skipIf(!enabled)('tables in excludeTables do not stop the first upgrade, and stay as they are', async () => {
    const p = await project();
    setPackageRevise(p, { excludeTables: ['legacy_audit'] });
    await withDb(provider, p.url, async (db) => {
      await db.exec('CREATE TABLE "legacy_audit" ("note" TEXT)');
      await db.exec(`INSERT INTO "legacy_audit" ("note") VALUES ('kept')`);
    });
    const up = expectSuccess(await run(p, ['upgrade', 'head']));
    expect(up.stderr).toContain('Running upgrade  -> r1, initial');
    expect(await versionRows(provider, p.url)).toEqual(['r1']);
    expect(await withDb(provider, p.url, (db) => db.query('SELECT "note" FROM "legacy_audit"'))).toEqual([{ note: 'kept' }]);
    expectSuccess(await run(p, ['check']));
  }, 180_000);

  it.skipIf(!enabled)('a Prisma Migrate database gets the same refusal, naming its history', async () => {
    const p = await project();
    await buildWithPrisma(p, MODELS);
    const ddl =
      provider === 'sqlite'
        ? `CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`
        : `CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
    await withDb(provider, p.url, async (db) => {
      await db.exec(ddl);
      await db.exec(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count") VALUES ('m1', 'c1', CURRENT_TIMESTAMP, '20240101000000_init', CURRENT_TIMESTAMP, 1)`,
      );
    });
    const before = await snapshot(provider, p.url);
    expectFailure(
      await run(p, ['upgrade', 'head']),
      `Error: This database is managed by Prisma Migrate (1 migration(s) in _prisma_migrations) and has no alembic_version table: ${ADOPT}. Nothing was run.`,
    );
    expect(await snapshot(provider, p.url)).toEqual(before);
    const stamp = expectSuccess(await run(p, ['stamp', 'head']));
    expect(stamp.stderr).toContain('managed by Prisma Migrate: 1 migration(s) applied in _prisma_migrations (last: 20240101000000_init)');
    expect(stamp.stderr).toContain(MATCHES);
  }, 180_000);
});

// ---------------------------------------------------------------------------

describe.each(providers)('broken revisions on $provider: named by file and line, rolled back', ({ provider, enabled }) => {
  let p: E2EProject;
  let db: TempDatabase | undefined;
  const added: string[] = [];

  beforeAll(async () => {
    if (!enabled) return;
    if (provider === 'postgresql') db = await createTempDatabase();
    p = makeProject({ provider, ...(db ? { url: db.url } : {}) });
    writeRevision(
      p,
      'base00000001',
      null,
      `await op.execute('CREATE TABLE "Item" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL)');\n  await op.execute('INSERT INTO "Item" ("id", "name") VALUES (1, \\'first\\')');`,
      `await op.execute('DROP TABLE "Item"');`,
    );
    expectSuccess(await run(p, ['upgrade', 'head']));
  }, 180_000);
  afterAll(async () => {
    p?.cleanup();
    await db?.drop();
  });
  afterEach(() => {
    for (const path of added.splice(0)) rmSync(path, { force: true });
  });

  /** A revision file with a data hook, as revise writes them; returns its path. */
  function revisionWithHook(id: string, upgradeBody: string[], hookBody: string[]): string {
    const path = join(p.versionsDir, `${id}_hooked.ts`);
    const lines = [
      `import type { MigrationOps } from 'prisma-revise';`,
      ``,
      `export const revision = '${id}';`,
      `export const downRevision: string | string[] | null = 'base00000001';`,
      ``,
      `export async function upgrade(op: MigrationOps): Promise<void> {`,
      ...upgradeBody.map((line) => `  ${line}`),
      `  await upgradeData(op);`,
      `}`,
      ``,
      `export async function downgrade(op: MigrationOps): Promise<void> {}`,
      ``,
      `async function upgradeData(op: MigrationOps): Promise<void> {`,
      ...hookBody.map((line) => `  ${line}`),
      `}`,
      ``,
    ];
    writeFileSync(path, lines.join('\n'));
    added.push(path);
    return path;
  }

  /** `<line>:<column>` (1-based) of `at` on the first line of the file that contains `text`. */
  function positionOf(path: string, text: string, at = text): string {
    const lines = readFileSync(path, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(text));
    expect(line, text).toBeGreaterThanOrEqual(0);
    return `${line + 1}:${lines[line]!.indexOf(at) + 1}`;
  }

  async function untouched(fail: () => Promise<CliResult>): Promise<CliResult> {
    const before = await snapshot(provider, p.url);
    const rows = await tableRows(provider, p.url);
    expect(before.versions).toEqual(['base00000001']);
    const result = await fail();
    expect(await snapshot(provider, p.url)).toEqual(before);
    expect(await tableRows(provider, p.url)).toEqual(rows);
    return result;
  }

  it.skipIf(!enabled).each<Via>(['fast path', 'oclif'])('a revision that does not compile: esbuild\'s message at file:line:column (%s)', async (via) => {
    const path = writeRevision(p, 'syntax000001', 'base00000001', `await op.execute('SELECT 1');\n  const total = ;`);
    added.push(path);
    const result = await untouched(() => run(p, ['upgrade', 'head'], via));
    expectFailure(result, `Error: Cannot compile revision file ${path}:${positionOf(path, 'const total = ;', ';')}: Unexpected ";"`);
  }, 60_000);

  it.skipIf(!enabled).each<Via>(['fast path', 'oclif'])('a data hook that throws after DDL and writes: its line, and the whole revision rolled back (%s)', async (via) => {
    const path = revisionWithHook(
      'hook00000001',
      [
        `await op.createTable({ name: 'made_by_hook_revision', columns: [{ name: 'id', type: 'INTEGER', nullable: false }] });`,
        `await op.addColumn('Item', { name: 'extra', type: 'TEXT', nullable: true });`,
        `await op.execute('INSERT INTO "Item" ("id", "name") VALUES (2, \\'second\\')');`,
      ],
      [`await op.execute('UPDATE "Item" SET "name" = \\'changed\\'');`, `throw new Error('the back-fill found a bad row');`],
    );
    const result = await untouched(() => run(p, ['upgrade', 'head'], via));
    expectFailure(
      result,
      `Error: Revision hook00000001 failed: the back-fill found a bad row (at ${path}:${positionOf(path, "new Error('the back-fill")}); rolled back`,
    );
  }, 60_000);

  it.skipIf(!enabled)('a statement the database rejects: the line of the op call that ran it', async () => {
    const path = revisionWithHook('sqlerr000001', [`await op.execute('CREATE TABLE "made_before_the_error" ("id" INTEGER)');`], [`await op.execute('INSERT INTO "no_such_table" ("id") VALUES (1)');`]);
    const result = await untouched(() => run(p, ['upgrade', 'head']));
    const [line] = positionOf(path, 'no_such_table').split(':');
    expectFailure(result, /^Error: Revision sqlerr000001 failed: .*no_such_table.* \(at (\S+)\); rolled back$/);
    // The op call that ran the statement (its column is where the engine reports the awaited call).
    expect(/\(at (\S+)\); rolled back$/.exec(problemLines(result.stderr)[0]!)![1]).toMatch(new RegExp(`^${escapeRegExp(path)}:${line}:\\d+$`));
  }, 60_000);

  it.skipIf(!enabled)('--sql: what a data hook prints goes to stderr, and the script on stdout runs', async () => {
    revisionWithHook(
      'print0000001',
      [`await op.createTable({ name: 'printed', columns: [{ name: 'id', type: 'INTEGER', nullable: false }] });`],
      [`console.log('hook says hello');`, `console.info({ hook: 'info' });`, `await op.execute('INSERT INTO "printed" ("id") VALUES (7)');`],
    );
    const result = await run(p, ['upgrade', 'head', '--sql']);
    expect(result.status, describeRun(result)).toBe(0);
    expect(problemLines(result.stderr)).toEqual(['hook says hello', "{ hook: 'info' }"]);
    expect(result.stdout).not.toContain('hook says hello');
    expect(result.stdout).not.toContain('info');
    // The script builds a fresh database from nothing.
    if (provider === 'sqlite') {
      const file = join(p.dir, 'from-script.db');
      const Database = (await import('better-sqlite3')).default;
      const fresh = new Database(file);
      try {
        fresh.exec(result.stdout);
        expect(fresh.prepare('SELECT "id" FROM "printed"').all()).toEqual([{ id: 7 }]);
        expect(fresh.prepare('SELECT version_num FROM alembic_version').all()).toEqual([{ version_num: 'print0000001' }]);
      } finally {
        fresh.close();
      }
    } else {
      const fresh = await createTempDatabase();
      try {
        await withDb('postgresql', fresh.url, async (conn) => {
          await conn.exec(result.stdout);
          expect(await conn.query('SELECT "id" FROM "printed"')).toEqual([{ id: 7 }]);
          expect(await conn.query('SELECT version_num FROM alembic_version')).toEqual([{ version_num: 'print0000001' }]);
        });
      } finally {
        await fresh.drop();
      }
    }
  }, 60_000);
});

// ---------------------------------------------------------------------------

describe('SQLite files: read-only commands create nothing, upgrade says what it creates', () => {
  let p: E2EProject;
  const folder = join(scratch, 'nested');
  const file = join(folder, 'deeper', 'app.db');
  beforeAll(async () => {
    p = await withInitialRevision(makeProject({ provider: 'sqlite', url: `file:${file}` }));
  }, 120_000);
  afterAll(() => p?.cleanup());

  it('current, history -i, heads, history (fast path and oclif), check, show current, branches: nothing on disk', async () => {
    for (const via of ['fast path', 'oclif'] as const) {
      expect(expectSuccess(await run(p, ['current'], via)).stdout).toBe('');
      expect(JSON.parse(expectSuccess(await run(p, ['current', '--json'], via)).stdout)).toMatchObject({ current: [] });
      expect(expectSuccess(await run(p, ['history', '-i'], via)).stdout).toBe('<base> -> r1 (head), initial\n');
      expect(expectSuccess(await run(p, ['heads'], via)).stdout).toBe('r1 (head)\n');
      expect(expectSuccess(await run(p, ['history'], via)).stdout).toBe('<base> -> r1 (head), initial\n');
    }
    const check = await run(p, ['check']);
    expectFailure(check, /^Error: New upgrade operations detected: \[.*added table 'User'.*\]$/);
    expect(check.stderr).toContain('was compared as it is: `revise upgrade head` builds it from the revisions.');
    expect(expectSuccess(await run(p, ['show', 'current'])).stdout).toBe('');
    expectSuccess(await run(p, ['branches']));
    expect(existsSync(folder)).toBe(false);
  }, 120_000);

  it('downgrade of a database that does not exist: one line, nothing created (fast path and oclif)', async () => {
    for (const via of ['fast path', 'oclif'] as const) {
      expectFailure(await run(p, ['downgrade', 'base'], via), `Error: SQLite database ${file} does not exist`);
    }
    expect(existsSync(folder)).toBe(false);
  }, 60_000);

  it('upgrade creates the file and its folder (as Prisma Migrate does) and says so once', async () => {
    const up = expectSuccess(await run(p, ['upgrade', 'head']));
    const created = up.stderr.split('\n').filter((line) => line.includes('created at'));
    expect(created).toEqual([`INFO  [revise.runtime.migration] SQLite database app.db created at ${file} (with its folder)`]);
    expect(await versionRows('sqlite', p.url)).toEqual(['r1']);
    const again = expectSuccess(await run(p, ['upgrade', 'head'], 'oclif'));
    expect(again.stderr).not.toContain('created at');
    expect(expectSuccess(await run(p, ['current'])).stdout).toBe('r1 (head)\n');
  }, 60_000);

  it('stamp (through oclif) on a new file in an existing folder says it created the file', async () => {
    const other = join(p.dir, 'stamped.db');
    const stamp = expectSuccess(await run(p, ['stamp', 'head', '--url', `file:${other}`], 'oclif'));
    expect(stamp.stderr).toContain(`INFO  [revise.runtime.migration] SQLite database stamped.db created at ${other}\n`);
    expect(await versionRows('sqlite', `file:${other}`)).toEqual(['r1']);
  }, 60_000);
});

// ---------------------------------------------------------------------------

describe('new revision files stay in their version folder', () => {
  let p: E2EProject;
  beforeAll(() => {
    p = makeProject({ provider: 'sqlite' });
  }, 60_000);
  afterAll(() => p?.cleanup());

  it.each([
    ['../../x', "Error: Invalid revision id '../../x': use only letters, digits and _"],
    ['a/b', "Error: Invalid revision id 'a/b': use only letters, digits and _"],
    ['a-b', "Error: Invalid revision id 'a-b': use only letters, digits and _"],
    ['has space', "Error: Invalid revision id 'has space': use only letters, digits and _"],
    ['x'.repeat(33), `Error: Invalid revision id '${'x'.repeat(33)}': at most 32 characters (alembic_version.version_num is VARCHAR(32))`],
    ['head', "Error: Revision identifier 'head' is a reserved word (the new revision)"],
  ])('--rev-id %s is refused with one line and writes nothing', async (revId, message) => {
    const before = listing(p.dir);
    expectFailure(await run(p, ['revision', '-m', 'x', '--rev-id', revId]), message);
    expect(listing(p.dir)).toEqual(before);
    // Where the file used to land (`../../x` put it in the project root, outside the version folder).
    expect(existsSync(resolve(p.versionsDir, `${revId}_x.ts`))).toBe(false);
  }, 60_000);

  it('autogenerate and merge check --rev-id before anything else (no database is opened)', async () => {
    const unreachable = 'postgresql://postgres:Secret@127.0.0.1:1/none';
    expectFailure(
      await run(p, ['autogenerate', '-m', 'x', '--rev-id', '../x', '--url', unreachable]),
      "Error: Invalid revision id '../x': use only letters, digits and _",
    );
    expectFailure(await run(p, ['merge', 'heads', '--rev-id', '../m']), "Error: Invalid revision id '../m': use only letters, digits and _");
  }, 60_000);

  it('a message full of path characters becomes a plain slug inside the folder', async () => {
    const result = expectSuccess(await run(p, ['revision', '-m', '../../escape/evil\\name', '--rev-id', 'slug0001']));
    expect(result.stdout).toBe(`  Generating ${join(p.versionsDir, 'slug0001_escape_evil_name.ts')} ...  done\n`);
    expect(readdirSync(p.versionsDir)).toContain('slug0001_escape_evil_name.ts');
  }, 60_000);

  it('--version-path outside the configured folders is refused', async () => {
    const before = listing(p.dir);
    expectFailure(
      await run(p, ['revision', '-m', 'x', '--version-path', '../elsewhere']),
      `Error: Path ${join(p.dir, '..', 'elsewhere')} is not represented in current version locations (${p.versionsDir})`,
    );
    expect(listing(p.dir)).toEqual(before);
    expect(existsSync(join(p.dir, '..', 'elsewhere'))).toBe(false);
  }, 60_000);
});
