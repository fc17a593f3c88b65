/**
 * The apply path's shortcuts on SQLite give exactly what the long way gives:
 * a plain addColumn / dropColumn compiled from one probe (no table shape)
 * yields the statements compiled from the introspected shape, or defers to
 * it; introspecting one table (`tables: [name]`) reads it as a full
 * introspection does.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import type { CompileContext, Connection } from '../src/dialect/types.js';
import type { Operation } from '../src/operations/types.js';
import { onlineContext, openDb, tempDir } from './sqlite-helpers.js';

const tmp = tempDir('revise-sqlite-fast-');
afterAll(() => tmp.cleanup());

/** The executor's online context: the introspected shape, plus the probe. */
function probingContext(conn: Connection, hiddenTables: string[] = ['alembic_version']): CompileContext & { probes: number; shapes: number } {
  const shapeOf = onlineContext(conn).getTable;
  const context = {
    offline: false,
    probes: 0,
    shapes: 0,
    getTable: (ref: Parameters<CompileContext['getTable']>[0]) => {
      context.shapes++;
      return shapeOf(ref);
    },
    probe: {
      query: (sql: string, params: unknown[]) => {
        context.probes++;
        return conn.query(sql, params);
      },
      hiddenTables,
    },
  };
  return context;
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (statements) => ({ statements }),
    (error: Error) => ({ error: `${error.constructor.name}: ${error.message}` }),
  );
}

async function seeded(): Promise<Connection> {
  const conn = await openDb(tmp.dir);
  await conn.execute(`
    CREATE TABLE "Parent" ("id" INTEGER NOT NULL PRIMARY KEY);
    CREATE TABLE "T" (
      "id" INTEGER NOT NULL PRIMARY KEY,
      "plain" TEXT,
      "indexed" TEXT,
      "inPredicate" TEXT,
      "parentId" INTEGER,
      "uniq" TEXT,
      UNIQUE ("uniq"),
      CONSTRAINT "T_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE SET NULL ON UPDATE CASCADE
    );
    CREATE INDEX "T_indexed_idx" ON "T"("indexed");
    CREATE TABLE "E" ("id" INTEGER NOT NULL PRIMARY KEY, "inExpression" TEXT, "other" TEXT);
    CREATE INDEX "E_expr_idx" ON "E"(lower("inExpression"));
    CREATE TABLE "alembic_version" (version_num VARCHAR(32) NOT NULL);
    CREATE VIRTUAL TABLE "docs" USING fts5(body);
  `);
  return conn;
}

const add = (table: string, name: string, extra: object = {}): Operation => ({
  kind: 'addColumn',
  table: { name: table },
  column: { name, type: 'TEXT', nullable: true, ...extra },
});
const drop = (table: string, name: string): Operation => ({
  kind: 'dropColumn',
  table: { name: table },
  column: { name, type: '', nullable: true },
});

const index = (table: string, name: string, columns: string[], extra: object = {}): Operation => ({
  kind: 'createIndex',
  table: { name: table },
  index: { name, columns: columns.map((c) => ({ name: c })), unique: false, ...extra },
});
const dropIndex = (table: string, name: string): Operation => ({
  kind: 'dropIndex',
  table: { name: table },
  index: { name, columns: [], unique: false },
});

describe('plain addColumn / dropColumn without the table shape', () => {
  test('same statements or the same refusal as from the shape, for every kind of column', async () => {
    const conn = await seeded();
    const cases: Array<[Operation, 'probe' | 'shape' | 'hidden']> = [
      [add('T', 'extra'), 'probe'],
      [add('T', 'withDefault', { nullable: false, default: "'x'" }), 'probe'],
      [add('T', 'needsRebuild', { nullable: false }), 'shape'],
      [add('T', 'nowDefault', { default: 'CURRENT_TIMESTAMP' }), 'shape'],
      [add('Nope', 'x'), 'probe'],
      // Hidden from migrations: refused from the list alone, before any query.
      [add('alembic_version', 'x'), 'hidden'],
      [add('docs', 'x'), 'probe'],
      [add('docs_data', 'x'), 'probe'],
      [add('sqlite_master', 'x'), 'probe'],
      [drop('T', 'plain'), 'probe'],
      [drop('T', 'indexed'), 'shape'],
      // An expression key may name any column: the shape reads it.
      [drop('E', 'inExpression'), 'shape'],
      [drop('E', 'other'), 'shape'],
      [drop('T', 'parentId'), 'shape'],
      [drop('T', 'uniq'), 'shape'],
      [drop('T', 'id'), 'shape'],
      [drop('T', 'missing'), 'shape'],
      [drop('Nope', 'x'), 'probe'],
      [index('T', 'T_plain_idx', ['plain']), 'probe'],
      [index('T', 'T_pair_idx', ['plain', 'indexed'], { unique: true, where: '"plain" IS NOT NULL' }), 'probe'],
      [index('Nope', 'Nope_idx', ['x']), 'probe'],
      [index('T', 'sqlite_autoindex_T_9', ['plain']), 'shape'],
      [dropIndex('T', 'T_indexed_idx'), 'probe'],
      [dropIndex('T', 'E_expr_idx'), 'shape'],
      [dropIndex('T', 'missing_idx'), 'shape'],
      [dropIndex('T', 'sqlite_autoindex_T_1'), 'shape'],
      [dropIndex('Nope', 'T_indexed_idx'), 'probe'],
      [{ kind: 'renameColumn', table: { name: 'T' }, from: 'plain', to: 'renamed' }, 'shape'],
    ];
    for (const [op, way] of cases) {
      const fast = probingContext(conn);
      const viaProbe = await outcome(sqliteDialect.compile(op, fast));
      const viaShape = await outcome(sqliteDialect.compile(op, onlineContext(conn)));
      expect({ op, result: viaProbe }).toEqual({ op, result: viaShape });
      // 'probe': decided by the probe alone; 'shape': the shape decided (the probe deferred to it, or was not asked).
      if (way === 'probe') expect({ op, probes: fast.probes, shapes: fast.shapes }).toEqual({ op, probes: 1, shapes: 0 });
      else if (way === 'hidden') expect({ op, probes: fast.probes, shapes: fast.shapes }).toEqual({ op, probes: 0, shapes: 0 });
      else expect({ op, shapes: fast.shapes }).toEqual({ op, shapes: 1 });
    }
    await conn.close();
  });

  test('a partial index on the table sends a drop to the shape, which keeps the index off unrelated columns', async () => {
    const conn = await seeded();
    await conn.execute(`CREATE INDEX "T_partial_idx" ON "T"("id") WHERE "inPredicate" IS NOT NULL`);
    const op = drop('T', 'plain');
    expect(await sqliteDialect.compile(op, probingContext(conn))).toEqual(await sqliteDialect.compile(op, onlineContext(conn)));
    const dropPredicateColumn = drop('T', 'inPredicate');
    expect(await sqliteDialect.compile(dropPredicateColumn, probingContext(conn))).toEqual(
      await sqliteDialect.compile(dropPredicateColumn, onlineContext(conn)),
    );
    await conn.close();
  });

  test('a table in excludeTables does not exist for a migration, probe or not', async () => {
    const conn = await seeded();
    const hidden = probingContext(conn, ['alembic_version', 'T']);
    await expect(sqliteDialect.compile(add('T', 'x'), hidden)).rejects.toThrow('table "T" does not exist');
    await conn.close();
  });

  test('an added column that exists fails in SQLite words, nothing half-applied', async () => {
    const conn = await seeded();
    const statements = await sqliteDialect.compile(add('T', 'plain'), probingContext(conn));
    await conn.begin();
    await expect(conn.execute(statements[0]!.sql)).rejects.toThrow(/duplicate column name: plain/);
    await conn.rollback();
    await conn.close();
  });
});

describe('introspecting one table', () => {
  test('reads each table exactly as a full introspection does', async () => {
    const conn = await seeded();
    const full = await sqliteDialect.introspect(conn);
    for (const name of ['Parent', 'T', 'docs', 'docs_data', 'alembic_version', 'Nope']) {
      const one = await sqliteDialect.introspect(conn, { tables: [name] });
      expect(one.tables).toEqual(full.tables.filter((t) => t.name === name));
    }
    expect((await sqliteDialect.introspect(conn, { tables: [] })).tables).toEqual([]);
    await conn.close();
  });
});
