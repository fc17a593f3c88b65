/**
 * Failures through the real CLI: each one prints exactly one line on stderr
 * (no stack), exits non-zero, and leaves the database as it was (introspected
 * model, table list and alembic_version compared before/after).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeRun,
  makeProject,
  problemLines,
  rawTables,
  snapshot,
  writeRevision,
  type CliResult,
  type E2EProject,
  type Provider,
} from './support/e2e.ts';
import { adminUrl, createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();

const SCHEMA = `model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}`;
const BASE_REV = 'e0000000base';

/** Exactly one `Error: ...` line matching `pattern`, no stack lines, non-zero exit. */
function expectOneLineFailure(run: CliResult, pattern: RegExp): string {
  expect(run.status, describeRun(run)).not.toBe(0);
  expect(run.status, describeRun(run)).not.toBe(-1);
  const problems = problemLines(run.stderr);
  expect(problems, describeRun(run)).toHaveLength(1);
  expect(problems[0]).toMatch(/^Error: /);
  expect(problems[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  return problems[0]!;
}

const providers: Array<{ provider: Provider; enabled: boolean }> = [
  { provider: 'sqlite', enabled: true },
  { provider: 'postgresql', enabled: available },
];

describe.each(providers)('CLI failures on $provider', ({ provider, enabled }) => {
  let p: E2EProject;
  let db: TempDatabase | undefined;
  /** Files a test adds, removed after it so each test starts from the base revision. */
  const added: string[] = [];

  beforeAll(async () => {
    if (!enabled) return;
    if (provider === 'postgresql') db = await createTempDatabase();
    p = makeProject({ provider, ...(db ? { url: db.url } : {}) });
    p.writeSchema(SCHEMA);
    const gen = p.cli(['autogenerate', '-m', 'users', '--rev-id', BASE_REV]);
    const up = p.cli(['upgrade', 'head']);
    if (gen.status !== 0 || up.status !== 0) throw new Error(describeRun(gen) + describeRun(up));
    await p.cli(['check']);
  }, 180_000);

  afterAll(async () => {
    p?.cleanup();
    await db?.drop();
  });

  /** Runs `fail` and checks it changed nothing in the database. */
  async function untouched(fail: () => CliResult): Promise<CliResult> {
    const before = await snapshot(provider, p.url);
    expect(before.versions).toEqual([BASE_REV]);
    const run = fail();
    expect(await snapshot(provider, p.url)).toEqual(before);
    return run;
  }

  function cleanupAdded(): void {
    for (const path of added.splice(0)) rmSync(path, { force: true });
  }

  it.skipIf(!enabled)('schema syntax error during autogenerate: Prisma message with the line number', async () => {
    p.writeSchema(`${SCHEMA}\n\nmodel Broken {\n  id Int @id\n  name String @unknownAttribute\n}`);
    const files = p.revisionFiles().length;
    try {
      const run = await untouched(() => p.cli(['autogenerate', '-m', 'broken']));
      const line = expectOneLineFailure(run, /unknownAttribute/);
      // The attribute is on line 12 of the file (datasource block, blank line, then the models).
      expect(line).toMatch(/schema\.prisma:12\b|line 12\b/);
      expect(p.revisionFiles()).toHaveLength(files);
    } finally {
      p.writeSchema(SCHEMA);
    }
  });

  it.skipIf(!enabled)('unknown revision', async () => {
    const run = await untouched(() => p.cli(['upgrade', 'deadbeef0000']));
    expectOneLineFailure(run, /Can't locate revision identified by 'deadbeef0000'/);
  });

  it.skipIf(!enabled)('ambiguous prefix lists the candidates', async () => {
    added.push(writeRevision(p, 'abc100000000', BASE_REV, `await op.execute('CREATE TABLE "t1" ("id" INTEGER)');`));
    added.push(writeRevision(p, 'abc200000000', 'abc100000000', `await op.execute('CREATE TABLE "t2" ("id" INTEGER)');`));
    try {
      const run = await untouched(() => p.cli(['upgrade', 'abc']));
      const line = expectOneLineFailure(run, /Multiple revisions start with 'abc'/);
      expect(line).toContain('abc100000000');
      expect(line).toContain('abc200000000');
    } finally {
      cleanupAdded();
    }
  });

  it.skipIf(!enabled)('missing revision file (a downRevision that names no file)', async () => {
    added.push(writeRevision(p, 'orphan000001', 'ffff00000000', `await op.execute('CREATE TABLE "t3" ("id" INTEGER)');`));
    try {
      const run = await untouched(() => p.cli(['upgrade', 'head']));
      expectOneLineFailure(run, /ffff00000000/);
    } finally {
      cleanupAdded();
    }
  });

  it.skipIf(!enabled)('a revision whose upgrade throws halfway is rolled back', async () => {
    added.push(
      writeRevision(
        p,
        'half00000001',
        BASE_REV,
        `await op.createTable({ name: 'half', columns: [{ name: 'id', type: 'INTEGER', nullable: false }] });
  await op.execute('INSERT INTO "User" ("email") VALUES (\\'x@x.io\\')');
  await op.addColumn('User', { name: 'extra', type: 'TEXT', nullable: true });
  throw new Error('boom halfway');`,
      ),
    );
    try {
      const run = await untouched(() => p.cli(['upgrade', 'head']));
      expectOneLineFailure(run, /^Error: Revision half00000001 .*failed: .*boom halfway.*rolled back/);
      expect(await rawTables(provider, p.url)).not.toContain('half');
    } finally {
      cleanupAdded();
    }
  });

  it.skipIf(!enabled)('bad database URL scheme', async () => {
    const run = await untouched(() => p.cli(['upgrade', 'head', '--url', 'mysql://root:hunter2@localhost/app']));
    const line = expectOneLineFailure(run, /mysql/);
    expect(line).not.toContain('hunter2');
  });
});

describe.skipIf(!available)('CLI failures reaching PostgreSQL', () => {
  let p: E2EProject;
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
    p = makeProject({ provider: 'postgresql', url: db.url });
    p.writeSchema(SCHEMA);
    const gen = p.cli(['autogenerate', '-m', 'users', '--rev-id', BASE_REV]);
    const up = p.cli(['upgrade', 'head']);
    if (gen.status !== 0 || up.status !== 0) throw new Error(describeRun(gen) + describeRun(up));
  }, 180_000);
  afterAll(async () => {
    p?.cleanup();
    await db?.drop();
  });

  it('unreachable port: one line, the password never printed', async () => {
    const before = await snapshot('postgresql', p.url);
    const url = `postgresql://postgres:S3cretPassw0rd@127.0.0.1:1/${db.name}`;
    for (const args of [['upgrade', 'head'], ['current'], ['autogenerate', '-m', 'x']]) {
      const run = p.cli([...args, '--url', url]);
      const line = expectOneLineFailure(run, /127\.0\.0\.1:1|ECONNREFUSED|connect/i);
      expect(run.stdout + run.stderr).not.toContain('S3cretPassw0rd');
      expect(line).not.toContain('S3cretPassw0rd');
    }
    expect(await snapshot('postgresql', p.url)).toEqual(before);
  });

  it('missing database: one line naming it, and nothing created', async () => {
    const missing = `revise_missing_${db.name.slice(-8)}`;
    const url = new URL(adminUrl);
    url.pathname = `/${missing}`;
    url.password = 'An0therSecret';
    const before = await snapshot('postgresql', p.url);
    const run = p.cli(['upgrade', 'head', '--url', url.toString()]);
    const line = expectOneLineFailure(run, new RegExp(missing));
    expect(line).not.toContain('An0therSecret');
    expect(await snapshot('postgresql', p.url)).toEqual(before);
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const rows = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [missing])).rows;
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
