/**
 * `revise test`: pytest-alembic's checks on a scratch database revise
 * creates and drops. A sound history passes (text, --json, --junit); each
 * kind of broken history fails the check that names its revision file and
 * what differed; irreversible revisions are skipped, not failed; with rows
 * (made up, or a .sql / .ts seed) lost rows fail. The project's own
 * database is never migrated.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRun, generatedFile, makeProject, withDb, writeRevision, type E2EProject } from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';
import { admin, createTempMysqlDatabase, mysqlAvailable } from './support/mysql.ts';

const pg = await pgAvailable();
if (!pg) console.warn('migration-test: no PostgreSQL on 127.0.0.1:5432, the PostgreSQL cases are skipped');

const V1 = `
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}`;

/** A NOT NULL column with no default (added nullable, back-filled by the hook, then NOT NULL) and a dropped one. */
const V2 = V1.replace('  name  String?\n', '  handle String\n');

interface Report {
  results: Array<{ check: string; revision?: string; file?: string; status: string; message?: string; notes?: string[] }>;
}

function suite(provider: 'sqlite' | 'postgresql') {
  let p: E2EProject;
  let database: TempDatabase | undefined;
  const json = (args: string[] = []) => {
    const run = p.cli(['test', '--json', ...args]);
    return { run, report: JSON.parse(run.stdout) as Report };
  };
  const find = (report: Report, check: string, revision?: string) => report.results.find((r) => r.check === check && (revision === undefined || r.revision === revision));

  afterAll(async () => {
    p?.cleanup();
    await database?.drop();
  });

  it('a sound history passes every check, and the project database is left alone', async () => {
    if (provider === 'postgresql') database = await createTempDatabase();
    p = makeProject({ provider, ...(database ? { url: database.url } : {}) });
    p.writeSchema(V1);
    const v1 = p.cli(['revision', '--autogenerate', '-m', 'initial', '--rev-id', 'aaaa00000001']);
    expect(v1.status, describeRun(v1)).toBe(0);
    p.writeSchema(V2);
    // Autogenerate compares with an up-to-date database: build one elsewhere, keep the project's own empty.
    const scratchUrl = provider === 'sqlite' ? `file:${join(p.dir, 'dev.db')}` : undefined;
    const devDb = provider === 'postgresql' ? await createTempDatabase() : undefined;
    const devUrl = scratchUrl ?? devDb!.url;
    try {
      expect(p.cli(['upgrade', 'head', '--url', devUrl]).status).toBe(0);
      const v2 = p.cli(['revision', '--autogenerate', '-m', 'handle', '--rev-id', 'bbbb00000002', '--url', devUrl]);
      expect(v2.status, describeRun(v2)).toBe(0);
      // The back-fill a careful author writes: every user gets a handle before it becomes NOT NULL.
      const file = generatedFile(v2)!;
      const text = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        text
          .replace("const upgradeData: DataHook<UpgradeTables> = () => Promise.resolve();", "const upgradeData: DataHook<UpgradeTables> = async (_op, db) => {\n  await db.updateTable('User').set((eb) => ({ handle: eb.ref('email') })).execute();\n};")
          .replace("const downgradeData: DataHook<DowngradeTables> = () => Promise.resolve();", "const downgradeData: DataHook<DowngradeTables> = async (_op, db) => {\n  await db.updateTable('User').set((eb) => ({ name: eb.ref('handle') })).execute();\n};"),
      );
    } finally {
      await devDb?.drop();
    }

    const run = p.cli(['test', '--junit', 'revise-test.xml']);
    expect(run.status, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(/^PASS {2}single-head$/m);
    expect(run.stdout).toMatch(/^PASS {2}stairway bbbb00000002 \(migrations\/versions\/bbbb00000002_handle\.ts\)$/m);
    expect(run.stdout).toMatch(/^6 passed, 0 failed, 0 skipped$/m);
    const junit = readFileSync(join(p.dir, 'revise-test.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="revise test" tests="6" failures="0" errors="0" skipped="0"/);
    expect(junit).toContain('file="migrations/versions/aaaa00000001_initial.ts"');

    const { report } = json(['--seed', 'generated']);
    expect(report.results.map((r) => [r.check, r.revision, r.status].filter(Boolean).join(' '))).toEqual([
      'single-head passed',
      'upgrade-head passed',
      'models-match passed',
      'downgrade-base passed',
      'stairway aaaa00000001 passed',
      'stairway bbbb00000002 passed',
    ]);
    // Rows were made up at the second step, and survived the NOT NULL back-fill and the dropped column's return.
    expect(find(report, 'stairway', 'bbbb00000002')!.notes!.join('\n')).toMatch(/rows made up for "User", "Post"/);
    // The dropped column comes back filled by the downgrade hook (from handle), not with its old values: a note, not a failure.
    expect(find(report, 'stairway', 'bbbb00000002')!.notes!.join('\n')).toMatch(/values not restored by the downgrade: "User": 3 row\(s\) differ in "name"$/m);

    // The project's own database was never migrated (SQLite: no file; PostgreSQL: no tables), and the scratch one is gone.
    if (provider === 'sqlite') expect(existsSync(join(p.dir, 'app.db'))).toBe(false);
    else {
      const own = await withDb('postgresql', database!.url, (db) => db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"));
      expect(own).toEqual([]);
      const scratch = /Scratch database \S+\/(revise_test_[0-9a-f]+)/.exec(run.stderr)?.[1];
      expect(scratch, run.stderr).toBeDefined();
      const left = await withDb('postgresql', database!.url, (db) => db.query('SELECT datname FROM pg_database WHERE datname = $1', [scratch]));
      expect(left).toEqual([]);
    }
  });

  it('a seed file (SQL, then TypeScript) runs at head; every revision down and up again keeps its rows', () => {
    writeFileSync(join(p.dir, 'seed.sql'), `INSERT INTO "User" ("email", "handle") VALUES ('a@example.com', 'a'), ('b@example.com', 'b');\nINSERT INTO "Post" ("title", "authorId") VALUES ('hello', 1);\n`);
    const sql = json(['--seed', 'seed.sql']);
    expect(sql.run.status, describeRun(sql.run)).toBe(0);
    expect(find(sql.report, 'seed')!.status).toBe('passed');
    expect(find(sql.report, 'data', 'bbbb00000002')!.status).toBe('passed');
    writeFileSync(
      join(p.dir, 'seed.ts'),
      `export default async function seed({ execute, dialect }: { execute(sql: string, params?: unknown[]): Promise<void>; dialect: string }): Promise<void> {
  const mark = dialect === 'sqlite' ? '?' : '$1';
  await execute(\`INSERT INTO "User" ("email", "handle") VALUES (\${mark}, 'c')\`, ['c@example.com']);
}\n`,
    );
    const ts = json(['--seed', 'seed.ts']);
    expect(ts.run.status, describeRun(ts.run)).toBe(0);
    expect(find(ts.report, 'data', 'bbbb00000002')!.status).toBe('passed');
  });

  it('a downgrade that leaves a table behind fails its stairway step, naming the file and the table', () => {
    writeRevision(p, 'cccc00000003', 'bbbb00000002', "await op.execute('CREATE TABLE \"Leftover\" (\"id\" INTEGER PRIMARY KEY)');", '');
    const { run, report } = json();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/revise test: \d check\(s\) failed/);
    const step = find(report, 'stairway', 'cccc00000003')!;
    expect(step).toMatchObject({ status: 'failed', file: 'migrations/versions/cccc00000003_hand.ts' });
    expect(step.message).toMatch(/the downgrade left a trace .*'Leftover'/);
    // The models no longer match either: Leftover is not in the schema.
    expect(find(report, 'models-match')!.message).toMatch(/Leftover/);
  });

  it('an upgrade that fails names its revision and file, the database being the scratch one', () => {
    writeRevision(p, 'cccc00000003', 'bbbb00000002', "await op.execute('CREATE TABLE \"Broken\" (');", '');
    const { run, report } = json();
    expect(run.status).toBe(1);
    expect(find(report, 'upgrade-head')).toMatchObject({ status: 'failed', revision: 'cccc00000003', file: 'migrations/versions/cccc00000003_hand.ts' });
    expect(find(report, 'upgrade-head')!.message).toMatch(/Revision cccc00000003 failed: .*cccc00000003_hand\.ts:\d+/);
  });

  it('a downgrade that deletes rows passes without rows and fails with them', () => {
    writeRevision(p, 'cccc00000003', 'bbbb00000002', '', `await op.execute('DELETE FROM "Post"');`);
    expect(p.cli(['test']).status).toBe(0);
    const { run, report } = json(['--seed', 'generated']);
    expect(run.status).toBe(1);
    expect(find(report, 'stairway', 'cccc00000003')!.message).toMatch(/up \+ down lost rows: "Post" had 3 row\(s\), now 0/);
  });

  it('an irreversible revision is reported, not failed; two heads fail single-head unless --heads names them', () => {
    const path = writeRevision(p, 'cccc00000003', 'bbbb00000002', '', '');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\nexport const irreversible = 'merges accounts';\n`);
    const { run, report } = json();
    expect(run.status, describeRun(run)).toBe(0);
    expect(find(report, 'downgrade-base')).toMatchObject({ status: 'skipped' });
    expect(find(report, 'downgrade-base')!.message).toMatch(/irreversible: cccc00000003 .*merges accounts/);

    writeRevision(p, 'cccc00000003', 'bbbb00000002', '', '');
    writeRevision(p, 'dddd00000004', 'bbbb00000002', '', '');
    const twoHeads = json();
    expect(twoHeads.run.status).toBe(1);
    expect(find(twoHeads.report, 'single-head')!.message).toMatch(/2 heads \(.*cccc00000003.*\)/);
    const named = json(['--heads', 'cccc00000003', '--heads', 'dddd00000004']);
    expect(find(named.report, 'single-head')!.status).toBe('passed');
  });
}

describe('revise test on SQLite', () => suite('sqlite'));
describe.skipIf(!pg)('revise test on PostgreSQL', () => suite('postgresql'));

describe('revise test in a multidb project', () => {
  it('runs the checks for each database on its own scratch database, its checks named by the database', () => {
    const p = makeProject({ provider: 'sqlite', noInit: true });
    try {
      expect(p.cli(['init', '--template', 'multidb', '--database', 'catalog', '--database', 'monitoring']).status).toBe(0);
      writeFileSync(join(p.dir, 'prisma', 'catalog.prisma'), 'datasource db {\n  provider = "sqlite"\n}\n\nmodel Product {\n  id   Int    @id\n  name String\n}\n');
      writeFileSync(join(p.dir, 'prisma', 'monitoring.prisma'), 'datasource db {\n  provider = "sqlite"\n}\n\nmodel Metric {\n  id    Int   @id\n  value Float\n}\n');
      const env = { CATALOG_DATABASE_URL: `file:${join(p.dir, 'catalog.db')}`, MONITORING_DATABASE_URL: `file:${join(p.dir, 'monitoring.db')}` };
      expect(p.cli(['autogenerate', '-m', 'initial'], env).status).toBe(0);
      const run = p.cli(['test', '--seed', 'generated'], env);
      expect(run.status, describeRun(run)).toBe(0);
      expect(run.stdout).toMatch(/^PASS {2}catalog: stairway \w+ \(migrations\/versions\/\w+_initial\.ts\)$/m);
      expect(run.stdout).toMatch(/^PASS {2}monitoring: models-match$/m);
      expect(run.stdout).toMatch(/^10 passed, 0 failed, 0 skipped$/m);
      // Neither configured database was created.
      expect(existsSync(join(p.dir, 'catalog.db')) || existsSync(join(p.dir, 'monitoring.db'))).toBe(false);
    } finally {
      p.cleanup();
    }
  });
});

const mysqlUp = await mysqlAvailable();
if (!mysqlUp) console.warn('migration-test: no MySQL / MariaDB on 127.0.0.1:3306, the MySQL case is skipped');

describe.skipIf(!mysqlUp)('revise test on MySQL / MariaDB', () => {
  it('passes a sound history with made-up rows on a scratch database it drops, the project database untouched', async () => {
    const database = await createTempMysqlDatabase();
    const p = makeProject({ provider: 'mysql', url: database.url });
    try {
      p.writeSchema(V1.replace('  email String  @unique', '  email String  @unique @db.VarChar(100)\n  role  Role    @default(USER)') + '\n\nenum Role {\n  USER\n  ADMIN\n}');
      expect(p.cli(['revision', '--autogenerate', '-m', 'initial', '--rev-id', 'aaaa00000001']).status).toBe(0);
      const run = p.cli(['test', '--seed', 'generated', '--json']);
      expect(run.status, describeRun(run)).toBe(0);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.results.every((r) => r.status === 'passed')).toBe(true);
      const scratch = /Scratch database \S+\/(revise_test_[0-9a-f]+)/.exec(run.stderr)?.[1];
      expect(scratch, run.stderr).toBeDefined();
      expect(await admin((c) => c.query('SHOW DATABASES LIKE ?', [scratch]).then(([rows]) => rows))).toEqual([]);
      expect(await admin((c) => c.query('SHOW TABLES').then(([rows]) => rows), database.name)).toEqual([]);
    } finally {
      p.cleanup();
      await database.drop();
    }
  });
});
