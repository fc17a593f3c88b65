import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { absoluteSqliteUrl, providerOfUrl, resolveDatabaseUrl } from '../src/config/database-url.js';
import { loadProjectConfig } from '../src/config/project.js';
import { ReviseError } from '../src/errors.js';

const SQLITE = 'datasource db {\n  provider = "sqlite"\n}\n';
const POSTGRES = 'datasource db {\n  provider = "postgresql"\n}\n';
const dirs: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'revise-url-'));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function resolve(files: Record<string, string>, env: NodeJS.ProcessEnv, url?: string) {
  const dir = project({ 'package.json': '{}', ...files });
  const config = await loadProjectConfig({ cwd: dir });
  return { dir, result: await resolveDatabaseUrl(config, { env, url }) };
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('resolveDatabaseUrl: order', () => {
  test('an explicit URL wins over every variable', async () => {
    const { result } = await resolve({ 'prisma/schema.prisma': POSTGRES, '.env': 'DATABASE_URL=postgresql://dotenv/db\n' }, {
      REVISE_DATABASE_URL: 'postgresql://revise/db',
      DATABASE_URL: 'postgresql://env/db',
    }, 'postgresql://explicit/db');
    expect(result).toEqual({ url: 'postgresql://explicit/db', source: '--url', provider: 'postgresql' });
  });

  test('REVISE_DATABASE_URL before DATABASE_URL', async () => {
    const { result } = await resolve({ 'prisma/schema.prisma': POSTGRES }, {
      REVISE_DATABASE_URL: 'postgres://revise/db',
      DATABASE_URL: 'postgresql://env/db',
    });
    expect(result.url).toBe('postgres://revise/db');
    expect(result.source).toBe('REVISE_DATABASE_URL');
  });

  test('a real DATABASE_URL is not overridden by .env', async () => {
    const { result } = await resolve({ 'prisma/schema.prisma': POSTGRES, '.env': 'DATABASE_URL=postgresql://dotenv/db\n' }, {
      DATABASE_URL: 'postgresql://env/db',
    });
    expect(result).toMatchObject({ url: 'postgresql://env/db', source: 'DATABASE_URL' });
  });

  test('.env supplies DATABASE_URL when the environment does not', async () => {
    const { result } = await resolve(
      { 'prisma/schema.prisma': POSTGRES, '.env': '# comment\nOTHER=1\nDATABASE_URL="postgresql://u:pw@dotenv:5432/db?schema=app"\n' },
      {},
    );
    expect(result).toEqual({ url: 'postgresql://u:pw@dotenv:5432/db?schema=app', source: 'DATABASE_URL (.env)', provider: 'postgresql' });
  });

  test('.env REVISE_DATABASE_URL beats a real DATABASE_URL', async () => {
    const { result } = await resolve({ 'prisma/schema.prisma': POSTGRES, '.env': 'REVISE_DATABASE_URL=postgresql://dotenv-revise/db\n' }, {
      DATABASE_URL: 'postgresql://env/db',
    });
    expect(result.source).toBe('REVISE_DATABASE_URL (.env)');
  });

  test('prisma.config.ts datasource.url wins over a bare DATABASE_URL (Prisma 7 migrates what the config names)', async () => {
    const files = {
      'prisma/schema.prisma': SQLITE,
      'prisma.config.ts': "export default { datasource: { url: 'file:./from-config.db' } };\n",
    };
    const { dir, result } = await resolve(files, {});
    expect(result).toEqual({ url: `file:${path.join(dir, 'from-config.db')}`, source: 'prisma.config.ts datasource.url', provider: 'sqlite' });
    const withEnv = await resolve(files, { DATABASE_URL: 'file:/abs/env.db' });
    expect(withEnv.result.url).toBe(`file:${path.join(withEnv.dir, 'from-config.db')}`);
    const override = await resolve(files, { REVISE_DATABASE_URL: 'file:/abs/override.db' });
    expect(override.result).toMatchObject({ url: 'file:/abs/override.db', source: 'REVISE_DATABASE_URL' });
  });

  test("prisma.config.ts using env() sees .env's variables", async () => {
    const { result } = await resolve(
      {
        'prisma/schema.prisma': POSTGRES,
        '.env': 'PG_URL=postgresql://from-dotenv/db\n',
        'prisma.config.ts': 'export default { datasource: { url: process.env.PG_URL } };\n',
      },
      {},
    );
    expect(result).toMatchObject({ url: 'postgresql://from-dotenv/db', source: 'prisma.config.ts datasource.url = process.env.PG_URL (from .env)' });
    expect(process.env.PG_URL).toBeUndefined();
  });

  test('SQLite schema without any URL: file:./local.db resolved against the root', async () => {
    const { dir, result } = await resolve({ 'prisma/schema.prisma': SQLITE }, {});
    expect(result).toEqual({ url: `file:${path.join(dir, 'local.db')}`, source: 'default', provider: 'sqlite' });
  });

  test('the default works for a multi-file schema folder too', async () => {
    const { result } = await resolve({ 'prisma/schema/a.prisma': 'model A {\n  id Int @id\n}\n', 'prisma/schema/db.prisma': SQLITE }, {});
    expect(result.source).toBe('default');
  });

  test('a relative file: URL from the environment is resolved against the root', async () => {
    const { dir, result } = await resolve({ 'prisma/schema.prisma': SQLITE }, { DATABASE_URL: 'file:./data/dev.db?connection_limit=1' });
    expect(result.url).toBe(`file:${path.join(dir, 'data/dev.db')}?connection_limit=1`);
  });
});

describe('resolveDatabaseUrl: failures', () => {
  test('PostgreSQL schema without a URL names the places it looked', async () => {
    const error = await resolve({ 'prisma/schema.prisma': POSTGRES }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviseError);
    const message = (error as Error).message;
    expect(message).toMatch(/REVISE_DATABASE_URL/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/\.env/);
    expect(message).toMatch(/postgresql/);
    expect(message).not.toContain('\n');
  });

  test('an unsupported scheme is a ReviseError naming it', async () => {
    const error = await resolve({ 'prisma/schema.prisma': POSTGRES }, { DATABASE_URL: 'sqlserver://root:hunter2@localhost/db' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviseError);
    expect((error as Error).message).toBe("unsupported database URL scheme 'sqlserver:' (revise supports SQLite, PostgreSQL and MySQL)");
  });

  test('a URL without a scheme is reported with its password masked', () => {
    expect(() => providerOfUrl('user:hunter2@localhost/db')).toThrow(ReviseError);
    try {
      providerOfUrl('//user:hunter2@localhost/db');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).message).toContain('****');
    }
    expect.assertions(3);
  });
});

describe('absoluteSqliteUrl', () => {
  test('relative, absolute, memory and non-file URLs', () => {
    expect(absoluteSqliteUrl('file:dev.db', '/r')).toBe('file:/r/dev.db');
    expect(absoluteSqliteUrl('file:../x/dev.db', '/r/app')).toBe('file:/r/x/dev.db');
    expect(absoluteSqliteUrl('file:/abs/dev.db', '/r')).toBe('file:/abs/dev.db');
    expect(absoluteSqliteUrl('file::memory:', '/r')).toBe('file::memory:');
    expect(absoluteSqliteUrl('postgresql://h/db', '/r')).toBe('postgresql://h/db');
  });
});
