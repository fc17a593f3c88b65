/**
 * Replicas deploying at once on MariaDB: 6 `revise upgrade head` processes
 * race on one database; they serialise on GET_LOCK (held on a connection of
 * its own), every revision runs exactly once and every process exits 0. A
 * migrator that cannot get the lock in time says who holds it. Skipped loudly
 * without a server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { migrationLockName } from '../src/dialect/mysql/driver.ts';
import { describeRun, makeProject, problemLines, versionRows, withDb, writeRevision, type E2EProject } from './support/e2e.ts';
import { createTempMysqlDatabase, mysqlAvailable, type TempMysqlDatabase } from './support/mysql.ts';

const available = await mysqlAvailable();
const PROCESSES = 6;
const REVS = ['m10000000001', 'm20000000002', 'm30000000003', 'm40000000004'];

describe.skipIf(!available)('concurrent upgrades on MariaDB', () => {
  let p: E2EProject;
  const databases: TempMysqlDatabase[] = [];
  const fresh = async () => {
    const db = await createTempMysqlDatabase();
    databases.push(db);
    return db;
  };
  beforeAll(() => {
    p = makeProject({ provider: 'mysql', url: 'mysql://unused@127.0.0.1/unused' });
    const log = (rev: string) => `await op.execute("INSERT INTO log (rev) VALUES ('${rev}')");`;
    writeRevision(p, REVS[0]!, null, `await op.createTable({ name: 'log', columns: [{ name: 'rev', type: 'VARCHAR(32)', nullable: false }] });\n  ${log(REVS[0]!)}`, `await op.dropTable('log');`);
    writeRevision(p, REVS[1]!, REVS[0]!, `await op.addColumn('log', { name: 'note', type: 'TEXT', nullable: true });\n  await new Promise((r) => setTimeout(r, 200));\n  ${log(REVS[1]!)}`, `await op.dropColumn('log', 'note');`);
    writeRevision(p, REVS[2]!, REVS[1]!, `await op.createIndex('log', { name: 'log_rev_idx', columns: ['rev'] });\n  ${log(REVS[2]!)}`, `await op.dropIndex('log', 'log_rev_idx');`);
    writeRevision(p, REVS[3]!, REVS[2]!, log(REVS[3]!));
  });
  afterAll(async () => {
    p?.cleanup();
    for (const db of databases) await db.drop();
  });

  it(`${PROCESSES} processes run upgrade head at once; each revision runs exactly once`, async () => {
    const db = await fresh();
    const runs = await Promise.all(Array.from({ length: PROCESSES }, () => p.cliAsync(['upgrade', 'head'], { DATABASE_URL: db.url })));
    for (const run of runs) {
      expect(run.status, describeRun(run)).toBe(0);
      expect(problemLines(run.stderr), describeRun(run)).toEqual([]);
    }
    expect(runs.flatMap((run) => run.stderr.split('\n').filter((line) => line.includes('Running upgrade')))).toHaveLength(REVS.length);
    expect(await withDb('mysql', db.url, async (c) => (await c.query<{ rev: string }>('SELECT rev FROM log ORDER BY rev')).map((r) => r.rev))).toEqual(REVS);
    expect(await versionRows('mysql', db.url)).toEqual([REVS.at(-1)]);
  }, 120_000);

  it('a migrator that times out waiting for the lock names the connection holding it', async () => {
    const db = await fresh();
    const holder = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db.name });
    try {
      await holder.query('SELECT GET_LOCK(?, 0)', [migrationLockName(db.name)]);
      const [[{ id }]] = (await holder.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
      const run = p.cli(['upgrade', 'head'], { DATABASE_URL: db.url, REVISE_LOCK_TIMEOUT: '1' });
      expect(run.status, describeRun(run)).toBe(1);
      expect(run.stderr).toContain(`held by MySQL connection ${id}`);
      expect(run.stderr).toContain(`KILL ${id}`);
      expect(await versionRows('mysql', db.url)).toBeNull();
    } finally {
      await holder.end();
    }
    // Released with its session: the next migrator goes ahead.
    const up = p.cli(['upgrade', 'head'], { DATABASE_URL: db.url });
    expect(up.status, describeRun(up)).toBe(0);
  }, 60_000);
});
