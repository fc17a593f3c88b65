import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReviseError, maskUrl } from '../errors.js';
import type { Dialect } from '../dialect/types.js';

/** A database `revise test` made for itself: its URL, and how to remove it again. */
export interface ScratchDatabase {
  url: string;
  /** What to show: the URL with its password masked. */
  label: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database of the project's kind: SQLite, a file in a new temp
 * folder; PostgreSQL and MySQL, `revise_test_<random>` on the server `serverUrl` names
 * (the project's database URL or `--url`), dropped again afterwards. Nothing
 * of the project's own database is touched.
 */
export async function createScratchDatabase(dialect: Dialect, serverUrl: string): Promise<ScratchDatabase> {
  if (dialect.name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'revise-test-'));
    const file = join(dir, 'scratch.db');
    // An empty file is an empty SQLite database: every connection finds it, none has to create it.
    writeFileSync(file, '');
    return { url: `file:${file}`, label: file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `revise_test_${randomBytes(6).toString('hex')}`;
  const server = new URL(serverUrl);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const q = dialect.quoteIdentifier;
  // Any database of the server will do for CREATE/DROP DATABASE: the configured one, else the maintenance one.
  const admin = async (sql: string): Promise<void> => {
    let lastError: unknown;
    for (const database of [server.pathname.replace(/^\//, ''), dialect.name === 'postgresql' ? 'postgres' : 'mysql']) {
      if (database === '' || database === name) continue;
      const at = new URL(serverUrl);
      at.pathname = `/${database}`;
      let connection;
      try {
        connection = await dialect.connect(at.toString(), { access: 'existing' });
      } catch (err) {
        lastError = err;
        continue;
      }
      try {
        await connection.execute(sql);
        return;
      } finally {
        await connection.close();
      }
    }
    throw new ReviseError(
      `revise test: cannot reach the ${dialect.name === 'postgresql' ? 'PostgreSQL' : 'MySQL'} server of ${maskUrl(serverUrl)} to create a scratch database (${lastError instanceof Error ? lastError.message.split('\n')[0] : String(lastError)})`,
    );
  };
  await admin(`CREATE DATABASE ${q(name)}`);
  return {
    url: url.toString(),
    label: maskUrl(url.toString()),
    // PostgreSQL refuses to drop a database with sessions left; FORCE ends them (MySQL drops regardless).
    drop: () => admin(`DROP DATABASE IF EXISTS ${q(name)}${dialect.name === 'postgresql' ? ' WITH (FORCE)' : ''}`),
  };
}
