/**
 * A history longer than one chain part (chain.ts PART_SIZE) through the built
 * CLI: the parts are loaded as the run reaches them, each with its own code
 * cache, the same schema on every round trip, an irreversible revision in a
 * later part refuses a downgrade before anything runs, and parts that no
 * longer load give way to their files.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PART_SIZE } from '../src/runtime/chain.ts';
import { describeRun, makeProject } from './support/e2e.ts';
import { sqliteSchema, sqliteVersions, writeTableChain } from './support/sqlite-chain.ts';

const COUNT = PART_SIZE + 44;
const IRREVERSIBLE = PART_SIZE + 24;
const project = makeProject({ provider: 'sqlite' });
afterAll(() => project.cleanup());
const id = (i: number) => `p${String(i).padStart(11, '0')}`;
const paths = writeTableChain(project, COUNT, id);
const irreversibleFile = paths[IRREVERSIBLE]!;
const reversibleText = readFileSync(irreversibleFile, 'utf8');
appendFileSync(irreversibleFile, `export const irreversible = 'its rows are gone';\n`);

const cache = join(project.dir, 'node_modules', '.cache', 'revise');
const cacheFiles = (pattern: RegExp) => readdirSync(cache).filter((name) => pattern.test(name)).sort();

const schema = () => sqliteSchema(project.url);
const version = () => sqliteVersions(project.url);
function ok(args: string[]): string {
  const run = project.cli(args);
  expect(run.status, describeRun(run)).toBe(0);
  return run.stderr;
}

describe('a history of several chain parts on SQLite', () => {
  it('runs part after part, each with its code cache, and the same schema on every round trip', () => {
    ok(['upgrade', 'head']);
    const atHead = schema();
    expect(version()).toEqual([id(COUNT - 1)]);
    const parts = cacheFiles(/\.p\d+\.bundle\.cjs$/);
    expect(parts).toHaveLength(2);
    expect(cacheFiles(/\.v8cache$/)).toEqual(parts.map((part) => `${part}.v8cache`));
    expect(cacheFiles(/\.parts\.json$/)).toHaveLength(1);

    // Down past the irreversible revision is refused whole, before anything runs.
    for (const part of parts) writeFileSync(join(cache, part), 'throw new Error("a part was loaded");\n');
    const refused = project.cli(['downgrade', 'base']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`Revision ${id(IRREVERSIBLE)} is irreversible: its rows are gone; nothing was downgraded`);
    expect(version()).toEqual([id(COUNT - 1)]);
    expect(schema()).toBe(atHead);

    // A part that no longer loads (here: damaged) gives way to its files, one by one.
    ok(['downgrade', id(IRREVERSIBLE)]);
    expect(version()).toEqual([id(IRREVERSIBLE)]);
    expect(schema()).not.toBe(atHead);
    ok(['upgrade', 'head']);
    expect(schema()).toBe(atHead);

    // Reversible again: a new chain, and the whole way down and up.
    writeFileSync(irreversibleFile, reversibleText);
    const log = ok(['downgrade', 'base']);
    expect(log.match(/Running downgrade/g)).toHaveLength(COUNT);
    expect(version()).toEqual([]);
    expect((JSON.parse(schema()) as Array<{ name: string }>).map((row) => row.name)).toEqual(['alembic_version']);
    expect(cacheFiles(/\.p\d+\.bundle\.cjs$/)).toHaveLength(2);
    expect(cacheFiles(/\.p\d+\.bundle\.cjs$/)).not.toEqual(parts);
    ok(['upgrade', 'head']);
    expect(schema()).toBe(atHead);
    ok(['downgrade', 'base']);
    ok(['upgrade', 'head']);
    expect(schema()).toBe(atHead);
  });
});
