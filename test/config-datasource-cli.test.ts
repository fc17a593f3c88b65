import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeRun, ensureBuilt, generatedFile, problemLines, rawTables, REPO_ROOT, runCli, versionRows, type CliResult } from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

/**
 * Prisma 5/6 projects through the real CLI: the database is the one the
 * schema's datasource names (`url` / `directUrl = env("...")`, `.env`),
 * SQLite paths relative to the schema's folder, a missing variable is an
 * error before anything is opened, retired preview features only warn.
 */

const projects: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'revise-datasource-cli-'));
  projects.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'prisma6-app', private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'prisma-revise'), 'dir');
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

function ok(run: CliResult): CliResult {
  expect(run.status, describeRun(run)).toBe(0);
  return run;
}

/** `*.db` files anywhere in the project (outside node_modules). */
function databaseFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.startsWith('node_modules') && /\.db$/.test(f))
    .sort();
}

const generator = (features: string) => `generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = [${features}]\n}\n`;
const models = 'model User {\n  id   Int    @id @default(autoincrement())\n  name String\n}\n';

beforeAll(() => ensureBuilt());
afterAll(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite, Prisma 6 style', () => {
  test('url = env("MY_DB") with MY_DB in .env migrates exactly prisma/dev.db (not ./local.db, not DATABASE_URL)', async () => {
    const dir = project({
      'prisma/schema.prisma': `${generator('')}\ndatasource db {\n  provider = "sqlite"\n  url      = env("MY_DB")\n}\n\n${models}`,
      '.env': 'MY_DB="file:./dev.db"\n',
    });
    // A DATABASE_URL naming another file: Prisma would never read it for this schema.
    const env = { DATABASE_URL: `file:${join(dir, 'wrong.db')}` };
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    ok(cli(['init']));
    const revision = generatedFile(ok(cli(['autogenerate', '-m', 'users'])));
    expect(revision).toBeDefined();
    ok(cli(['upgrade', 'head']));

    const devDb = `file:${join(dir, 'prisma', 'dev.db')}`;
    expect(databaseFiles(dir)).toEqual([join('prisma', 'dev.db')]);
    const rev = /([0-9a-f]{12})_users\.ts$/.exec(revision!)![1]!;
    expect(await versionRows('sqlite', devDb)).toEqual([rev]);
    expect(await rawTables('sqlite', devDb)).toEqual(['User', 'alembic_version']);

    const current = ok(cli(['current', '-v']));
    expect(current.stdout.startsWith(`Current revision(s) for ${devDb}:\n`)).toBe(true);
    expect(current.stderr).toContain(`INFO  [revise.config] Database URL ${devDb} from prisma/schema.prisma url = env("MY_DB") (from .env)\n`);
    expect(JSON.parse(ok(cli(['current', '--json'])).stdout)).toMatchObject({ url: devDb, urlSource: 'prisma/schema.prisma url = env("MY_DB") (from .env)' });

    // Reversible on that same file.
    ok(cli(['downgrade', 'base']));
    expect(await rawTables('sqlite', devDb)).toEqual(['alembic_version']);
    ok(cli(['upgrade', 'head']));
    expect(await versionRows('sqlite', devDb)).toEqual([rev]);
    expect(databaseFiles(dir)).toEqual([join('prisma', 'dev.db')]);
  });

  test('a variable the schema names but nobody sets: one-line error naming it, exit 1, no database file', () => {
    const dir = project({ 'prisma/schema.prisma': `datasource db {\n  provider = "sqlite"\n  url      = env("MY_DB")\n}\n\n${models}` });
    ok(runCli(['init'], { cwd: dir }));
    for (const args of [['upgrade', 'head'], ['autogenerate', '-m', 'x'], ['current']]) {
      const run = runCli(args, { cwd: dir, env: { DATABASE_URL: `file:${join(dir, 'fallback.db')}` } });
      expect(run.status, describeRun(run)).toBe(1);
      const problems = problemLines(run.stderr);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Error: MY_DB is not set \(prisma\/schema\.prisma url = env\("MY_DB"\); looked in the environment, \.env, prisma\/\.env\)$/);
    }
    expect(databaseFiles(dir)).toEqual([]);
  });

  test('retired preview features (metrics) warn once per run and the schema loads; unknown ones are Prisma\'s error', () => {
    const schema = (features: string) =>
      `${generator(features)}\ngenerator second {\n  provider        = "prisma-client-js"\n  previewFeatures = ["metrics"]\n}\n\ndatasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\n${models}`;
    const dir = project({ 'prisma/schema.prisma': schema('"metrics", "tracing", "omitApi", "driverAdapters"') });
    ok(runCli(['init'], { cwd: dir }));
    const run = ok(runCli(['autogenerate', '-m', 'users'], { cwd: dir }));
    const warnings = run.stderr.split('\n').filter((line) => line.includes('previewFeatures'));
    expect(warnings).toEqual(['WARN  [revise.schema] previewFeatures "metrics" (prisma/schema.prisma:3) is not a preview feature of Prisma 7 any more; ignored']);
    expect(problemLines(run.stderr)).toEqual([]);
    ok(runCli(['upgrade', 'head'], { cwd: dir }));
    expect(existsSync(join(dir, 'prisma', 'dev.db'))).toBe(true);

    writeFileSync(join(dir, 'prisma', 'schema.prisma'), schema('"metrics", "notAFeatureEver"'));
    const bad = runCli(['autogenerate', '-m', 'bad'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(problemLines(bad.stderr)).toEqual([
      'Error: invalid Prisma schema: The preview feature "notAFeatureEver" is not known. Expected one of: nativeDistinct, partialIndexes, postgresqlExtensions, relationJoins, schemaEngineDriverAdapters, shardKeys, strictUndefinedChecks, typedSql, views (prisma/schema.prisma:3)',
    ]);
  });
});

describe('SQLite, Prisma 7 style', () => {
  test("prisma.config.ts datasource.url = env('DB_URL'): file:./dev.db is beside prisma.config.ts, not in prisma/", async () => {
    const dir = project({
      'prisma/schema.prisma': `datasource db {\n  provider = "sqlite"\n}\n\n${models}`,
      'prisma.config.ts':
        "import 'dotenv/config';\nimport { defineConfig, env } from 'prisma/config';\n\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: {\n    url: env('DB_URL'),\n  },\n});\n",
      '.env': 'DB_URL="file:./dev.db"\n',
    });
    const cli = (args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: `file:${join(dir, 'wrong.db')}` } });
    ok(cli(['init']));
    ok(cli(['autogenerate', '-m', 'users']));
    ok(cli(['upgrade', 'head']));
    expect(databaseFiles(dir)).toEqual(['dev.db']);
    expect(await rawTables('sqlite', `file:${join(dir, 'dev.db')}`)).toEqual(['User', 'alembic_version']);
    expect(ok(cli(['current', '-v'])).stderr).toContain("from prisma.config.ts datasource.url = env('DB_URL') (from .env)");
  });
});

describe('PostgreSQL, Prisma 6 style', async () => {
  const available = await pgAvailable();
  let db: TempDatabase;
  beforeAll(async () => {
    if (available) db = await createTempDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test.skipIf(!available)('directUrl is preferred over url: url points at a closed port, directUrl at the test database', async () => {
    const dir = project({
      'prisma/schema.prisma': `datasource db {\n  provider  = "postgresql"\n  url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")\n}\n\n${models}`,
      '.env': `DATABASE_URL="postgresql://postgres:pooler-secret@127.0.0.1:1/${db.name}?pgbouncer=true"\nDIRECT_URL="${db.url}"\n`,
    });
    const cli = (args: string[]) => runCli(args, { cwd: dir });
    ok(cli(['init']));
    const revision = generatedFile(ok(cli(['autogenerate', '-m', 'users'])));
    ok(cli(['upgrade', 'head']));
    const rev = /([0-9a-f]{12})_users\.ts$/.exec(revision!)![1]!;
    expect(await versionRows('postgresql', db.url)).toEqual([rev]);
    expect(await rawTables('postgresql', db.url)).toEqual(['User', 'alembic_version']);
    const current = ok(cli(['current', '-v']));
    expect(current.stderr).toContain('from prisma/schema.prisma directUrl = env("DIRECT_URL") (from .env)');

    // Without directUrl the same project reaches for url, the closed port: refused, its password hidden.
    writeFileSync(join(dir, 'prisma', 'schema.prisma'), `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n${models}`);
    const refused = cli(['current']);
    expect(refused.status).toBe(1);
    expect(problemLines(refused.stderr)).toEqual([
      `Error: could not connect to PostgreSQL at 127.0.0.1:1: connection refused (is the server running and listening there?) [postgresql://postgres:****@127.0.0.1:1/${db.name}?pgbouncer=true]`,
    ]);
  });
});
