/**
 * The reference SQL under test/fixtures/prisma-reference is what Prisma's own
 * engine writes for the reference schemas. This test keeps the files honest;
 * UPDATE_FIXTURES=1 rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { fixturePath, prismaReferenceSql, type OracleProvider } from './support/prisma-oracle.js';
import { pgAvailable } from './support/prisma-oracle-pg.js';

const fixtures: { name: string; provider: OracleProvider }[] = [
  { name: 'sqlite', provider: 'sqlite' },
  { name: 'postgresql', provider: 'postgresql' },
  { name: 'postgresql-multischema', provider: 'postgresql' },
];

describe('Prisma reference SQL fixtures', async () => {
  // The engine connects even to diff from empty, so PostgreSQL fixtures need the server.
  const hasPg = await pgAvailable();
  for (const { name, provider } of fixtures) {
    test.skipIf(provider === 'postgresql' && !hasPg)(`${name}.sql is what Prisma Migrate writes for ${name}.prisma`, async () => {
      const schema = readFileSync(fixturePath('prisma-reference', `${name}.prisma`), 'utf8');
      const sql = await prismaReferenceSql(schema, provider);
      const sqlPath = fixturePath('prisma-reference', `${name}.sql`);
      if (process.env.UPDATE_FIXTURES) writeFileSync(sqlPath, sql);
      expect(sql).toContain('CREATE TABLE');
      expect(sql).toBe(readFileSync(sqlPath, 'utf8'));
    });
  }

  test('demo.sql is what Prisma Migrate writes for prisma/schema.prisma', async () => {
    const schema = readFileSync(fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url)), 'utf8');
    const sql = await prismaReferenceSql(schema, 'sqlite');
    const sqlPath = fixturePath('prisma-reference', 'demo.sql');
    if (process.env.UPDATE_FIXTURES) writeFileSync(sqlPath, sql);
    expect(sql).toBe(readFileSync(sqlPath, 'utf8'));
  });
});
