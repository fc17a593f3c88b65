import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadRevisionModule } from '../src/runtime/loader.ts';
import { openMigrationEnv, runDowngrade, runUpgrade, type RunnerOptions } from '../src/runtime/runner.ts';
import { tempDir } from './script-helpers.ts';
import { runNodeAsync } from './support/e2e.ts';

/**
 * The loader's transform cache (`node_modules/.cache/revise/<stem>-<hash>.mjs`):
 * writing a revision's new transform removes its stale ones and nothing else,
 * and a transform another process prunes just before it is imported is
 * written again instead of failing the run.
 */

const REPO = resolve(import.meta.dirname, '..');

let root: string;
let cleanup: () => void;
let versions: string;
let cache: string;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('revise-loader-cache-'));
  versions = join(root, 'migrations', 'versions');
  cache = join(root, 'node_modules', '.cache', 'revise');
  mkdirSync(versions, { recursive: true });
  mkdirSync(cache, { recursive: true });
  symlinkSync(REPO, join(root, 'node_modules', 'prisma-revise'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'loader-cache-test', private: true, type: 'module' }));
});
afterEach(() => cleanup());

/** A revision whose upgrade runs `upgradeSql`; written through a rename so a concurrent reader never sees half of it. */
function writeRevision(name: string, id: string, down: string | null, upgradeSql: string, downgradeSql = 'SELECT 1'): string {
  const file = join(versions, `${name}.ts`);
  const text = `/**
 * ${name}
 *
 * Revision ID: ${id}
 * Create Date: 2025-01-01 00:00:00
 */
import type { MigrationOps } from 'prisma-revise';

export const revision = '${id}';
export const downRevision: string | null = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(op: MigrationOps): Promise<void> {
  await op.execute(${JSON.stringify(upgradeSql)});
}

export async function downgrade(op: MigrationOps): Promise<void> {
  await op.execute(${JSON.stringify(downgradeSql)});
}
`;
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** The statements a loaded revision's upgrade runs. */
async function upgradeStatements(file: string): Promise<string[]> {
  const statements: string[] = [];
  await (await loadRevisionModule(file, root)).upgrade({ execute: async (sql: string) => void statements.push(sql) } as never);
  return statements;
}

/** The cache's transforms of one stem: exactly `<stem>-<24 hex>.mjs` (the test stems need no regex escaping). */
function transformsOf(stem: string): string[] {
  const transform = new RegExp(`^${stem}-[0-9a-f]{24}\\.mjs$`);
  return readdirSync(cache).filter((name) => transform.test(name));
}

describe('loader cache pruning', () => {
  it('keeps only the newest transform of an edited revision and touches nothing else', async () => {
    const longer = writeRevision('abc_add_users', 'b0b0b0b0b0b0', null, 'CREATE TABLE users_v1');
    const edited = writeRevision('abc_add', 'a0a0a0a0a0a0', null, 'CREATE TABLE v1');
    // Left by earlier runs: a stale transform of the edited revision, and files that are not transforms.
    const leftovers = [
      'graph-0123abcd.json',
      'headers-0123abcd.json',
      'abc_add-notes.mjs',
      `abc_add-${'e'.repeat(24)}.mjs.4242.1700000000000.tmp`,
      `abc_add-${'f'.repeat(23)}.mjs`,
    ];
    for (const name of [...leftovers, `abc_add-${'d'.repeat(24)}.mjs`]) writeFileSync(join(cache, name), 'export {};\n');

    expect(await upgradeStatements(longer)).toEqual(['CREATE TABLE users_v1']);
    const longerTransforms = transformsOf('abc_add_users');
    expect(longerTransforms).toHaveLength(1);

    expect(await upgradeStatements(edited)).toEqual(['CREATE TABLE v1']);
    const first = transformsOf('abc_add');
    expect(first).toHaveLength(1);
    expect(first[0]).not.toBe(`abc_add-${'d'.repeat(24)}.mjs`);

    writeRevision('abc_add', 'a0a0a0a0a0a0', null, 'CREATE TABLE v2');
    expect(await upgradeStatements(edited)).toEqual(['CREATE TABLE v2']);
    const second = transformsOf('abc_add');
    expect(second).toHaveLength(1);
    expect(second).not.toEqual(first);

    // A second edit in the same process: the process's own earlier write is pruned too.
    writeRevision('abc_add', 'a0a0a0a0a0a0', null, 'CREATE TABLE v3');
    expect(await upgradeStatements(edited)).toEqual(['CREATE TABLE v3']);
    expect(transformsOf('abc_add')).toHaveLength(1);
    expect(transformsOf('abc_add')).not.toEqual(second);

    expect(transformsOf('abc_add_users')).toEqual(longerTransforms);
    expect(await upgradeStatements(longer)).toEqual(['CREATE TABLE users_v1']);
    const remaining = readdirSync(cache).sort();
    expect(remaining).toEqual([...leftovers, ...transformsOf('abc_add'), ...longerTransforms].sort());
  });

  it('runs the edited code of a revision on SQLite and leaves one transform per revision', async () => {
    const dbFile = join(root, 'dev.db');
    writeRevision('0001_add', 'a1a1a1a1a1a1', null, 'CREATE TABLE "first" ("id" INTEGER)', 'DROP TABLE "first"');
    writeRevision('0001_add_users', 'b2b2b2b2b2b2', 'a1a1a1a1a1a1', 'CREATE TABLE "users" ("id" INTEGER)', 'DROP TABLE "users"');
    const io: RunnerOptions = { out: () => undefined, log: () => undefined };
    const tables = (): string[] => {
      const db = new Database(dbFile, { readonly: true });
      try {
        const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'alembic_version' ORDER BY name`).all();
        return (rows as Array<{ name: string }>).map((row) => row.name);
      } finally {
        db.close();
      }
    };

    await runUpgrade(await openMigrationEnv({ cwd: root, url: `file:${dbFile}` }), 'head', io);
    expect(tables()).toEqual(['first', 'users']);
    const usersTransforms = transformsOf('0001_add_users');
    const before = transformsOf('0001_add');
    expect(usersTransforms).toHaveLength(1);
    expect(before).toHaveLength(1);

    await runDowngrade(await openMigrationEnv({ cwd: root, url: `file:${dbFile}` }), 'base', io);
    expect(tables()).toEqual([]);
    writeRevision('0001_add', 'a1a1a1a1a1a1', null, 'CREATE TABLE "first_edited" ("id" INTEGER)', 'DROP TABLE "first_edited"');
    await runUpgrade(await openMigrationEnv({ cwd: root, url: `file:${dbFile}` }), 'head', io);

    expect(tables()).toEqual(['first_edited', 'users']);
    const after = transformsOf('0001_add');
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(transformsOf('0001_add_users')).toEqual(usersTransforms);
  });
});

describe('loader failures', () => {
  it('a revision that imports a missing package fails at once, naming the package, with its transform left in place', async () => {
    const file = join(versions, 'abc_missing.ts');
    writeFileSync(
      file,
      "import { nothing } from 'no-such-package-revise-test';\nexport const revision = 'abc';\nexport const downRevision = null;\nexport async function upgrade() { nothing(); }\nexport async function downgrade() {}\n",
    );
    const error = await loadRevisionModule(file, root).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Cannot load revision file .*abc_missing\.ts: .*no-such-package-revise-test/);
    // Not mistaken for a pruned transform: nothing was rewritten or retried under another name.
    expect(transformsOf('abc_missing')).toHaveLength(1);
  });
});

describe('loader cache under concurrent processes', () => {
  const scratch = join(REPO, 'node_modules', '.cache', 'revise-rt-test');
  let driver: string;
  const hooks: string[] = [];

  /** The loader bundled into a plain .mjs (next to the repo's node_modules, so esbuild resolves) for child processes. */
  beforeAll(async () => {
    mkdirSync(scratch, { recursive: true });
    driver = join(scratch, `loader-driver-${process.pid}.mjs`);
    const entry = join(scratch, `loader-driver-${process.pid}.ts`);
    writeFileSync(
      entry,
      `import { renameSync, writeFileSync } from 'node:fs';
import { loadRevisionModule } from ${JSON.stringify(join(REPO, 'src/runtime/loader.ts'))};
// root, revision file, iterations, and 'edit' to rewrite the revision with new content before each load.
const [root, file, iterations, mode] = process.argv.slice(2);
let failures = 0;
for (let i = 0; i < Number(iterations); i++) {
  if (mode === 'edit') {
    writeFileSync(file + '.' + process.pid, "export async function upgrade(op) { await op.execute('SELECT ${'${process.pid}'}-" + i + "'); }\\nexport async function downgrade() {}\\n");
    renameSync(file + '.' + process.pid, file);
  }
  try {
    const statements = [];
    await (await loadRevisionModule(file, root)).upgrade({ execute: async (sql) => void statements.push(sql) });
    console.log('ran ' + statements.join('; '));
  } catch (error) {
    failures++;
    console.error('ERROR ' + (error instanceof Error ? error.message : String(error)));
  }
}
process.exit(failures === 0 ? 0 : 1);
`,
    );
    await build({ entryPoints: [entry], outfile: driver, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  });
  afterAll(() => {
    for (const file of [driver, driver.replace(/\.mjs$/, '.ts'), ...hooks]) rmSync(file, { force: true });
  });

  const run = (args: string[], nodeArgs: string[] = []) => runNodeAsync([...nodeArgs, driver, ...args]);

  /**
   * A module hook that deletes the first cached transform at the given step of
   * Node's import (`resolve`: before Node finds the file; `load`: after it
   * found it, before it reads it), as another process pruning it would, and
   * leaves a marker proving it did.
   */
  function pruneOnceHook(step: 'resolve' | 'load'): string {
    const hook = `import { unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let pruned = false;
export async function ${step}(url, context, next) {
  if (!pruned && /\\/\\.cache\\/revise\\/[^/?]+\\.mjs$/.test(url)) {
    pruned = true;
    const file = fileURLToPath(url);
    unlinkSync(file);
    writeFileSync(file + '.pruned-by-hook', '');
  }
  return next(url, context);
}`;
    const file = join(scratch, `prune-${step}-${process.pid}.mjs`);
    writeFileSync(file, `import { register } from 'node:module';\nregister(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))});\n`);
    hooks.push(file);
    return file;
  }

  for (const step of ['resolve', 'load'] as const) {
    it(`writes a transform pruned before ${step === 'resolve' ? 'Node resolves it' : 'Node reads it'} again and runs it`, async () => {
      const file = writeRevision('abc_add', 'a0a0a0a0a0a0', null, 'CREATE TABLE survived');
      const result = await run([root, file, '1'], ['--import', pruneOnceHook(step)]);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe('ran CREATE TABLE survived');
      expect(result.status).toBe(0);
      const [transform, ...others] = transformsOf('abc_add');
      expect(others).toEqual([]);
      expect(existsSync(join(cache, `${transform}.pruned-by-hook`))).toBe(true);
    });
  }

  it('several processes editing and loading one revision at once all run their loads', async () => {
    const file = writeRevision('abc_add', 'a0a0a0a0a0a0', null, 'SELECT 0');
    const results = await Promise.all(Array.from({ length: 4 }, () => run([root, file, '150', 'edit'])));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toHaveLength(150);
      expect(result.status).toBe(0);
    }
    // A later run lists the folder afresh and removes whatever the concurrent runs left behind.
    const later = await run([root, file, '1', 'edit']);
    expect(later.status).toBe(0);
    expect(transformsOf('abc_add')).toHaveLength(1);
  });
});
