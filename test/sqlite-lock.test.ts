import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import { ReviseError } from '../src/errors.js';
import { tempDir } from './sqlite-helpers.js';
import { ensureBuilt, problemLines, runCli, versionRows } from './support/e2e.js';

const tmp = tempDir('revise-sqlite-lock-');
afterAll(() => tmp.cleanup());

/**
 * Another process holding the migration lock the way revise does: an open
 * EXCLUSIVE transaction on `<db>.revise-lock`. Resolves once it holds it.
 */
function holdLockInChild(dbFile: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1] + '.revise-lock');
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); process.exit(0); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['-e', script, dbFile, String(holdMs)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

describe('SQLite migration lock', () => {
  test('a second process waits, then times out with a clear message', async () => {
    const file = path.join(tmp.dir, 'a.db');
    const child = await holdLockInChild(file, 5000);
    const conn = await sqliteDialect.connect(`file:${file}`);
    const started = Date.now();
    const err = await conn.acquireMigrationLock({ timeoutMs: 300 }).catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(err).toBeInstanceOf(ReviseError);
    expect((err as Error).message).toBe(
      `another migration is running on ${file} (lock ${file}.revise-lock still held after 300 ms); try again when it finishes`,
    );
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(3000);
    child.kill();
    await conn.close();
  });

  test('the waiter gets the lock when the holder lets go; a killed holder frees it too', async () => {
    const file = path.join(tmp.dir, 'b.db');
    const child = await holdLockInChild(file, 400);
    const conn = await sqliteDialect.connect(`file:${file}`);
    const release = await conn.acquireMigrationLock({ timeoutMs: 10_000 });
    expect(child.exitCode === 0 || child.exitCode === null).toBe(true);
    await release();

    const killed = await holdLockInChild(file, 60_000);
    killed.kill('SIGKILL');
    const again = await conn.acquireMigrationLock({ timeoutMs: 5000 });
    await again();
    await conn.close();
  });

  test('two connections in one process exclude each other as well', async () => {
    const file = path.join(tmp.dir, 'c.db');
    const a = await sqliteDialect.connect(`file:${file}`);
    const b = await sqliteDialect.connect(`file:${file}`);
    const releaseA = await a.acquireMigrationLock({ timeoutMs: 1000 });
    await expect(b.acquireMigrationLock({ timeoutMs: 150 })).rejects.toThrow(/another migration is running/);
    await releaseA();
    const releaseB = await b.acquireMigrationLock({ timeoutMs: 1000 });
    await releaseB();
    await a.close();
    await b.close();
  });
});

describe('upgrade head and the lock', () => {
  test('a database already at the target needs no lock; one behind it waits for the lock like before', async () => {
    ensureBuilt();
    const dir = path.join(tmp.dir, 'cli');
    mkdirSync(path.join(dir, 'migrations', 'versions'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'lock-cli', private: true, type: 'module' }));
    const rev = (id: string, down: string | null, table: string) =>
      `export const revision = '${id}';\nexport const downRevision = ${down ? `'${down}'` : 'null'};\nexport async function upgrade(op: any) { await op.execute('CREATE TABLE ${table} (x INTEGER)'); }\nexport async function downgrade(op: any) { await op.execute('DROP TABLE ${table}'); }\n`;
    writeFileSync(path.join(dir, 'migrations', 'versions', 'aa11_one.ts'), rev('aa11', null, 'one'));
    const file = path.join(dir, 'app.db');
    const env = { DATABASE_URL: `file:${file}`, REVISE_LOCK_TIMEOUT: '1' };
    expect(runCli(['upgrade', 'head'], { cwd: dir, env }).status).toBe(0);

    const holder = await holdLockInChild(file, 20_000);
    try {
      // At head: answered from the committed version row, without waiting for the holder.
      const noop = runCli(['upgrade', 'head'], { cwd: dir, env });
      expect(noop.status, noop.stderr).toBe(0);
      expect(noop.stderr).not.toContain('Running upgrade');

      // A new revision: the run must take the lock, so it waits (1 s here) and gives up without touching anything.
      writeFileSync(path.join(dir, 'migrations', 'versions', 'bb22_two.ts'), rev('bb22', 'aa11', 'two'));
      const blocked = runCli(['upgrade', 'head'], { cwd: dir, env });
      expect(blocked.status).toBe(1);
      expect(problemLines(blocked.stderr)).toEqual([expect.stringMatching(/^Error: another migration is running on .*app\.db/)]);
      expect(await versionRows('sqlite', `file:${file}`)).toEqual(['aa11']);
    } finally {
      holder.kill();
    }
    expect(runCli(['upgrade', 'head'], { cwd: dir, env }).status).toBe(0);
    expect(await versionRows('sqlite', `file:${file}`)).toEqual(['bb22']);
  }, 60_000);
});
