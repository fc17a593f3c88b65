import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeAutogenerate } from '../src/runtime/autogenerate-run.ts';
import { openMigrationEnv, runStamp, runUpgrade, type RunnerOptions } from '../src/runtime/runner.ts';

/** computeAutogenerate: Prisma schema vs. live SQLite database, refusing when the database is behind. */

let root: string;
let versions: string;

const quiet: RunnerOptions = { out: () => undefined, log: () => undefined };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'revise-rt-ag-'));
  versions = join(root, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  mkdirSync(join(root, 'prisma'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'rt-ag', private: true, type: 'module', revise: { excludeTables: ['legacy'] } }));
  writeFileSync(
    join(root, 'prisma', 'schema.prisma'),
    `datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int
}

model legacy {
  id Int @id
}
`,
  );
  writeFileSync(
    join(versions, 'a1a1a1a1a1a1_users.ts'),
    `/** users */
export const revision = 'a1a1a1a1a1a1';
export const downRevision = null;
export async function upgrade(op: any) {
  await op.createTable({ name: 'User', columns: [
    { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
    { name: 'email', type: 'TEXT', nullable: false },
  ], primaryKey: { columns: ['id'] }, indexes: [{ name: 'User_email_key', columns: ['email'], unique: true }] });
}
export async function downgrade(op: any) { await op.dropTable('User'); }
`,
  );
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('computeAutogenerate', () => {
  it('refuses when the database is not at the heads, like Alembic', async () => {
    const env = await openMigrationEnv({ cwd: root, url: `file:${join(root, 'dev.db')}` });
    await expect(computeAutogenerate(env)).rejects.toThrow(/^Target database is not up to date\.$/);
  });

  it('compares the Prisma schema with the migrated database', async () => {
    const env = await openMigrationEnv({ cwd: root, url: `file:${join(root, 'dev.db')}` });
    await runUpgrade(env, 'head', quiet);
    const result = await computeAutogenerate(env);
    expect(result.provider).toBe('sqlite');
    // Post is missing; User is already there; the excluded table is ignored on both sides.
    expect(result.operations.map((o) => o.kind)).toEqual(['createTable']);
    expect(result.operations[0]).toMatchObject({ kind: 'createTable', table: { name: 'Post' } });
    expect(result.current.tables.map((t) => t.name)).toEqual(['User']);
    expect(result.target.tables.map((t) => t.name).sort()).toEqual(['Post', 'User']);
    expect(result.upgrade.additive.join('\n')).toContain('op.createTable');
    expect(result.downgrade.destructive.join('\n') + result.downgrade.additive.join('\n')).toContain('op.dropTable');
  });

  it('refuses when the schema provider and the URL disagree', async () => {
    writeFileSync(join(root, 'prisma', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id\n}\n');
    const env = await openMigrationEnv({ cwd: root, url: `file:${join(root, 'dev.db')}` });
    await runStamp(env, ['head'], quiet);
    await expect(computeAutogenerate(env)).rejects.toThrow(/provider is "postgresql" but the database URL is for sqlite/);
  });
});
