import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { invertOperation, invertOperations } from '../src/autogenerate/invert.ts';
import { recordOperations } from '../src/autogenerate/record.ts';
import { describeRisk, isWidening, renderOperation, renderOperations } from '../src/autogenerate/render.ts';
import { applyAllToModel, applyToShape } from '../src/autogenerate/shape.ts';
import type { DatabaseModel, TableModel } from '../src/model/types.ts';
import type { MigrationOps } from '../src/operations/api.ts';
import type { Operation } from '../src/operations/types.ts';
import { ReviseError } from '../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'revise-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** Run rendered lines as the body of an upgrade() and record what they ask for. */
async function evaluate(lines: string[], model?: DatabaseModel): Promise<Operation[]> {
  const { transform } = await import('esbuild');
  const source = `import type { MigrationOps } from 'x';\nexport async function upgrade(op: MigrationOps): Promise<void> {\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`;
  const { code } = await transform(source, { loader: 'ts', format: 'esm' });
  const file = join(dir, `r${fileNo++}.mjs`);
  writeFileSync(file, code);
  const mod = (await import(pathToFileURL(file).href)) as { upgrade: (op: MigrationOps) => Promise<void> };
  return recordOperations(mod.upgrade, model ? { model } : {});
}

const post: TableModel = {
  name: 'Post',
  columns: [
    { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
    { name: 'title', type: 'TEXT', nullable: false },
    { name: 'createdAt', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
    { name: 'authorId', type: 'INTEGER', nullable: false },
  ],
  primaryKey: { columns: ['id'] },
  indexes: [],
  foreignKeys: [
    { name: 'Post_authorId_fkey', columns: ['authorId'], referencedTable: 'User', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
  ],
};

describe('rendering style', () => {
  it('writes createTable as in the documentation', () => {
    expect(renderOperation({ kind: 'createTable', table: post })).toBe(
      [
        'await op.createTable({',
        "  name: 'Post',",
        '  columns: [',
        "    { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },",
        "    { name: 'title', type: 'TEXT', nullable: false },",
        "    { name: 'createdAt', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },",
        "    { name: 'authorId', type: 'INTEGER', nullable: false },",
        '  ],',
        "  primaryKey: { columns: ['id'] },",
        '  foreignKeys: [',
        "    { name: 'Post_authorId_fkey', columns: ['authorId'], referencedTable: 'User', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },",
        '  ],',
        '});',
      ].join('\n'),
    );
  });

  it('writes short calls on one line', () => {
    const t = { name: 'Post' };
    expect(renderOperation({ kind: 'addColumn', table: t, column: { name: 'views', type: 'INTEGER', nullable: false, default: '0' } })).toBe(
      "await op.addColumn('Post', { name: 'views', type: 'INTEGER', nullable: false, default: '0' });",
    );
    expect(renderOperation({ kind: 'dropColumn', table: t, column: { name: 'views', type: 'INTEGER', nullable: false } })).toBe("await op.dropColumn('Post', 'views');");
    expect(
      renderOperation({ kind: 'alterColumn', table: t, from: { name: 'title', type: 'TEXT', nullable: true }, to: { name: 'title', type: 'TEXT', nullable: false } }),
    ).toBe("await op.alterColumn('Post', 'title', { nullable: false, existing: { type: 'TEXT', nullable: true } });");
    expect(renderOperation({ kind: 'createIndex', table: t, index: { name: 'Post_title_key', columns: [{ name: 'title' }], unique: true } })).toBe(
      "await op.createIndex('Post', { name: 'Post_title_key', columns: ['title'], unique: true });",
    );
    expect(renderOperation({ kind: 'dropTable', table: { schema: 'blog', ...post } })).toBe("await op.dropTable({ schema: 'blog', name: 'Post' });");
  });

  it('keeps SQL string defaults intact and readable', () => {
    const line = renderOperation({ kind: 'addColumn', table: { name: 'T' }, column: { name: 'c', type: 'TEXT', nullable: false, default: "'it''s'" } });
    expect(line).toBe(`await op.addColumn('T', { name: 'c', type: 'TEXT', nullable: false, default: "'it''s'" });`);
  });

  it('puts warnings above risky operations', () => {
    const lines = renderOperations([
      { kind: 'dropTable', table: post },
      { kind: 'addColumn', table: { name: 'Post' }, column: { name: 'x', type: 'TEXT', nullable: true } },
    ]);
    expect(lines[0]).toBe('// WARNING: drops table "Post" and all of its rows');
    expect(lines[1]).toBe("await op.dropTable('Post');");
    expect(lines[2]).toBe("await op.addColumn('Post', { name: 'x', type: 'TEXT', nullable: true });");
  });

  it('writes only plain data as execute() parameters', async () => {
    const op: Operation = { kind: 'execute', sql: 'SELECT $1, $2', params: [12345678901234567890n, { a: [1, null] }] };
    expect(await evaluate([renderOperation(op)])).toEqual([op]);
    expect(() => renderOperation({ kind: 'execute', sql: 'SELECT $1', params: [new Date(0)] })).toThrow(ReviseError);
  });

  it('refuses an index rename inside a batch (the batch API has none)', () => {
    expect(() =>
      renderOperation({ kind: 'batchAlterTable', table: { name: 'T' }, recreate: 'auto', ops: [{ kind: 'renameIndex', table: { name: 'T' }, from: 'a', to: 'b' }] }),
    ).toThrow(ReviseError);
  });
});

// A start model and a valid sequence touching every operation kind and option.
const start: DatabaseModel = {
  tables: [
    {
      name: 'User',
      columns: [
        { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
        { name: 'email', type: 'TEXT', nullable: false },
        { name: 'legacy', type: 'VARCHAR(10)', nullable: true, default: "'a\\b'" },
        { name: 'role', type: 'Role', nullable: false, default: "'USER'", enumType: { schema: 'auth', name: 'Role' } },
        { name: 'tags', type: 'TEXT', nullable: true, isList: true },
      ],
      primaryKey: { name: 'User_pkey', columns: ['id'] },
      indexes: [
        { name: 'User_email_key', columns: [{ name: 'email' }], unique: true },
        { name: 'User_tags_idx', columns: [{ name: 'tags', opclass: 'array_ops' }], unique: false, using: 'gin' },
        { name: 'User_email_lower_idx', columns: [{ name: 'lower(email)', expression: true, opclass: 'text_pattern_ops' }], unique: false, where: 'legacy IS NULL' },
      ],
      foreignKeys: [],
    },
    { schema: 'blog', ...post, foreignKeys: [{ ...post.foreignKeys[0]!, referencedSchema: 'public' }] },
  ],
  enums: [{ schema: 'auth', name: 'Role', values: ['USER', 'ADMIN'] }],
  extensions: [{ name: 'hstore', schema: 'public', version: '1.7' }, { name: 'old_ext', schema: 'public', version: '1.0' }],
};

const sequence: Operation[] = [
  { kind: 'createExtension', extension: { name: 'uuid-ossp' } },
  { kind: 'createExtension', extension: { name: 'pg_trgm', schema: 'ext', version: '1.6' } },
  { kind: 'alterExtension', name: 'hstore', from: { version: '1.7' }, to: { version: '1.8' } },
  { kind: 'alterExtension', name: 'hstore', from: { schema: 'public' }, to: { schema: 'ext' } },
  { kind: 'dropExtension', extension: { name: 'old_ext', schema: 'public', version: '1.0' } },
  { kind: 'createEnum', enum: { name: 'Mood', values: ['happy', "it's", 'back\\slash', 'new\nline', 'ünï'] } },
  {
    kind: 'createTable',
    table: {
      schema: 'blog',
      name: 'Comment',
      columns: [
        { name: 'id', type: 'BIGINT', nullable: false, autoincrement: true },
        { name: 'body', type: 'TEXT', nullable: false, default: "''" },
        { name: 'mood', type: 'Mood', nullable: true, enumType: { name: 'Mood' } },
        { name: 'postId', type: 'INTEGER', nullable: false },
      ],
      primaryKey: { name: 'Comment_pkey', columns: ['id'] },
      indexes: [
        { name: 'Comment_postId_body_idx', columns: [{ name: 'postId' }, { name: 'body', sort: 'DESC' }], unique: false },
        { name: 'Comment_body_key', columns: [{ name: 'body' }], unique: true, using: 'hash', where: "body <> ''" },
      ],
      foreignKeys: [
        { name: 'Comment_postId_fkey', columns: ['postId'], referencedSchema: 'blog', referencedTable: 'Post', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'NO ACTION' },
      ],
    },
  },
  { kind: 'renameTable', schema: 'blog', from: 'Comment', to: 'Remark' },
  { kind: 'addColumn', table: { name: 'User' }, column: { name: 'score', type: 'DECIMAL(65,30)', nullable: false, default: '0.5' } },
  { kind: 'renameColumn', table: { name: 'User' }, from: 'score', to: 'rating' },
  {
    kind: 'alterColumn',
    table: { name: 'User' },
    from: { name: 'legacy', type: 'VARCHAR(10)', nullable: true, default: "'a\\b'" },
    to: { name: 'legacy', type: 'INTEGER', nullable: false },
    using: '"legacy"::integer',
  },
  {
    kind: 'alterColumn',
    table: { name: 'User' },
    from: { name: 'role', type: 'Role', nullable: false, default: "'USER'", enumType: { schema: 'auth', name: 'Role' } },
    to: { name: 'role', type: 'TEXT', nullable: false, isList: true, autoincrement: true },
  },
  {
    kind: 'alterColumn',
    table: { name: 'User' },
    from: { name: 'tags', type: 'TEXT', nullable: true, isList: true },
    to: { name: 'tags', type: 'Mood', nullable: true, enumType: { name: 'Mood' } },
  },
  { kind: 'createIndex', table: { name: 'User' }, index: { name: 'User_rating_idx', columns: [{ name: 'rating' }], unique: false }, concurrently: true },
  { kind: 'renameIndex', table: { name: 'User' }, from: 'User_rating_idx', to: 'User_rating_idx2' },
  { kind: 'dropIndex', table: { name: 'User' }, index: { name: 'User_email_key', columns: [{ name: 'email' }], unique: true } },
  { kind: 'dropPrimaryKey', table: { name: 'User' }, primaryKey: { name: 'User_pkey', columns: ['id'] } },
  { kind: 'addPrimaryKey', table: { name: 'User' }, primaryKey: { name: 'User_pkey', columns: ['id', 'email'] } },
  {
    kind: 'dropForeignKey',
    table: { schema: 'blog', name: 'Post' },
    foreignKey: { ...post.foreignKeys[0]!, referencedSchema: 'public' },
  },
  {
    kind: 'addForeignKey',
    table: { schema: 'blog', name: 'Post' },
    foreignKey: { name: 'Post_author_fkey', columns: ['authorId'], referencedSchema: 'public', referencedTable: 'User', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'SET DEFAULT' },
  },
  {
    kind: 'alterEnum',
    schema: 'auth',
    name: 'Role',
    from: ['USER', 'ADMIN'],
    to: ['ADMIN', 'GUEST'],
    usages: [{ table: { schema: 'blog', name: 'Post' }, column: 'title', default: "'GUEST'", isList: true }],
  },
  { kind: 'renameEnumValue', schema: 'auth', name: 'Role', from: 'GUEST', to: 'VISITOR' },
  { kind: 'dropColumn', table: { name: 'User' }, column: { name: 'rating', type: 'DECIMAL(65,30)', nullable: false, default: '0.5' } },
  {
    kind: 'batchAlterTable',
    table: { schema: 'blog', name: 'Remark' },
    recreate: 'always',
    ops: [
      { kind: 'addColumn', table: { schema: 'blog', name: 'Remark' }, column: { name: 'edited', type: 'BOOLEAN', nullable: false, default: 'false' } },
      { kind: 'renameColumn', table: { schema: 'blog', name: 'Remark' }, from: 'body', to: 'text' },
      {
        kind: 'alterColumn',
        table: { schema: 'blog', name: 'Remark' },
        from: { name: 'text', type: 'TEXT', nullable: false, default: "''" },
        to: { name: 'text', type: 'VARCHAR(200)', nullable: true },
        using: 'left("text", 200)',
      },
      { kind: 'dropIndex', table: { schema: 'blog', name: 'Remark' }, index: { name: 'Comment_body_key', columns: [{ name: 'text' }], unique: true, using: 'hash', where: "text <> ''" } },
      { kind: 'createIndex', table: { schema: 'blog', name: 'Remark' }, index: { name: 'Remark_text_idx', columns: [{ name: 'text', length: 10 }], unique: false } },
      { kind: 'dropForeignKey', table: { schema: 'blog', name: 'Remark' }, foreignKey: { name: 'Comment_postId_fkey', columns: ['postId'], referencedSchema: 'blog', referencedTable: 'Post', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'NO ACTION' } },
      { kind: 'addForeignKey', table: { schema: 'blog', name: 'Remark' }, foreignKey: { name: 'Remark_postId_fkey', columns: ['postId'], referencedTable: 'Post', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' } },
      { kind: 'dropPrimaryKey', table: { schema: 'blog', name: 'Remark' }, primaryKey: { name: 'Comment_pkey', columns: ['id'] } },
      { kind: 'addPrimaryKey', table: { schema: 'blog', name: 'Remark' }, primaryKey: { columns: ['id', 'postId'] } },
      { kind: 'dropColumn', table: { schema: 'blog', name: 'Remark' }, column: { name: 'mood', type: 'Mood', nullable: true, enumType: { name: 'Mood' } } },
    ],
  },
  {
    kind: 'dropTable',
    table: {
      ...start.tables[1]!,
      foreignKeys: [{ name: 'Post_author_fkey', columns: ['authorId'], referencedSchema: 'public', referencedTable: 'User', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'SET DEFAULT' }],
    },
  },
  { kind: 'dropEnum', enum: { schema: 'auth', name: 'Role', values: ['ADMIN', 'VISITOR'] } },
  { kind: 'execute', sql: "UPDATE \"User\" SET \"email\" = lower($1) WHERE note = 'x'", params: ['A\'b', 3, true, null, ['nested', 1.5], { k: 'v' }] },
  { kind: 'execute', sql: 'SELECT 1' },
];

function withBatchShape(ops: Operation[], model: DatabaseModel): Operation[] {
  // The batch's frozen shape is the table just before it.
  let m = model;
  return ops.map((op) => {
    const filled: Operation =
      op.kind === 'batchAlterTable' ? { ...op, shape: m.tables.find((t) => t.name === op.table.name && t.schema === op.table.schema)! } : op;
    if (op.kind !== 'execute') m = applyAllToModel(m, [filled]);
    return filled;
  });
}

describe('faithful rendering: rendered code rebuilds the very same operations', () => {
  const ops = withBatchShape(sequence, start);

  it('the sequence is valid on the start model', () => {
    expect(() => applyAllToModel(start, ops.filter((o) => o.kind !== 'execute'))).not.toThrow();
  });

  it('every operation kind and option survives render -> evaluate -> record', async () => {
    const kinds = new Set(ops.flatMap((o) => [o.kind, ...(o.kind === 'batchAlterTable' ? o.ops.map((i) => `batch.${i.kind}`) : [])]));
    expect(kinds.size).toBeGreaterThanOrEqual(30);
    const lines = renderOperations(ops);
    const recorded = await evaluate(lines, start);
    expect(recorded).toEqual(ops);
    // The same check one operation at a time, so a failure names the operation.
    let m = start;
    for (const op of ops) {
      expect(await evaluate(renderOperation(op).split('\n'), m), op.kind).toEqual([op]);
      if (op.kind !== 'execute') m = applyAllToModel(m, [op]);
    }
  });

  it('the inverse sequence renders faithfully too', async () => {
    const undoable = ops.filter((o) => o.kind !== 'execute');
    const end = applyAllToModel(start, undoable);
    const inverse = invertOperations(undoable);
    expect(applyAllToModel(end, inverse).tables.map((t) => t.name).sort()).toEqual(start.tables.map((t) => t.name).sort());
    // A drop renders as its name; the recorder fills the shape from the tracked model, where a column
    // re-added by the downgrade sits at the end, so only column order may differ there.
    const sortDropped = (list: Operation[]) =>
      list.map((o) => (o.kind === 'dropTable' ? { ...o, table: { ...o.table, columns: [...o.table.columns].sort((a, b) => a.name.localeCompare(b.name)) } } : o));
    expect(sortDropped(await evaluate(renderOperations(inverse), end))).toEqual(sortDropped(inverse));
  });

  it('rendered revision code type-checks against the op API (strict)', async () => {
    const ts = (await import('typescript')).default;
    const api = join(process.cwd(), 'src', 'operations', 'api.ts');
    const file = join(dir, 'typed-revision.ts');
    const bare: Operation = {
      kind: 'batchAlterTable',
      table: { name: 'T' },
      recreate: 'auto',
      ops: [{ kind: 'addColumn', table: { name: 'T' }, column: { name: 'x', type: 'TEXT', nullable: true } }],
      shape: { name: 'T', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], indexes: [], foreignKeys: [] },
    };
    const body = renderOperations([...ops, bare]).map((l) => `  ${l}`).join('\n');
    writeFileSync(file, `import type { MigrationOps } from ${JSON.stringify(api)};\nexport async function upgrade(op: MigrationOps): Promise<void> {\n${body}\n}\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('without a model, drops are recorded by name only', async () => {
    const recorded = await evaluate(["await op.dropTable('Gone');", "await op.dropColumn('T', 'c');", "await op.dropPrimaryKey('T', 'T_pkey');"]);
    expect(recorded).toEqual([
      { kind: 'dropTable', table: { name: 'Gone', columns: [], indexes: [], foreignKeys: [] } },
      { kind: 'dropColumn', table: { name: 'T' }, column: { name: 'c', type: '', nullable: true } },
      { kind: 'dropPrimaryKey', table: { name: 'T' }, primaryKey: { name: 'T_pkey', columns: [] } },
    ]);
  });
});

describe('invert', () => {
  it('is its own inverse (twice inverted is the original)', () => {
    for (const op of withBatchShape(sequence, start).filter((o) => o.kind !== 'execute')) {
      const back = invertOperation(invertOperation(op));
      // A USING expression belongs to one direction only; CONCURRENTLY to the creation.
      const strip = (o: Operation): unknown =>
        o.kind === 'alterColumn' ? { ...o, using: undefined } : o.kind === 'createIndex' ? { ...o, concurrently: undefined } : o.kind === 'batchAlterTable'
            ? // A column dropped in the batch comes back at the end of the table.
              { ...o, ops: o.ops.map(strip), shape: o.shape && { ...o.shape, columns: [...o.shape.columns].sort((a, b) => a.name.localeCompare(b.name)) } }
            : o;
      expect(strip(back)).toEqual(strip(op));
    }
  });

  it('inverts a batch in reverse with the shape after it', () => {
    const shape: TableModel = { name: 'T', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], indexes: [], foreignKeys: [] };
    const add: Operation = { kind: 'addColumn', table: { name: 'T' }, column: { name: 'x', type: 'TEXT', nullable: true } };
    const ren: Operation = { kind: 'renameColumn', table: { name: 'T' }, from: 'x', to: 'y' };
    const inv = invertOperation({ kind: 'batchAlterTable', table: { name: 'T' }, recreate: 'auto', ops: [add, ren], shape });
    expect(inv).toEqual({
      kind: 'batchAlterTable',
      table: { name: 'T' },
      recreate: 'auto',
      ops: [
        { kind: 'renameColumn', table: { name: 'T' }, from: 'y', to: 'x' },
        { kind: 'dropColumn', table: { name: 'T' }, column: { name: 'x', type: 'TEXT', nullable: true } },
      ],
      shape: { ...shape, columns: [...shape.columns, { name: 'y', type: 'TEXT', nullable: true }] },
    });
  });

  it('refuses raw SQL', () => {
    expect(() => invertOperation({ kind: 'execute', sql: 'SELECT 1' })).toThrow(ReviseError);
  });
});

describe('applyToShape', () => {
  const t: TableModel = {
    name: 'Node',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false },
      { name: 'parentId', type: 'INTEGER', nullable: true },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'Node_parentId_idx', columns: [{ name: 'parentId' }], unique: false }],
    foreignKeys: [{ name: 'Node_parentId_fkey', columns: ['parentId'], referencedTable: 'Node', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' }],
  };

  it('a column rename follows the key, indexes and self-references', () => {
    const out = applyToShape(t, { kind: 'renameColumn', table: { name: 'Node' }, from: 'id', to: 'key' });
    expect(out.primaryKey).toEqual({ columns: ['key'] });
    expect(out.foreignKeys[0]!.referencedColumns).toEqual(['key']);
    expect(applyToShape(t, { kind: 'renameColumn', table: { name: 'Node' }, from: 'parentId', to: 'up' }).indexes[0]!.columns).toEqual([{ name: 'up' }]);
    expect(t.primaryKey).toEqual({ columns: ['id'] }); // pure
  });

  it('says what is wrong', () => {
    expect(() => applyToShape(t, { kind: 'dropColumn', table: { name: 'Node' }, column: { name: 'nope', type: 'X', nullable: true } })).toThrow(/no column "nope"/);
    expect(() => applyToShape(t, { kind: 'addColumn', table: { name: 'Node' }, column: { name: 'id', type: 'X', nullable: true } })).toThrow(ReviseError);
  });
});

describe('risks', () => {
  const t = { name: 'T' };
  it('flags data loss and operations that fail on existing data', () => {
    expect(describeRisk({ kind: 'dropColumn', table: t, column: { name: 'c', type: 'TEXT', nullable: true } })).toBe('drops column "T"."c" and its data');
    expect(describeRisk({ kind: 'alterColumn', table: t, from: { name: 'c', type: 'TEXT', nullable: true }, to: { name: 'c', type: 'VARCHAR(10)', nullable: true } })).toMatch(
      /changes the type of "T"."c" from TEXT to VARCHAR\(10\)/,
    );
    expect(describeRisk({ kind: 'alterColumn', table: t, from: { name: 'c', type: 'INTEGER', nullable: true }, to: { name: 'c', type: 'BIGINT', nullable: true } })).toBeUndefined();
    expect(describeRisk({ kind: 'createIndex', table: t, index: { name: 'i', columns: [{ name: 'c' }], unique: true } })).toMatch(/duplicates/);
    expect(describeRisk({ kind: 'createIndex', table: t, index: { name: 'i', columns: [{ name: 'c' }], unique: false } })).toBeUndefined();
    expect(describeRisk({ kind: 'alterEnum', name: 'E', from: ['a', 'b'], to: ['a'] })).toMatch(/removes 'b'/);
    expect(describeRisk({ kind: 'alterEnum', name: 'E', from: ['a'], to: ['a', 'b'] })).toBeUndefined();
    expect(describeRisk({ kind: 'createTable', table: post })).toBeUndefined();
  });

  it('knows widening type changes', () => {
    expect(isWidening('VARCHAR(10)', 'VARCHAR(20)')).toBe(true);
    expect(isWidening('VARCHAR(20)', 'VARCHAR(10)')).toBe(false);
    expect(isWidening('VARCHAR(20)', 'TEXT')).toBe(true);
    expect(isWidening('DECIMAL(10,2)', 'DECIMAL(12,2)')).toBe(true);
    expect(isWidening('DECIMAL(10,2)', 'DECIMAL(10,4)')).toBe(false);
    expect(isWidening('BIGINT', 'INTEGER')).toBe(false);
    expect(isWidening('TEXT', 'INTEGER')).toBe(false);
  });
});
