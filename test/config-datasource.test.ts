import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { resolveDatabaseUrl } from '../src/config/database-url.js';
import { readProjectEnv } from '../src/config/dotenv.js';
import { readDatasourceText } from '../src/config/prisma-config.js';
import { loadProjectConfig } from '../src/config/project.js';
import { ReviseError } from '../src/errors.js';

/**
 * The database URL as the project's own Prisma would pick it: Prisma 5/6
 * schemas (`url` / `directUrl` in the datasource block, `.env` files,
 * SQLite paths relative to the schema), Prisma 6.18+ `engine: 'classic'`
 * configs, Prisma 7 prisma.config.ts. Real files in temporary projects.
 */

const dirs: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'revise-datasource-'));
  dirs.push(dir);
  for (const [rel, content] of Object.entries({ 'package.json': '{}', ...files })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function resolveIn(dir: string, env: NodeJS.ProcessEnv = {}, options: { schema?: string; config?: string } = {}) {
  const config = await loadProjectConfig({ cwd: dir, ...options });
  return resolveDatabaseUrl(config, { env });
}

async function resolve(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const dir = project(files);
  return { dir, result: await resolveIn(dir, env) };
}

async function failure(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const error = await resolve(files, env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ReviseError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

const schema = (provider: string, lines: string) => `datasource db {\n  provider = "${provider}"\n${lines}}\n\nmodel A {\n  id Int @id\n}\n`;

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Prisma 5/6: the schema names the URL', () => {
  test('url = env("MY_DB") from .env: a relative SQLite path is relative to the schema folder, not the project root', async () => {
    const { dir, result } = await resolve({
      'prisma/schema.prisma': schema('sqlite', '  url      = env("MY_DB")\n'),
      '.env': 'MY_DB="file:./dev.db"\n',
    });
    expect(result).toEqual({
      url: `file:${path.join(dir, 'prisma', 'dev.db')}`,
      source: 'prisma/schema.prisma url = env("MY_DB") (from .env)',
      provider: 'sqlite',
    });
  });

  test('the schema wins over a bare DATABASE_URL, which Prisma would never read', async () => {
    const { dir, result } = await resolve(
      { 'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n'), '.env': 'MY_DB=file:./dev.db\nDATABASE_URL=file:./other.db\n' },
      { DATABASE_URL: 'file:/elsewhere/wrong.db' },
    );
    expect(result.url).toBe(`file:${path.join(dir, 'prisma', 'dev.db')}`);
  });

  test('REVISE_DATABASE_URL and --url still come first', async () => {
    const files = { 'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n'), '.env': 'MY_DB=file:./dev.db\n' };
    const { result } = await resolve(files, { REVISE_DATABASE_URL: 'file:/abs/override.db' });
    expect(result).toMatchObject({ url: 'file:/abs/override.db', source: 'REVISE_DATABASE_URL' });
    const dir = project(files);
    const config = await loadProjectConfig({ cwd: dir });
    expect(await resolveDatabaseUrl(config, { env: {}, url: 'file:/abs/flag.db' })).toMatchObject({ url: 'file:/abs/flag.db', source: '--url' });
  });

  test('a literal url, e.g. url = "file:./dev.db", is relative to the schema folder too', async () => {
    const { dir, result } = await resolve({ 'prisma/schema.prisma': schema('sqlite', '  url = "file:./dev.db?connection_limit=1"\n') });
    expect(result).toMatchObject({ url: `file:${path.join(dir, 'prisma', 'dev.db')}?connection_limit=1`, source: 'prisma/schema.prisma url' });
  });

  test('a multi-file schema: relative to the folder of the file that holds the datasource block', async () => {
    const { dir, result } = await resolve({
      'prisma/schema/models.prisma': 'model A {\n  id Int @id\n}\n',
      'prisma/schema/base/db.prisma': 'datasource db {\n  provider = "sqlite"\n  url = "file:../dev.db"\n}\n',
    });
    expect(result.url).toBe(`file:${path.join(dir, 'prisma', 'schema', 'dev.db')}`);
    expect(result.source).toBe(`${path.join('prisma', 'schema', 'base', 'db.prisma')} url`);
  });

  test('directUrl is preferred over url, as Prisma Migrate does (url may be a pooler)', async () => {
    const { result } = await resolve(
      {
        'prisma/schema.prisma': schema('postgresql', '  url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL") // migrations\n'),
        '.env': 'DATABASE_URL="postgresql://u:pw@pooler:6543/db?pgbouncer=true"\nDIRECT_URL="postgresql://u:pw@db:5432/db"\n',
      },
      {},
    );
    expect(result).toEqual({
      url: 'postgresql://u:pw@db:5432/db',
      source: 'prisma/schema.prisma directUrl = env("DIRECT_URL") (from .env)',
      provider: 'postgresql',
    });
  });

  test('an unset variable is a one-line error naming it, never a fallback to DATABASE_URL or ./local.db', async () => {
    const message = await failure({ 'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n') }, { DATABASE_URL: 'file:/x.db' });
    expect(message).toMatch(/^MY_DB is not set /);
    expect(message).toContain('prisma/schema.prisma url = env("MY_DB")');
    expect(message).toContain('the environment, .env, prisma/.env');
  });

  test('an unset directUrl variable is an error even when url is set (Prisma does not fall back)', async () => {
    const message = await failure(
      { 'prisma/schema.prisma': schema('postgresql', '  url = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")\n') },
      { DATABASE_URL: 'postgresql://h/db' },
    );
    expect(message).toMatch(/^DIRECT_URL is not set \(prisma\/schema\.prisma directUrl = env\("DIRECT_URL"\)/);
  });

  test('an empty variable is an error, as in Prisma ("You must provide a nonempty URL")', async () => {
    const message = await failure({ 'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n') }, { MY_DB: '' });
    expect(message).toMatch(/is empty$/);
  });

  test('a URL of the wrong database for the schema provider is refused, as Prisma refuses it', async () => {
    const message = await failure({ 'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n') }, { MY_DB: 'postgresql://u:hunter2@h/db' });
    expect(message).toContain("the schema's provider is sqlite");
    expect(message).not.toContain('hunter2');
  });
});

describe('.env files, in Prisma 5/6 order', () => {
  test('prisma/.env is read when the root .env does not have the variable', async () => {
    const { dir, result } = await resolve({ 'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n'), 'prisma/.env': 'MY_DB=file:./from-prisma-env.db\n' });
    expect(result).toMatchObject({ url: `file:${path.join(dir, 'prisma', 'from-prisma-env.db')}`, source: 'prisma/schema.prisma url = env("MY_DB") (from prisma/.env)' });
  });

  test('the real environment beats the root .env, which beats prisma/.env (dotenv never overrides)', async () => {
    const files = { 'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n'), '.env': 'MY_DB=file:/root.db\n', 'prisma/.env': 'MY_DB=file:/prisma.db\n' };
    expect((await resolve(files)).result.url).toBe('file:/root.db');
    expect((await resolve(files, { MY_DB: 'file:/real.db' })).result).toMatchObject({ url: 'file:/real.db', source: 'prisma/schema.prisma url = env("MY_DB") (from the environment)' });
  });

  test('the .env beside a schema given with --schema', async () => {
    const dir = project({ 'db/main.prisma': schema('sqlite', '  url = env("MY_DB")\n'), 'db/.env': 'MY_DB=file:./beside.db\n' });
    const result = await resolveIn(dir, {}, { schema: 'db/main.prisma' });
    expect(result.url).toBe(`file:${path.join(dir, 'db', 'beside.db')}`);
  });

  test('${NAME} references are expanded (the real environment first), as Prisma does; \\${ stays', async () => {
    const dir = project({ '.env': 'DB_USER=app\nDB_HOST=db\nURL="postgresql://${DB_USER}:${DB_PASS}@${DB_HOST}/main"\nLIT="a\\${B}"\n' });
    const env = readProjectEnv(dir, undefined, { DB_PASS: 's3cret', DB_HOST: 'real-host' });
    expect(env.get('URL')?.value).toBe('postgresql://app:s3cret@real-host/main');
    expect(env.get('LIT')?.value).toBe('a${B}');
  });
});

describe('prisma.config.ts', () => {
  const prisma7 = 'datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id Int @id\n}\n';

  test("Prisma 7: datasource.url = env('X'), a relative SQLite path relative to the config's folder", async () => {
    const { dir, result } = await resolve({
      'prisma/schema.prisma': prisma7,
      'prisma.config.ts': "import 'dotenv/config';\nimport { defineConfig, env } from 'prisma/config';\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: {\n    url: env('DB_URL'),\n  },\n});\n",
      '.env': 'DB_URL=file:./dev.db\n',
    });
    expect(result).toEqual({
      url: `file:${path.join(dir, 'dev.db')}`,
      source: "prisma.config.ts datasource.url = env('DB_URL') (from .env)",
      provider: 'sqlite',
    });
  });

  test('a config given with --config: relative to its own folder', async () => {
    const dir = project({
      'prisma/schema.prisma': prisma7,
      'config/prisma.config.ts': "export default { schema: '../prisma/schema.prisma', datasource: { url: 'file:./here.db' } };\n",
    });
    const result = await resolveIn(dir, {}, { config: 'config/prisma.config.ts' });
    expect(result.url).toBe(`file:${path.join(dir, 'config', 'here.db')}`);
  });

  test('a computed url is evaluated', async () => {
    const { dir, result } = await resolve({
      'prisma/schema.prisma': prisma7,
      'prisma.config.ts': "const name = ['comp', 'uted'].join('');\nexport default { datasource: { url: `file:./${name}.db` } };\n",
    });
    expect(result).toMatchObject({ url: `file:${path.join(dir, 'computed.db')}`, source: 'prisma.config.ts datasource.url' });
  });

  test('datasource.url reading an unset variable is an error naming it, not ./local.db', async () => {
    const message = await failure({ 'prisma/schema.prisma': prisma7, 'prisma.config.ts': 'export default { datasource: { url: process.env.NOT_SET_ANYWHERE } };\n' });
    expect(message).toMatch(/^NOT_SET_ANYWHERE is not set \(prisma\.config\.ts datasource\.url reads it/);
  });

  test("env('X') from prisma/config that is unset: Prisma's own error, naming it", async () => {
    const message = await failure({
      'prisma/schema.prisma': prisma7,
      'prisma.config.ts': "const env = (n) => { const v = process.env[n]; if (!v) { const e = new Error(`Cannot resolve environment variable: ${n}.`); e.name = 'PrismaConfigEnvError'; throw e; } return v; };\nexport default { datasource: { url: env('UNSET_VAR_X') } };\n",
    });
    expect(message).toContain('UNSET_VAR_X');
  });

  test('a config without a datasource leaves the URL to DATABASE_URL / the default', async () => {
    const { dir, result } = await resolve({ 'prisma/schema.prisma': prisma7, 'prisma.config.ts': "export default { schema: 'prisma/schema.prisma' };\n" });
    expect(result).toEqual({ url: `file:${path.join(dir, 'local.db')}`, source: 'default', provider: 'sqlite' });
  });

  test("Prisma 6.18+ engine: 'classic': the config's directUrl overrides the schema's url, relative to the schema folder", async () => {
    const { dir, result } = await resolve({
      'prisma/schema.prisma': schema('sqlite', '  url = env("SCHEMA_URL")\n'),
      'prisma.config.ts': "export default {\n  engine: 'classic',\n  datasource: { url: env('POOLED'), directUrl: env('DIRECT') },\n};\n",
      '.env': 'SCHEMA_URL=file:./schema.db\nPOOLED=file:./pooled.db\nDIRECT=file:./direct.db\n',
    });
    expect(result).toMatchObject({ url: `file:${path.join(dir, 'prisma', 'direct.db')}`, source: "prisma.config.ts datasource.directUrl = env('DIRECT') (from .env)" });
  });

  test("engine: 'classic' reading an unset variable names it (no evaluation: Prisma 7's loader rejects a Prisma 6 config)", async () => {
    const message = await failure({
      'prisma/schema.prisma': schema('sqlite', '  url = env("SCHEMA_URL")\n'),
      'prisma.config.ts': "export default { engine: 'classic', datasource: { url: env('NOT_SET_CLASSIC') } };\n",
    }, { SCHEMA_URL: 'file:./schema.db' });
    expect(message).toBe('NOT_SET_CLASSIC is not set (prisma.config.ts datasource.url reads it; looked in the environment, .env)');
  });

  test('a Prisma 6 config that must be evaluated names the setting Prisma 7 does not have', async () => {
    const message = await failure({
      'prisma/schema.prisma': schema('sqlite', '  url = env("SCHEMA_URL")\n'),
      'prisma.config.ts': "const url = 'file:' + './x.db';\nexport default { engine: 'classic', datasource: { url } };\n",
      '.env': 'SCHEMA_URL=file:./schema.db\n',
    });
    expect(message).toContain('`engine` is not a Prisma 7 setting');
    expect(message).toContain('REVISE_DATABASE_URL');
  });

  test('a Prisma 6 config without engine classic is not consulted for the URL: the schema names it', async () => {
    const { dir, result } = await resolve({
      'prisma/schema.prisma': schema('sqlite', '  url = env("MY_DB")\n'),
      'prisma.config.ts': "export default { earlyAccess: true, schema: 'prisma/schema.prisma', migrate: { adapter: async () => null } };\n",
      '.env': 'MY_DB=file:./dev.db\n',
    });
    expect(result.url).toBe(`file:${path.join(dir, 'prisma', 'dev.db')}`);
  });
});

describe('readDatasourceText', () => {
  function text(content: string) {
    const dir = project({ 'prisma.config.ts': content });
    return readDatasourceText(path.join(dir, 'prisma.config.ts'));
  }

  test('plain settings are read without evaluating the file', () => {
    expect(text("export default defineConfig({ datasource: { url: env('A') } })")).toEqual({ classic: false, url: { env: 'A', written: "env('A')" } });
    expect(text('export default { datasource: { url: process.env["B"], shadowDatabaseUrl: process.env.S } }')).toEqual({
      classic: false,
      url: { env: 'B', written: 'process.env["B"]' },
    });
    expect(text("// datasource: { url: 'file:./commented.db' }\nexport default { datasource: { url: 'file:./x.db' } }").url).toEqual({ literal: 'file:./x.db' });
    expect(text("export default { schema: 'prisma' }")).toEqual({ classic: false, absent: true });
    expect(text("export default {\n  datasource: {\n    url: 'postgresql://h/db', // the direct one\n    shadowDatabaseUrl: env('S'), // shadow\n  },\n}")).toEqual({
      classic: false,
      url: { literal: 'postgresql://h/db' },
    });
  });

  test('anything the text cannot settle is evaluated', () => {
    for (const content of [
      "export default { datasource: { url: process.env.A ?? 'file:./dev.db' } }",
      "import { config } from 'dotenv';\nconfig({ path: '.env.local' });\nexport default { datasource: { url: env('A') } }",
      "import base from './base';\nexport default { ...base, datasource: { url: env('A') } }",
      "const datasource = { url: env('A') };\nexport default { datasource }",
      "/* datasource: { url: env('B') } */\nexport default { datasource: { url: env('A') } }",
      "process.env.A = 'file:./x.db';\nexport default { datasource: { url: env('A') } }",
    ]) {
      expect(text(content).dynamic, content).toBe(true);
    }
  });
});
