import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { resolveDatabaseUrl } from '../src/config/database-url.js';
import { loadProjectConfig } from '../src/config/project.js';

// `revise upgrade head` with a plain `datasource: { url: env('DATABASE_URL') }` and DATABASE_URL set
// must not pay for @prisma/config or @prisma/internals: the config's text says which variable it reads.
const require = createRequire(import.meta.url);
const loaded = (pkg: string) => Object.keys(require.cache).some((k) => k.includes(`${path.sep}@prisma${path.sep}${pkg}${path.sep}`));

const dir = mkdtempSync(path.join(os.tmpdir(), 'revise-fast-'));
mkdirSync(path.join(dir, 'prisma'));
writeFileSync(path.join(dir, 'package.json'), '{}');
writeFileSync(path.join(dir, 'prisma/schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
writeFileSync(
  path.join(dir, 'prisma.config.ts'),
  "import 'dotenv/config';\nimport { defineConfig, env } from 'prisma/config';\nexport default defineConfig({ schema: 'prisma/schema.prisma', datasource: { url: env('DATABASE_URL') } });\n",
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('project config and URL with DATABASE_URL set load no @prisma package', async () => {
  const project = await loadProjectConfig({ cwd: dir });
  const url = await resolveDatabaseUrl(project, { env: { DATABASE_URL: 'postgresql://h/db' } });
  expect(project.schemaPath).toBe(path.join(dir, 'prisma/schema.prisma'));
  expect(url.source).toBe("prisma.config.ts datasource.url = env('DATABASE_URL') (from the environment)");
  expect(loaded('config')).toBe(false);
  expect(loaded('internals')).toBe(false);
});

test('(the check above can fail: loading the config is visible)', async () => {
  await import('@prisma/config');
  expect(loaded('config')).toBe(true);
});
