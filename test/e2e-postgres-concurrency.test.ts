/**
 * Many deploys at once: 8 `revise upgrade head` processes race on one
 * database (PostgreSQL, and the same on SQLite), three times on a fresh
 * database; every revision must run exactly once and every process exit 0.
 * And crashes: a revision that throws halfway, or a process killed halfway,
 * leaves schema and alembic_version as they were, and the lock is free again.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeRun,
  makeProject,
  problemLines,
  snapshot,
  versionRows,
  withDb,
  writeRevision,
  type E2EProject,
  type Provider,
} from './support/e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();
const PROCESSES = 8;
const ROUNDS = 3;
const REVS = ['c10000000001', 'c20000000002', 'c30000000003', 'c40000000004', 'c50000000005'];
const HEAD = REVS[REVS.length - 1]!;

/** Each revision does some DDL and logs itself once in "log"; one sleeps to widen the race window. */
function writeRaceRevisions(p: E2EProject): void {
  const log = (rev: string) => `await op.execute('INSERT INTO "log" ("rev") VALUES (\\'${rev}\\')');`;
  writeRevision(
    p,
    REVS[0]!,
    null,
    `await op.createTable({ name: 'log', columns: [{ name: 'rev', type: 'TEXT', nullable: false }] });\n  ${log(REVS[0]!)}`,
    `await op.dropTable('log');`,
  );
  writeRevision(
    p,
    REVS[1]!,
    REVS[0]!,
    `await op.addColumn('log', { name: 'note', type: 'TEXT', nullable: true });\n  await new Promise((r) => setTimeout(r, 150));\n  ${log(REVS[1]!)}`,
    `await op.dropColumn('log', 'note');`,
  );
  writeRevision(
    p,
    REVS[2]!,
    REVS[1]!,
    `await op.createTable({ name: 'other', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });\n  ${log(REVS[2]!)}`,
    `await op.dropTable('other');`,
  );
  writeRevision(p, REVS[3]!, REVS[2]!, `await op.createIndex('log', { name: 'log_rev_idx', columns: ['rev'] });\n  ${log(REVS[3]!)}`, `await op.dropIndex('log', 'log_rev_idx');`);
  writeRevision(p, REVS[4]!, REVS[3]!, log(REVS[4]!));
}

async function logRows(provider: Provider, url: string): Promise<string[]> {
  return withDb(provider, url, async (db) => (await db.query<{ rev: string }>('SELECT "rev" FROM "log" ORDER BY "rev"')).map((r) => r.rev));
}

const providers: Array<{ provider: Provider; enabled: boolean }> = [
  { provider: 'postgresql', enabled: available },
  { provider: 'sqlite', enabled: true },
];

describe.each(providers)('concurrent upgrades and crashes on $provider', ({ provider, enabled }) => {
  let p: E2EProject;
  const databases: TempDatabase[] = [];
  let sqliteNo = 0;

  async function freshUrl(): Promise<string> {
    if (provider === 'sqlite') return `file:${join(p.dir, `race-${++sqliteNo}.db`)}`;
    const db = await createTempDatabase();
    databases.push(db);
    return db.url;
  }

  beforeAll(() => {
    if (!enabled) return;
    p = makeProject({ provider, url: provider === 'sqlite' ? undefined : 'postgresql://unused' });
    writeRaceRevisions(p);
  }, 180_000);
  afterAll(async () => {
    p?.cleanup();
    for (const db of databases) await db.drop();
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it.skipIf(!enabled)(`round ${round}: ${PROCESSES} processes run upgrade head at once; each revision runs exactly once`, async () => {
      const url = await freshUrl();
      const runs = await Promise.all(Array.from({ length: PROCESSES }, () => p.cliAsync(['upgrade', 'head'], { DATABASE_URL: url })));
      for (const run of runs) {
        expect(run.status, describeRun(run)).toBe(0);
        expect(problemLines(run.stderr), describeRun(run)).toEqual([]);
      }
      const ran = runs.flatMap((run) => run.stderr.split('\n').filter((line) => line.includes('Running upgrade')));
      expect(ran).toHaveLength(REVS.length);
      expect(await logRows(provider, url)).toEqual(REVS);
      expect(await versionRows(provider, url)).toEqual([HEAD]);
    });
  }

  describe('crashes', () => {
    let url: string;
    const CRASH = 'd00000000bad';
    beforeAll(async () => {
      if (!enabled) return;
      url = await freshUrl();
      const up = p.cli(['upgrade', 'head'], { DATABASE_URL: url });
      if (up.status !== 0) throw new Error(describeRun(up));
    });

    // DDL, a row, more DDL; then `tail` (throw, or the process dies).
    const halfway = (tail: string) =>
      `await op.createTable({ name: 'crash', columns: [{ name: 'id', type: 'INTEGER', nullable: false }] });
  await op.execute('INSERT INTO "log" ("rev") VALUES (\\'crash\\')');
  await op.addColumn('log', { name: 'extra', type: 'INTEGER', nullable: true });
  await op.alterColumn('log', 'note', { default: "'n/a'", existing: { type: 'TEXT', nullable: true } });
  ${tail}`;

    it.skipIf(!enabled)('a revision that throws halfway leaves schema and alembic_version as they were', async () => {
      const before = await snapshot(provider, url);
      const file = writeRevision(p, CRASH, HEAD, halfway(`throw new Error('disk full (simulated)');`));
      try {
        const run = p.cli(['upgrade', 'head'], { DATABASE_URL: url });
        expect(run.status, describeRun(run)).toBe(1);
        expect(problemLines(run.stderr)).toEqual([expect.stringMatching(/^Error: Revision d00000000bad .*disk full \(simulated\).*rolled back$/)]);
        expect(await snapshot(provider, url)).toEqual(before);
        expect(await logRows(provider, url)).toEqual(REVS);
      } finally {
        rmSync(file);
      }
    });

    it.skipIf(!enabled)('a process killed halfway leaves schema and alembic_version as they were, and frees the lock', async () => {
      const before = await snapshot(provider, url);
      const file = writeRevision(p, CRASH, HEAD, halfway(`process.kill(process.pid, 'SIGKILL');\n  await new Promise((r) => setTimeout(r, 10_000));`));
      try {
        const run = await p.cliAsync(['upgrade', 'head'], { DATABASE_URL: url });
        expect(run.status, describeRun(run)).toBe(-1); // killed by a signal
        expect(run.stderr).toContain(`Running upgrade ${HEAD} -> ${CRASH}`);
        expect(await snapshot(provider, url)).toEqual(before);
        expect(await logRows(provider, url)).toEqual(REVS);
      } finally {
        rmSync(file);
      }
      // The same revision, now working: the lock must be free and the upgrade must go through.
      writeRevision(p, CRASH, HEAD, `await op.execute('INSERT INTO "log" ("rev") VALUES (\\'fixed\\')');`);
      try {
        const started = Date.now();
        const run = p.cli(['upgrade', 'head'], { DATABASE_URL: url });
        expect(run.status, describeRun(run)).toBe(0);
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(await versionRows(provider, url)).toEqual([CRASH]);
        expect(await logRows(provider, url)).toEqual([...REVS, 'fixed'].sort());
      } finally {
        rmSync(join(p.versionsDir, `${CRASH}_hand.ts`));
      }
    });
  });
});
