import path from 'node:path';
import { ReviseError, maskUrl } from '../errors.js';
import type { DatasourceValue, ScannedDatasource } from '../schema/scan.js';
import { readProjectEnv, type EnvValue, type ProjectEnv } from './dotenv.js';
import { loadPrismaConfigFile, readDatasourceText, type ConfigDatasourceText, type ConfigUrlSetting } from './prisma-config.js';
import type { ProjectConfig } from './project.js';

export type DatabaseProvider = 'sqlite' | 'postgresql' | 'mysql';

export interface ResolvedDatabaseUrl {
  url: string;
  /**
   * Where the URL came from, for `current -v` and messages: `--url`,
   * `REVISE_DATABASE_URL`, `prisma/schema.prisma directUrl = env("DIRECT_URL") (from .env)`,
   * `prisma.config.ts datasource.url`, `DATABASE_URL (.env)`, `default`.
   */
  source: string;
  provider: DatabaseProvider;
}

/** Embedded default for SQLite projects without any configured URL. */
export const DEFAULT_SQLITE_URL = 'file:./local.db';

interface Found {
  url: string;
  source: string;
  /** What a relative SQLite path is relative to; the project root when absent. */
  baseDir?: string;
  /** The schema's provider, when the URL is Prisma's own (Prisma checks the two agree). */
  provider?: string;
}

/**
 * The database URL, first found wins:
 *
 * 1. `--url`, then REVISE_DATABASE_URL: explicit overrides.
 * 2. What the project's Prisma would migrate. Prisma 5/6: the schema's
 *    datasource, `directUrl` before `url` (Prisma Migrate connects with the
 *    direct URL; `url` may be a pooler), each a literal or `env("NAME")`; a
 *    relative SQLite path is relative to the folder of the schema file that
 *    holds the datasource. Prisma 6.18+ with `engine: 'classic'` in
 *    prisma.config.ts: that file's `datasource` instead. Prisma 7:
 *    prisma.config.ts `datasource.url`, a relative SQLite path relative to
 *    the config file's folder (where Prisma 7 runs).
 * 3. DATABASE_URL, for schemas that name no URL at all.
 * 4. `file:./local.db` when the schema's provider is sqlite.
 *
 * Variables come from the real environment, then `<root>/.env`, then the
 * `.env` beside the schema (Prisma 5/6's files and order). A URL the schema
 * or the config names but cannot be found is an error, never a fallback.
 */
export async function resolveDatabaseUrl(
  project: ProjectConfig,
  options: { url?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ResolvedDatabaseUrl> {
  const found = await findUrl(project, options);
  const provider = providerOfUrl(found.url);
  if (found.provider !== undefined && schemaProviderOf(found.provider) !== undefined && schemaProviderOf(found.provider) !== provider) {
    throw new ReviseError(
      `the database URL from ${found.source} (${maskUrl(found.url)}) is not a ${found.provider} URL, but the schema's provider is ${found.provider}`,
    );
  }
  return { url: absoluteSqliteUrl(found.url, found.baseDir ?? project.root), source: found.source, provider };
}

async function findUrl(project: ProjectConfig, options: { url?: string; env?: NodeJS.ProcessEnv }): Promise<Found> {
  if (options.url) return { url: options.url, source: '--url' };

  const env = readProjectEnv(project.root, project.schemaPath, options.env ?? process.env);
  const override = env.get('REVISE_DATABASE_URL', { nonEmpty: true });
  if (override) return { url: override.value, source: named('REVISE_DATABASE_URL', override) };

  const datasource = await schemaDatasource(project);
  const config = project.prismaConfigPath ? readDatasourceText(project.prismaConfigPath) : undefined;
  const provider = datasource ? providerOf(datasource) : {};
  // Prisma 6.18+ `engine: 'classic'`: the config's datasource overrides the schema's, relative paths stay the schema's.
  if (config?.classic && !config.absent) {
    const baseDir = path.dirname(datasource?.file ?? project.prismaConfigPath!);
    const fromConfig = await fromPrismaConfig(project.prismaConfigPath!, config, env, baseDir, project.root);
    if (fromConfig) return { ...fromConfig, ...provider };
  }
  // Prisma 5/6: the schema names the URL.
  if (datasource && (datasource.url || datasource.directUrl)) return { ...fromSchema(datasource, env, project.root), ...provider };
  // Prisma 7: prisma.config.ts names it.
  if (config && !config.classic) {
    const fromConfig = await fromPrismaConfig(project.prismaConfigPath!, config, env, path.dirname(project.prismaConfigPath!), project.root);
    if (fromConfig) return { ...fromConfig, ...provider };
  }

  const conventional = env.get('DATABASE_URL', { nonEmpty: true });
  if (conventional) return { url: conventional.value, source: named('DATABASE_URL', conventional) };

  if (datasource?.provider === 'sqlite') return { url: DEFAULT_SQLITE_URL, source: 'default' };

  const looked = ['--url', 'REVISE_DATABASE_URL', 'the schema datasource url'];
  if (project.prismaConfigPath) looked.push(`${path.basename(project.prismaConfigPath)} datasource.url`);
  looked.push('DATABASE_URL', `(${env.places()})`);
  throw new ReviseError(
    `no database URL found (looked at ${looked.join(', ')})` +
      (datasource?.provider ? `; the schema's provider is ${datasource.provider}, which has no default` : ''),
  );
}

function providerOf(datasource: ScannedDatasource): { provider?: string } {
  return datasource.provider !== undefined ? { provider: datasource.provider } : {};
}

/** `(from the environment)`, `(from .env)`, `(from prisma/.env)`. */
function fromWhere(found: EnvValue): string {
  return found.origin === 'environment' ? '(from the environment)' : `(from ${found.origin})`;
}

/** `DATABASE_URL`, `DATABASE_URL (.env)`, `DATABASE_URL (prisma/.env)`. */
function named(name: string, found: EnvValue): string {
  return found.origin === 'environment' ? name : `${name} (${found.origin})`;
}

/** The schema's datasource block as written; the schema readers are loaded only here (no Prisma engine). */
async function schemaDatasource(project: ProjectConfig): Promise<ScannedDatasource | undefined> {
  if (!project.schemaPath) return undefined;
  const [{ readSchemaFilesSync }, { datasourceFromText }] = await Promise.all([import('../schema/files.js'), import('../schema/scan.js')]);
  let files;
  try {
    files = readSchemaFilesSync(project.schemaPath);
  } catch {
    return undefined; // whoever needs the schema reports it
  }
  return datasourceFromText(files);
}

/** Prisma 5/6: `directUrl` when there is one (Prisma Migrate's choice), else `url`. */
function fromSchema(datasource: ScannedDatasource, env: ProjectEnv, root: string): Found {
  const key = datasource.directUrl ? 'directUrl' : 'url';
  const value = (datasource.directUrl ?? datasource.url) as DatasourceValue;
  const where = `${path.relative(root, datasource.file) || datasource.file} ${key}`;
  const baseDir = path.dirname(datasource.file);
  if ('literal' in value) return { url: nonEmpty(value.literal, where), source: where, baseDir };
  if ('expression' in value) {
    throw new ReviseError(`cannot read the datasource ${where} (${value.expression}): expected env("NAME") or a string`);
  }
  const found = env.get(value.env);
  const written = `${where} = env("${value.env}")`;
  if (!found) throw new ReviseError(`${value.env} is not set (${written}; looked in ${env.places()})`);
  const source = `${written} ${fromWhere(found)}`;
  return { url: nonEmpty(found.value, source), source, baseDir };
}

/** Prisma rejects an empty URL ("You must provide a nonempty URL"); so does revise. */
function nonEmpty(url: string, where: string): string {
  if (url.trim() === '') throw new ReviseError(`${where} is empty`);
  return url;
}

/**
 * prisma.config.ts `datasource` (Prisma 7's `url`; a Prisma 6.18+ classic
 * config's `directUrl` before `url`). Read from the text when it is plain;
 * otherwise the file is evaluated. Prisma 7 loads no `.env` itself (configs
 * use `import 'dotenv/config'`, i.e. `<root>/.env`), so only the environment
 * and `<root>/.env` count. undefined when the config has no datasource.
 */
async function fromPrismaConfig(
  configFile: string,
  text: ConfigDatasourceText,
  env: ProjectEnv,
  baseDir: string,
  root: string,
): Promise<Found | undefined> {
  const name = path.relative(root, configFile) || configFile;
  if (text.absent) return undefined;
  const key = text.directUrl ? 'directUrl' : 'url';
  const setting: ConfigUrlSetting | undefined = text.directUrl ?? text.url;
  const where = `${name} datasource.${key}`;
  if (!text.dynamic && setting && 'literal' in setting) return { url: nonEmpty(setting.literal, where), source: where, baseDir };
  if (!text.dynamic && setting && 'env' in setting) {
    const found = env.get(setting.env, { rootOnly: true });
    if (found) return { url: nonEmpty(found.value, where), source: `${where} = ${setting.written} ${fromWhere(found)}`, baseDir };
    // A Prisma 6 config cannot be evaluated as Prisma 7 reads it: name the variable now.
    if (text.classic) throw new ReviseError(`${setting.env} is not set (${where} reads it; looked in ${env.places({ rootOnly: true })})`);
    // Otherwise the file itself may still set it; its evaluation decides (and names what is missing).
  }
  if (!text.dynamic && !setting) return undefined;

  let values;
  try {
    values = await loadPrismaConfigFile(configFile, env.rootFile);
  } catch (error) {
    if (error instanceof ReviseError) {
      throw new ReviseError(`${error.message}; to name the database anyway, set REVISE_DATABASE_URL or pass --url`);
    }
    throw error;
  }
  const datasource = values.datasource;
  if (!datasource) return undefined;
  const url = datasource.directUrl ?? datasource.url;
  const evaluated = `${name} datasource.${datasource.directUrl ? 'directUrl' : 'url'}`;
  if (!url) {
    if (setting && 'env' in setting) {
      throw new ReviseError(`${setting.env} is not set (${where} reads it; looked in ${env.places({ rootOnly: true })})`);
    }
    throw new ReviseError(`${where} is not set`);
  }
  return { url, source: evaluated, baseDir };
}

/** Prisma's provider names for the databases revise speaks. */
function schemaProviderOf(provider: string): DatabaseProvider | undefined {
  if (provider === 'sqlite') return 'sqlite';
  if (provider === 'postgresql' || provider === 'postgres') return 'postgresql';
  if (provider === 'mysql') return 'mysql';
  return undefined;
}

export function providerOfUrl(url: string): DatabaseProvider {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file') return 'sqlite';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgresql';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  if (scheme === undefined) throw new ReviseError(`invalid database URL '${maskUrl(url)}' (expected file:..., postgresql://... or mysql://...)`);
  return unsupported(scheme);
}

function unsupported(scheme: string): never {
  throw new ReviseError(`unsupported database URL scheme '${scheme}:' (revise supports SQLite, PostgreSQL and MySQL)`);
}

/** `file:./dev.db?x=1` -> `file:/abs/base/dev.db?x=1`; absolute paths, `file://` URLs and `:memory:` stay. */
export function absoluteSqliteUrl(url: string, base: string): string {
  const m = /^file:(.*)$/i.exec(url);
  if (!m) return url;
  const rest = m[1];
  if (rest.startsWith('//')) return url;
  const q = rest.indexOf('?');
  const file = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q) : '';
  if (file === ':memory:' || file === '' || path.isAbsolute(file)) return url;
  return `file:${path.resolve(base, file)}${query}`;
}
