import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNodeAsync } from './support/e2e.ts';
import { createTempDatabase, pgAvailable } from './support/postgres.ts';

/**
 * Several processes running `upgrade head` at once against one SQLite file
 * (replicas starting together): every revision is applied exactly once and
 * every process exits 0. The driver is runner.ts bundled with esbuild into a
 * plain .mjs so child processes need no TypeScript loader.
 */

const REPO = resolve(import.meta.dirname, '..');
let work: string;
let driver: string;
let guard: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'revise-rt-conc-'));
  const cacheDir = join(REPO, 'node_modules', '.cache', 'revise-rt-test');
  mkdirSync(cacheDir, { recursive: true });
  driver = join(cacheDir, `driver-${process.pid}.mjs`);
  const entry = join(work, 'driver.ts');
  writeFileSync(
    entry,
    `import { openMigrationEnv, runUpgrade } from ${JSON.stringify(join(REPO, 'src/runtime/runner.ts'))};
const [cwd, url] = process.argv.slice(2);
try {
  const env = await openMigrationEnv({ cwd, url });
  await runUpgrade(env, 'head', { out: (l) => console.log(l), log: (l) => console.error(l), lockTimeoutMs: 30000 });
} catch (error) {
  console.error('ERROR ' + (error instanceof Error ? error.message : String(error)));
  process.exit(1);
}
`,
  );
  await build({ entryPoints: [entry], outfile: driver, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  // A resolve hook that makes esbuild and @prisma/* unimportable: a no-op upgrade must not need them.
  guard = join(cacheDir, `guard-${process.pid}.mjs`);
  const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'esbuild' || specifier.startsWith('@prisma/')) throw new Error('forbidden import on this path: ' + specifier);
  return next(specifier, context);
}`;
  writeFileSync(guard, `import { register } from 'node:module';\nregister(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))});\n`);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(driver, { force: true });
  rmSync(guard, { force: true });
});

const run = (args: string[], nodeArgs: string[] = []) => runNodeAsync([...nodeArgs, driver, ...args]);

function project(name: string): { root: string; url: string; file: string } {
  const root = join(work, name);
  const versions = join(root, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  const revisions: Array<[string, string | null, string]> = [
    ['a1a1a1a1a1a1', null, `await op.execute('CREATE TABLE "applied" ("rev" TEXT NOT NULL, "pid" INTEGER NOT NULL)');`],
    ['b2b2b2b2b2b2', 'a1a1a1a1a1a1', `await op.createTable({ name: 't2', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });`],
    ['c3c3c3c3c3c3', 'b2b2b2b2b2b2', `await new Promise((r) => setTimeout(r, 150)); await op.addColumn('t2', { name: 'note', type: 'TEXT', nullable: true });`],
  ];
  for (const [id, down, body] of revisions) {
    writeFileSync(
      join(versions, `${id}_step.ts`),
      `/** step ${id} */
import type { MigrationOps } from 'prisma-revise';
export const revision = '${id}';
export const downRevision: string | null = ${down ? `'${down}'` : 'null'};
export async function upgrade(op: MigrationOps): Promise<void> {
  ${body}
  await op.execute('INSERT INTO "applied" ("rev", "pid") VALUES (?, ?)', ['${id}', process.pid]);
}
export async function downgrade(op: MigrationOps): Promise<void> {}
`,
    );
  }
  const file = join(root, 'dev.db');
  return { root, url: `file:${file}`, file };
}

describe('concurrent upgrade head (SQLite)', () => {
  it('applies each revision exactly once across 6 processes, all exiting 0', async () => {
    const p = project('race');
    const results = await Promise.all(Array.from({ length: 6 }, () => run([p.root, p.url])));
    for (const r of results) expect(r, r.stderr).toMatchObject({ status: 0 });
    const db = new Database(p.file, { readonly: true });
    const applied = db.prepare('SELECT rev, count(*) AS n FROM applied GROUP BY rev ORDER BY rev').all();
    const versions = db.prepare('SELECT version_num FROM alembic_version').all();
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('t2')`).all() as Array<{ name: string }>).map((c) => c.name);
    db.close();
    expect(applied).toEqual([
      { rev: 'a1a1a1a1a1a1', n: 1 },
      { rev: 'b2b2b2b2b2b2', n: 1 },
      { rev: 'c3c3c3c3c3c3', n: 1 },
    ]);
    expect(versions).toEqual([{ version_num: 'c3c3c3c3c3c3' }]);
    expect(columns).toEqual(['id', 'note']);
    // Exactly one process did the work; the others found nothing to do and printed nothing.
    const workers = results.filter((r) => r.stderr.includes('Running upgrade'));
    expect(workers).toHaveLength(1);
  }, 60_000);

  it('a no-op upgrade loads neither esbuild nor @prisma/*', async () => {
    const p = project('noop');
    const guarded = ['--import', guard];
    // With work to do, the guard bites (it proves the guard works)...
    const first = await run([p.root, p.url], guarded);
    expect(first.status).toBe(1);
    expect(first.stderr).toContain('forbidden import on this path: esbuild');
    // ...after a real run, the no-op run passes under the same guard.
    expect((await run([p.root, p.url])).status).toBe(0);
    const noop = await run([p.root, p.url], guarded);
    expect(noop, noop.stderr).toMatchObject({ status: 0, stderr: '', stdout: '' });
  }, 60_000);
});

describe.skipIf(!(await pgAvailable()))('concurrent upgrade head (PostgreSQL)', () => {
  it('applies each revision exactly once across 6 processes, all exiting 0', async () => {
    const p = project('race-pg');
    const db = await createTempDatabase();
    try {
      // PostgreSQL spelling of the log insert's markers.
      for (const id of ['a1a1a1a1a1a1', 'b2b2b2b2b2b2', 'c3c3c3c3c3c3']) {
        const file = join(p.root, 'migrations', 'versions', `${id}_step.ts`);
        writeFileSync(file, readFileSync(file, 'utf8').replace('VALUES (?, ?)', 'VALUES ($1, $2)'));
      }
      const results = await Promise.all(Array.from({ length: 6 }, () => run([p.root, db.url])));
      for (const r of results) expect(r, r.stderr).toMatchObject({ status: 0 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const applied = (await client.query('SELECT rev, count(*)::int AS n FROM applied GROUP BY rev ORDER BY rev')).rows;
        expect(applied).toEqual([
          { rev: 'a1a1a1a1a1a1', n: 1 },
          { rev: 'b2b2b2b2b2b2', n: 1 },
          { rev: 'c3c3c3c3c3c3', n: 1 },
        ]);
        expect((await client.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'c3c3c3c3c3c3' }]);
      } finally {
        await client.end();
      }
      expect(results.filter((r) => r.stderr.includes('Running upgrade'))).toHaveLength(1);
    } finally {
      await db.drop();
    }
  }, 60_000);
});
