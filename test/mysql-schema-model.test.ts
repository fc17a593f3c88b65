/**
 * What a Prisma MySQL schema becomes in the model, without a server: enums on
 * their columns, Prisma's names, the index MySQL makes for a foreign key that
 * no index covers, prefix lengths MySQL would drop, the relationMode =
 * "prisma" index warning, and the risk notes where MySQL copies a table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mysqlRiskNotes } from '../src/dialect/mysql/risk.ts';
import { mysqlTypeMap } from '../src/dialect/mysql/type-map.ts';
import { loadSchema } from '../src/schema/load.ts';
import { schemaToModel } from '../src/schema/to-model.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'revise-mysql-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
async function model(text: string) {
  const file = path.join(tmp, `s${n++}.prisma`);
  writeFileSync(file, text);
  return schemaToModel(await loadSchema(file), mysqlTypeMap);
}

describe('Prisma MySQL schema -> model', () => {
  test('enums inline, implicit foreign-key indexes, prefix lengths MySQL keeps', async () => {
    const { model: m, warnings } = await model(`datasource db {
  provider = "mysql"
}
enum Role {
  USER
  ADMIN @map("admin")
}
model User {
  id    Int    @id @default(autoincrement())
  role  Role   @default(ADMIN)
  kind  Role
  bio   String @db.Text
  code  String @db.VarChar(50)
  posts Post[]

  @@index([bio(length: 100), code(length: 50)])
}
model Post {
  id       Int  @id
  authorId Int
  editorId Int
  author   User @relation("a", fields: [authorId], references: [id])
  editor   User @relation("e", fields: [editorId], references: [id])
  user     User? @relation(fields: [userId], references: [id])
  userId   Int?

  @@index([editorId, id])
}
`.replace('  posts Post[]', '  posts Post[] @relation("a")\n  edits Post[] @relation("e")\n  others Post[]'));
    const user = m.tables.find((t) => t.name === 'User')!;
    expect(user.columns.find((c) => c.name === 'role')).toEqual({ name: 'role', type: "ENUM('USER','admin')", nullable: false, default: "'admin'" });
    expect(m.enums).toEqual([]);
    expect(user.primaryKey).toEqual({ columns: ['id'] });
    // VARCHAR(50) with length 50: MySQL keeps no prefix (nor on an ENUM, which Prisma 5+ refuses), so neither does the model.
    expect(user.indexes).toEqual([{ name: 'User_bio_code_idx', columns: [{ name: 'bio', length: 100 }, { name: 'code' }], unique: false }]);
    const post = m.tables.find((t) => t.name === 'Post')!;
    // authorId and userId have no index: MySQL makes one named after the key; editorId's is led by Post_editorId_id_idx.
    expect(post.indexes.map((i) => i.name).sort()).toEqual(['Post_authorId_fkey', 'Post_editorId_id_idx', 'Post_userId_fkey']);
    expect(warnings).toEqual([]);
  });

  test('relationMode = "prisma": no foreign keys, no implicit indexes, and Prisma\'s warning', async () => {
    const { model: m, warnings } = await model(`datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}
model User {
  id    Int    @id
  posts Post[]
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`);
    const post = m.tables.find((t) => t.name === 'Post')!;
    expect(post.foreignKeys).toEqual([]);
    expect(post.indexes).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('add @@index([authorId]) to model Post')]);
  });
});

describe('MySQL risk notes', () => {
  const existing = { isExistingTable: () => true };
  const column = (type: string) => ({ name: 'c', type, nullable: false });
  test('a type change or an enum value removed copies the table; values appended do not', () => {
    const alter = (from: string, to: string) => mysqlRiskNotes({ kind: 'alterColumn', table: { name: 't' }, from: column(from), to: column(to) }, existing);
    expect(alter("ENUM('A','B')", "ENUM('A','B','C')")).toEqual([]);
    expect(alter("ENUM('A','B')", "ENUM('A')")).toEqual([expect.stringMatching(/removes 'B'.*ALGORITHM=COPY/)]);
    expect(alter('INTEGER', 'BIGINT')).toEqual([expect.stringContaining('from INTEGER to BIGINT')]);
    expect(alter('INTEGER', 'INTEGER')).toEqual([]);
    expect(mysqlRiskNotes({ kind: 'alterColumn', table: { name: 't' }, from: column('INTEGER'), to: column('BIGINT') }, { isExistingTable: () => false })).toEqual([]);
  });
});
