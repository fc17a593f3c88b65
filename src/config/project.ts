import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ReviseError } from '../errors.js';
import { findPrismaConfigFile, loadPrismaConfigFile, readLiteralSchemaSetting } from './prisma-config.js';
import { readDotenv } from './dotenv.js';

export interface ProjectConfig {
  /** Folder with package.json or prisma.config.ts, nearest upward from the working directory. */
  root: string;
  /** Absolute path of the Prisma schema file or multi-file schema folder; absent when none was found. */
  schemaPath?: string;
  migrationsDir: string;
  versionPaths: string[];
  prismaConfigPath?: string;
  excludeTables: string[];
  /** How long `upgrade`/`downgrade`/`stamp` wait for another migrator's lock (REVISE_LOCK_TIMEOUT or package.json#revise.lockTimeout, seconds). */
  lockTimeoutMs?: number;
  /** true (default): each revision commits on its own; false: the whole run is one transaction (package.json#revise.transactionPerRevision). */
  transactionPerRevision?: boolean;
  /**
   * What runs on a revision file once it is written (Alembic's post_write_hooks), package.json#revise.postWriteHooks:
   * absent, the project's own prettier and eslint when it has them; `false` or `[]`, nothing; else a list of
   * `"prettier"`, `"eslint"` or shell commands (`REVISION_SCRIPT_FILENAME` stands for the file).
   */
  postWriteHooks?: string[] | false;
}

interface PackageJson {
  prisma?: { schema?: unknown };
  revise?: {
    migrations?: unknown;
    versionPaths?: unknown;
    excludeTables?: unknown;
    lockTimeout?: unknown;
    transactionPerRevision?: unknown;
    postWriteHooks?: unknown;
  };
}

/**
 * Project settings: the root, the Prisma schema (found the way Prisma finds
 * it) and revise's own `package.json#revise` settings. Cheap: it evaluates
 * prisma.config.ts only when its `schema` setting is not a plain string.
 */
export async function loadProjectConfig(options: { cwd: string; schema?: string; config?: string }): Promise<ProjectConfig> {
  const cwd = path.resolve(options.cwd);
  const root = findProjectRoot(cwd);
  const pkg = readPackageJson(root);

  let prismaConfigPath: string | undefined;
  if (options.config) {
    prismaConfigPath = path.resolve(cwd, options.config);
    if (!existsSync(prismaConfigPath)) throw new ReviseError(`Prisma config file not found: ${options.config}`);
  } else {
    prismaConfigPath = findPrismaConfigFile(root);
  }

  const schemaPath = options.schema
    ? explicitSchema(path.resolve(cwd, options.schema), options.schema)
    : await discoverSchema(root, pkg, prismaConfigPath);

  const settings = pkg?.revise ?? {};
  const migrationsDir = path.resolve(root, stringSetting(settings.migrations, 'revise.migrations') ?? 'migrations');
  const versionPaths = stringListSetting(settings.versionPaths, 'revise.versionPaths')?.map((p) => path.resolve(root, p)) ?? [
    path.join(migrationsDir, 'versions'),
  ];
  const excludeTables = stringListSetting(settings.excludeTables, 'revise.excludeTables') ?? [];

  const project: ProjectConfig = { root, migrationsDir, versionPaths, excludeTables };
  const lockTimeout = secondsSetting(process.env.REVISE_LOCK_TIMEOUT, 'REVISE_LOCK_TIMEOUT') ??
    secondsSetting(settings.lockTimeout, 'package.json revise.lockTimeout');
  if (lockTimeout !== undefined) project.lockTimeoutMs = lockTimeout * 1000;
  if (settings.transactionPerRevision !== undefined) {
    if (typeof settings.transactionPerRevision !== 'boolean') {
      throw new ReviseError('package.json revise.transactionPerRevision must be true or false');
    }
    project.transactionPerRevision = settings.transactionPerRevision;
  }
  if (settings.postWriteHooks !== undefined) {
    const hooks = settings.postWriteHooks;
    if (hooks !== false && !(Array.isArray(hooks) && hooks.every((h) => typeof h === 'string' && h.trim() !== ''))) {
      throw new ReviseError('package.json revise.postWriteHooks must be false or a list of "prettier", "eslint" or shell commands');
    }
    project.postWriteHooks = hooks === false ? false : (hooks as string[]);
  }
  if (schemaPath) project.schemaPath = schemaPath;
  if (prismaConfigPath) project.prismaConfigPath = prismaConfigPath;
  return project;
}

/** The schema path, or a ReviseError that lists where revise looked. */
export function requireSchemaPath(project: ProjectConfig): string {
  if (project.schemaPath) return project.schemaPath;
  throw new ReviseError(
    `no Prisma schema found in ${project.root}: looked at --schema, prisma.config.ts \`schema\`, package.json#prisma.schema, prisma/schema.prisma, prisma/schema/, schema.prisma`,
  );
}

export function findProjectRoot(cwd: string): string {
  let dir = cwd;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) || findPrismaConfigFile(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return cwd;
    dir = parent;
  }
}

function readPackageJson(root: string): PackageJson | undefined {
  const file = path.join(root, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (error) {
    throw new ReviseError(`cannot parse ${file}: ${(error as Error).message}`);
  }
}

function explicitSchema(resolved: string, asGiven: string): string {
  if (!existsSync(resolved)) throw new ReviseError(`Prisma schema not found: ${asGiven}`);
  return resolved;
}

/** Prisma's order: prisma.config.ts, package.json#prisma.schema, then the default locations. */
async function discoverSchema(root: string, pkg: PackageJson | undefined, prismaConfigPath: string | undefined) {
  if (prismaConfigPath) {
    let fromConfig = readLiteralSchemaSetting(prismaConfigPath);
    if (fromConfig === null) fromConfig = (await loadPrismaConfigFile(prismaConfigPath, readDotenv(root))).schema;
    if (fromConfig) {
      if (!existsSync(fromConfig)) {
        throw new ReviseError(`the schema set in ${path.basename(prismaConfigPath)} does not exist: ${fromConfig}`);
      }
      return fromConfig;
    }
  }
  const fromPackage = pkg?.prisma?.schema;
  if (typeof fromPackage === 'string') {
    const resolved = path.resolve(root, fromPackage);
    if (!existsSync(resolved)) throw new ReviseError(`the schema set in package.json#prisma.schema does not exist: ${fromPackage}`);
    return resolved;
  }
  for (const candidate of ['prisma/schema.prisma', 'prisma/schema', 'schema.prisma']) {
    const resolved = path.join(root, candidate);
    const info = statSync(resolved, { throwIfNoEntry: false });
    if (info && (info.isFile() || info.isDirectory())) return resolved;
  }
  return undefined;
}

function stringSetting(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ReviseError(`package.json ${name} must be a string`);
  return value;
}

/** A non-negative number of seconds, from package.json (number) or the environment (text). */
function secondsSetting(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new ReviseError(`${name} must be a number of seconds, got ${JSON.stringify(value)}`);
  }
  return seconds;
}

function stringListSetting(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ReviseError(`package.json ${name} must be a list of strings`);
  }
  return value as string[];
}
