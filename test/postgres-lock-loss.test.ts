/**
 * Losing the PostgreSQL migration lock mid-run: the lock's own session is
 * killed with pg_terminate_backend, and the migration connection must stop
 * (its next statement fails, its transaction rolls back) instead of carrying
 * on while another migrator can take the lock.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReviseError } from '../src/errors.ts';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import type { Connection } from '../src/dialect/types.ts';
import { openMigrationEnv, runUpgrade, type RunnerOptions } from '../src/runtime/runner.ts';
import { adminUrl, createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();

const LOST =
  /^lost the migration lock on PostgreSQL at \S+ \(its connection closed: terminating connection due to administrator command\); stopped so that another migrator cannot run at the same time$/;

describe.skipIf(!available)('losing the PostgreSQL migration lock', () => {
  let db: TempDatabase;
  let admin: pg.Client;
  const connections: Connection[] = [];

  beforeAll(async () => {
    db = await createTempDatabase();
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
  });
  afterEach(async () => {
    for (const c of connections.splice(0)) await c.close();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  async function open(): Promise<Connection> {
    const connection = await postgresDialect.connect(db.url);
    connections.push(connection);
    return connection;
  }

  /** The backend holding the lock, found the way an operator would: by its application name. */
  async function lockBackendPid(): Promise<number> {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE '% (migration lock)'`,
      [db.name],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.pid;
  }

  async function terminate(pid: number): Promise<void> {
    const { rows } = await admin.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
    expect(rows[0]!.done).toBe(true);
  }

  /** Statements keep going only until the lock's session is seen closing; what the first refused one says. */
  async function firstRefusal(connection: Connection): Promise<unknown> {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const error = await connection.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error) return error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the migration connection kept running 5 s after its lock was killed');
  }

  it('fails the next statement and the commit, still rolls back, and lets another migrator take the lock', async () => {
    const connection = await open();
    const release = await connection.acquireMigrationLock({ timeoutMs: 1000 });
    await connection.begin();
    await connection.execute('CREATE TABLE "half_done" ("id" INTEGER)');

    await terminate(await lockBackendPid());
    const error = await firstRefusal(connection);
    expect(error).toBeInstanceOf(ReviseError);
    expect((error as Error).message).toMatch(LOST);
    // For good: writes and the commit are refused too, and the transaction is left open for the rollback.
    await expect(connection.execute('INSERT INTO "half_done" VALUES (1)')).rejects.toThrow(LOST);
    await expect(connection.commit()).rejects.toThrow(LOST);
    expect(connection.inTransaction).toBe(true);
    await connection.rollback();
    expect(connection.inTransaction).toBe(false);
    await expect(release()).resolves.toBeUndefined();

    const next = await open();
    expect(await next.query(`SELECT to_regclass('"half_done"') AS t`)).toEqual([{ t: null }]);
    const releaseNext = await next.acquireMigrationLock({ timeoutMs: 1000 });
    await next.begin();
    await next.execute('CREATE TABLE "done" ("id" INTEGER)');
    await next.commit();
    await releaseNext();
  });

  it('is not tripped by releasing the lock normally', async () => {
    const connection = await open();
    const release = await connection.acquireMigrationLock({ timeoutMs: 1000 });
    await release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await connection.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    const again = await connection.acquireMigrationLock({ timeoutMs: 1000 });
    await again();
  });

  describe('through the runner', () => {
    let root: string;
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    function revisionFile(id: string, down: string | null, message: string, upgrade: string): void {
      writeFileSync(
        join(root, 'migrations', 'versions', `${id}_rev.ts`),
        `/**
 * ${message}
 */
import type { MigrationOps } from 'prisma-revise';
export const revision = '${id}';
export const downRevision: string | null = ${down === null ? 'null' : `'${down}'`};
export async function upgrade(op: MigrationOps): Promise<void> {
${upgrade}
}
export async function downgrade(op: MigrationOps): Promise<void> {}
`,
      );
    }

    async function versionRows(url: string): Promise<string[]> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query('SELECT version_num FROM alembic_version ORDER BY 1')).rows.map((r) => r.version_num);
      } finally {
        await client.end();
      }
    }

    it('rolls the running revision back and leaves alembic_version as it was', async () => {
      root = mkdtempSync(join(tmpdir(), 'revise-lock-loss-'));
      mkdirSync(join(root, 'migrations', 'versions'), { recursive: true });
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'lock-loss', private: true, type: 'module' }));
      revisionFile('a1a1a1a1a1a1', null, 'first', `  await op.execute('CREATE TABLE "kept" ("id" INTEGER)');`);
      // A long data migration: its lock's session is killed, and it must be stopped while it keeps writing.
      revisionFile(
        'b2b2b2b2b2b2',
        'a1a1a1a1a1a1',
        'loses its lock',
        `  await op.execute('CREATE TABLE "audit" ("id" INTEGER)');
  const [holder] = await op.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '% (migration lock)'",
  );
  await op.query('SELECT pg_terminate_backend($1)', [holder!.pid]);
  for (let i = 0; i < 500; i++) {
    await op.execute('INSERT INTO "audit" ("id") VALUES ($1)', [i]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }`,
      );
      const database = await createTempDatabase();
      try {
        const env = await openMigrationEnv({ cwd: root, url: database.url });
        const logs: string[] = [];
        const io: RunnerOptions = { out: () => undefined, log: (line) => void logs.push(line) };
        await expect(runUpgrade(env, 'head', io)).rejects.toThrow(
          /^Revision b2b2b2b2b2b2 \(loses its lock\) failed: lost the migration lock on PostgreSQL at \S+ \(its connection closed: terminating connection due to administrator command\); stopped so that another migrator cannot run at the same time \(at \S+b2b2b2b2b2b2_rev\.ts:\d+:\d+\); rolled back$/,
        );
        expect(logs.at(-1)).toMatch(/Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2, loses its lock$/);
        expect(await versionRows(database.url)).toEqual(['a1a1a1a1a1a1']);
        const check = await postgresDialect.connect(database.url);
        try {
          expect(await check.query(`SELECT to_regclass('"kept"')::text AS kept, to_regclass('"audit"')::text AS audit`)).toEqual([
            { kept: 'kept', audit: null },
          ]);
          // Nothing left holding the lock: the next migrator gets it at once.
          const release = await check.acquireMigrationLock({ timeoutMs: 100 });
          await release();
        } finally {
          await check.close();
        }
      } finally {
        await database.drop();
      }
    });
  });
});
