import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { autogenerate, type CompareOptions } from '../src/autogenerate/index.ts';
import { compareModels } from '../src/autogenerate/compare.ts';
import { invertOperations } from '../src/autogenerate/invert.ts';
import { orderOperations, splitPhases } from '../src/autogenerate/order.ts';
import { recordOperations } from '../src/autogenerate/record.ts';
import { applyAllToModel, applyToModel } from '../src/autogenerate/shape.ts';
import type { MigrationOps } from '../src/operations/api.ts';
import type { ColumnModel, DatabaseModel, ForeignKeyModel, IndexModel, TableModel } from '../src/model/types.ts';
import { qualifiedName } from '../src/model/types.ts';
import type { Operation } from '../src/operations/types.ts';

// ---------------------------------------------------------------------------
// Small builders for models as a dialect would normalise them.

const col = (name: string, type: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({ name, type, nullable: false, ...extra });
const idx = (name: string, columns: string[], unique = false): IndexModel => ({ name, columns: columns.map((c) => ({ name: c })), unique });
const fk = (name: string, columns: string[], referencedTable: string, referencedColumns: string[], onDelete: ForeignKeyModel['onDelete'] = 'RESTRICT', onUpdate: ForeignKeyModel['onUpdate'] = 'CASCADE'): ForeignKeyModel =>
  ({ name, columns, referencedTable, referencedColumns, onDelete, onUpdate });
const table = (name: string, columns: ColumnModel[], rest: Partial<TableModel> = {}): TableModel => ({
  name,
  columns,
  primaryKey: { name: `${name}_pkey`, columns: ['id'] },
  indexes: [],
  foreignKeys: [],
  ...rest,
});
const clone = <T>(x: T): T => structuredClone(x);

/** Order-insensitive, canonical view of a model, to compare two of them. */
function normal(model: DatabaseModel): unknown {
  const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
  return {
    tables: [...model.tables]
      .sort((a, b) => qualifiedName(a).localeCompare(qualifiedName(b)))
      .map((t) => ({
        schema: t.schema,
        name: t.name,
        columns: byName(t.columns).map((c) => ({ ...c, autoincrement: !!c.autoincrement, isList: !!c.isList })),
        primaryKey: t.primaryKey,
        indexes: byName(t.indexes),
        foreignKeys: byName(t.foreignKeys),
      })),
    enums: byName(model.enums),
  };
}

/** Every foreign key points at a table and columns that exist. */
function assertForeignKeyTargets(model: DatabaseModel, after: string): void {
  for (const t of model.tables) {
    for (const f of t.foreignKeys) {
      const target = model.tables.find((x) => x.name === f.referencedTable && (x.schema ?? undefined) === (f.referencedSchema ?? t.schema ?? undefined));
      expect(target, `${qualifiedName(t)}.${f.name} points at a missing table after ${after}`).toBeDefined();
      for (const c of f.referencedColumns) expect(target!.columns.map((x) => x.name), `${f.name} after ${after}`).toContain(c);
    }
  }
}

function applyChecked(model: DatabaseModel, ops: Operation[], checkTargets: boolean): DatabaseModel {
  let m = model;
  for (const op of ops) {
    m = applyToModel(m, op);
    if (checkTargets) assertForeignKeyTargets(m, op.kind);
  }
  return m;
}

// ---------------------------------------------------------------------------
// Evaluating rendered lines against the recorder.

const dir = mkdtempSync(join(tmpdir(), 'revise-autogen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

async function evaluate(lines: string[], model: DatabaseModel): Promise<Operation[]> {
  const { transform } = await import('esbuild');
  const source = `import type { MigrationOps } from 'x';\nexport default async function run(op: MigrationOps): Promise<void> {\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`;
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
  const file = join(dir, `rev${fileNo++}.mjs`);
  writeFileSync(file, code);
  const mod = (await import(pathToFileURL(file).href)) as { default: (op: MigrationOps) => Promise<void> };
  return recordOperations(mod.default, { model });
}

// ---------------------------------------------------------------------------
// A history of schema edits, as Prisma would express them.

function pgSteps(): Array<{ name: string; target: DatabaseModel; renames?: CompareOptions['renames'] }> {
  const steps: Array<{ name: string; target: DatabaseModel; renames?: CompareOptions['renames'] }> = [];
  let m: DatabaseModel = { tables: [], enums: [] };
  const step = (name: string, edit: (m: DatabaseModel) => void, renames?: CompareOptions['renames']) => {
    m = clone(m);
    edit(m);
    steps.push({ name, target: clone(m), renames });
  };
  const t = (name: string) => m.tables.find((x) => x.name === name)!;

  step('add model User', (m) => {
    m.tables.push(
      table('User', [col('id', 'INTEGER', { autoincrement: true }), col('email', 'TEXT'), col('name', 'TEXT', { nullable: true })], {
        indexes: [idx('User_email_key', ['email'], true)],
      }),
    );
  });
  step('add model Post with relation', (m) => {
    m.tables.push(
      table('Post', [col('id', 'INTEGER', { autoincrement: true }), col('title', 'VARCHAR(100)'), col('authorId', 'INTEGER'), col('createdAt', 'TIMESTAMP(3)', { default: 'CURRENT_TIMESTAMP' })], {
        indexes: [idx('Post_title_idx', ['title'])],
        foreignKeys: [fk('Post_authorId_fkey', ['authorId'], 'User', ['id'])],
      }),
    );
  });
  step('add columns (with default, nullable)', () => {
    t('Post').columns.push(col('views', 'INTEGER', { default: '0' }));
    t('User').columns.push(col('age', 'INTEGER', { nullable: true }));
  });
  step('add NOT NULL column without default', () => {
    t('User').columns.push(col('nickname', 'TEXT'));
  });
  step('alter columns: nullability, type, default', () => {
    t('User').columns.find((c) => c.name === 'name')!.nullable = false;
    t('Post').columns.find((c) => c.name === 'title')!.type = 'TEXT';
    t('Post').columns.find((c) => c.name === 'views')!.default = '1';
    t('User').columns.find((c) => c.name === 'age')!.default = "'it''s'";
  });
  step('unique and index changes', () => {
    t('Post').indexes.push(idx('Post_title_authorId_key', ['title', 'authorId'], true));
    // Same name, new definition: drop and create.
    t('User').indexes = [{ name: 'User_email_key', columns: [{ name: 'email', sort: 'DESC' }], unique: true }];
  });
  step('rename an index (same definition)', () => {
    t('Post').indexes.find((i) => i.name === 'Post_title_idx')!.name = 'Post_title_search_idx';
  });
  step('composite id', () => {
    m.tables.push(table('Tag', [col('id', 'INTEGER', { autoincrement: true }), col('label', 'TEXT'), col('lang', 'TEXT')], { primaryKey: { name: 'Tag_pkey', columns: ['label', 'lang'] } }));
  });
  step('primary key change', () => {
    t('Tag').primaryKey = { name: 'Tag_pkey', columns: ['id'] };
    t('Tag').indexes.push(idx('Tag_label_lang_key', ['label', 'lang'], true));
  });
  step('relation actions change', () => {
    t('Post').foreignKeys[0] = fk('Post_authorId_fkey', ['authorId'], 'User', ['id'], 'CASCADE', 'CASCADE');
  });
  step('implicit m2m join table', () => {
    m.tables.push({
      name: '_PostToTag',
      columns: [col('A', 'INTEGER'), col('B', 'INTEGER')],
      primaryKey: { name: '_PostToTag_AB_pkey', columns: ['A', 'B'] },
      indexes: [idx('_PostToTag_B_index', ['B'])],
      foreignKeys: [fk('_PostToTag_A_fkey', ['A'], 'Post', ['id'], 'CASCADE', 'CASCADE'), fk('_PostToTag_B_fkey', ['B'], 'Tag', ['id'], 'CASCADE', 'CASCADE')],
    });
  });
  step('self-reference', () => {
    m.tables.push(
      table('Category', [col('id', 'INTEGER', { autoincrement: true }), col('parentId', 'INTEGER', { nullable: true })], {
        foreignKeys: [fk('Category_parentId_fkey', ['parentId'], 'Category', ['id'], 'SET NULL', 'CASCADE')],
      }),
    );
  });
  step('cycle between two new tables', () => {
    m.tables.push(
      table('Left', [col('id', 'INTEGER'), col('rightId', 'INTEGER', { nullable: true })], { foreignKeys: [fk('Left_rightId_fkey', ['rightId'], 'Right', ['id'], 'SET NULL')] }),
      table('Right', [col('id', 'INTEGER'), col('leftId', 'INTEGER', { nullable: true })], { foreignKeys: [fk('Right_leftId_fkey', ['leftId'], 'Left', ['id'], 'SET NULL')] }),
    );
  });
  step('@map renames (table and column)', () => {
    const post = t('Post');
    post.name = 'posts';
    post.columns.find((c) => c.name === 'title')!.name = 'headline';
    post.indexes = post.indexes.map((i) => ({ ...i, columns: i.columns.map((c) => (c.name === 'title' ? { ...c, name: 'headline' } : c)) }));
    for (const x of m.tables) for (const f of x.foreignKeys) if (f.referencedTable === 'Post') f.referencedTable = 'posts';
  }, { tables: { Post: 'posts' }, columns: { posts: { title: 'headline' } } });
  step('drop column and relation', () => {
    const post = t('posts');
    post.columns = post.columns.filter((c) => c.name !== 'views');
  });
  step('drop cycle tables and the m2m', () => {
    m.tables = m.tables.filter((x) => !['Left', 'Right', '_PostToTag'].includes(x.name));
  });
  step('drop model with incoming relation', () => {
    m.tables = m.tables.filter((x) => x.name !== 'posts');
  });
  return steps;
}

function withEnums(steps: ReturnType<typeof pgSteps>): ReturnType<typeof pgSteps> {
  const last = steps[steps.length - 1]!.target;
  const s1 = clone(last);
  s1.enums.push({ name: 'Role', values: ['USER', 'ADMIN'] });
  s1.tables.find((t) => t.name === 'User')!.columns.push(col('role', 'Role', { enumType: { name: 'Role' }, default: "'USER'" }));
  const s2 = clone(s1);
  s2.enums[0]!.values.push('GUEST');
  const s3 = clone(s2);
  s3.enums[0]!.values = ['USER', 'GUEST', 'OWNER'];
  s3.tables.find((t) => t.name === 'User')!.columns.find((c) => c.name === 'role')!.default = "'GUEST'";
  const s4 = clone(s3);
  s4.tables.find((t) => t.name === 'User')!.columns = s4.tables.find((t) => t.name === 'User')!.columns.filter((c) => c.name !== 'role');
  s4.enums = [];
  return [
    ...steps,
    { name: 'enum + column', target: s1 },
    { name: 'enum value added', target: s2 },
    { name: 'enum values added and removed, default moved', target: s3 },
    { name: 'enum and its column dropped', target: s4 },
  ];
}

for (const preferBatch of [false, true]) {
  describe(`schema history (${preferBatch ? 'SQLite-style batches' : 'plain operations'})`, () => {
    const steps = preferBatch ? pgSteps() : withEnums(pgSteps());
    let before: DatabaseModel = { tables: [], enums: [] };
    for (const s of steps) {
      it(`${s.name}: compare + apply reaches the target, the inverse comes back, rendering is faithful`, async () => {
        // Each step starts where the previous one ended (tests in a file run in order).
        const current = before;
        const options: CompareOptions = { preferBatch, renames: s.renames };
        const raw = compareModels(current, s.target, options);
        expect(raw.length).toBeGreaterThan(0);

        // Model-level round trip, in the order the operations are ordered.
        const ordered = orderOperations(raw, { preferBatch });
        const after = applyChecked(current, ordered, !preferBatch);
        expect(normal(after)).toEqual(normal(s.target));
        expect(normal(applyChecked(after, invertOperations(ordered), !preferBatch))).toEqual(normal(current));

        // The full pipeline: phases, inverse, rendered lines.
        const result = autogenerate(current, s.target, options);
        const upAfter = applyChecked(current, result.operations, !preferBatch);
        expect(normal(upAfter)).toEqual(normal(s.target));
        const upgradeLines = [...result.upgrade.additive, ...result.upgrade.destructive];
        const recordedUp = await evaluate(upgradeLines, current);
        expect(recordedUp).toEqual(result.operations);

        const downgradeLines = [...result.downgrade.additive, ...result.downgrade.destructive];
        const recordedDown = await evaluate(downgradeLines, upAfter);
        const downAfter = applyChecked(upAfter, recordedDown, !preferBatch);
        expect(normal(downAfter)).toEqual(normal(current));

        // And an empty diff once there.
        expect(compareModels(s.target, s.target, options)).toEqual([]);
        expect(compareModels(after, s.target, options)).toEqual([]);
        before = s.target;
      });
    }
  });
}

describe('phases', () => {
  it('a NOT NULL column without default is added nullable, then tightened after the data hook', () => {
    const current: DatabaseModel = { tables: [table('User', [col('id', 'INTEGER')])], enums: [] };
    const target = clone(current);
    target.tables[0]!.columns.push(col('nickname', 'TEXT'));
    const result = autogenerate(current, target, { preferBatch: false });
    expect(result.operations.map((o) => o.kind)).toEqual(['addColumn', 'alterColumn']);
    expect(result.upgrade.additive).toEqual([`await op.addColumn('User', { name: 'nickname', type: 'TEXT', nullable: true });`]);
    expect(result.upgrade.destructive[0]).toMatch(/^\/\/ NOTE: "User"\."nickname" was added as nullable/);
    expect(result.upgrade.destructive.some((l) => l.startsWith('// WARNING: makes "User"."nickname" NOT NULL'))).toBe(true);
    expect(result.upgrade.destructive.at(-1)).toBe(
      `await op.alterColumn('User', 'nickname', { nullable: false, existing: { type: 'TEXT', nullable: true } });`,
    );
    expect(result.downgrade.additive).toEqual([
      `await op.alterColumn('User', 'nickname', { nullable: true, existing: { type: 'TEXT', nullable: false } });`,
    ]);
    expect(result.downgrade.destructive).toEqual([`// WARNING: drops column "User"."nickname" and its data`, `await op.dropColumn('User', 'nickname');`]);
    expect(result.warnings).toEqual(['makes "User"."nickname" NOT NULL; fails while any row holds NULL there (back-fill it first)']);
  });

  it('in a SQLite batch the same split gives an additive and a destructive batch', async () => {
    const current: DatabaseModel = { tables: [table('User', [col('id', 'INTEGER')])], enums: [] };
    const target = clone(current);
    target.tables[0]!.columns.push(col('nickname', 'TEXT'), col('bio', 'TEXT', { nullable: true }));
    target.tables[0]!.columns[0]!.type = 'BIGINT';
    const result = autogenerate(current, target, { preferBatch: true });
    expect(result.operations.map((o) => o.kind)).toEqual(['batchAlterTable', 'batchAlterTable']);
    const [add, del] = result.operations as Array<Extract<Operation, { kind: 'batchAlterTable' }>>;
    expect(add!.ops.map((o) => o.kind)).toEqual(['addColumn', 'addColumn']);
    expect(del!.ops.map((o) => o.kind)).toEqual(['alterColumn', 'alterColumn']);
    // Nullable columns without defaults are plain ALTERs, never a rebuild: that batch needs no frozen shape.
    expect(add!.shape).toBeUndefined();
    expect(del!.shape!.columns.map((c) => c.name)).toEqual(['id', 'nickname', 'bio']);
    expect(await evaluate([...result.upgrade.additive, ...result.upgrade.destructive], current)).toEqual(result.operations);
  });

  it('an index recreated under the same name stays behind its drop', () => {
    const current: DatabaseModel = { tables: [table('T', [col('id', 'INTEGER'), col('a', 'TEXT')], { indexes: [idx('T_a_idx', ['a'])] })], enums: [] };
    const target = clone(current);
    target.tables[0]!.indexes = [{ name: 'T_a_idx', columns: [{ name: 'a', sort: 'DESC' }], unique: false }];
    const { additive, destructive } = splitPhases(orderOperations(compareModels(current, target, { preferBatch: false })));
    expect(additive).toEqual([]);
    expect(destructive.map((o) => o.kind)).toEqual(['dropIndex', 'createIndex']);
  });

  it('a downgrade that reverts a type change before undoing a rename keeps that order', () => {
    const current: DatabaseModel = { tables: [table('T', [col('id', 'INTEGER'), col('a', 'INTEGER')])], enums: [] };
    const target = clone(current);
    target.tables[0]!.columns[1] = col('b', 'BIGINT');
    const result = autogenerate(current, target, { preferBatch: false, renames: { columns: { T: { a: 'b' } } } });
    expect(result.operations.map((o) => o.kind)).toEqual(['renameColumn', 'alterColumn']);
    const after = applyAllToModel(current, result.operations);
    // Downgrade: alter back (destructive) must come before the rename back, which therefore is not additive.
    expect(result.downgrade.additive).toEqual([]);
    expect(result.downgrade.destructive.filter((l) => !l.startsWith('//'))).toEqual([
      `await op.alterColumn('T', 'b', { type: 'INTEGER', existing: { type: 'BIGINT', nullable: false } });`,
      `await op.renameColumn('T', 'b', 'a');`,
    ]);
    expect(after.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'b']);
  });
});

describe('ordering', () => {
  const chain = (): DatabaseModel => ({
    tables: [
      table('C', [col('id', 'INTEGER'), col('bId', 'INTEGER')], { foreignKeys: [fk('C_bId_fkey', ['bId'], 'B', ['id'])] }),
      table('B', [col('id', 'INTEGER'), col('aId', 'INTEGER')], { foreignKeys: [fk('B_aId_fkey', ['aId'], 'A', ['id'])] }),
      table('A', [col('id', 'INTEGER')]),
    ],
    enums: [],
  });
  const empty: DatabaseModel = { tables: [], enums: [] };

  it('creates a foreign key chain referenced-first and drops it referencing-first', () => {
    const up = orderOperations(compareModels(empty, chain(), { preferBatch: false }));
    expect(up.map((o) => `${o.kind} ${(o as { table: TableModel }).table.name}`)).toEqual(['createTable A', 'createTable B', 'createTable C']);
    const down = orderOperations(compareModels(chain(), empty, { preferBatch: false }));
    expect(down.map((o) => `${o.kind} ${(o as { table: TableModel }).table.name}`)).toEqual(['dropTable C', 'dropTable B', 'dropTable A']);
  });

  it('drops a unique key that a dropped table\'s foreign key references only after that table', () => {
    // As a downgrade of a migration that added both (elie222/inbox-zero's automation_jobs): PostgreSQL refuses the other order.
    const channel = table('Channel', [col('id', 'INTEGER'), col('accountId', 'INTEGER')], { indexes: [idx('Channel_id_accountId_key', ['id', 'accountId'], true)] });
    const job = table('Job', [col('id', 'INTEGER'), col('channelId', 'INTEGER'), col('accountId', 'INTEGER')], {
      foreignKeys: [fk('Job_channelId_accountId_fkey', ['channelId', 'accountId'], 'Channel', ['id', 'accountId'])],
    });
    const other = table('Other', [col('id', 'INTEGER'), col('x', 'INTEGER')], { indexes: [idx('Other_x_key', ['x'], true)] });
    const withJob: DatabaseModel = { tables: [channel, job, other], enums: [] };
    const without: DatabaseModel = { tables: [{ ...channel, indexes: [] }, { ...other, indexes: [] }], enums: [] };
    const down = orderOperations(compareModels(withJob, without, { preferBatch: false }));
    expect(down.map((o) => `${o.kind} ${o.kind === 'dropIndex' ? o.index.name : (o as { table: TableModel }).table.name}`)).toEqual([
      'dropIndex Other_x_key',
      'dropTable Job',
      'dropIndex Channel_id_accountId_key',
    ]);
  });

  it("MySQL: a foreign key's own index comes back by the key being added again, both ways, never by CREATE INDEX", () => {
    // A unique key on a relation field (Prisma's histories have it): MySQL drops the key's own index by itself when the
    // unique index comes, and makes it again only when the key is added while nothing else serves it.
    const user = table('User', [col('id', 'INTEGER')]);
    const token = (indexes: IndexModel[]) =>
      table('Token', [col('id', 'INTEGER'), col('userId', 'INTEGER')], { indexes, foreignKeys: [fk('Token_userId_fkey', ['userId'], 'User', ['id'])] });
    const plain: DatabaseModel = { tables: [user, token([idx('Token_userId_fkey', ['userId'])])], enums: [] };
    const unique: DatabaseModel = { tables: [user, token([idx('Token_userId_key', ['userId'], true)])], enums: [] };
    const kinds = (ops: Operation[]) => ops.map((o) => `${o.kind} ${'index' in o ? o.index.name : 'foreignKey' in o ? o.foreignKey.name : ''}`.trim());
    const options = { preferBatch: false, implicitForeignKeyIndexes: true, dialect: 'mysql' as const };
    // Taking the unique key off: the key goes around the drop; no CREATE INDEX of Token_userId_fkey.
    expect(kinds(autogenerate(unique, plain, options).operations)).toEqual(['dropForeignKey Token_userId_fkey', 'dropIndex Token_userId_key', 'addForeignKey Token_userId_fkey']);
    // Putting it on: the upgrade is as before; its downgrade is the same dance.
    const on = autogenerate(plain, unique, options);
    expect(kinds(on.operations)).toEqual(['dropIndex Token_userId_fkey', 'createIndex Token_userId_key']);
    expect(on.downgrade.destructive.join('\n')).toMatch(/dropForeignKey\('Token', 'Token_userId_fkey'\);\n[\s\S]*dropIndex\('Token', 'Token_userId_key'\);\n[\s\S]*createForeignKey\('Token'/);
    expect([...on.downgrade.additive, ...on.downgrade.destructive].join('\n')).not.toContain('createIndex');
    // Without the option (PostgreSQL, SQLite) the index is created as any other.
    expect(kinds(autogenerate(unique, plain, { preferBatch: false }).operations)).toContain('createIndex Token_userId_fkey');
    // Another index still serving the key after the revision: then Token_userId_fkey is an index of its own, created.
    const both: DatabaseModel = { tables: [user, token([idx('Token_userId_fkey', ['userId']), idx('Token_userId_createdAt_idx', ['userId', 'id'])])], enums: [] };
    expect(kinds(autogenerate(unique, both, options).operations)).toContain('createIndex Token_userId_fkey');
  });

  it('keeps a self-reference inline', () => {
    const m: DatabaseModel = { tables: [table('Node', [col('id', 'INTEGER'), col('parentId', 'INTEGER', { nullable: true })], { foreignKeys: [fk('Node_parentId_fkey', ['parentId'], 'Node', ['id'])] })], enums: [] };
    const up = orderOperations(compareModels(empty, m, { preferBatch: false }));
    expect(up).toHaveLength(1);
    expect((up[0] as Extract<Operation, { kind: 'createTable' }>).table.foreignKeys).toHaveLength(1);
  });

  const cycle = (): DatabaseModel => ({
    tables: [
      table('X', [col('id', 'INTEGER'), col('yId', 'INTEGER', { nullable: true })], { foreignKeys: [fk('X_yId_fkey', ['yId'], 'Y', ['id'])] }),
      table('Y', [col('id', 'INTEGER'), col('xId', 'INTEGER', { nullable: true })], { foreignKeys: [fk('Y_xId_fkey', ['xId'], 'X', ['id'])] }),
    ],
    enums: [],
  });

  it('breaks a cycle with a foreign key added after both tables exist', () => {
    const up = orderOperations(compareModels(empty, cycle(), { preferBatch: false }));
    expect(up.map((o) => o.kind)).toEqual(['createTable', 'createTable', 'addForeignKey']);
    expect(normal(applyChecked(empty, up, true))).toEqual(normal(cycle()));
    const down = orderOperations(compareModels(cycle(), empty, { preferBatch: false }));
    expect(down.map((o) => o.kind)).toEqual(['dropForeignKey', 'dropTable', 'dropTable']);
    expect(applyChecked(cycle(), down, true)).toEqual(empty);
    // The inverse of the drop sequence rebuilds the cycle in a valid order.
    expect(normal(applyChecked(empty, invertOperations(down), true))).toEqual(normal(cycle()));
  });

  it('keeps cycle foreign keys inline on SQLite', () => {
    const up = orderOperations(compareModels(empty, cycle(), { preferBatch: true }), { preferBatch: true });
    expect(up.map((o) => o.kind)).toEqual(['createTable', 'createTable']);
    expect(up.every((o) => (o as Extract<Operation, { kind: 'createTable' }>).table.foreignKeys.length === 1)).toBe(true);
  });

  it('adds a new table\'s foreign key to an existing table after that table gains the referenced column', () => {
    const current: DatabaseModel = { tables: [table('A', [col('id', 'INTEGER')])], enums: [] };
    const target = clone(current);
    target.tables[0]!.columns.push(col('code', 'TEXT', { nullable: true }));
    target.tables[0]!.indexes.push(idx('A_code_key', ['code'], true));
    target.tables.push(table('B', [col('id', 'INTEGER'), col('aCode', 'TEXT')], { foreignKeys: [fk('B_aCode_fkey', ['aCode'], 'A', ['code'])] }));
    const up = orderOperations(compareModels(current, target, { preferBatch: false }));
    expect(up.map((o) => o.kind)).toEqual(['createTable', 'addColumn', 'createIndex', 'addForeignKey']);
    expect(normal(applyChecked(current, up, true))).toEqual(normal(target));
  });

  it('creates enums first and drops them last', () => {
    const target: DatabaseModel = {
      tables: [table('U', [col('id', 'INTEGER'), col('r', 'R', { enumType: { name: 'R' } })])],
      enums: [{ name: 'R', values: ['a'] }],
    };
    expect(orderOperations(compareModels(empty, target, { preferBatch: false })).map((o) => o.kind)).toEqual(['createEnum', 'createTable']);
    expect(orderOperations(compareModels(target, empty, { preferBatch: false })).map((o) => o.kind)).toEqual(['dropTable', 'dropEnum']);
  });
});

describe('enums (PostgreSQL)', () => {
  const model = (values: string[], dflt: string): DatabaseModel => ({
    tables: [table('U', [col('id', 'INTEGER'), col('role', 'Role', { enumType: { name: 'Role' }, default: dflt }), col('roles', 'Role', { enumType: { name: 'Role' }, isList: true, nullable: true })])],
    enums: [{ name: 'Role', values }],
  });

  it('an enum change carries the columns that use it, with their defaults at that moment', () => {
    const result = autogenerate(model(['A', 'B'], "'A'"), model(['A', 'C'], "'C'"), { preferBatch: false });
    expect(result.operations.map((o) => o.kind)).toEqual(['alterEnum', 'alterColumn', 'alterEnum']);
    const [widen, , narrow] = result.operations as Array<Extract<Operation, { kind: 'alterEnum' }>>;
    expect(widen).toMatchObject({ from: ['A', 'B'], to: ['A', 'B', 'C'] });
    expect(narrow).toMatchObject({ from: ['A', 'B', 'C'], to: ['A', 'C'] });
    // The default moved to 'C' (additive) before the value 'B' goes (destructive).
    expect(narrow!.usages).toEqual([
      { table: { name: 'U' }, column: 'role', default: "'C'" },
      { table: { name: 'U' }, column: 'roles', isList: true },
    ]);
    expect(result.upgrade.destructive.join('\n')).toContain("// WARNING: removes 'B' from enum \"Role\"");
    expect(result.downgrade.additive.join('\n')).toMatch(/from: \['A', 'C'\],\s+to: \['A', 'B', 'C'\]/);
  });
});

describe('compare details', () => {
  it('an empty diff gives no operations and empty revision bodies', () => {
    const m: DatabaseModel = { tables: [table('A', [col('id', 'INTEGER')], { indexes: [idx('A_id_idx', ['id'])] })], enums: [{ name: 'E', values: ['x'] }] };
    const result = autogenerate(m, clone(m), { preferBatch: false });
    expect(result).toEqual({ upgrade: { additive: [], destructive: [] }, downgrade: { additive: [], destructive: [] }, operations: [], additiveCount: 0, warnings: [] });
  });

  it('treats ASC and btree as the defaults they are', () => {
    const a: DatabaseModel = { tables: [table('A', [col('id', 'INTEGER')], { indexes: [idx('A_id_idx', ['id'])] })], enums: [] };
    const b = clone(a);
    b.tables[0]!.indexes[0] = { name: 'A_id_idx', columns: [{ name: 'id', sort: 'ASC' }], unique: false, using: 'btree' };
    expect(compareModels(a, b, { preferBatch: false })).toEqual([]);
  });

  it('never drops kept tables, columns, or indexes on kept columns', () => {
    const current: DatabaseModel = {
      tables: [
        table('Ignored', [col('id', 'INTEGER')]),
        table('A', [col('id', 'INTEGER'), col('geo', 'geometry', { nullable: true })], { indexes: [idx('A_geo_idx', ['geo'])] }),
      ],
      enums: [],
    };
    const target: DatabaseModel = { tables: [table('A', [col('id', 'INTEGER')])], enums: [] };
    expect(compareModels(current, target, { preferBatch: false, keep: { tables: ['Ignored'], columns: { A: ['geo'] } } })).toEqual([]);
    const ops = compareModels(current, target, { preferBatch: false });
    expect(ops.map((o) => o.kind).sort()).toEqual(['dropColumn', 'dropIndex', 'dropTable']);
  });

  it('a primary key that only changes name is renamed (PostgreSQL renames the constraint with its index)', async () => {
    const current: DatabaseModel = { tables: [table('A', [col('id', 'INTEGER')])], enums: [] };
    const target = clone(current);
    target.tables[0]!.primaryKey = { name: 'a_pkey', columns: ['id'] };
    const result = autogenerate(current, target, { preferBatch: false });
    expect(result.operations).toEqual([{ kind: 'renameIndex', table: { name: 'A' }, from: 'A_pkey', to: 'a_pkey' }]);
    expect(applyAllToModel(current, result.operations)).toEqual(target);
    expect(await evaluate(result.downgrade.additive, target)).toEqual([{ kind: 'renameIndex', table: { name: 'A' }, from: 'a_pkey', to: 'A_pkey' }]);
  });

  it('renames only when told', () => {
    const current: DatabaseModel = { tables: [table('A', [col('id', 'INTEGER'), col('old', 'TEXT', { nullable: true })])], enums: [] };
    const target = clone(current);
    target.tables[0]!.columns[1]!.name = 'new';
    expect(compareModels(current, target, { preferBatch: false }).map((o) => o.kind)).toEqual(['addColumn', 'dropColumn']);
    expect(compareModels(current, target, { preferBatch: false, renames: { columns: { A: { old: 'new' } } } })).toEqual([
      { kind: 'renameColumn', table: { name: 'A' }, from: 'old', to: 'new' },
    ]);
  });

  it('handles PostgreSQL schemas (multiSchema)', async () => {
    const current: DatabaseModel = { tables: [{ ...table('A', [col('id', 'INTEGER')]), schema: 'auth' }], enums: [] };
    const target = clone(current);
    target.tables.push({ ...table('B', [col('id', 'INTEGER'), col('aId', 'INTEGER')]), schema: 'blog', foreignKeys: [{ ...fk('B_aId_fkey', ['aId'], 'A', ['id']), referencedSchema: 'auth' }] });
    target.tables[0]!.columns.push(col('x', 'TEXT', { nullable: true }));
    target.enums.push({ schema: 'blog', name: 'Kind', values: ['a', 'b'] });
    const result = autogenerate(current, target, { preferBatch: false });
    expect(result.upgrade.additive).toContain(`await op.addColumn({ schema: 'auth', name: 'A' }, { name: 'x', type: 'TEXT', nullable: true });`);
    expect(result.upgrade.additive).toContain(`await op.createEnum({ schema: 'blog', name: 'Kind', values: ['a', 'b'] });`);
    expect(normal(applyAllToModel(current, result.operations))).toEqual(normal(target));
    expect(await evaluate(result.upgrade.additive, current)).toEqual(result.operations);
  });
});
