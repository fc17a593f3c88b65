import path from 'node:path';
import { ReviseError, maskUrl } from '../errors.js';
import { readDotenv } from './dotenv.js';
import { loadPrismaConfigFile } from './prisma-config.js';
import type { ProjectConfig } from './project.js';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface ResolvedDatabaseUrl {
  url: string;
  /** Where the URL came from, for messages: `--url`, `DATABASE_URL`, `DATABASE_URL (.env)`, `prisma.config.ts`, `default`. */
  source: string;
  provider: DatabaseProvider;
}

/** Embedded default for SQLite projects without any configured URL. */
export const DEFAULT_SQLITE_URL = 'file:./local.db';

/**
 * The database URL, first found wins: the explicit option, REVISE_DATABASE_URL,
 * DATABASE_URL (real environment over `<root>/.env`), prisma.config.ts
 * `datasource.url`, then `file:./local.db` when the schema's provider is
 * sqlite. A relative SQLite path is made absolute against the project root.
 */
export async function resolveDatabaseUrl(
  project: ProjectConfig,
  options: { url?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ResolvedDatabaseUrl> {
  const found = await findUrl(project, options);
  return { url: absoluteSqliteUrl(found.url, project.root), source: found.source, provider: providerOfUrl(found.url) };
}

async function findUrl(project: ProjectConfig, options: { url?: string; env?: NodeJS.ProcessEnv }) {
  if (options.url) return { url: options.url, source: '--url' };

  const env = options.env ?? process.env;
  const dotenv = readDotenv(project.root);
  for (const name of ['REVISE_DATABASE_URL', 'DATABASE_URL']) {
    if (env[name]) return { url: env[name], source: name };
    if (dotenv[name]) return { url: dotenv[name], source: `${name} (.env)` };
  }

  if (project.prismaConfigPath) {
    const { datasourceUrl } = await loadPrismaConfigFile(project.prismaConfigPath, dotenv);
    if (datasourceUrl) return { url: datasourceUrl, source: path.basename(project.prismaConfigPath) };
  }

  const provider = await schemaProvider(project);
  if (provider === 'sqlite') return { url: DEFAULT_SQLITE_URL, source: 'default' };

  const looked = ['--url', 'REVISE_DATABASE_URL', 'DATABASE_URL', path.join(project.root, '.env')];
  if (project.prismaConfigPath) looked.push(`${path.basename(project.prismaConfigPath)} datasource.url`);
  throw new ReviseError(
    `no database URL found (looked at ${looked.join(', ')})` +
      (provider ? `; the schema's provider is ${provider}, which has no default` : ''),
  );
}

/**
 * The datasource provider as written in the schema text: no Prisma engine is
 * loaded for this, and the schema readers only when no URL was configured.
 */
async function schemaProvider(project: ProjectConfig): Promise<string | undefined> {
  if (!project.schemaPath) return undefined;
  const [{ readSchemaFilesSync }, { providerFromText }] = await Promise.all([import('../schema/files.js'), import('../schema/scan.js')]);
  try {
    return providerFromText(readSchemaFilesSync(project.schemaPath));
  } catch {
    return undefined;
  }
}

export function providerOfUrl(url: string): DatabaseProvider {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file') return 'sqlite';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgresql';
  if (scheme === undefined) throw new ReviseError(`invalid database URL '${maskUrl(url)}' (expected file:... or postgresql://...)`);
  return unsupported(scheme);
}

function unsupported(scheme: string): never {
  throw new ReviseError(`unsupported database URL scheme '${scheme}:' (revise supports SQLite and PostgreSQL)`);
}

/** `file:./dev.db?x=1` -> `file:/abs/root/dev.db?x=1`; absolute paths, `file://` URLs and `:memory:` stay. */
export function absoluteSqliteUrl(url: string, root: string): string {
  const m = /^file:(.*)$/i.exec(url);
  if (!m) return url;
  const rest = m[1];
  if (rest.startsWith('//')) return url;
  const q = rest.indexOf('?');
  const file = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q) : '';
  if (file === ':memory:' || file === '' || path.isAbsolute(file)) return url;
  return `file:${path.resolve(root, file)}${query}`;
}
