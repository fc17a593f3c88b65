import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { postgresTypeMap } from '../src/dialect/postgres/type-map.js';
import { sqliteTypeMap } from '../src/dialect/sqlite/type-map.js';
import type { TypeMap } from '../src/dialect/types.js';
import type { DatabaseModel, ReferentialAction } from '../src/model/types.js';
import { qualifiedName } from '../src/model/types.js';
import { loadSchema } from '../src/schema/load.js';
import { operatorClassSql, schemaToModel } from '../src/schema/to-model.js';
import { fixturePath, prismaReferenceSql } from './support/prisma-oracle.js';

// ---------------------------------------------------------------------------
// A reader for the SQL Prisma's engine writes (its exact, regular layout).

interface RefColumn { name: string; type: string; notNull: boolean; default?: string; autoincrement: boolean; isList: boolean }
interface RefTable {
  key: string;
  columns: RefColumn[];
  pk?: { name?: string; columns: string[] };
  indexes: Array<{ name: string; unique: boolean; using?: string; columns: Array<{ name: string; sort?: string; opclass?: string }> }>;
  fks: Array<{ name: string; columns: string[]; ref: string; refColumns: string[]; onDelete: string; onUpdate: string }>;
}
interface RefModel { tables: Map<string, RefTable>; enums: Map<string, string[]> }

const NAME = String.raw`(?:"([^"]+)"\.)?"([^"]+)"`;
const key = (schema: string | undefined, name: string) => (schema ? `${schema}.${name}` : name);
const names = (list: string) => [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
const SERIAL: Record<string, string> = { SERIAL: 'INTEGER', BIGSERIAL: 'BIGINT', SMALLSERIAL: 'SMALLINT' };

function parseFk(text: string) {
  const m = new RegExp(String.raw`CONSTRAINT "([^"]+)" FOREIGN KEY \(([^)]*)\) REFERENCES ${NAME} ?\(([^)]*)\) ON DELETE (.+?) ON UPDATE (.+?)$`).exec(text)!;
  return { name: m[1], columns: names(m[2]), ref: key(m[3], m[4]), refColumns: names(m[5]), onDelete: m[6], onUpdate: m[7] };
}

function parseReferenceSql(sql: string): RefModel {
  const model: RefModel = { tables: new Map(), enums: new Map() };
  for (const m of sql.matchAll(new RegExp(String.raw`CREATE TYPE ${NAME} AS ENUM \(([^)]*)\);`, 'g'))) {
    model.enums.set(key(m[1], m[2]), [...m[3].matchAll(/'([^']*)'/g)].map((v) => v[1]));
  }
  for (const m of sql.matchAll(new RegExp(String.raw`CREATE TABLE ${NAME} \(\n([\s\S]*?)\n\);`, 'g'))) {
    const table: RefTable = { key: key(m[1], m[2]), columns: [], indexes: [], fks: [] };
    for (const raw of m[3].split('\n')) {
      const line = raw.trim().replace(/,$/, '');
      if (line === '') continue;
      if (line.startsWith('CONSTRAINT') && line.includes('FOREIGN KEY')) table.fks.push(parseFk(line));
      else if (/PRIMARY KEY \(/.test(line)) {
        const pk = /^(?:CONSTRAINT "([^"]+)" )?PRIMARY KEY \((.*)\)$/.exec(line)!;
        table.pk = { name: pk[1], columns: names(pk[2]) };
      } else {
        const c = /^"([^"]+)" (.+?)( NOT NULL)?(?: DEFAULT (.+?))?( PRIMARY KEY)?( AUTOINCREMENT)?$/.exec(line)!;
        let type = c[2];
        const isList = type.endsWith('[]');
        if (isList) type = type.slice(0, -2);
        const serial = SERIAL[type];
        table.columns.push({
          name: c[1],
          type: serial ?? type,
          notNull: c[3] !== undefined,
          default: c[4],
          autoincrement: serial !== undefined || c[6] !== undefined,
          isList,
        });
        if (c[5]) table.pk = { columns: [c[1]] };
      }
    }
    model.tables.set(table.key, table);
  }
  for (const m of sql.matchAll(new RegExp(String.raw`CREATE (UNIQUE )?INDEX "([^"]+)" ON ${NAME}(?: USING (\w+) )?\((.*)\);`, 'g'))) {
    const columns = m[6].split(', ').map((part) => {
      const c = /^"([^"]+)"(?: (ASC|DESC))?(?: (\w+))?$/.exec(part)!;
      const col: { name: string; sort?: string; opclass?: string } = { name: c[1] };
      if (c[2] === 'DESC') col.sort = 'DESC';
      if (c[3]) col.opclass = c[3];
      return col;
    });
    const index: RefTable['indexes'][number] = { name: m[2], unique: m[1] !== undefined, columns };
    if (m[5]) index.using = m[5].toLowerCase();
    model.tables.get(key(m[3], m[4]))!.indexes.push(index);
  }
  for (const m of sql.matchAll(new RegExp(String.raw`ALTER TABLE ${NAME} ADD (CONSTRAINT .*);`, 'g'))) {
    model.tables.get(key(m[1], m[2]))!.fks.push(parseFk(m[3]));
  }
  return model;
}

/** The parts of a model the reference SQL shows, in the reference's shape, for a deep equality check. */
function project(model: DatabaseModel, typeMap: TypeMap) {
  const tables = new Map<string, RefTable>();
  for (const t of model.tables) {
    const table: RefTable = {
      key: qualifiedName(t),
      columns: t.columns.map((c) => {
        const col: RefColumn = {
          name: c.name,
          type: c.enumType ? `"${c.enumType.schema ? `${c.enumType.schema}"."` : ''}${c.enumType.name}"` : typeMap.normalizeType(c.type),
          notNull: !c.nullable,
          default: c.default,
          autoincrement: c.autoincrement === true,
          isList: c.isList === true,
        };
        return col;
      }),
      indexes: t.indexes.map((i) => {
        const index: RefTable['indexes'][number] = {
          name: i.name,
          unique: i.unique,
          columns: i.columns.map((c) => {
            const col: { name: string; sort?: string; opclass?: string } = { name: c.name };
            if (c.sort === 'DESC') col.sort = 'DESC';
            if (c.opclass) col.opclass = c.opclass;
            return col;
          }),
        };
        if (i.using) index.using = i.using;
        return index;
      }),
      fks: t.foreignKeys.map((f) => ({
        name: f.name,
        columns: f.columns,
        ref: key(f.referencedSchema, f.referencedTable),
        refColumns: f.referencedColumns,
        onDelete: f.onDelete,
        onUpdate: f.onUpdate,
      })),
    };
    if (t.primaryKey) table.pk = { name: t.primaryKey.name, columns: t.primaryKey.columns };
    tables.set(table.key, table);
  }
  return tables;
}

function normalizeRef(ref: RefModel, typeMap: TypeMap) {
  for (const t of ref.tables.values()) {
    for (const c of t.columns) {
      if (!c.type.startsWith('"')) c.type = typeMap.normalizeType(c.type);
      if (c.isList) c.notNull = false;
    }
  }
  return ref;
}

const sortBy = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));

/** Compares everything but defaults (compared separately, through the type map's normaliser). */
function expectSameShape(actual: Map<string, RefTable>, expected: Map<string, RefTable>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, want] of expected) {
    const got = actual.get(k)!;
    const strip = (cols: RefColumn[]) => cols.map(({ default: _d, ...rest }) => rest);
    expect({ table: k, columns: strip(got.columns) }).toEqual({ table: k, columns: strip(want.columns) });
    expect({ table: k, pk: got.pk }).toEqual({ table: k, pk: want.pk });
    expect({ table: k, indexes: sortBy(got.indexes) }).toEqual({ table: k, indexes: sortBy(want.indexes) });
    expect({ table: k, fks: sortBy(got.fks) }).toEqual({ table: k, fks: sortBy(want.fks) });
  }
}

/**
 * Where Prisma's SQL text and the type map's (introspection-shaped) default
 * legitimately differ: PostgreSQL stores a `timestamp without time zone`
 * literal without the ` +00:00` Prisma writes.
 */
const KNOWN_DEFAULT_SPELLINGS = new Set(['AllDefaults.fixedDate']);

function expectSameDefaults(actual: Map<string, RefTable>, expected: Map<string, RefTable>, typeMap: TypeMap) {
  const mismatches: string[] = [];
  for (const [k, want] of expected) {
    for (const w of want.columns) {
      if (typeMap === postgresTypeMap && KNOWN_DEFAULT_SPELLINGS.has(`${k}.${w.name}`)) continue;
      const g = actual.get(k)!.columns.find((c) => c.name === w.name)!;
      const norm = (d: string | undefined) => (d === undefined ? undefined : typeMap.normalizeDefault(d, { type: w.type }));
      if (norm(g.default) !== norm(w.default)) mismatches.push(`${k}.${w.name}: ${g.default} vs Prisma ${w.default}`);
    }
  }
  expect(mismatches).toEqual([]);
}

// ---------------------------------------------------------------------------

const tmp = mkdtempSync(path.join(os.tmpdir(), 'revise-schema-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let counter = 0;

async function modelOf(schemaText: string) {
  const file = path.join(tmp, `s${counter++}.prisma`);
  writeFileSync(file, schemaText);
  const schema = await loadSchema(file);
  const typeMap = schema.provider === 'sqlite' ? sqliteTypeMap : postgresTypeMap;
  return { schema, typeMap, ...schemaToModel(schema, typeMap) };
}

describe('schemaToModel against the reference SQL of Prisma 7.10', () => {
  for (const [fixture, typeMap] of [
    ['sqlite', sqliteTypeMap],
    ['postgresql', postgresTypeMap],
    ['postgresql-multischema', postgresTypeMap],
  ] as const) {
    test(`${fixture}: tables, columns, keys, indexes, foreign keys, enums`, async () => {
      const schema = await loadSchema(fixturePath('prisma-reference', `${fixture}.prisma`));
      const { model } = schemaToModel(schema, typeMap);
      const ref = normalizeRef(parseReferenceSql(readFileSync(fixturePath('prisma-reference', `${fixture}.sql`), 'utf8')), typeMap);
      expect(ref.tables.size).toBeGreaterThan(3);
      expectSameShape(project(model, typeMap), ref.tables);
      expect(new Map(model.enums.map((e) => [qualifiedName(e), e.values]))).toEqual(ref.enums);
    });

    test(`${fixture}: defaults equal after the type map's normalisation`, async () => {
      const schema = await loadSchema(fixturePath('prisma-reference', `${fixture}.prisma`));
      const { model } = schemaToModel(schema, typeMap);
      const ref = normalizeRef(parseReferenceSql(readFileSync(fixturePath('prisma-reference', `${fixture}.sql`), 'utf8')), typeMap);
      expectSameDefaults(project(model, typeMap), ref.tables, typeMap);
    });
  }
});

/** Loads a schema, asks Prisma's engine for its SQL, and compares. */
async function expectLikePrisma(schemaText: string) {
  const { model, typeMap, schema } = await modelOf(schemaText);
  if (schema.provider === 'mysql') throw new Error("Prisma's WASM engine has no MySQL connector");
  const ref = normalizeRef(parseReferenceSql(await prismaReferenceSql(schemaText, schema.provider)), typeMap);
  expectSameShape(project(model, typeMap), ref.tables);
  return model;
}

describe('edge cases, judged by Prisma’s engine', () => {
  test('PostgreSQL: long m2m relation name, long multi-byte names truncated at 63 bytes', async () => {
    const model = await expectLikePrisma(`datasource db {
  provider = "postgresql"
}
model Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {
  id Int @id
  bs Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb[]
}
model Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb {
  id String @id
  as Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa[]
}
model Short {
  id Int @id
  ms Medium[] @relation("SixtyOneCharactersLongRelationNameXXXXXXXXXXXXXXXXXXXXXXXXXX")
}
model Medium {
  id Int @id
  ss Short[] @relation("SixtyOneCharactersLongRelationNameXXXXXXXXXXXXXXXXXXXXXXXXXX")
}
model Edge {
  id Int    @id
  c  String
  @@index([c])
  @@map("TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT")
}
model Doc {
  id   Int    @id
  body String
  tags String[]
  @@index([body(ops: raw("text_pattern_ops"))])
  @@index([tags(ops: ArrayOps)], type: Gin)
  @@index([body], type: Hash, map: "doc_hash")
  @@index([id(sort: Desc), body(sort: Asc)])
}
model Grusse {
  id                        Int    @id
  strasseMitUmlautenÄÖÜäöüß String @map("straße_mit_umlauten_äöüäöüßßßßßßßßßßßßßßßßßßßßß")
  other                     String
  @@index([strasseMitUmlautenÄÖÜäöüß, other])
  @@map("grüße_tabelle_mit_einem_sehr_langen_namen")
}
`);
    expect(model.tables.find((t) => t.name.startsWith('_Aaaa'))!.name.length).toBe(63);
    expect(model.tables.find((t) => t.name.startsWith('TTTT'))!.indexes[0].name).toBe(`${'T'.repeat(58)}__idx`);
  });

  test('composite and optional foreign keys: default referential actions', async () => {
    const model = await expectLikePrisma(`datasource db {
  provider = "postgresql"
}
model Parent {
  a Int
  b Int
  kids Kid[]
  opt  OptKid[]
  @@id([a, b])
}
model Kid {
  id Int @id
  pa Int
  pb Int?
  parent Parent? @relation(fields: [pa, pb], references: [a, b])
}
model OptKid {
  id Int @id
  pa Int?
  pb Int?
  parent Parent? @relation(fields: [pa, pb], references: [a, b], onUpdate: NoAction)
}
`);
    const fk = (t: string) => model.tables.find((x) => x.name === t)!.foreignKeys[0];
    expect([fk('Kid').onDelete, fk('Kid').onUpdate]).toEqual<ReferentialAction[]>(['RESTRICT', 'CASCADE']);
    expect([fk('OptKid').onDelete, fk('OptKid').onUpdate]).toEqual<ReferentialAction[]>(['SET NULL', 'NO ACTION']);
  });

  test('SQLite: Int @id is the rowid alias (AUTOINCREMENT), a composite Int id is not', async () => {
    const model = await expectLikePrisma(`datasource db {
  provider = "sqlite"
}
model A {
  id Int @id
}
model B {
  x Int
  y Int
  @@id([x, y])
}
model C {
  id BigInt @id @default(autoincrement())
}
`);
    expect(model.tables.find((t) => t.name === 'A')!.columns[0].autoincrement).toBe(true);
    expect(model.tables.find((t) => t.name === 'B')!.columns[0].autoincrement).toBeUndefined();
    expect(model.tables.find((t) => t.name === 'C')!.columns[0].autoincrement).toBeUndefined();
  });
});

test('operator classes: Prisma names to SQL spelling, raw ones unchanged', () => {
  expect(operatorClassSql('JsonbPathOps')).toBe('jsonb_path_ops');
  expect(operatorClassSql('Int4MinMaxMultiOps')).toBe('int4_minmax_multi_ops');
  expect(operatorClassSql('TimestampTzBloomOps')).toBe('timestamptz_bloom_ops');
  expect(operatorClassSql('TimeTzMinMaxOps')).toBe('timetz_minmax_ops');
  expect(operatorClassSql('VarBitMinMaxOps')).toBe('varbit_minmax_ops');
  expect(operatorClassSql('MacAddr8BloomOps')).toBe('macaddr8_bloom_ops');
  expect(operatorClassSql('PgLsnMinMaxOps')).toBe('pg_lsn_minmax_ops');
  expect(operatorClassSql('gin_trgm_ops')).toBe('gin_trgm_ops');
});

describe('objects the DMMF leaves out', () => {
  test('@@ignore models, @ignore and Unsupported fields are reported, by database name', async () => {
    const { model, ignored } = await modelOf(`datasource db {
  provider = "postgresql"
}
model User {
  id     Int    @id
  secret String @ignore @map("secret_col")
  geo    Unsupported("circle")?
  name   String // a comment with @ignore in it
  @@map("users")
}
model Legacy {
  id Int @id
  @@ignore
  @@map("legacy_table")
}
`);
    expect(ignored.tables).toEqual(['legacy_table']);
    expect(ignored.columns).toEqual({ users: ['secret_col', 'geo'] });
    expect(model.tables.map((t) => t.name)).toEqual(['users']);
    expect(model.tables[0].columns.map((c) => c.name)).toEqual(['id', 'name']);
  });

  test('indexes on @ignore and Unsupported fields are kept, with the mapped column names', async () => {
    const { model, ignored } = await modelOf(`datasource db {
  provider = "postgresql"
}
model A {
  id  Int                    @id
  geo Unsupported("circle")? @map("geo_col")
  sec String                 @unique @ignore
  @@index([geo])
}
`);
    expect(ignored.columns).toEqual({ A: ['geo_col', 'sec'] });
    expect(model.tables[0].indexes.map((i) => [i.name, i.columns[0].name])).toEqual([
      ['A_sec_key', 'sec'],
      ['A_geo_col_idx', 'geo_col'],
    ]);
  });

  test('multiSchema: ignored tables and columns are schema-qualified', async () => {
    const { ignored, model } = await modelOf(`datasource db {
  provider = "postgresql"
  schemas  = ["app", "old"]
}
model A {
  id Int @id
  x  Unsupported("point")
  @@schema("app")
}
model B {
  id Int @id
  @@ignore
  @@schema("old")
}
`);
    expect(ignored).toEqual({ tables: ['old.B'], columns: { 'app.A': ['x'] }, partialIndexes: true });
    expect(model.tables[0].schema).toBe('app');
  });

  test('relationMode = "prisma": no foreign keys, join table keys stay', async () => {
    const { model } = await modelOf(`datasource db {
  provider     = "postgresql"
  relationMode = "prisma"
}
model Post {
  id       Int   @id
  authorId Int
  author   User  @relation(fields: [authorId], references: [id])
  tags     Tag[]
  @@index([authorId])
}
model User {
  id    Int    @id
  posts Post[]
}
model Tag {
  id    Int    @id
  posts Post[]
}
`);
    expect(model.tables.flatMap((t) => t.foreignKeys)).toEqual([]);
    expect(model.tables.find((t) => t.name === '_PostToTag')!.primaryKey).toEqual({ name: '_PostToTag_AB_pkey', columns: ['A', 'B'] });
  });

  test('SQLite: no enums in the model, enum columns are TEXT', async () => {
    const { model } = await modelOf(`datasource db {
  provider = "sqlite"
}
enum Color {
  RED
  BLUE @map("blue")
}
model T {
  id Int   @id
  c  Color @default(BLUE)
}
`);
    expect(model.enums).toEqual([]);
    expect(model.tables[0].columns[1]).toMatchObject({ type: 'TEXT', default: "'blue'" });
    expect(model.tables[0].columns[1].enumType).toBeUndefined();
  });
});
