/**
 * SQLite's DROP INDEX names no table, so `op.dropIndex(table, name)` first
 * asks whether the index is that table's. Within one run, an index the run
 * created on the table, or one listing of the schema's indexes, answers
 * instead. Known is never wrong: an index dropped, renamed or rebuilt by an
 * operation, anything raw SQL did, or an operation that failed makes the
 * next drop ask again, and an index of another table is never dropped.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { downgrade, upgrade } from '../src/index.js';
import { chainProject, cleanupChainProjects, countProbeQueries } from './sqlite-probe-helpers.js';

afterAll(cleanupChainProjects);
const quiet = { out: () => undefined, log: () => undefined };
const table = (name: string) =>
  `await op.createTable({ name: '${name}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'x', type: 'TEXT', nullable: true }], primaryKey: { columns: ['id'] } });`;
/** Revisions r1..rn with these upgrade bodies (and downgrade bodies, when given). */
const project = (ups: string[], downs: string[] = []) => chainProject('revise-known-indexes-', ups, downs);

/** Runs `run`; how many times dropping an index asked SQLite whose it is (a probe of its table, or a listing of every index). */
const countIndexProbes = (run: () => Promise<unknown>) =>
  countProbeQueries((sql) => sql.includes('pragma_index_list') || sql.includes("type = 'index'"), run);

function indexes(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT tbl_name || '.' || name AS n FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY n").all() as Array<{ n: string }>).map((r) => r.n);
  } finally {
    db.close();
  }
}

describe('SQLite: indexes a run knows', () => {
  it('an index the run created, or one listing found, needs no question per drop', async () => {
    const p = project(
      [table('a'), "await op.createIndex('a', { name: 'a_x_idx', columns: ['x'] });", `${table('b')}\n  await op.createIndex('b', { name: 'b_x_idx', columns: ['x'] });`],
      ['', "await op.dropIndex('a', 'a_x_idx');", "await op.dropIndex('b', 'b_x_idx');\n  await op.dropTable('b');"],
    );
    // Created and dropped in one run: nothing asked.
    const q = project([`${table('a')}\n  await op.createIndex('a', { name: 'a_x_idx', columns: ['x'] });`, "await op.dropIndex('a', 'a_x_idx');"]);
    expect(await countIndexProbes(() => upgrade({ cwd: q.cwd, url: q.url, ...quiet }))).toBe(0);
    expect(indexes(q.file)).toEqual([]);
    // A downgrade is a run of its own: one listing for its two drops, instead of a probe each.
    await upgrade({ cwd: p.cwd, url: p.url, ...quiet });
    expect(indexes(p.file)).toEqual(['a.a_x_idx', 'b.b_x_idx']);
    expect(await countIndexProbes(() => downgrade({ cwd: p.cwd, url: p.url, ...quiet, target: 'base' }))).toBe(1);
    expect(indexes(p.file)).toEqual([]);
  });

  it("an index of another table is not dropped: known or listed, the table's own probe refuses it", async () => {
    const p = project([`${table('a')}\n  ${table('b')}\n  await op.createIndex('b', { name: 'b_x_idx', columns: ['x'] });`, "await op.dropIndex('a', 'b_x_idx');"]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r2 failed: .*b_x_idx/);
    expect(indexes(p.file)).toEqual(['b.b_x_idx']);
    // In a run of its own, from the listing.
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r2 failed: .*b_x_idx/);
    expect(indexes(p.file)).toEqual(['b.b_x_idx']);
  });

  it('raw SQL that moved a known index to another table: the drop asks again and refuses', async () => {
    const p = project([
      `${table('a')}\n  ${table('b')}\n  await op.createIndex('a', { name: 'moved_idx', columns: ['x'] });`,
      `await op.execute('DROP INDEX "moved_idx"');\n  await op.execute('CREATE INDEX "moved_idx" ON "b" ("x")');\n  await op.dropIndex('a', 'moved_idx');`,
    ]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r2 failed: .*moved_idx/);
    expect(indexes(p.file)).toEqual(['a.moved_idx']);
  });

  it('an index dropped by an operation and made again on another table is known there, not here', async () => {
    const p = project([
      `${table('a')}\n  ${table('b')}\n  await op.createIndex('a', { name: 'i', columns: ['x'] });`,
      "await op.dropIndex('a', 'i');\n  await op.createIndex('b', { name: 'i', columns: ['x'] });\n  await op.dropIndex('a', 'i');",
    ]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r2 failed: .*"i"/);
    expect(indexes(p.file)).toEqual(['a.i']);
  });

  it("renamed away: the index went with its table, and a new table of the old name does not own it", async () => {
    const p = project([`${table('a')}\n  await op.createIndex('a', { name: 'i', columns: ['x'] });\n  await op.renameTable('a', 'c');\n  ${table('a')}\n  await op.dropIndex('a', 'i');`]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r1 failed: .*"i"/);
    expect(indexes(p.file)).toEqual([]);
    const q = project([`${table('a')}\n  await op.createIndex('a', { name: 'i', columns: ['x'] });\n  await op.renameTable('a', 'c');\n  ${table('a')}`, "await op.dropIndex('a', 'i');"]);
    await expect(upgrade({ cwd: q.cwd, url: q.url, ...quiet })).rejects.toThrow(/^Revision r2 failed: .*"i"/);
    expect(indexes(q.file)).toEqual(['c.i']);
  });

  it('a table renamed, or rebuilt, forgets its indexes; a caught failure forgets them all', async () => {
    const p = project(
      [
        `${table('a')}\n  await op.createIndex('a', { name: 'a_x_idx', columns: ['x'] });\n  await op.renameTable('a', 'c');\n  await op.dropIndex('c', 'a_x_idx');`,
        `${table('d')}\n  await op.createIndex('d', { name: 'd_x_idx', columns: ['x'] });\n  await op.batchAlterTable('d', (batch) => { batch.alterColumn('x', { nullable: false, existing: { type: 'TEXT', nullable: true } }); });\n  await op.dropIndex('d', 'd_x_idx');`,
        `${table('e')}\n  await op.createIndex('e', { name: 'e_x_idx', columns: ['x'] });\n  try { await op.createIndex('e', { name: 'e_x_idx', columns: ['id'] }); } catch {}\n  await op.dropIndex('e', 'e_x_idx');`,
      ],
    );
    // Each of the three drops asked SQLite (a listing, a probe, a listing again), and each dropped the right index.
    expect(await countIndexProbes(() => upgrade({ cwd: p.cwd, url: p.url, ...quiet }))).toBe(3);
    expect(indexes(p.file)).toEqual([]);
  });
});
