/**
 * MySQL commits around every DDL statement, so a revision that fails halfway
 * cannot be rolled back. revise keeps the revision's progress in the database
 * (revise_progress, beside an untouched alembic_version): the error names what
 * ran and what failed; the next upgrade, once the cause is fixed, resumes at
 * the operation that failed (no "duplicate column"); a data hook that already
 * committed is not run twice; and a process killed at any moment is followed
 * by an `upgrade head` that finishes. On MariaDB; skipped loudly without one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, makeProject, runCliAsync, withDb, writeRevision, type E2EProject } from './support/e2e.ts';
import { createTempMysqlDatabase, mysqlAvailable, mysqlCatalog, type TempMysqlDatabase } from './support/mysql.ts';

const available = await mysqlAvailable();

describe.skipIf(!available)('half-applied revisions on MariaDB', () => {
  const databases: TempMysqlDatabase[] = [];
  const projects: E2EProject[] = [];
  const fresh = async () => {
    const db = await createTempMysqlDatabase();
    databases.push(db);
    const p = makeProject({ provider: 'mysql', url: db.url });
    projects.push(p);
    return { db, p };
  };
  afterAll(async () => {
    for (const p of projects) p.cleanup();
    for (const db of databases) await db.drop();
  });
  const tables = async (url: string) =>
    withDb('mysql', url, async (db) => (await db.query<{ t: string }>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1')).map((r) => r.t));

  let failing: { db: TempMysqlDatabase; p: E2EProject };
  beforeAll(async () => {
    failing = await fresh();
    writeRevision(
      failing.p,
      'r1',
      null,
      `await op.createTable({ name: 'a', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });
  await op.addColumn('a', { name: 'x', type: 'INTEGER', nullable: true });
  await op.execute('INSERT INTO a (id, x) VALUES (1, 1)');
  // The data hook's writes: committed once, never twice.
  await op.data<any>().insertInto('a').values({ id: 2, x: 2 }).execute();
  await op.execute('INSERT INTO gate (id) SELECT id FROM a');
  await op.addColumn('a', { name: 'y', type: 'INTEGER', nullable: true });`,
      `await op.dropTable('a');`,
    );
  }, 120_000);

  it('the error names the operations that ran and the one that failed; alembic_version is untouched', () => {
    const up = failing.p.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(1);
    const message = up.stderr.trim().split('\n').at(-1)!;
    expect(message).toMatch(/^Error: Revision r1 failed: Table '[^']*gate' doesn't exist/);
    expect(message).toContain('ran createTable a, addColumn a.x, execute INSERT INTO a (id, x) VALUES (1, 1), failed at execute INSERT INTO gate');
    expect(message).toContain('fix the cause and upgrade again: it resumes at execute INSERT INTO gate');
    expect(up.stderr).not.toMatch(/\n\s+at /);
    const current = failing.p.cli(['current']);
    expect(current.stdout.trim()).toBe('');
  });

  it('the next upgrade, once the cause is fixed, resumes where it stopped', async () => {
    await withDb('mysql', failing.db.url, (db) => db.exec('CREATE TABLE gate (id INTEGER)'));
    const up = failing.p.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(0);
    expect(up.stderr).toContain('Resuming after 3 operation(s) that already ran');
    expect(await withDb('mysql', failing.db.url, (db) => db.query('SELECT id, x, y FROM a ORDER BY id'))).toEqual([
      { id: 1, x: 1, y: null },
      { id: 2, x: 2, y: null },
    ]);
    expect(await withDb('mysql', failing.db.url, (db) => db.query('SELECT id FROM gate ORDER BY id'))).toEqual([{ id: 1 }, { id: 2 }]);
    expect(failing.p.cli(['current']).stdout.trim()).toBe('r1 (head)');
    // No half-applied revision is left: the progress table is gone.
    expect(await tables(failing.db.url)).toEqual(['a', 'alembic_version', 'gate']);
  });

  it('downgrade of a half-applied upgrade reverts only what ran', async () => {
    const { db, p } = await fresh();
    writeRevision(
      p,
      'h1',
      null,
      `await op.createTable({ name: 'b', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });
  await op.addColumn('b', { name: 'x', type: 'INTEGER', nullable: true });
  await op.execute('INSERT INTO gate2 (id) VALUES (1)');
  await op.addColumn('b', { name: 'y', type: 'INTEGER', nullable: true });`,
      `await op.dropColumn('b', 'y');
  await op.execute('DELETE FROM gate2 WHERE id = 1');
  await op.dropColumn('b', 'x');
  await op.dropTable('b');`,
    );
    const up = p.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(1);
    expect(await tables(db.url)).toEqual(['alembic_version', 'b', 'revise_progress']);
    const down = p.cli(['downgrade', 'base']);
    expect(down.status, describeRun(down)).toBe(0);
    expect(down.stderr).toContain('Reverting the 2 operation(s) of half-applied upgrade h1 that ran');
    // Neither `DELETE FROM gate2` (that table never existed) nor the drop of y (never added) ran.
    expect(await tables(db.url)).toEqual(['alembic_version']);
    // The revision fixed (its gate2 steps removed), the upgrade starts over from nothing.
    const file = join(p.versionsDir, 'h1_hand.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n\s*await op\.execute\('[^']*gate2[^']*'\);/g, ''));
    const again = p.cli(['upgrade', 'head']);
    expect(again.status, describeRun(again)).toBe(0);
    expect(again.stderr).not.toContain('Resuming');
    expect(await tables(db.url)).toEqual(['alembic_version', 'b']);
  }, 60_000);

  it('a process killed at any moment is followed by an upgrade head that finishes', async () => {
    const { db, p } = await fresh();
    const columns = Array.from({ length: 40 }, (_, i) => `c${i}`);
    writeRevision(
      p,
      'k1',
      null,
      `await op.createTable({ name: 'wide', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });
  for (const name of ${JSON.stringify(columns)}) {
    await op.addColumn('wide', { name, type: 'INTEGER', nullable: false, default: '0' });
    await op.createIndex('wide', { name: 'wide_' + name + '_idx', columns: [name] });
  }`,
      `await op.dropTable('wide');`,
    );
    const killedAfter: number[] = [];
    for (const ms of [700, 900, 1100, 1300, 1500, 1700]) {
      const run = await runCliAsync(['upgrade', 'head'], { cwd: p.dir, env: { DATABASE_URL: db.url }, timeoutMs: ms });
      if (run.status === 0) break;
      killedAfter.push(ms);
    }
    expect(killedAfter.length, 'no run was killed halfway: the revision ran too fast for this test').toBeGreaterThan(0);
    const up = p.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(0);
    const catalog = (await mysqlCatalog(db.name)) as { wide: { columns: Record<string, unknown>; indexes: Record<string, unknown> } };
    expect(Object.keys(catalog.wide.columns).sort()).toEqual(['id', ...columns].sort());
    expect(Object.keys(catalog.wide.indexes).sort()).toEqual(['PRIMARY', ...columns.map((c) => `wide_${c}_idx`)].sort());
    expect(p.cli(['current']).stdout.trim()).toBe('k1 (head)');
    expect(await tables(db.url)).toEqual(['alembic_version', 'wide']);
  }, 120_000);
});
