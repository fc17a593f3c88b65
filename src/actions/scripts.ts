import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProjectConfig } from '../config/project.js';
import { ReviseError } from '../errors.js';
import { revisionCacheDir } from '../runtime/cache-files.js';
import type { MigrationEnv } from '../runtime/runner.js';
import type { RevisionMap } from '../script/graph.js';
import type { ActionOptions } from './context.js';
import { resolveIO } from './context.js';

/**
 * One entry of package.json#revise.databases (the multidb template): one
 * revision stream for all databases, each revision with an
 * `upgrade_<name>` / `downgrade_<name>` pair per database.
 */
export interface DatabaseSettings {
  /** The name of an environment variable (or `.env` entry) holding the URL, or the URL itself. */
  url?: string;
  /** Prisma schema of this database, relative to the project root. */
  schema?: string;
}

/** A database name becomes part of a function name (`upgrade_<name>`). */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** package.json#revise.databases of the project around `cwd`; undefined for a single-database project. */
export function readDatabases(cwd: string): Record<string, DatabaseSettings> | undefined {
  let dir = resolve(cwd);
  // The nearest package.json upward, like loadProjectConfig's root.
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) break;
    const parent = resolve(dir, '..');
    if (parent === dir) return undefined;
    dir = parent;
  }
  let pkg: { revise?: { databases?: unknown } };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    return undefined; // loadProjectConfig reports an unreadable package.json
  }
  const databases = pkg.revise?.databases;
  if (databases === undefined) return undefined;
  if (typeof databases !== 'object' || databases === null || Array.isArray(databases) || Object.keys(databases).length === 0) {
    throw new ReviseError('package.json revise.databases must be an object: { "<name>": { "url": "<ENV_VAR or URL>", "schema": "<path>" } }');
  }
  for (const [name, settings] of Object.entries(databases as Record<string, unknown>)) {
    if (!DATABASE_NAME.test(name)) {
      throw new ReviseError(`Database name '${name}' in package.json revise.databases must be an identifier (letters, digits, _)`);
    }
    if (typeof settings !== 'object' || settings === null) {
      throw new ReviseError(`package.json revise.databases.${name} must be an object: { "url", "schema" }`);
    }
  }
  return databases as Record<string, DatabaseSettings>;
}

/** The database names a multidb command acts on: all of them, or the one `--name` picks. */
export function selectDatabases(databases: Record<string, DatabaseSettings>, name: string | undefined): string[] {
  const names = Object.keys(databases);
  if (name === undefined) return names;
  if (!databases[name]) throw new ReviseError(`No database '${name}' in package.json revise.databases (${names.join(', ')})`);
  return [name];
}

/** The revision graph without a database (history, heads, show...): no URL is resolved, nothing connects. */
export async function openScripts(options: ActionOptions): Promise<{ project: ProjectConfig; scripts: RevisionMap }> {
  const { cwd } = resolveIO(options);
  const databases = readDatabases(cwd);
  if (!databases && options.name !== undefined) throw new ReviseError(`--name ${options.name}: package.json has no revise.databases`);
  if (databases) selectDatabases(databases, options.name);
  const [{ loadProjectConfig }, { loadScriptDirectory }] = await Promise.all([
    import('../config/project.js'),
    import('../script/directory.js'),
  ]);
  // A multidb project has one schema per database; the graph needs none.
  const schemaOption = options.schema !== undefined && !databases ? { schema: options.schema } : {};
  const project = await loadProjectConfig({ cwd, ...schemaOption });
  return { project, scripts: await loadScriptDirectory(project.versionPaths, { cacheDir: revisionCacheDir(project.root) }) };
}

/**
 * One MigrationEnv per database the command acts on: the project's single
 * env, or (multidb) one per database of package.json#revise.databases, or
 * only the one `--name` picks. All share the one revision graph.
 */
export async function openEnvs(options: ActionOptions): Promise<MigrationEnv[]> {
  const { cwd } = resolveIO(options);
  const databases = readDatabases(cwd);
  if (!databases) {
    if (options.name !== undefined) throw new ReviseError(`--name ${options.name}: package.json has no revise.databases`);
    // The common case goes through the runtime's own fast path.
    const { openMigrationEnv } = await import('../runtime/runner.js');
    return [
      await openMigrationEnv({
        cwd,
        ...(options.url !== undefined ? { url: options.url } : {}),
        ...(options.schema !== undefined ? { schema: options.schema } : {}),
      }),
    ];
  }
  const names = selectDatabases(databases, options.name);
  if (names.length > 1 && (options.url !== undefined || options.schema !== undefined)) {
    throw new ReviseError('--url and --schema name one database: add --name <database>');
  }
  const [{ loadProjectConfig }, { loadScriptDirectory }, { absoluteSqliteUrl, providerOfUrl }, { readDotenv }, { loadDialect }] =
    await Promise.all([
      import('../config/project.js'),
      import('../script/directory.js'),
      import('../config/database-url.js'),
      import('../config/dotenv.js'),
      import('../runtime/dialects.js'),
    ]);
  const base = await loadProjectConfig({ cwd });
  const scripts = await loadScriptDirectory(base.versionPaths, { cacheDir: revisionCacheDir(base.root) });
  const dotenv = readDotenv(base.root);
  const envs: MigrationEnv[] = [];
  for (const name of names) {
    const settings = databases[name]!;
    const { schemaPath: _default, ...rest } = base;
    const project: ProjectConfig = { ...rest };
    const schemaPath =
      options.schema !== undefined ? resolve(cwd, options.schema) : settings.schema ? resolve(base.root, settings.schema) : undefined;
    // A schema that does not exist yet only matters to autogenerate, which then says none was found.
    if (schemaPath !== undefined && existsSync(schemaPath)) project.schemaPath = schemaPath;
    const url = options.url ?? urlOf(name, settings, dotenv);
    const urlSource = options.url !== undefined ? '--url' : `package.json revise.databases.${name}.url`;
    envs.push({ project, url: absoluteSqliteUrl(url, base.root), urlSource, dialect: await loadDialect(providerOfUrl(url)), scripts, database: name });
  }
  return envs;
}

/** A database's URL: `url` names an environment variable (real environment over `.env`), or is the URL itself. */
function urlOf(name: string, settings: DatabaseSettings, dotenv: Record<string, string>): string {
  if (!settings.url) throw new ReviseError(`Database '${name}' has no "url" in package.json revise.databases`);
  if (!DATABASE_NAME.test(settings.url)) return settings.url;
  const value = process.env[settings.url] || dotenv[settings.url];
  if (!value) throw new ReviseError(`${settings.url} is not set (the URL of database '${name}')`);
  return value;
}

/** Exactly one env: commands that show one database's state (`history -i`, `show current`, `edit current`). */
export async function openEnv(options: ActionOptions): Promise<MigrationEnv> {
  const envs = await openEnvs(options);
  if (envs.length > 1) {
    throw new ReviseError(`This project has several databases (${envs.map((e) => e.database).join(', ')}); choose one with --name`);
  }
  return envs[0]!;
}

/** The heads recorded in the database's alembic_version table ([] when none). */
export async function databaseHeads(env: MigrationEnv): Promise<string[]> {
  const { readCurrentHeads } = await import('../runtime/runner.js');
  return readCurrentHeads(env);
}
