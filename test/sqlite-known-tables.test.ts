/**
 * SQLite's probe for a plain ADD COLUMN / CREATE INDEX asks whether its table
 * is a plain table with a pass over the schema's tables; within one run, a
 * table the run created (or a probe found) is known and not asked about
 * again. Known is never wrong: a table dropped or renamed by an operation,
 * or anything raw SQL did, makes the next probe ask again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { upgrade } from '../src/index.js';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import type { CompileContext } from '../src/dialect/types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const quiet = { out: () => undefined, log: () => undefined };
const table = (name: string) => `await op.createTable({ name: '${name}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });`;

function project(bodies: string[]): { cwd: string; url: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'revise-known-tables-'));
  dirs.push(cwd);
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 's', private: true, type: 'module' }));
  mkdirSync(join(cwd, 'migrations', 'versions'), { recursive: true });
  bodies.forEach((body, i) =>
    writeFileSync(
      join(cwd, 'migrations', 'versions', `r${i + 1}_step.ts`),
      `export const revision = 'r${i + 1}';\nexport const downRevision = ${i === 0 ? 'null' : `'r${i}'`};\nexport async function upgrade(op: any) {\n  ${body}\n}\nexport async function downgrade(op: any) {}\n`,
    ),
  );
  return { cwd, url: `file:${join(cwd, 'app.db')}` };
}

/** Runs `run`; how many probes asked the schema whether a table is there. */
async function countTableProbes(run: () => Promise<unknown>): Promise<number> {
  let probes = 0;
  const original = sqliteDialect.compile;
  sqliteDialect.compile = (op, context: CompileContext) => {
    const probe = context.probe;
    if (!probe) return original(op, context);
    const query = (sql: string, params: unknown[]) => {
      if (sql.includes('pragma_table_list')) probes++;
      return probe.query(sql, params);
    };
    return original(op, { ...context, probe: { ...probe, query } });
  };
  try {
    await run();
  } finally {
    sqliteDialect.compile = original;
  }
  return probes;
}

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
