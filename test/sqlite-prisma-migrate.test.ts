/**
 * Operations compiled by the SQLite dialect take a database Prisma created
 * from schema A to exactly what Prisma expects for schema B (Prisma's engine
 * is the judge), keeping the rows.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { TableModel } from '../src/model/types.js';
import { apply, introspect, openDb, table, tempDir } from './sqlite-helpers.js';
import { expectNoDrift, prismaDrift, prismaReferenceSql, meaningfulSql } from './support/prisma-oracle.js';

const tmp = tempDir('revise-sqlite-migrate-');
afterAll(() => tmp.cleanup());

const before = `
datasource db {
  provider = "sqlite"
}
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  posts Post[]
}
model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
`;

const after = `
datasource db {
  provider = "sqlite"
}
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  fullName  String   @default("anon")
  age       Int      @default(0)
  createdAt DateTime @default(now())
  posts     Post[]

  @@index([createdAt(sort: Desc)])
}
model Post {
  id       Int     @id @default(autoincrement())
  title    String
  body     String?
  authorId Int
  author   User    @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId])
}
model Tag {
  key   String @id
  label String
}
`;

const tag: TableModel = {
  name: 'Tag',
  columns: [
    { name: 'key', type: 'TEXT', nullable: false },
    { name: 'label', type: 'TEXT', nullable: false },
  ],
  primaryKey: { columns: ['key'] },
  indexes: [],
  foreignKeys: [],
};

describe('SQLite migration judged by Prisma', () => {
  test('schema A -> schema B through batchAlterTable / createTable, rows kept', async () => {
    const file = path.join(tmp.dir, 'm.db');
    const conn = await openDb(tmp.dir, 'm.db');
    await conn.execute(await prismaReferenceSql(before, 'sqlite'));
    await expectNoDrift({ schemaText: before, url: `file:${file}` });
    await conn.execute(`INSERT INTO "User" ("email", "name") VALUES ('a@x', 'Ann'), ('b@x', NULL)`);
    await conn.execute(`INSERT INTO "Post" ("title", "authorId") VALUES ('p1', 1), ('p2', 2)`);
    // Prisma sees work to do before.
    expect(meaningfulSql(await prismaDrift({ schemaText: after, url: `file:${file}` }))).not.toBe('');

    const user = { name: 'User' };
    await apply(conn, {
      kind: 'batchAlterTable',
      table: user,
      recreate: 'auto',
      ops: [
        { kind: 'renameColumn', table: user, from: 'name', to: 'fullName' },
        {
          kind: 'alterColumn',
          table: user,
          from: { name: 'fullName', type: 'TEXT', nullable: true },
          to: { name: 'fullName', type: 'TEXT', nullable: false, default: "'anon'" },
        },
        { kind: 'addColumn', table: user, column: { name: 'age', type: 'INTEGER', nullable: false, default: '0' } },
        { kind: 'addColumn', table: user, column: { name: 'createdAt', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' } },
        { kind: 'createIndex', table: user, index: { name: 'User_createdAt_idx', columns: [{ name: 'createdAt', sort: 'DESC' }], unique: false } },
      ],
    });
    const post = { name: 'Post' };
    const fk = (await table(conn, 'Post')).foreignKeys[0]!;
    await apply(conn, {
      kind: 'batchAlterTable',
      table: post,
      recreate: 'auto',
      ops: [
        { kind: 'addColumn', table: post, column: { name: 'body', type: 'TEXT', nullable: true } },
        { kind: 'dropForeignKey', table: post, foreignKey: fk },
        { kind: 'addForeignKey', table: post, foreignKey: { ...fk, onDelete: 'CASCADE' } },
        { kind: 'createIndex', table: post, index: { name: 'Post_authorId_idx', columns: [{ name: 'authorId' }], unique: false } },
      ],
    });
    await apply(conn, { kind: 'createTable', table: tag });

    await expectNoDrift({ schemaText: after, url: `file:${file}` });
    expect(await conn.query('SELECT "email", "fullName", "age" FROM "User" ORDER BY "id"')).toEqual([
      { email: 'a@x', fullName: 'Ann', age: 0 },
      { email: 'b@x', fullName: 'anon', age: 0 },
    ]);
    expect(await conn.query('SELECT "title", "authorId", "body" FROM "Post" ORDER BY "id"')).toEqual([
      { title: 'p1', authorId: 1, body: null },
      { title: 'p2', authorId: 2, body: null },
    ]);
    // AUTOINCREMENT carries on after the rebuild.
    await conn.execute(`INSERT INTO "User" ("email") VALUES ('c@x')`);
    expect(await conn.query(`SELECT "id" FROM "User" WHERE "email" = 'c@x'`)).toEqual([{ id: 3 }]);
    await conn.close();
  });

  test('and back: the inverse operations return to schema A', async () => {
    const file = path.join(tmp.dir, 'back.db');
    const conn = await openDb(tmp.dir, 'back.db');
    await conn.execute(await prismaReferenceSql(after, 'sqlite'));
    await conn.execute(`INSERT INTO "User" ("email", "fullName") VALUES ('a@x', 'Ann')`);
    await conn.execute(`INSERT INTO "Post" ("title", "authorId", "body") VALUES ('p1', 1, 'text')`);
    const model = await introspect(conn);
    const userShape = model.tables.find((t) => t.name === 'User')!;
    const postShape = model.tables.find((t) => t.name === 'Post')!;
    const user = { name: 'User' };
    const post = { name: 'Post' };
    await apply(conn, { kind: 'dropTable', table: tag });
    await apply(conn, {
      kind: 'batchAlterTable',
      table: post,
      recreate: 'auto',
      ops: [
        { kind: 'dropIndex', table: post, index: postShape.indexes[0]! },
        { kind: 'dropForeignKey', table: post, foreignKey: postShape.foreignKeys[0]! },
        { kind: 'addForeignKey', table: post, foreignKey: { ...postShape.foreignKeys[0]!, onDelete: 'RESTRICT' } },
        { kind: 'dropColumn', table: post, column: postShape.columns.find((c) => c.name === 'body')! },
      ],
    });
    await apply(conn, {
      kind: 'batchAlterTable',
      table: user,
      recreate: 'auto',
      ops: [
        { kind: 'dropIndex', table: user, index: userShape.indexes.find((i) => i.name === 'User_createdAt_idx')! },
        { kind: 'dropColumn', table: user, column: userShape.columns.find((c) => c.name === 'createdAt')! },
        { kind: 'dropColumn', table: user, column: userShape.columns.find((c) => c.name === 'age')! },
        {
          kind: 'alterColumn',
          table: user,
          from: { name: 'fullName', type: 'TEXT', nullable: false, default: "'anon'" },
          to: { name: 'fullName', type: 'TEXT', nullable: true },
        },
        { kind: 'renameColumn', table: user, from: 'fullName', to: 'name' },
      ],
    });
    await expectNoDrift({ schemaText: before, url: `file:${file}` });
    expect(await conn.query('SELECT "email", "name" FROM "User"')).toEqual([{ email: 'a@x', name: 'Ann' }]);
    expect(await conn.query('SELECT "title" FROM "Post"')).toEqual([{ title: 'p1' }]);
    await conn.close();
  });
});
