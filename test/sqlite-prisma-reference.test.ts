/**
 * The SQLite dialect against Prisma's own output: the reference SQL Prisma's
 * engine writes for test/fixtures/prisma-reference/sqlite.prisma.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sqliteDialect, sqliteTypeMap } from '../src/dialect/sqlite/index.js';
import type { Connection, PrismaFieldType } from '../src/dialect/types.js';
import { findTable, type DatabaseModel } from '../src/model/types.js';
import { apply, introspect, openDb, tempDir } from './sqlite-helpers.js';
import { expectNoDrift, fixturePath } from './support/prisma-oracle.js';

const tmp = tempDir('revise-sqlite-ref-');
const referenceSql = readFileSync(fixturePath('prisma-reference', 'sqlite.sql'), 'utf8');
const referenceSchema = readFileSync(fixturePath('prisma-reference', 'sqlite.prisma'), 'utf8');

/** The reference script's statements, without comments. */
const referenceStatements = referenceSql
  .split(/;\s*\n/)
  .map((s) => s.replace(/^--.*\n/gm, '').trim().replace(/;$/, ''))
  .filter((s) => s !== '');

// Prisma always reports its own SQLite dbgenerated() default as drift (see NOTES.md), so the judge ignores that table.
const externalTables = ['DbGeneratedDefaults'];

let reference: Connection;
let model: DatabaseModel;

beforeAll(async () => {
  reference = await openDb(tmp.dir, 'reference.db');
  await reference.execute(referenceSql);
  model = await introspect(reference);
});

afterAll(async () => {
  await reference.close();
  tmp.cleanup();
});

describe('introspecting a database Prisma created', () => {
  test('keys, autoincrement, defaults, indexes and foreign keys are read as Prisma wrote them', () => {
    const accounts = findTable(model, 'accounts')!;
    expect(accounts.columns[0]).toEqual({ name: 'account_id', type: 'INTEGER', nullable: false, autoincrement: true });
    expect(accounts.primaryKey).toEqual({ columns: ['account_id'] });
    expect(accounts.indexes.find((i) => i.name === 'accounts_tenantId_createdAt_idx')).toEqual({
      name: 'accounts_tenantId_createdAt_idx',
      columns: [{ name: 'tenantId' }, { name: 'createdAt', sort: 'DESC' }],
      unique: false,
    });
    expect(accounts.indexes.map((i) => i.name)).toEqual([
      'accounts_email_key',
      'accounts_firstName_lastName_key',
      'accounts_lastName_idx',
      'accounts_tenantId_createdAt_idx',
      'custom_handle_unique',
      'custom_score_idx',
      'tenant_email_uq',
    ]);
    const defaults = Object.fromEntries(findTable(model, 'AllDefaults')!.columns.map((c) => [c.name, c.default]));
    expect(defaults).toMatchObject({
      str: "'hello'",
      strQuote: `'it''s "quoted"'`,
      strEmpty: "''",
      int: '42',
      intNeg: '-7',
      big: '9007199254740993',
      float: '3.14',
      dec: '12.5',
      bool: 'true',
      boolFalse: 'false',
      created: 'CURRENT_TIMESTAMP',
      fixedDate: "'2020-01-02 03:04:05 +00:00'",
      status: "'published'",
      mapped_column: '1',
    });
    expect(defaults.id).toBeUndefined();
    expect(findTable(model, 'DbGeneratedDefaults')!.columns[1]!.default).toBe('lower(hex(randomblob(16)))');
    const grant = findTable(model, 'Grant')!;
    expect(grant.foreignKeys).toEqual([
      {
        name: 'Grant_accountId_groupId_fkey',
        columns: ['accountId', 'groupId'],
        referencedTable: 'Membership',
        referencedColumns: ['accountId', 'groupId'],
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
    ]);
    const comment = findTable(model, 'Comment')!;
    expect(comment.foreignKeys.map((f) => `${f.name} ${f.onDelete}/${f.onUpdate}`)).toEqual([
      'Comment_postId_fkey CASCADE/CASCADE',
      'Comment_parentId_fkey SET NULL/NO ACTION',
      'Comment_restrictId_fkey RESTRICT/RESTRICT',
      'Comment_noActionId_fkey NO ACTION/SET NULL',
      'Comment_setDefaultId_fkey SET DEFAULT/SET DEFAULT',
      'Comment_mappedFkId_fkey SET NULL/CASCADE',
    ]);
    expect(findTable(model, 'Membership')!.primaryKey).toEqual({ columns: ['accountId', 'groupId'] });
    expect(findTable(model, 'BigId')!.columns).toEqual([{ name: 'id', type: 'BIGINT', nullable: false }]);
    expect(model.tables.map((t) => t.name)).toEqual([...model.tables.map((t) => t.name)].sort());
  });

  test('CREATE TABLE / CREATE INDEX from the introspected model are Prisma\'s statements, character for character', async () => {
    const ours: string[] = [];
    for (const t of model.tables) ours.push(...(await sqliteDialect.compile({ kind: 'createTable', table: t }, { offline: true, getTable: async () => undefined })).map((s) => s.sql));
    // The one spelling that differs: a Decimal default is compared (and written) in canonical form.
    const expected = referenceStatements.map((s) => s.replace('DEFAULT 12.50', 'DEFAULT 12.5'));
    expect([...ours].sort()).toEqual([...expected].sort());
  });
});

describe('recreating the reference from the model', () => {
  test('createTable ops give an identical database, and Prisma sees no drift', async () => {
    const copy = await openDb(tmp.dir, 'copy.db');
    for (const t of model.tables) await apply(copy, { kind: 'createTable', table: t });
    expect(await introspect(copy)).toEqual(model);
    await expectNoDrift({ schemaText: referenceSchema, url: `file:${path.join(tmp.dir, 'copy.db')}`, externalTables });
    await copy.close();
  });

  test('rebuilding every table (copy-and-move) changes nothing Prisma can see and keeps the rows', async () => {
    const copy = await openDb(tmp.dir, 'rebuilt.db');
    await copy.execute(referenceSql);
    await copy.execute(`INSERT INTO "accounts" ("email", "handle", "firstName", "lastName", "tenantId") VALUES ('a@x', 'a', 'A', 'Z', 1)`);
    await copy.execute(`INSERT INTO "Group" ("name") VALUES ('g')`);
    await copy.execute(`INSERT INTO "Membership" ("accountId", "groupId") VALUES (1, 1)`);
    await copy.execute(`INSERT INTO "Grant" ("accountId", "groupId", "permission") VALUES (1, 1, 'read')`);
    for (const t of model.tables) {
      const statements = await apply(copy, { kind: 'batchAlterTable', table: { name: t.name }, recreate: 'always', ops: [] });
      expect(statements[0]!.sql.startsWith(`CREATE TABLE "new_${t.name}"`)).toBe(true);
    }
    expect(await introspect(copy)).toEqual(model);
    expect(await copy.query('SELECT "permission" FROM "Grant"')).toEqual([{ permission: 'read' }]);
    expect(await copy.query('SELECT "role" FROM "Membership"')).toEqual([{ role: 'member' }]);
    await copy.close();
    await expectNoDrift({ schemaText: referenceSchema, url: `file:${path.join(tmp.dir, 'rebuilt.db')}`, externalTables });
  });
});

describe('type map against the reference', () => {
  const field = (type: string, kind: 'scalar' | 'enum' = 'scalar'): PrismaFieldType => ({ type, kind, isList: false });

  test('every scalar type maps to the column type Prisma created', () => {
    const allScalars = findTable(model, 'AllScalars')!;
    const typeOf = (name: string) => allScalars.columns.find((c) => c.name === name)!.type;
    const cases: Array<[string, PrismaFieldType]> = [
      ['str', field('String')],
      ['int', field('Int')],
      ['big', field('BigInt')],
      ['float', field('Float')],
      ['dec', field('Decimal')],
      ['bool', field('Boolean')],
      ['date', field('DateTime')],
      ['json', field('Json')],
      ['bytes', field('Bytes')],
      ['status', field('Status', 'enum')],
    ];
    for (const [column, f] of cases) expect([column, sqliteTypeMap.sqlType(f)]).toEqual([column, typeOf(column)]);
  });

  test('DMMF defaults map to the defaults Prisma created (as introspected)', () => {
    const allDefaults = findTable(model, 'AllDefaults')!;
    const defaultOf = (name: string) => allDefaults.columns.find((c) => c.name === name)!.default;
    // Values as @prisma/prisma-schema-wasm's DMMF hands them over for sqlite.prisma.
    const cases: Array<[string, unknown, PrismaFieldType]> = [
      ['id', { name: 'uuid', args: [4] }, field('String')],
      ['cuidField', { name: 'cuid', args: [1] }, field('String')],
      ['nanoField', { name: 'nanoid', args: [] }, field('String')],
      ['ulidField', { name: 'ulid', args: [] }, field('String')],
      ['str', 'hello', field('String')],
      ['strQuote', 'it\'s "quoted"', field('String')],
      ['strEmpty', '', field('String')],
      ['int', 42, field('Int')],
      ['intNeg', -7, field('Int')],
      ['big', '9007199254740993', field('BigInt')],
      ['float', 3.14, field('Float')],
      ['dec', 12.5, field('Decimal')],
      ['bool', true, field('Boolean')],
      ['boolFalse', false, field('Boolean')],
      ['created', { name: 'now', args: [] }, field('DateTime')],
      ['fixedDate', '2020-01-02T03:04:05+00:00', field('DateTime')],
      ['statusDraft', 'DRAFT', field('Status', 'enum')],
    ];
    for (const [column, value, f] of cases) {
      expect([column, sqliteTypeMap.sqlDefault(value as never, f)]).toEqual([column, defaultOf(column)]);
    }
    expect(sqliteTypeMap.sqlDefault({ name: 'autoincrement', args: [] }, field('Int'))).toBeUndefined();
    expect(sqliteTypeMap.sqlDefault({ name: 'dbgenerated', args: ['(lower(hex(randomblob(16))))'] }, field('String'))).toBe(
      findTable(model, 'DbGeneratedDefaults')!.columns[1]!.default,
    );
  });

  test('normalisation', () => {
    expect(sqliteTypeMap.normalizeType(' varchar ( 10 ,  2 ) ')).toBe('VARCHAR(10,2)');
    expect(sqliteTypeMap.normalizeType('unsigned   big int')).toBe('UNSIGNED BIG INT');
    expect(sqliteTypeMap.normalizeDefault('(current_timestamp)', { type: 'DATETIME' })).toBe('CURRENT_TIMESTAMP');
    expect(sqliteTypeMap.normalizeDefault('TRUE', { type: 'BOOLEAN' })).toBe('true');
    expect(sqliteTypeMap.normalizeDefault('1', { type: 'BOOLEAN' })).toBe('true');
    expect(sqliteTypeMap.normalizeDefault('1', { type: 'INTEGER' })).toBe('1');
    expect(sqliteTypeMap.normalizeDefault('((1.50))', { type: 'REAL' })).toBe('1.5');
    expect(sqliteTypeMap.normalizeDefault('+007', { type: 'INTEGER' })).toBe('7');
    expect(sqliteTypeMap.normalizeDefault('-0.0', { type: 'REAL' })).toBe('0');
    expect(sqliteTypeMap.normalizeDefault('12.000', { type: 'DECIMAL' })).toBe('12');
    expect(sqliteTypeMap.normalizeDefault('0.12345678901234567890123', { type: 'DECIMAL' })).toBe('0.12345678901234567890123');
    expect(sqliteTypeMap.normalizeDefault('1E+3', { type: 'REAL' })).toBe('1e3');
    expect(sqliteTypeMap.normalizeDefault("'a(b)'", { type: 'TEXT' })).toBe("'a(b)'");
    expect(sqliteTypeMap.normalizeDefault('(a) + (b)', { type: 'INTEGER' })).toBe('(a) + (b)');
  });
});

describe('the demo app schema (prisma/schema.prisma)', () => {
  test('introspect -> createTable reproduces Prisma\'s SQL and a drift-free database', async () => {
    const demoSql = readFileSync(fixturePath('prisma-reference', 'demo.sql'), 'utf8');
    const demoSchema = readFileSync(fixturePath('..', '..', 'prisma', 'schema.prisma'), 'utf8');
    const source = await openDb(tmp.dir, 'demo-source.db');
    await source.execute(demoSql);
    const demo = await introspect(source);
    await source.close();

    const statements = demoSql
      .split(/;\s*\n/)
      .map((s) => s.replace(/^--.*\n/gm, '').trim().replace(/;$/, ''))
      .filter((s) => s !== '');
    const ours: string[] = [];
    for (const t of demo.tables) ours.push(...(await sqliteDialect.compile({ kind: 'createTable', table: t }, { offline: true, getTable: async () => undefined })).map((s) => s.sql));
    expect([...ours].sort()).toEqual([...statements].sort());

    const copy = await openDb(tmp.dir, 'demo-copy.db');
    for (const t of demo.tables) await apply(copy, { kind: 'createTable', table: t });
    expect(await introspect(copy)).toEqual(demo);
    await copy.close();
    await expectNoDrift({ schemaText: demoSchema, url: `file:${path.join(tmp.dir, 'demo-copy.db')}` });
  });
});
