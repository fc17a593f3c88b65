import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ReviseError } from '../src/errors.js';
import { describeSchemaError, loadSchema, withoutDatasourceUrls } from '../src/schema/load.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'revise-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function write(files: Record<string, string>): string {
  const dir = path.join(tmp, `p${n++}`);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('loadSchema', () => {
  test('a single file: provider, models and field details', async () => {
    const dir = write({
      'schema.prisma': `datasource db {
  provider = "postgresql"
}
model User {
  id    Int    @id @default(autoincrement())
  name  String @db.VarChar(100) @map("full_name")
  @@map("users")
}
`,
    });
    const schema = await loadSchema(path.join(dir, 'schema.prisma'));
    expect(schema.provider).toBe('postgresql');
    expect(schema.schemas).toBeUndefined();
    expect(schema.files).toEqual([{ path: path.join(dir, 'schema.prisma'), content: expect.stringContaining('model User') }]);
    const user = schema.datamodel.models[0];
    expect(user).toMatchObject({ name: 'User', dbName: 'users' });
    expect(user.fields[1]).toMatchObject({ name: 'name', dbName: 'full_name', nativeType: ['VarChar', ['100']] });
    expect(schema.datamodel.indexes).toContainEqual(expect.objectContaining({ model: 'User', type: 'id' }));
  });

  test('a multi-file schema folder, recursively', async () => {
    const dir = write({
      'prisma/schema/main.prisma': 'datasource db {\n  provider = "sqlite"\n}\n',
      'prisma/schema/user.prisma': 'model User {\n  id Int @id\n  posts Post[]\n}\n',
      'prisma/schema/blog/post.prisma': 'model Post {\n  id Int @id\n  userId Int\n  user User @relation(fields: [userId], references: [id])\n}\n',
      'prisma/schema/notes.txt': 'not a schema',
    });
    const schema = await loadSchema(path.join(dir, 'prisma/schema'));
    expect(schema.provider).toBe('sqlite');
    expect(schema.files.map((f) => path.relative(dir, f.path)).sort()).toEqual([
      'prisma/schema/blog/post.prisma',
      'prisma/schema/main.prisma',
      'prisma/schema/user.prisma',
    ]);
    expect(schema.datamodel.models.map((m) => m.name).sort()).toEqual(['Post', 'User']);
  });

  test('multiSchema: the datasource schemas', async () => {
    const dir = write({
      'schema.prisma': 'datasource db {\n  provider = "postgresql"\n  schemas = ["b", "a"]\n}\nmodel T {\n  id Int @id\n  @@schema("a")\n}\n',
    });
    const schema = await loadSchema(path.join(dir, 'schema.prisma'));
    expect([...(schema.schemas ?? [])].sort()).toEqual(['a', 'b']);
    expect(schema.datamodel.models[0].schema).toBe('a');
  });

  test('a Prisma 6 schema with url = env(...) still loads', async () => {
    const dir = write({
      'schema.prisma': `datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
  directUrl = env("DIRECT_URL") // pooled
}
model A {
  id Int @id
}
`,
    });
    const schema = await loadSchema(path.join(dir, 'schema.prisma'));
    expect(schema.datamodel.models.map((m) => m.name)).toEqual(['A']);
    expect(schema.files[0].content).toContain('env("DATABASE_URL")');
  });

  test('a syntax error is a one-line-per-error ReviseError with file and line, no source excerpt', async () => {
    const dir = write({
      'prisma/schema/db.prisma': 'datasource db {\n  provider = "sqlite"\n}\n',
      'prisma/schema/models.prisma': 'model A {\n  id Int @id\n}\n\nmodel B {\n  id Int @id\n  a  Nope\n}\n',
    });
    const error = await loadSchema(path.join(dir, 'prisma/schema')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviseError);
    const message = (error as Error).message;
    expect(message).toMatch(/^invalid Prisma schema: .*Nope.*models\.prisma:7\)$/);
    expect(message).not.toContain('-->');
    expect(message).not.toContain('|');
  });

  test('several errors: one line each', async () => {
    const dir = write({ 'schema.prisma': 'datasource db {\n  provider = "sqlite"\n}\nmodel A {\n  id Int @id\n  x Foo\n  y Bar\n}\n' });
    const message = await loadSchema(path.join(dir, 'schema.prisma')).catch((e: Error) => e.message);
    const lines = (message as string).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/Foo.*schema\.prisma:6\)$/);
    expect(lines[1]).toMatch(/Bar.*schema\.prisma:7\)$/);
  });

  test('a provider revise does not support', async () => {
    const dir = write({ 'schema.prisma': 'datasource db {\n  provider = "sqlserver"\n}\n' });
    await expect(loadSchema(path.join(dir, 'schema.prisma'))).rejects.toThrow(/unsupported datasource provider 'sqlserver'/);
  });

  test('a missing path or an empty folder', async () => {
    const dir = write({ 'empty/readme.md': '' });
    await expect(loadSchema(path.join(dir, 'nope.prisma'))).rejects.toThrow(ReviseError);
    await expect(loadSchema(path.join(dir, 'empty'))).rejects.toThrow(/no \.prisma files/);
  });
});

describe('helpers', () => {
  test('withoutDatasourceUrls blanks only datasource url lines, keeping line numbers', () => {
    const text = 'datasource db {\n  provider = "postgresql"\n  url = env("X")\n  shadowDatabaseUrl = "y"\n}\nmodel url {\n  url String @id\n}\n';
    const out = withoutDatasourceUrls(text);
    expect(out.split('\n')).toHaveLength(text.split('\n').length);
    expect(out).not.toContain('env("X")');
    expect(out).not.toContain('shadowDatabaseUrl');
    expect(out).toContain('  url String @id');
  });

  test('describeSchemaError on a non-JSON message keeps its first line', () => {
    expect(describeSchemaError(new Error('boom\nstack'))).toBe('invalid Prisma schema: boom');
  });
});
