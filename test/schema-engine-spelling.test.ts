/**
 * What revise reads from a schema where the DMMF says nothing (partial index
 * predicates, datasource extensions, view blocks) and the canonical form it
 * compares predicates in, each checked against Prisma's own engine: the SQL
 * revise would run is the SQL the engine writes for the same schema.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import { sqliteDialect } from '../src/dialect/sqlite/index.ts';
import { canonicalPredicate, indexUsesColumn, mentionsColumn, renameColumnIn } from '../src/model/sql-text.ts';
import { loadSchema } from '../src/schema/load.ts';
import { schemaToModel } from '../src/schema/to-model.ts';
import { prismaReferenceSql } from './support/prisma-oracle.ts';
import { pgAvailable } from './support/postgres.ts';

const pg = await pgAvailable();
const dir = mkdtempSync(join(tmpdir(), 'revise-spelling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function model(text: string) {
  const path = join(dir, `s${n++}.prisma`);
  writeFileSync(path, text);
  const loaded = await loadSchema(path);
  return schemaToModel(loaded, (loaded.provider === 'sqlite' ? sqliteDialect : postgresDialect).typeMap);
}

const WHERES = [
  `{ published: true }`,
  `{ kind: "it's" }`,
  `{ deletedAt: null }`,
  `{ deletedAt: { not: null } }`,
  `{ kind: { not: "draft" } }`,
  `{ score: 1.5, published: false }`,
  `raw("\\"deletedAt\\" IS NULL AND score > 0")`,
];

describe.each([
  { provider: 'sqlite' as const, enabled: true },
  { provider: 'postgresql' as const, enabled: pg },
])('partial index predicates as Prisma writes them: $provider', ({ provider, enabled }) => {
  const schema = (where: string, attribute = 'index') => `generator client {
  provider        = "prisma-client"
  previewFeatures = ["partialIndexes"]
}
datasource db {
  provider = "${provider}"
}
model Post {
  id        Int       @id
  slug      String    ${attribute === 'field' ? `@unique(where: ${where})` : ''}
  published Boolean
  deletedAt DateTime?
  score     Float
  kind      String    @map("post_kind")
  ${attribute === 'index' ? `@@index([slug], where: ${where})` : attribute === 'unique' ? `@@unique([slug, kind], map: "Post_live_key", where: ${where})` : ''}
}
`;

  it.skipIf(!enabled).each(WHERES.flatMap((w) => ['index', 'unique', 'field'].map((a) => [w, a] as const)))('where: %s on %s', async (where, attribute) => {
    const text = schema(where, attribute);
    const { model: m, ignored } = await model(text);
    expect(ignored.partialIndexes).toBe(false);
    const index = m.tables[0]!.indexes[0]!;
    const dialect = provider === 'sqlite' ? sqliteDialect : postgresDialect;
    const [statement] = await dialect.compile({ kind: 'createIndex', table: { name: 'Post' }, index }, { offline: true, getTable: async () => undefined });
    const reference = (await prismaReferenceSql(text, provider)).split('\n').filter((l) => /INDEX/.test(l));
    expect(reference).toHaveLength(1);
    // The engine puts no space between the table and its key list on PostgreSQL either; compare the rest exactly.
    expect(statement!.sql.replace(/" \(/, '"(')).toBe(reference[0]!.replace(/;$/, ''));
  });

  it.skipIf(!enabled)('without the preview feature there is no predicate, and the database\'s partial indexes are left alone', async () => {
    const { model: m, ignored } = await model(schema('', 'none').replace(/previewFeatures = \[[^\]]*\]/, 'previewFeatures = []'));
    expect(m.tables[0]!.indexes).toEqual([]);
    expect(ignored.partialIndexes).toBe(true);
  });
});

describe('canonical predicates: the spellings Prisma and the databases use compare equal', () => {
  it.each([
    ['("published" = true AND "deletedAt" IS NULL)', '((published = true) AND ("deletedAt" IS NULL))'],
    [`("post_kind" != 'draft')`, `((post_kind)::text <> 'draft'::text)`],
    [`("post_kind" = 'it''s')`, `(post_kind = 'it''s'::text)`],
    ['("score" = 1.5)', '(score = 1.5::double precision)'],
    [`("role" = 'ADMIN')`, `(role = 'ADMIN'::"Role")`],
    ['a AND b AND c', '(a AND (b AND c))'],
    ['"deletedAt" IS NOT NULL', 'deletedAt IS NOT NULL'.replace('deletedAt', '"deletedAt"')],
  ])('%s ~ %s', (a, b) => {
    expect(canonicalPredicate(a)).toBe(canonicalPredicate(b));
  });

  it.each([
    ['active', 'active = true'],
    ['a AND (b OR c)', '(a AND b) OR c'],
    ['"deletedAt" IS NULL', 'deletedat IS NULL'],
    [`kind = 'a'`, `kind = 'b'`],
    ['n > 0', 'n >= 0'],
  ])('%s differs from %s', (a, b) => {
    expect(canonicalPredicate(a)).not.toBe(canonicalPredicate(b));
  });

  it('text that does not parse is compared as written (whitespace aside)', () => {
    expect(canonicalPredicate('CASE WHEN a THEN  b END')).toBe('CASE WHEN a THEN b END');
  });
});

describe('columns inside SQL text', () => {
  it('finds a column by name, not a function, type or other name', () => {
    expect(mentionsColumn('lower(email)', 'email')).toBe(true);
    expect(mentionsColumn('lower("Email")', 'email')).toBe(false);
    expect(mentionsColumn(`email_verified AND kind = 'email'`, 'email')).toBe(false);
    expect(mentionsColumn('n::email', 'email')).toBe(false);
    expect(indexUsesColumn({ columns: [{ name: 'slug' }], where: '"deletedAt" IS NULL' }, 'deletedAt')).toBe(true);
  });

  it('renames a column and keeps everything else as written; renaming back gives the text back', () => {
    const text = `lower(email) || 'email' || "email"`;
    const renamed = renameColumnIn(text, 'email', 'mail');
    expect(renamed).toBe(`lower(mail) || 'email' || "mail"`);
    expect(renameColumnIn(renameColumnIn('email IS NOT NULL', 'email', 'mail'), 'mail', 'email')).toBe('email IS NOT NULL');
    expect(renameColumnIn('lower(email)', 'email', 'eMail')).toBe('lower("eMail")');
  });
});

describe('the datasource, view blocks and what needs an extension', () => {
  it.skipIf(!pg)('extensions as listed (map, version, schema), in the order Prisma reads them; needed ones with the reason', async () => {
    const text = `generator client {
  provider        = "prisma-client"
  previewFeatures = ["postgresqlExtensions"]
}
datasource db {
  provider   = "postgresql"
  extensions = [pg_trgm, uuid_ossp(map: "uuid-ossp", schema: "ext"), hstore(version: "1.8")]
}
model Account {
  id    String @id @default(dbgenerated("uuid_generate_v4()")) @db.Uuid
  email String @db.Citext
  name  String

  @@index([name(ops: raw("gin_trgm_ops"))], type: Gin)
}
`;
    const { model: m } = await model(text);
    expect(m.extensions).toEqual([
      { name: 'pg_trgm' },
      { name: 'uuid-ossp', schema: 'ext' },
      { name: 'hstore', version: '1.8' },
      { name: 'citext', requiredBy: 'the CITEXT type of Account.email' },
    ]);
    // Prisma's engine creates the listed ones (and only those), spelt as revise spells them.
    const reference = (await prismaReferenceSql(text, 'postgresql')).split('\n').filter((l) => l.startsWith('CREATE EXTENSION'));
    const ours: string[] = [];
    for (const extension of m.extensions!.filter((x) => !x.requiredBy)) {
      const statements = await postgresDialect.compile({ kind: 'createExtension', extension }, { offline: true, getTable: async () => undefined });
      ours.push(...statements.map((s) => `${s.sql};`).filter((s) => s.startsWith('CREATE EXTENSION')));
    }
    expect(ours.sort()).toEqual(reference.sort());
    const statements = await postgresDialect.compile({ kind: 'createExtension', extension: { name: 'uuid-ossp', schema: 'ext' } }, { offline: true, getTable: async () => undefined });
    expect(statements[0]!.sql).toBe('CREATE SCHEMA IF NOT EXISTS "ext"');
  });

  it('a view block is no table and no foreign key target; its name is left alone', async () => {
    const { model: m, ignored } = await model(`generator client {
  provider        = "prisma-client"
  previewFeatures = ["views"]
}
datasource db {
  provider = "sqlite"
}
model User {
  id     Int       @id
  infoId Int?
  info   UserInfo? @relation(fields: [infoId], references: [id])
}
view UserInfo {
  id    Int    @unique
  users User[]
  @@map("user_info")
}
`);
    expect(m.tables.map((t) => t.name)).toEqual(['User']);
    expect(m.tables[0]!.foreignKeys).toEqual([]);
    expect(ignored.tables).toEqual(['user_info']);
  });
});
