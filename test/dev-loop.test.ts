/**
 * `revise dev`: after editing schema.prisma, one command brings the database
 * to head, autogenerates a revision (warnings shown), upgrades to it and runs
 * `prisma generate` when the project has a client generator and the CLI.
 * `--amend` replaces the last revision, applied only here and not committed,
 * by one regenerated from the current schema under the same id.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRun, makeProject, withDb, type E2EProject } from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const pg = await pgAvailable();
/** A real prisma CLI (Prisma 7 generates offline with PRISMA_SCHEMA_ENGINE_BINARY=/bin/true): this repository's devDependency, or REVISE_TEST_PRISMA_CLI. */
const REPO_PRISMA = join(import.meta.dirname, '..', 'node_modules', '.bin', 'prisma');
const PRISMA_CLI = process.env.REVISE_TEST_PRISMA_CLI ?? (existsSync(REPO_PRISMA) ? REPO_PRISMA : undefined);
if (!PRISMA_CLI) console.warn('dev-loop: no prisma CLI (npm ci, or set REVISE_TEST_PRISMA_CLI), the prisma generate case is skipped');
if (!pg) console.warn('dev-loop: no PostgreSQL on 127.0.0.1:5432, the PostgreSQL cases are skipped');

const V1 = `
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}`;
const TYPO = V1.replace('  email String @unique\n', '  email String @unique\n  nmae  String?\n');
const FIXED = V1.replace('  email String @unique\n', '  email String @unique\n  name  String?\n');

function suite(provider: 'sqlite' | 'postgresql') {
  let p: E2EProject;
  let database: TempDatabase | undefined;
  const columns = () =>
    withDb(provider, p.url, (db) =>
      db.query<{ name: string }>(
        provider === 'sqlite'
          ? `SELECT name FROM pragma_table_info('User') ORDER BY cid`
          : `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'User' ORDER BY ordinal_position`,
      ),
    ).then((rows) => rows.map((r) => r.name));
  const versions = () => readdirSync(p.versionsDir).filter((f) => f.endsWith('.ts')).sort();

  afterAll(async () => {
    p?.cleanup();
    await database?.drop();
  });

  it('dev autogenerates, upgrades, and shows the warnings', async () => {
    if (provider === 'postgresql') database = await createTempDatabase();
    p = makeProject({ provider, ...(database ? { url: database.url } : {}) });
    p.writeSchema(V1);
    const first = p.cli(['dev', '-m', 'users']);
    expect(first.status, describeRun(first)).toBe(0);
    expect(first.stderr).toMatch(/Detected added table 'User'/);
    expect(first.stderr).toMatch(/Running upgrade {2}-> \w+, users/);
    expect(await columns()).toEqual(['id', 'email']);
    // No client generator in this schema: nothing to generate, nothing said about it.
    expect(first.stderr).not.toMatch(/prisma generate/);

    p.writeSchema(TYPO);
    const second = p.cli(['dev', '-m', 'user name']);
    expect(second.status, describeRun(second)).toBe(0);
    expect(await columns()).toEqual(['id', 'email', 'nmae']);
    expect(versions()).toHaveLength(2);

    // A risky change: the warning is shown before the upgrade runs.
    p.writeSchema(V1);
    const drop = p.cli(['dev', '-m', 'drop nmae']);
    expect(drop.status, describeRun(drop)).toBe(0);
    expect(drop.stderr).toMatch(/WARN {2}\[revise\.autogenerate\.compare\] .*nmae/);
    expect(await columns()).toEqual(['id', 'email']);
    // Changed one's mind: back to the schema before it, an amend finds nothing to write and the revision goes.
    p.writeSchema(TYPO);
    const undo = p.cli(['dev', '--amend']);
    expect(undo.status, describeRun(undo)).toBe(0);
    expect(undo.stderr).toMatch(/no longer differs from the revision before it/);
    expect(versions()).toHaveLength(2);
    expect(await columns()).toEqual(['id', 'email', 'nmae']);
  });

  it('dev --amend fixes a wrong autogenerate in place: same id, the new column, nothing left of the old one', async () => {
    const before = versions();
    const last = before.find((f) => f.includes('user_name'))!;
    p.writeSchema(FIXED);
    const amend = p.cli(['dev', '--amend']);
    expect(amend.status, describeRun(amend)).toBe(0);
    expect(amend.stderr).toMatch(/Running downgrade \w+ -> \w+, user name/);
    expect(versions()).toEqual(before);
    const text = readFileSync(join(p.versionsDir, last), 'utf8');
    expect(text).toMatch(/'name'/);
    expect(text).not.toMatch(/nmae/);
    expect(text).toMatch(/^ \* user name$/m);
    expect(await columns()).toEqual(['id', 'email', 'name']);
    const check = p.cli(['check']);
    expect(check.stdout, describeRun(check)).toContain('No new upgrade operations detected.');
  });

  it('dev --amend refuses a committed revision, and one the database is not at', () => {
    const git = (...args: string[]) => spawnSync('git', args, { cwd: p.dir, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    git('add', '-A');
    expect(git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'revisions').status).toBe(0);
    p.writeSchema(V1);
    const committed = p.cli(['dev', '--amend']);
    expect(committed.status).toBe(1);
    expect(committed.stderr).toMatch(/is committed \(\w+\), so others may have applied it; write a new revision instead/);
    expect(p.cli(['downgrade', '-1']).status).toBe(0);
    const behind = p.cli(['dev', '--amend']);
    expect(behind.status).toBe(1);
    expect(behind.stderr).toMatch(/the database is at \w+, not at the last revision \w+; nothing to amend/);
    // Nothing was touched by the refusals.
    expect(p.cli(['upgrade', 'head']).status).toBe(0);
  });
}

describe('revise dev and prisma generate', () => {
  let p: E2EProject | undefined;
  afterAll(() => p?.cleanup());
  const GENERATOR = `generator client {\n  provider = "prisma-client"\n  output   = "../generated/prisma"\n}\n`;

  it('with a client generator but no prisma CLI, says so and still migrates', () => {
    p = makeProject({ provider: 'sqlite' });
    p.writeSchema(`${GENERATOR}${V1}`);
    const run = p.cli(['dev', '-m', 'users']);
    expect(run.status, describeRun(run)).toBe(0);
    expect(run.stderr).toMatch(/has a Prisma Client generator but the project has no prisma CLI/);
    expect(p.cli(['current']).stdout).toMatch(/\(head\)/);
  });

  it.skipIf(!PRISMA_CLI)("runs the project's prisma generate after the upgrade; --no-generate skips it", () => {
    mkdirSync(join(p!.dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(PRISMA_CLI!, join(p!.dir, 'node_modules', '.bin', 'prisma'));
    const env = { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' };
    p!.writeSchema(`${GENERATOR}${FIXED}`);
    const skipped = p!.cli(['dev', '-m', 'name', '--no-generate'], env);
    expect(skipped.status, describeRun(skipped)).toBe(0);
    expect(existsSync(join(p!.dir, 'generated', 'prisma'))).toBe(false);
    p!.writeSchema(`${GENERATOR}${FIXED.replace('  name  String?\n', '  name  String?\n  age   Int?\n')}`);
    const run = p!.cli(['dev', '-m', 'age'], env);
    expect(run.status, describeRun(run)).toBe(0);
    expect(run.stderr).toMatch(/Running upgrade \w+ -> \w+, age[\s\S]*Running prisma generate/);
    // The client knows the new column.
    expect(readFileSync(join(p!.dir, 'generated', 'prisma', 'models', 'User.ts'), 'utf8')).toMatch(/\bage\b/);
    rmSync(join(p!.dir, 'generated'), { recursive: true, force: true });
  });
});

describe('revise dev on SQLite', () => suite('sqlite'));
describe.skipIf(!pg)('revise dev on PostgreSQL', () => suite('postgresql'));
