/**
 * `--tag` (Alembic's context.get_tag_argument()): handed to every revision as
 * `op.tag`, online and offline, on upgrade and downgrade; documented in --help.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downgrade, stamp, upgrade } from '../src/index.js';
import { describeRun, ensureBuilt, runCli } from './support/e2e.js';

const dir = mkdtempSync(join(tmpdir(), 'revise-tag-'));
const dbPath = join(dir, 'app.db');
const url = `file:${dbPath}`;
const quiet = { out: () => undefined, log: () => undefined };

beforeAll(() => {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tag', private: true, type: 'module' }));
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(
    join(versions, 'r1_seen.ts'),
    [
      "export const revision = 'r1';",
      'export const downRevision = null;',
      'export async function upgrade(op: any) {',
      "  await op.execute('CREATE TABLE seen (step TEXT, tag TEXT)');",
      "  await op.execute('INSERT INTO seen VALUES (?, ?)', ['up1', op.tag ?? null]);",
      '}',
      'export async function downgrade(op: any) {',
      "  await op.execute('DROP TABLE seen');",
      '}',
    ].join('\n'),
  );
  // What a tag is for: a revision that skips its data back-fill when asked.
  writeFileSync(
    join(versions, 'r2_backfill.ts'),
    [
      "export const revision = 'r2';",
      "export const downRevision = 'r1';",
      'export async function upgrade(op: any) {',
      "  if (op.tag === 'schema-only') return;",
      "  await op.execute('INSERT INTO seen VALUES (?, ?)', ['up2', op.tag ?? null]);",
      '}',
      'export async function downgrade(op: any) {',
      "  await op.execute('INSERT INTO seen VALUES (?, ?)', ['down2', op.tag ?? null]);",
      '}',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rows(): Array<{ step: string; tag: string | null }> {
  const db = new Database(dbPath);
  try {
    return db.prepare('SELECT step, tag FROM seen ORDER BY rowid').all() as Array<{ step: string; tag: string | null }>;
  } finally {
    db.close();
  }
}

describe('--tag reaches revisions as op.tag', () => {
  it('online: upgrade and downgrade see the tag; without one it is undefined', async () => {
    await upgrade({ cwd: dir, url, target: 'r1', ...quiet });
    await upgrade({ cwd: dir, url, target: 'head', tag: 'nightly', ...quiet });
    await downgrade({ cwd: dir, url, target: '-1', tag: 'rollback-7', ...quiet });
    expect(rows()).toEqual([
      { step: 'up1', tag: null },
      { step: 'up2', tag: 'nightly' },
      { step: 'down2', tag: 'rollback-7' },
    ]);
    await upgrade({ cwd: dir, url, tag: 'schema-only', ...quiet });
    expect(rows()).toHaveLength(3);
    // stamp runs no revision: the tag is accepted and changes nothing.
    await stamp({ cwd: dir, url, revisions: ['r1'], tag: 'x', ...quiet });
    await downgrade({ cwd: dir, url, target: 'base', ...quiet });
  });

  it('offline: the tag decides what the script contains', async () => {
    const script = async (tag?: string) => {
      const lines: string[] = [];
      await upgrade({ cwd: dir, url, target: 'head', sql: true, ...(tag ? { tag } : {}), out: (l) => lines.push(l), log: () => undefined });
      return lines.join('\n');
    };
    expect(await script('nightly')).toContain("INSERT INTO seen VALUES ('up2', 'nightly')");
    const schemaOnly = await script('schema-only');
    expect(schemaOnly).toContain("INSERT INTO seen VALUES ('up1', 'schema-only')");
    expect(schemaOnly).not.toContain("'up2'");
    expect(await script()).toContain("INSERT INTO seen VALUES ('up1', NULL)");
  });

  it('CLI: --tag is documented in --help and passed through', () => {
    ensureBuilt();
    for (const command of ['upgrade', 'downgrade', 'stamp']) {
      const help = runCli([command, '--help'], { cwd: dir });
      expect(help.stdout, command).toMatch(/--tag=<value>[\s\S]*op\.tag/);
    }
    const run = runCli(['upgrade', 'head', '--tag', 'from-cli'], { cwd: dir, env: { DATABASE_URL: url } });
    expect(run.status, describeRun(run)).toBe(0);
    expect(rows()).toEqual([
      { step: 'up1', tag: 'from-cli' },
      { step: 'up2', tag: 'from-cli' },
    ]);
  }, 180_000);
});
