/**
 * The revision graph walked on real databases: a diamond (branch point, work
 * on both sides, merge, one more revision) plus a labelled branch `feature`
 * whose base dependsOn a revision of the diamond. Every kind of target is
 * used, and after each command the alembic_version rows and the tables that
 * exist are checked. The expectations are what Alembic 1.8.1 does with the
 * same graph and the same commands (recorded from a real Alembic run), on
 * SQLite and on PostgreSQL. Then the offline script of the whole graph, run by
 * sqlite3 / psql on an empty database, must leave what the online run leaves.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDialect } from '../src/runtime/dialects.js';
import { downgrade, upgrade } from '../src/index.js';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.js';

interface Node {
  id: string;
  down: string | string[] | null;
  labels?: string[];
  dependsOn?: string[];
}

//          ┌ c1c1c1 ─ c2c2c2 ┐
// aaaa01 ─ bbbb02            mmmm05 ─ eeee06        (head)
//          └ dddd04 ─────────┘
// f1f1f1 (label feature, dependsOn c1c1c1) ─ f2f2f2 (head)
const GRAPH: Node[] = [
  { id: 'aaaa01', down: null },
  { id: 'bbbb02', down: 'aaaa01' },
  { id: 'c1c1c1', down: 'bbbb02' },
  { id: 'c2c2c2', down: 'c1c1c1' },
  { id: 'dddd04', down: 'bbbb02' },
  { id: 'mmmm05', down: ['c2c2c2', 'dddd04'] },
  { id: 'eeee06', down: 'mmmm05' },
  { id: 'f1f1f1', down: null, labels: ['feature'], dependsOn: ['c1c1c1'] },
  { id: 'f2f2f2', down: 'f1f1f1' },
];

/** [command, target, alembic_version rows, tables t_<id> that exist, error] as Alembic 1.8.1 left them. */
const WALK: Array<[string, string, string, string, RegExp?]> = [
  ['upgrade', '+1', '', '', /Ambiguous/],
  ['upgrade', 'aaaa01', 'aaaa01', 'aaaa01'],
  ['upgrade', '+1', 'bbbb02', 'aaaa01 bbbb02'],
  ['upgrade', 'c1c1c1', 'c1c1c1', 'aaaa01 bbbb02 c1c1c1'],
  ['upgrade', 'c1c1c1+1', 'c2c2c2', 'aaaa01 bbbb02 c1c1c1 c2c2c2'],
  ['upgrade', 'dddd04', 'c2c2c2 dddd04', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04'],
  ['upgrade', '+1', 'c2c2c2 dddd04', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04', /Ambiguous/],
  ['upgrade', 'mmmm05', 'mmmm05', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04'],
  ['upgrade', 'head', 'mmmm05', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04', /Multiple head revisions/],
  ['upgrade', 'heads', 'eeee06 f2f2f2', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1 f2f2f2'],
  ['downgrade', 'head-1', 'eeee06 f2f2f2', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1 f2f2f2', /Multiple head revisions/],
  ['downgrade', 'feature@-1', 'eeee06 f1f1f1', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1'],
  ['downgrade', 'eeee06-1', 'f1f1f1 mmmm05', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 f1f1f1'],
  ['downgrade', 'feature@base', 'mmmm05', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04'],
  ['upgrade', 'feature@+1', 'f1f1f1 mmmm05', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 f1f1f1'],
  ['upgrade', 'feature@head', 'f2f2f2 mmmm05', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 f1f1f1 f2f2f2'],
  ['downgrade', 'c2c2c2', 'c2c2c2 dddd04 f2f2f2', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 f1f1f1 f2f2f2'],
  ['downgrade', 'bbbb02', 'bbbb02', 'aaaa01 bbbb02'],
  ['upgrade', 'eee', 'eeee06', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06'],
  ['downgrade', 'base', '', ''],
  ['upgrade', 'feature@head', 'f2f2f2', 'aaaa01 bbbb02 c1c1c1 f1f1f1 f2f2f2'],
  ['downgrade', 'base', '', ''],
  ['upgrade', 'c2', 'c2c2c2', 'aaaa01 bbbb02 c1c1c1 c2c2c2'],
  ['upgrade', 'heads', 'eeee06 f2f2f2', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1 f2f2f2'],
  ['downgrade', 'feature@head-1', 'eeee06 f1f1f1', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1'],
  ['upgrade', 'feature@+1', 'eeee06 f2f2f2', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1 f2f2f2'],
  ['downgrade', 'mmmm05', 'f2f2f2 mmmm05', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 f1f1f1 f2f2f2'],
  ['downgrade', 'dddd04', 'c2c2c2 dddd04 f2f2f2', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 f1f1f1 f2f2f2'],
  ['upgrade', 'f1f1f1', 'c2c2c2 dddd04 f2f2f2', 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 f1f1f1 f2f2f2'],
  ['downgrade', 'c1', 'dddd04 f2f2f2', 'aaaa01 bbbb02 c1c1c1 dddd04 f1f1f1 f2f2f2'],
  ['upgrade', 'feature@heads', 'dddd04 f2f2f2', 'aaaa01 bbbb02 c1c1c1 dddd04 f1f1f1 f2f2f2'],
  ['downgrade', 'base', '', ''],
];

const dirs: string[] = [];
const temps: TempDatabase[] = [];
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const temp of temps) await temp.drop();
});

const list = (value: string | string[] | null | undefined): string =>
  value === null || value === undefined ? 'null' : typeof value === 'string' ? `'${value}'` : `[${value.map((v) => `'${v}'`).join(', ')}]`;

/** A project whose revisions each create (and drop) one table `t_<id>`; the merge does nothing. */
function graphProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'revise-graph-walk-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'graph-walk', private: true, type: 'module' }));
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  for (const node of GRAPH) {
    const merge = Array.isArray(node.down);
    writeFileSync(
      join(versions, `${node.id}_step.ts`),
      [
        "import type { MigrationOps } from 'prisma-revise';",
        `export const revision = '${node.id}';`,
        `export const downRevision: string | string[] | null = ${list(node.down)};`,
        `export const branchLabels: string[] | null = ${list(node.labels)};`,
        `export const dependsOn: string[] | null = ${list(node.dependsOn)};`,
        'export async function upgrade(op: MigrationOps): Promise<void> {',
        merge ? '' : `  await op.createTable({ name: 't_${node.id}', columns: [{ name: 'x', type: 'INTEGER', nullable: true }] });`,
        '}',
        'export async function downgrade(op: MigrationOps): Promise<void> {',
        merge ? '' : `  await op.dropTable('t_${node.id}');`,
        '}',
      ].join('\n'),
    );
  }
  return dir;
}

/** alembic_version rows and t_* tables, each sorted and space-joined like WALK. */
async function state(url: string): Promise<{ rows: string; tables: string }> {
  const dialect = await loadDialect(url.startsWith('file:') ? 'sqlite' : 'postgresql');
  const connection = await dialect.connect(url);
  try {
    const model = await dialect.introspect(connection, {});
    const names = model.tables.map((t) => t.name);
    // Introspection leaves alembic_version out; read it directly when it exists.
    const rows = await connection
      .query<{ version_num: string }>('SELECT version_num FROM alembic_version')
      .then((result) => result.map((r) => r.version_num))
      .catch(() => [] as string[]);
    return {
      rows: rows.sort().join(' '),
      tables: names
        .filter((n) => n.startsWith('t_'))
        .map((n) => n.slice(2))
        .sort()
        .join(' '),
    };
  } finally {
    await connection.close();
  }
}

const quiet = { out: () => undefined, log: () => undefined };

async function walk(url: string): Promise<void> {
  const cwd = graphProject();
  for (const [command, target, rows, tables, error] of WALK) {
    const run = command === 'upgrade' ? upgrade({ cwd, url, target, ...quiet }) : downgrade({ cwd, url, target, ...quiet });
    const label = `${command} ${target}`;
    if (error) await expect(run, label).rejects.toThrow(error);
    else await run;
    expect(await state(url), label).toEqual({ rows, tables });
  }
}

/** The offline script from base to `heads`, as `revise upgrade heads --sql` prints it. */
async function offlineScript(cwd: string, url: string, target = 'heads'): Promise<string> {
  const lines: string[] = [];
  await upgrade({ cwd, url, target, sql: true, out: (line) => lines.push(line), log: () => undefined });
  return `${lines.join('\n')}\n`;
}

const hasPg = await pgAvailable();
const hasPsql = spawnSync('psql', ['--version']).status === 0;
const hasSqlite3 = spawnSync('sqlite3', ['--version']).status === 0;

describe('graph walk on SQLite', () => {
  it('every target kind, step by step, leaves what Alembic leaves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revise-graph-db-'));
    dirs.push(dir);
    await walk(`file:${join(dir, 'walk.db')}`);
  }, 120_000);

  it.skipIf(!hasSqlite3)('the offline script of the whole graph, run by sqlite3, matches the online upgrade', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revise-graph-sql-'));
    dirs.push(dir);
    const online = `file:${join(dir, 'online.db')}`;
    const cwd = graphProject();
    await upgrade({ cwd, url: online, target: 'heads', ...quiet });
    const script = await offlineScript(cwd, online);
    execFileSync('sqlite3', [join(dir, 'offline.db')], { input: script });
    const expected = { rows: 'eeee06 f2f2f2', tables: 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1 f2f2f2' };
    expect(await state(online)).toEqual(expected);
    expect(await state(`file:${join(dir, 'offline.db')}`)).toEqual(expected);
  });
});

describe.skipIf(!hasPg)('graph walk on PostgreSQL', () => {
  it('every target kind, step by step, leaves what Alembic leaves', async () => {
    const temp = await createTempDatabase();
    temps.push(temp);
    await walk(temp.url);
  }, 120_000);

  it.skipIf(!hasPsql)('the offline script of the whole graph, run by psql on an empty database, matches the online upgrade', async () => {
    const [online, offline] = [await createTempDatabase(), await createTempDatabase()];
    temps.push(online, offline);
    const cwd = graphProject();
    await upgrade({ cwd, url: online.url, target: 'heads', ...quiet });
    const script = await offlineScript(cwd, online.url);
    expect(script).toMatch(/^-- Running upgrade c2c2c2, dddd04 -> mmmm05$/m);
    execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-X', offline.url], { input: script, stdio: ['pipe', 'ignore', 'pipe'] });
    const expected = { rows: 'eeee06 f2f2f2', tables: 'aaaa01 bbbb02 c1c1c1 c2c2c2 dddd04 eeee06 f1f1f1 f2f2f2' };
    expect(await state(online.url)).toEqual(expected);
    expect(await state(offline.url)).toEqual(expected);

    // The same schema, column for column, through revise's own introspection.
    const dialect = await loadDialect('postgresql');
    const models = [];
    for (const url of [online.url, offline.url]) {
      const connection = await dialect.connect(url);
      try {
        models.push(await dialect.introspect(connection, {}));
      } finally {
        await connection.close();
      }
    }
    expect(models[1]).toEqual(models[0]);

    // And back down: the downgrade script takes the offline database to base.
    const down: string[] = [];
    await downgrade({ cwd, url: offline.url, target: 'heads:base', sql: true, out: (l) => down.push(l), log: () => undefined });
    execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-X', offline.url], { input: `${down.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
    expect((await state(offline.url)).tables).toBe('');
  });
});
