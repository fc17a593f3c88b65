/**
 * The data handle is made, and Kysely loaded, only when a hook touches it
 * (through the built CLI): a run of revisions whose hooks are the generated
 * empty skeletons never loads Kysely, and a hook that uses the handle gets
 * the very Kysely a revision imports itself (`instanceof`, `sql`, its error
 * classes), in the revision's transaction.
 */
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, ensureBuilt, makeProject, REPO_ROOT, withDb, type E2EProject } from './support/e2e.ts';

const requireEsm = (process.features as { require_module?: boolean }).require_module === true;
let p: E2EProject;

beforeAll(() => {
  ensureBuilt();
  p = makeProject({ provider: 'sqlite' });
  symlinkSync(join(REPO_ROOT, 'node_modules', 'kysely'), join(p.dir, 'node_modules', 'kysely'), 'dir');
  // Records the module that builds the handle, loaded either way: import() (through a loader hook,
  // which runs in its own thread) or require() (seen in require.cache at exit).
  const loads = JSON.stringify(join(p.dir, 'loads.txt'));
  writeFileSync(
    join(p.dir, 'record-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.includes('kysely-dialect')) appendFileSync(${loads}, 'import ' + url + '\\n');\n  return next(url, context);\n}\n`,
  );
  writeFileSync(
    join(p.dir, 'record-loads.mjs'),
    `import { register, createRequire } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregister(${JSON.stringify(`file://${join(p.dir, 'record-hooks.mjs')}`)});\nconst require = createRequire(import.meta.url);\nprocess.on('exit', () => { for (const k of Object.keys(require.cache)) if (k.includes('kysely-dialect')) appendFileSync(${loads}, 'require ' + k + '\\n'); });\n`,
  );
  const revision = (id: string, down: string | null, body: string) =>
    writeFileSync(
      join(p.versionsDir, `${id}_step.ts`),
      `import { Kysely, NoResultError, sql } from 'kysely';
import type { DataHook, MigrationOps } from 'prisma-revise';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down ? `'${down}'` : 'null'};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

interface Tables { item: { id: number; label: string } }
${body}
`,
    );
  revision(
    'aaa1',
    null,
    `export async function upgrade(op: MigrationOps): Promise<void> {
  await op.createTable({ name: 'item', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'label', type: 'TEXT', nullable: false }], primaryKey: { columns: ['id'] } });
  await upgradeData(op, op.data<Tables>());
}
export async function downgrade(op: MigrationOps): Promise<void> {
  await downgradeData(op, op.data<Tables>());
  await op.dropTable('item');
}
const upgradeData: DataHook<Tables> = () => Promise.resolve();
type DowngradeTables = Tables;
const downgradeData: DataHook<DowngradeTables> = () => Promise.resolve();
void Kysely; void NoResultError; void sql;`,
  );
  revision(
    'bbb2',
    'aaa1',
    `export async function upgrade(op: MigrationOps): Promise<void> {
  await upgradeData(op, op.data<Tables>());
}
export async function downgrade(op: MigrationOps): Promise<void> {
  await op.data<Tables>().deleteFrom('item').execute();
}
const upgradeData: DataHook<Tables> = async (_op, db) => {
  if (!(db instanceof Kysely)) throw new Error('not a Kysely instance');
  if (db.selectFrom !== db.selectFrom) throw new Error('methods are not stable');
  await db.insertInto('item').values({ id: 1, label: 'one' }).execute();
  await sql\`INSERT INTO item (id, label) VALUES (\${2}, \${'two'})\`.execute(db);
  const missing = await db.selectFrom('item').selectAll().where('id', '=', 99).executeTakeFirstOrThrow().catch((e: unknown) => e);
  if (!(missing instanceof NoResultError)) throw new Error('NoResultError is not the imported class');
  const { count } = await db.selectFrom('item').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  if (Number(count) !== 2) throw new Error(\`saw \${count} rows\`);
};`,
  );
});
afterAll(() => p?.cleanup());

const loadsFile = () => join(p.dir, 'loads.txt');
/** What the recorder saw since the last call. */
function recorded(): string {
  const text = existsSync(loadsFile()) ? readFileSync(loadsFile(), 'utf8').trim() : '';
  rmSync(loadsFile(), { force: true });
  return text;
}
const withRecorder = () => ({ NODE_OPTIONS: `--import ${join(p.dir, 'record-loads.mjs')}` });

describe.skipIf(!requireEsm)('the data handle is lazy (Node with require(esm))', () => {
  it('empty hooks never load Kysely; a hook that uses the handle gets the revision\'s own Kysely, in its transaction', async () => {
    const first = p.cli(['upgrade', 'aaa1'], withRecorder());
    expect(first.status, describeRun(first)).toBe(0);
    expect(recorded()).toBe('');

    const second = p.cli(['upgrade', 'head'], withRecorder());
    expect(second.status, describeRun(second)).toBe(0);
    expect(recorded()).toMatch(/^require .*kysely-dialect\.js$/);
    expect(await withDb('sqlite', p.url, (db) => db.query('SELECT id, label FROM item ORDER BY id'))).toEqual([
      { id: 1, label: 'one' },
      { id: 2, label: 'two' },
    ]);

    const down = p.cli(['downgrade', 'base'], withRecorder());
    expect(down.status, describeRun(down)).toBe(0);
    expect(await withDb('sqlite', p.url, (db) => db.query("SELECT name FROM sqlite_master WHERE name = 'item'"))).toEqual([]);
  });
});

describe.runIf(!requireEsm)('the data handle without require(esm)', () => {
  it('loads Kysely up front and still works', () => {
    console.warn('Node without require(esm): the lazy data handle is not in use on this machine');
    const run = p.cli(['upgrade', 'head']);
    expect(run.status, describeRun(run)).toBe(0);
  });
});
