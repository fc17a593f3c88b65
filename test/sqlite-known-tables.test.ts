/**
 * SQLite's probe for a plain ADD COLUMN / CREATE INDEX asks whether its table
 * is a plain table with a pass over the schema's tables; within one run, a
 * table the run created (or a probe found) is known and not asked about
 * again. Known is never wrong: a table dropped or renamed by an operation,
 * or anything raw SQL did, makes the next probe ask again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { upgrade } from '../src/index.js';
import { chainProject, cleanupChainProjects, countProbeQueries } from './sqlite-probe-helpers.js';

afterAll(cleanupChainProjects);
const quiet = { out: () => undefined, log: () => undefined };
const table = (name: string) => `await op.createTable({ name: '${name}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });`;
const project = (bodies: string[]) => chainProject('revise-known-tables-', bodies);

/** Runs `run`; how many probes asked the schema whether a table is there. */
const countTableProbes = (run: () => Promise<unknown>) => countProbeQueries((sql) => sql.includes('pragma_table_list'), run);

describe('SQLite: tables a run knows', () => {
  it('a table the run created needs no probe; one it did not, one probe, then none', async () => {
    const p = project([
      `${table('a')}\n  await op.addColumn('a', { name: 'x', type: 'TEXT', nullable: true });`,
      "await op.createIndex('a', { name: 'a_x_idx', columns: ['x'] });\n  await op.dropIndex('a', 'a_x_idx');",
    ]);
    expect(await countTableProbes(() => upgrade({ cwd: p.cwd, url: p.url, ...quiet }))).toBe(0);

    const q = project([`await op.execute('CREATE TABLE "b" ("id" INTEGER PRIMARY KEY)');`, "await op.addColumn('b', { name: 'x', type: 'TEXT', nullable: true });", "await op.addColumn('b', { name: 'y', type: 'TEXT', nullable: true });"]);
    expect(await countTableProbes(() => upgrade({ cwd: q.cwd, url: q.url, ...quiet }))).toBe(1);
  });

  it('a table an operation dropped is not known any more, under any spelling', async () => {
    const p = project([table('T'), "await op.dropTable('t');", "await op.addColumn('T', { name: 'x', type: 'TEXT', nullable: true });"]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: table "T" does not exist/);
  });

  it('renamed away: the old name is not known', async () => {
    const p = project([table('a'), "await op.renameTable('a', 'b');\n  await op.addColumn('a', { name: 'x', type: 'TEXT', nullable: true });"]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r2 failed: table "a" does not exist/);
  });

  it('raw SQL that turned a known table into a view: the probe asks again and refuses it', async () => {
    const p = project([
      table('v'),
      `await op.execute('DROP TABLE "v"');\n  await op.execute('CREATE VIEW "v" AS SELECT 1 AS "id"');`,
      "await op.addColumn('v', { name: 'x', type: 'TEXT', nullable: true });",
    ]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: table "v" does not exist/);
  });
});
