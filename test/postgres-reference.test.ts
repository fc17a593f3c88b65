/**
 * The PostgreSQL dialect against Prisma's own reference DDL
 * (test/fixtures/prisma-reference/postgresql*.sql): introspecting a database
 * built from it, rebuilding it from the introspected model with revise's DDL,
 * matching Prisma's SQL spelling, and Prisma's engine seeing no drift.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseModel } from '../src/model/types.ts';
import type { Operation } from '../src/operations/types.ts';
import type { CompileContext, Connection, PrismaFieldType } from '../src/dialect/types.ts';
import { postgresDialect } from '../src/dialect/postgres/index.ts';
import { loadSchema } from '../src/schema/load.ts';
import { schemaToModel } from '../src/schema/to-model.ts';
import { expectNoDrift, fixturePath } from './support/prisma-oracle.ts';
import { createTempDatabase, pgAvailable, urlForDatabase, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();
const context: CompileContext = { getTable: async () => undefined, offline: false };

/** Fixture SQL as single statements, without comments or the trailing `;`. */
function statementsOf(sql: string): string[] {
  return sql
    .split(/;\n/)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.startsWith('--'))
        .join('\n')
        .trim()
        .replace(/;$/, ''),
    )
    .filter((s) => s !== '');
}

/** Same content in a fixed order, so models built from different sources compare with toEqual. */
function canonical(model: DatabaseModel): DatabaseModel {
  const key = (o: { schema?: string; name: string }) => `${o.schema ?? ''}.${o.name}`;
  const byKey = <T extends { schema?: string; name: string }>(items: T[]) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return {
    enums: byKey(model.enums),
    tables: byKey(model.tables).map((t) => ({
      ...t,
      indexes: byKey(t.indexes),
      foreignKeys: byKey(t.foreignKeys),
    })),
  };
}

/** Prisma's order: enums, tables (with their indexes), then every foreign key. */
function rebuildOperations(model: DatabaseModel): Operation[] {
  const ops: Operation[] = model.enums.map((e) => ({ kind: 'createEnum', enum: e }));
  for (const table of model.tables) ops.push({ kind: 'createTable', table: { ...table, foreignKeys: [] } });
  for (const table of model.tables) {
    for (const foreignKey of table.foreignKeys) {
      ops.push({ kind: 'addForeignKey', table: { schema: table.schema, name: table.name }, foreignKey });
    }
  }
  return ops;
}

async function compileAll(ops: Operation[]): Promise<string[]> {
  const out: string[] = [];
  for (const op of ops) for (const s of await postgresDialect.compile(op, context)) out.push(s.sql);
  return out;
}

async function runAll(connection: Connection, sql: string[]): Promise<void> {
  await connection.begin();
  for (const statement of sql) await connection.execute(statement);
  await connection.commit();
}

interface Case {
  name: string;
  fixture: string;
  schemas?: string[];
  urlParams?: Record<string, string>;
}

const cases: Case[] = [
  { name: 'single schema', fixture: 'postgresql' },
  { name: 'multiSchema', fixture: 'postgresql-multischema', schemas: ['audit', 'base'], urlParams: { schema: 'base' } },
];

for (const testCase of cases) {
  const sqlPath = fixturePath('prisma-reference', `${testCase.fixture}.sql`);
  const prismaPath = fixturePath('prisma-reference', `${testCase.fixture}.prisma`);
  describe.skipIf(!available || !existsSync(sqlPath))(`PostgreSQL reference DDL (${testCase.name})`, () => {
    const fixtureSql = existsSync(sqlPath) ? readFileSync(sqlPath, 'utf8') : '';
    const dbs: TempDatabase[] = [];
    let original: DatabaseModel;
    let rebuilt: DatabaseModel;
    let compiled: string[];
    let rebuiltUrl: string;

    beforeAll(async () => {
      const a = await createTempDatabase();
      const b = await createTempDatabase();
      dbs.push(a, b);
      const connA = await postgresDialect.connect(urlForDatabase(a.name, testCase.urlParams ?? {}));
      await connA.execute(fixtureSql);
      original = await postgresDialect.introspect(connA, { schemas: testCase.schemas });
      await connA.close();

      rebuiltUrl = urlForDatabase(b.name, testCase.urlParams ?? {});
      const connB = await postgresDialect.connect(rebuiltUrl);
      await postgresDialect.prepareForMigration(connB);
      for (const schema of testCase.schemas ?? []) await connB.execute(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      compiled = await compileAll(rebuildOperations(original));
      await runAll(connB, compiled);
      rebuilt = await postgresDialect.introspect(connB, { schemas: testCase.schemas });
      await connB.close();
    }, 60_000);

    afterAll(async () => {
      for (const db of dbs) await db.drop();
    });

    it('introspects every table, enum, key and index', () => {
      const tableCount = statementsOf(fixtureSql).filter((s) => s.startsWith('CREATE TABLE')).length;
      const indexCount = statementsOf(fixtureSql).filter((s) => /^CREATE (UNIQUE )?INDEX/.test(s)).length;
      const fkCount = statementsOf(fixtureSql).filter((s) => s.includes('FOREIGN KEY')).length;
      expect(original.tables).toHaveLength(tableCount);
      expect(original.tables.flatMap((t) => t.indexes)).toHaveLength(indexCount);
      expect(original.tables.flatMap((t) => t.foreignKeys)).toHaveLength(fkCount);
      expect(original.tables.every((t) => t.primaryKey)).toBe(true);
      expect(original.enums.length).toBe(statementsOf(fixtureSql).filter((s) => s.startsWith('CREATE TYPE')).length);
      if (testCase.schemas) expect(original.tables.every((t) => t.schema)).toBe(true);
      else expect(original.tables.every((t) => t.schema === undefined)).toBe(true);
    });

    it('rebuilds a database that introspects deep-equal', () => {
      expect(rebuilt).toEqual(original);
    });

    it('writes CREATE TYPE / CREATE INDEX / ADD CONSTRAINT exactly as Prisma does', () => {
      // An explicit `ASC` (sort: Asc) is not visible in the catalog; it is the default order anyway.
      const prisma = new Set(statementsOf(fixtureSql).map((s) => s.replace(/" ASC([,)])/g, '"$1')));
      const ours = compiled.filter((s) => !s.startsWith('CREATE TABLE'));
      const notInPrisma = ours.filter((s) => !prisma.has(s));
      expect(notInPrisma).toEqual([]);
    });

    it('writes CREATE TABLE as Prisma does (defaults in their normalised spelling)', () => {
      // revise writes defaults in the canonical form PostgreSQL reads back; these are Prisma's spellings of the same values.
      const prismaSpelling = (s: string) =>
        s
          .replace("DEFAULT '2020-01-02 03:04:05 +00:00'", "DEFAULT '2020-01-02 03:04:05'")
          .replace('DEFAULT 12.50', 'DEFAULT 12.5');
      const prisma = new Set(statementsOf(fixtureSql).filter((s) => s.startsWith('CREATE TABLE')).map(prismaSpelling));
      const ours = compiled.filter((s) => s.startsWith('CREATE TABLE'));
      // Column order follows the database, which is Prisma's order; compare whole statements.
      expect(ours.filter((s) => !prisma.has(s))).toEqual([]);
      expect(ours).toHaveLength(prisma.size);
    });

    it('equals the model revise derives from the Prisma schema (autogenerate finds nothing to do)', async () => {
      const { model } = schemaToModel(await loadSchema(prismaPath), postgresDialect.typeMap);
      expect(canonical(original)).toEqual(canonical(model));
    });

    it('Prisma sees no drift on the rebuilt database', async () => {
      await expectNoDrift({ schemaText: readFileSync(prismaPath, 'utf8'), url: rebuiltUrl });
    }, 60_000);

    it('the type map derives the introspected types and defaults from the Prisma schema', async () => {
      const wasm = (await import('@prisma/prisma-schema-wasm')) as unknown as {
        get_dmmf(params: string): string;
        default?: { get_dmmf(params: string): string };
      };
      const getDmmf = wasm.get_dmmf ?? wasm.default!.get_dmmf;
      const dmmf = JSON.parse(getDmmf(JSON.stringify({ prismaSchema: [['schema.prisma', readFileSync(prismaPath, 'utf8')]] })));
      const enums = new Map<string, { dbName: string | null; schema?: string; values: Array<{ name: string; dbName: string | null }> }>(
        dmmf.datamodel.enums.map((e: { name: string }) => [e.name, e]),
      );
      const typeMap = postgresDialect.typeMap;
      let checked = 0;
      for (const model of dmmf.datamodel.models) {
        const table = original.tables.find((t) => t.name === (model.dbName ?? model.name) && (!model.schema || t.schema === model.schema));
        expect(table, model.name).toBeDefined();
        for (const field of model.fields) {
          if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
          const column = table!.columns.find((c) => c.name === (field.dbName ?? field.name));
          expect(column, `${model.name}.${field.name}`).toBeDefined();
          const prismaField: PrismaFieldType = {
            type: field.type,
            kind: field.kind,
            isList: field.isList,
            ...(field.nativeType ? { nativeType: { name: field.nativeType[0], args: field.nativeType[1] } } : {}),
          };
          const enumInfo = field.kind === 'enum' ? enums.get(field.type) : undefined;
          const enumSqlName = enumInfo ? (enumInfo.dbName ?? field.type) : undefined;
          const mapValue = (v: unknown) => enumInfo?.values.find((e) => e.name === v)?.dbName ?? v;
          const value = field.default === undefined ? undefined : Array.isArray(field.default) ? field.default.map(mapValue) : mapValue(field.default);
          const where = `${model.name}.${field.name}`;
          expect(typeMap.sqlType(prismaField, enumSqlName), where).toBe(column!.type);
          expect(Boolean(column!.isList), where).toBe(field.isList);
          const expectedDefault = value === undefined ? undefined : typeMap.sqlDefault(value, prismaField, enumSqlName);
          expect(expectedDefault, where).toBe(column!.default);
          const isAutoincrement = field.default?.name === 'autoincrement';
          expect(Boolean(column!.autoincrement), where).toBe(isAutoincrement);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(10);
    });
  });
}
