import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import { ReviseError } from '../src/errors.js';
import { tempDir } from './sqlite-helpers.js';

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
