/**
 * A long history through the built CLI, as a database built from base runs
 * it: one script chain with its code cache, the same schema on every round
 * trip, and a failing revision inside the chain named by file and line, with
 * the database as it was.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRun, makeProject } from './support/e2e.ts';
import { sqliteSchema, sqliteVersions, writeTableChain } from './support/sqlite-chain.ts';

const COUNT = 40;
const project = makeProject({ provider: 'sqlite' });
afterAll(() => project.cleanup());
const id = (i: number) => `c${String(i).padStart(11, '0')}`;
const paths = writeTableChain(project, COUNT, id);
const cache = join(project.dir, 'node_modules', '.cache', 'revise');
const cacheFiles = (suffix: string) => readdirSync(cache).filter((name) => name.endsWith(suffix));

const schema = () => sqliteSchema(project.url);
const version = () => sqliteVersions(project.url);
function ok(args: string[]): void {
  const run = project.cli(args);
  expect(run.status, describeRun(run)).toBe(0);
}

describe('a long history on SQLite', () => {
  it('upgrades, downgrades and upgrades again through one script chain and its code cache, with the same schema each time', () => {
    ok(['upgrade', 'head']);
    const atHead = schema();
    expect(version()).toEqual([id(COUNT - 1)]);
    expect(cacheFiles('.bundle.cjs')).toHaveLength(1);
    expect(cacheFiles('.v8cache')).toEqual([`${cacheFiles('.bundle.cjs')[0]}.v8cache`]);
    ok(['downgrade', 'base']);
    expect(version()).toEqual([]);
    expect(JSON.parse(schema())).toEqual([expect.objectContaining({ name: 'alembic_version' })]);
    ok(['upgrade', 'head']);
    expect(schema()).toBe(atHead);
    ok(['downgrade', 'base']);
    ok(['upgrade', 'head']);
    expect(schema()).toBe(atHead);
  });

  it('a failure inside the chain names the revision file and line, and leaves the database as it was', () => {
    ok(['downgrade', 'base']);
    const before = schema();
    const path = paths[25]!;
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace("await op.createIndex('t25'", "if (op) throw new Error('revision 25 fails');\n  await op.createIndex('t25'"));
    try {
      const run = project.cli(['upgrade', 'head']);
      expect(run.status).not.toBe(0);
      const line = text.split('\n').findIndex((l) => l.includes("await op.createIndex('t25'")) + 1;
      expect(run.stderr).toContain('revision 25 fails');
      expect(run.stderr).toContain(`${path}:${line}:`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      // SQLite runs a run's revisions in one transaction, a savepoint each: those before the failure stay.
      expect(version()).toEqual([id(24)]);
      ok(['downgrade', 'base']);
      expect(schema()).toBe(before);
    } finally {
      writeFileSync(path, text);
    }
  });
});
