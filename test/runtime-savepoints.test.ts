/**
 * SQLite runs each revision in a savepoint of one transaction (one commit per
 * run): a failing revision must still leave the revisions before it applied
 * and recorded, exactly as a commit per revision does.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { upgrade } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const quiet = { out: () => undefined, log: () => undefined };

function project(bodies: string[]): { cwd: string; url: string; db: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'revise-savepoints-'));
  dirs.push(cwd);
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 's', private: true, type: 'module' }));
  mkdirSync(join(cwd, 'migrations', 'versions'), { recursive: true });
  bodies.forEach((body, i) => {
    const id = `r${i + 1}`;
    writeFileSync(
      join(cwd, 'migrations', 'versions', `${id}_step.ts`),
      `export const revision = '${id}';\nexport const downRevision = ${i === 0 ? 'null' : `'r${i}'`};\nexport async function upgrade(op: any) {\n${body}\n}\nexport async function downgrade(op: any) {}\n`,
    );
  });
  const db = join(cwd, 'app.db');
  return { cwd, url: `file:${db}`, db };
}

function state(db: string): { tables: string[]; versions: string[] } {
  const conn = new Database(db, { readonly: true });
  try {
    const tables = (conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    const versions = tables.includes('alembic_version')
      ? (conn.prepare('SELECT version_num FROM alembic_version').all() as Array<{ version_num: string }>).map((r) => r.version_num)
      : [];
    return { tables, versions };
  } finally {
    conn.close();
  }
}

describe('SQLite: one commit per run, revisions isolated by savepoints', () => {
  it('a failing revision keeps the ones before it, recorded', async () => {
    const p = project([
      "  await op.execute('CREATE TABLE a (x INTEGER)');",
      "  await op.execute('CREATE TABLE b (x INTEGER)');",
      "  await op.execute('CREATE TABLE c (x INTEGER)');\n  throw new Error('third fails');",
    ]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r3 failed: third fails \(at \S+r3_step\.ts:5:\d+\); rolled back$/);
    expect(state(p.db)).toEqual({ tables: ['a', 'alembic_version', 'b'], versions: ['r2'] });
  });

  it('a failing first revision leaves nothing, not even alembic_version', async () => {
    const p = project(["  await op.execute('CREATE TABLE a (x INTEGER)');\n  throw new Error('first fails');"]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r1 failed: first fails \(at \S+r1_step\.ts:5:\d+\); rolled back$/);
    expect(state(p.db)).toEqual({ tables: [], versions: [] });
  });

  it('an autocommit block in a later revision: earlier revisions and the block are kept, the rest rolled back', async () => {
    const p = project([
      "  await op.execute('CREATE TABLE a (x INTEGER)');",
      "  await op.execute('CREATE TABLE b (x INTEGER)');\n  await op.autocommitBlock(async () => { await op.execute('CREATE TABLE block (x INTEGER)'); });\n  await op.execute('CREATE TABLE after_block (x INTEGER)');\n  throw new Error('after the block');",
    ]);
    await expect(upgrade({ cwd: p.cwd, url: p.url, ...quiet })).rejects.toThrow(/^Revision r2 failed: after the block \(at \S+r2_step\.ts:7:\d+\); rolled back$/);
    expect(state(p.db)).toEqual({ tables: ['a', 'alembic_version', 'b', 'block'], versions: ['r1'] });
  });

  it('an autocommit block in a revision that succeeds, followed by more revisions', async () => {
    const p = project([
      "  await op.autocommitBlock(async () => { await op.execute('CREATE TABLE block (x INTEGER)'); });",
      "  await op.execute('CREATE TABLE b (x INTEGER)');",
    ]);
    await upgrade({ cwd: p.cwd, url: p.url, ...quiet });
    expect(state(p.db)).toEqual({ tables: ['alembic_version', 'b', 'block'], versions: ['r2'] });
  });
});
