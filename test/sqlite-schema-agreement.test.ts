/**
 * The two sides autogenerate compares must agree: the model src/schema derives
 * from a Prisma schema (with the SQLite type map) equals what the SQLite
 * introspector reads from the database Prisma builds for that schema.
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, test } from 'vitest';
import { sqliteTypeMap } from '../src/dialect/sqlite/index.js';
import type { DatabaseModel, TableModel } from '../src/model/types.js';
import { loadSchema } from '../src/schema/load.js';
import { schemaToModel } from '../src/schema/to-model.js';
import { introspect, openDb, tempDir } from './sqlite-helpers.js';
import { fixturePath } from './support/prisma-oracle.js';

const tmp = tempDir('revise-sqlite-agree-');
afterAll(() => tmp.cleanup());

/** Order-free view: tables and indexes by name; primary key names are not kept by SQLite. */
function comparable(model: DatabaseModel): DatabaseModel {
  const table = (t: TableModel): TableModel => {
    const out: TableModel = {
      name: t.name,
      columns: t.columns.map((c) => ({ ...c })),
      indexes: [...t.indexes]
        .map((i) => ({ ...i, columns: i.columns.map((c) => (c.sort === 'DESC' ? { name: c.name, sort: 'DESC' as const } : { name: c.name })) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      foreignKeys: [...t.foreignKeys].sort((a, b) => a.name.localeCompare(b.name)),
    };
    if (t.primaryKey) out.primaryKey = { columns: t.primaryKey.columns };
    return out;
  };
  return { tables: model.tables.map(table).sort((a, b) => a.name.localeCompare(b.name)), enums: model.enums };
}

for (const [label, prismaFile, sqlFile] of [
  ['reference', fixturePath('prisma-reference', 'sqlite.prisma'), fixturePath('prisma-reference', 'sqlite.sql')],
  ['demo', fixturePath('..', '..', 'prisma', 'schema.prisma'), fixturePath('prisma-reference', 'demo.sql')],
] as const) {
  test(`${label}: schema model == introspected model of Prisma's database`, async () => {
    const schema = await loadSchema(prismaFile);
    const { model } = schemaToModel(schema, sqliteTypeMap);
    const conn = await openDb(tmp.dir, `${label}.db`);
    await conn.execute(readFileSync(sqlFile, 'utf8'));
    const live = await introspect(conn);
    await conn.close();
    expect(live.tables.length).toBeGreaterThan(3);
    expect(comparable(live)).toEqual(comparable(model));
  });
}
