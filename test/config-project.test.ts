import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadProjectConfig, requireSchemaPath } from '../src/config/project.js';
import { ReviseError } from '../src/errors.js';

const SCHEMA = 'datasource db {\n  provider = "sqlite"\n}\n';
const dirs: string[] = [];

/** A temp project: keys are relative paths, values file contents. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'revise-config-'));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadProjectConfig: root', () => {
  test('root is the nearest folder upward with package.json', async () => {
    const dir = project({ 'package.json': '{}', 'prisma/schema.prisma': SCHEMA, 'src/deep/x.txt': '' });
    const config = await loadProjectConfig({ cwd: path.join(dir, 'src/deep') });
    expect(config.root).toBe(dir);
    expect(config.schemaPath).toBe(path.join(dir, 'prisma/schema.prisma'));
  });

  test('a folder with only prisma.config.ts is a root', async () => {
    const dir = project({ 'app/prisma.config.ts': 'export default {}\n', 'app/schema.prisma': SCHEMA, 'app/sub/x': '' });
    const config = await loadProjectConfig({ cwd: path.join(dir, 'app/sub') });
    expect(config.root).toBe(path.join(dir, 'app'));
    expect(config.prismaConfigPath).toBe(path.join(dir, 'app/prisma.config.ts'));
    expect(config.schemaPath).toBe(path.join(dir, 'app/schema.prisma'));
  });
});

describe('loadProjectConfig: schema discovery', () => {
  test('explicit --schema wins over everything', async () => {
    const dir = project({
      'package.json': JSON.stringify({ prisma: { schema: 'db/other.prisma' } }),
      'prisma/schema.prisma': SCHEMA,
      'db/other.prisma': SCHEMA,
      'custom/my.prisma': SCHEMA,
    });
    const config = await loadProjectConfig({ cwd: dir, schema: 'custom/my.prisma' });
    expect(config.schemaPath).toBe(path.join(dir, 'custom/my.prisma'));
  });

  test('explicit --schema that does not exist is a ReviseError', async () => {
    const dir = project({ 'package.json': '{}' });
    await expect(loadProjectConfig({ cwd: dir, schema: 'nope.prisma' })).rejects.toThrow(/Prisma schema not found: nope.prisma/);
  });

  test('prisma.config.ts literal schema setting, resolved against the config file', async () => {
    const dir = project({
      'package.json': JSON.stringify({ prisma: { schema: 'db/other.prisma' } }),
      'prisma.config.ts': "import { defineConfig } from 'prisma/config';\nexport default defineConfig({\n  schema: 'db/main.prisma',\n});\n",
      'db/main.prisma': SCHEMA,
      'db/other.prisma': SCHEMA,
      'prisma/schema.prisma': SCHEMA,
    });
    const config = await loadProjectConfig({ cwd: dir });
    expect(config.schemaPath).toBe(path.join(dir, 'db/main.prisma'));
  });

  test('prisma.config.ts with a computed schema setting is evaluated through @prisma/config', async () => {
    const dir = project({
      'package.json': '{}',
      'prisma.config.ts': "const folder: string = ['db', 'multi'].join('/');\nexport default { schema: folder };\n",
      'db/multi/a.prisma': SCHEMA,
      'prisma/schema.prisma': SCHEMA,
    });
    const config = await loadProjectConfig({ cwd: dir });
    expect(config.schemaPath).toBe(path.join(dir, 'db/multi'));
  });

  test('prisma.config.ts without a schema setting falls through to the defaults', async () => {
    const dir = project({
      'package.json': '{}',
      'prisma.config.ts': "export default { datasource: { url: 'file:./x.db' } };\n",
      'prisma/schema.prisma': SCHEMA,
    });
    const config = await loadProjectConfig({ cwd: dir });
    expect(config.schemaPath).toBe(path.join(dir, 'prisma/schema.prisma'));
  });

  test('--config points at a config file elsewhere', async () => {
    const dir = project({
      'package.json': '{}',
      'config/prisma.config.ts': "export default { schema: '../s/x.prisma' };\n",
      's/x.prisma': SCHEMA,
    });
    const config = await loadProjectConfig({ cwd: dir, config: 'config/prisma.config.ts' });
    expect(config.prismaConfigPath).toBe(path.join(dir, 'config/prisma.config.ts'));
    expect(config.schemaPath).toBe(path.join(dir, 's/x.prisma'));
  });

  test('package.json#prisma.schema', async () => {
    const dir = project({
      'package.json': JSON.stringify({ prisma: { schema: 'db/other.prisma' } }),
      'db/other.prisma': SCHEMA,
      'prisma/schema.prisma': SCHEMA,
    });
    expect((await loadProjectConfig({ cwd: dir })).schemaPath).toBe(path.join(dir, 'db/other.prisma'));
  });

  test('prisma/schema.prisma before prisma/schema/ before schema.prisma', async () => {
    const all = project({ 'package.json': '{}', 'prisma/schema.prisma': SCHEMA, 'prisma/schema/a.prisma': SCHEMA, 'schema.prisma': SCHEMA });
    expect((await loadProjectConfig({ cwd: all })).schemaPath).toBe(path.join(all, 'prisma/schema.prisma'));
    const folder = project({ 'package.json': '{}', 'prisma/schema/a.prisma': SCHEMA, 'schema.prisma': SCHEMA });
    expect((await loadProjectConfig({ cwd: folder })).schemaPath).toBe(path.join(folder, 'prisma/schema'));
    const top = project({ 'package.json': '{}', 'schema.prisma': SCHEMA });
    expect((await loadProjectConfig({ cwd: top })).schemaPath).toBe(path.join(top, 'schema.prisma'));
  });

  test('no schema anywhere: schemaPath is absent and requireSchemaPath says where it looked', async () => {
    const dir = project({ 'package.json': '{}' });
    const config = await loadProjectConfig({ cwd: dir });
    expect(config.schemaPath).toBeUndefined();
    expect(() => requireSchemaPath(config)).toThrow(ReviseError);
    expect(() => requireSchemaPath(config)).toThrow(/prisma\/schema\.prisma/);
  });
});

describe('loadProjectConfig: revise settings', () => {
  test('defaults', async () => {
    const dir = project({ 'package.json': '{}' });
    const config = await loadProjectConfig({ cwd: dir });
    expect(config.migrationsDir).toBe(path.join(dir, 'migrations'));
    expect(config.versionPaths).toEqual([path.join(dir, 'migrations/versions')]);
    expect(config.excludeTables).toEqual([]);
  });

  test('package.json#revise', async () => {
    const dir = project({
      'package.json': JSON.stringify({ revise: { migrations: 'db/mig', versionPaths: ['db/v1', 'db/v2'], excludeTables: ['spatial_ref_sys'] } }),
    });
    const config = await loadProjectConfig({ cwd: dir });
    expect(config.migrationsDir).toBe(path.join(dir, 'db/mig'));
    expect(config.versionPaths).toEqual([path.join(dir, 'db/v1'), path.join(dir, 'db/v2')]);
    expect(config.excludeTables).toEqual(['spatial_ref_sys']);
  });

  test('migrations setting moves the default version path with it', async () => {
    const dir = project({ 'package.json': JSON.stringify({ revise: { migrations: 'db' } }) });
    expect((await loadProjectConfig({ cwd: dir })).versionPaths).toEqual([path.join(dir, 'db/versions')]);
  });

  test('a malformed setting is a ReviseError', async () => {
    const dir = project({ 'package.json': JSON.stringify({ revise: { excludeTables: 'x' } }) });
    await expect(loadProjectConfig({ cwd: dir })).rejects.toThrow(/revise.excludeTables must be a list of strings/);
  });
});
