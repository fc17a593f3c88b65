import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ProjectConfig } from '../config/project.js';
import { ReviseError } from '../errors.js';
import type { MigrationEnv } from '../runtime/runner.js';
import type { RevisionMap } from '../script/graph.js';
import type { ActionOptions } from './context.js';
import { resolveIO } from './context.js';

/** One entry of package.json#revise.databases (the multidb template). */
export interface DatabaseSettings {
  /** The name of an environment variable holding the URL, or the URL itself. */
  url?: string;
  /** Prisma schema of this database, relative to the project root. */
  schema?: string;
  /** Migrations folder of this database (its revisions live in `<migrations>/versions`). */
  migrations?: string;
}

async function readDatabases(root: string): Promise<Record<string, DatabaseSettings> | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  const pkg = JSON.parse(text) as { revise?: { databases?: unknown } };
  const databases = pkg.revise?.databases;
  if (databases === undefined) return undefined;
  if (typeof databases !== 'object' || databases === null || Array.isArray(databases)) {
    throw new ReviseError('package.json revise.databases must be an object: { "<name>": { "url", "schema", "migrations" } }');
  }
  return databases as Record<string, DatabaseSettings>;
}

/**
 * The project's settings, narrowed to one database with `name` when the
 * project has several (package.json#revise.databases, `revise init --template
 * multidb`): that database's version folder, schema and URL.
 */
async function loadProject(options: ActionOptions): Promise<{ project: ProjectConfig; url: () => string | undefined }> {
  const { cwd } = resolveIO(options);
  const { loadProjectConfig } = await import('../config/project.js');
  const schemaOption = options.schema !== undefined ? { schema: options.schema } : {};
  let project = await loadProjectConfig({ cwd, ...schemaOption });
  const databases = await readDatabases(project.root);
  if (!databases) {
    if (options.name !== undefined) throw new ReviseError(`--name ${options.name}: package.json has no revise.databases`);
    return { project, url: () => options.url };
  }
  const names = Object.keys(databases);
  if (options.name === undefined) {
    throw new ReviseError(`This project has several databases (${names.join(', ')}); choose one with --name`);
  }
  const settings = databases[options.name];
  if (!settings) throw new ReviseError(`No database '${options.name}' in package.json revise.databases (${names.join(', ')})`);
  if (options.schema === undefined && settings.schema) {
    // A schema that does not exist yet only matters to autogenerate, which then says none was found.
    if (existsSync(resolve(project.root, settings.schema))) {
      project = await loadProjectConfig({ cwd: project.root, schema: settings.schema });
    } else {
      const { schemaPath: _ignored, ...rest } = project;
      project = rest;
    }
  }
  const migrationsDir = resolve(project.root, settings.migrations ?? join('migrations', options.name));
  project = { ...project, migrationsDir, versionPaths: [join(migrationsDir, 'versions')] };

  const name = options.name;
  // The URL is looked up only by commands that connect: history and heads work without it.
  const url = (): string | undefined => {
    if (options.url !== undefined || !settings.url) return options.url;
    const value = /^[A-Za-z_][A-Za-z0-9_]*$/.test(settings.url) ? process.env[settings.url] : settings.url;
    if (value === undefined || value === '') throw new ReviseError(`${settings.url} is not set (the URL of database '${name}')`);
    return value;
  };
  return { project, url };
}

/** The revision graph without a database (history, heads, show...): no URL is resolved, nothing connects. */
export async function openScripts(options: ActionOptions): Promise<{ project: ProjectConfig; scripts: RevisionMap }> {
  const { project } = await loadProject(options);
  const { loadScriptDirectory } = await import('../script/directory.js');
  return { project, scripts: await loadScriptDirectory(project.versionPaths) };
}

/** Project, URL, dialect and graph: what commands that touch the database need. */
export async function openEnv(options: ActionOptions): Promise<MigrationEnv> {
  const { cwd } = resolveIO(options);
  if (options.name === undefined) {
    // The common case goes through the runtime's own fast path.
    const { openMigrationEnv } = await import('../runtime/runner.js');
    try {
      return await openMigrationEnv({
        cwd,
        ...(options.url !== undefined ? { url: options.url } : {}),
        ...(options.schema !== undefined ? { schema: options.schema } : {}),
      });
    } catch (error) {
      // A multidb project without --name: say so rather than "no migrations folder".
      await loadProject(options);
      throw error;
    }
  }
  const { project, url: urlOf } = await loadProject(options);
  const url = urlOf();
  const [{ resolveDatabaseUrl }, { loadScriptDirectory }, { loadDialect }] = await Promise.all([
    import('../config/database-url.js'),
    import('../script/directory.js'),
    import('../runtime/dialects.js'),
  ]);
  const [database, scripts] = await Promise.all([
    resolveDatabaseUrl(project, url !== undefined ? { url } : {}),
    loadScriptDirectory(project.versionPaths),
  ]);
  return { project, url: database.url, dialect: await loadDialect(database.provider), scripts };
}

/** The heads recorded in the database's alembic_version table ([] when none). */
export async function databaseHeads(env: MigrationEnv): Promise<string[]> {
  const { readCurrentHeads } = await import('../runtime/runner.js');
  return readCurrentHeads(env);
}
