import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ReviseError } from '../errors.js';
import { resolveIO, type ActionOptions } from './context.js';
import { GENERIC_README, multidbReadme, TEMPLATES, type Template } from './templates.js';

export interface InitOptions extends ActionOptions {
  /** Migrations folder, relative to the project (default `migrations`). */
  directory?: string;
  template?: Template['name'];
  /** multidb: database names (default `engine1`, `engine2`, like Alembic's template); each must be an identifier. */
  databases?: string[];
}

export interface InitResult {
  directory: string;
  versionPaths: string[];
  /** Whether package.json got a `revise` key (only for non-default paths). */
  packageJsonUpdated: boolean;
}

const DEFAULT_DIRECTORY = 'migrations';

/** Alembic's `init`: create the migrations folder from a template. */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const { cwd, out } = resolveIO(options);
  const template = options.template ?? 'generic';
  if (!TEMPLATES.some((t) => t.name === template)) {
    throw new ReviseError(`No such template '${template}' (see 'revise list-templates')`);
  }
  const dirArg = options.directory ?? DEFAULT_DIRECTORY;
  const directory = resolve(cwd, dirArg);
  if (await isNonEmptyDirectory(directory)) {
    // A schema beside its Prisma Migrate history (`prisma/schema.prisma`, `prisma/migrations/`) has that name taken.
    const prisma = existsSync(join(directory, 'migration_lock.toml'));
    throw new ReviseError(
      `Directory ${directory} already exists and is not empty` +
        (prisma ? `: it is Prisma Migrate's history; give revise a folder of its own (revise init revisions), then revise import-prisma` : ''),
    );
  }

  const status = async (what: string, action: () => Promise<unknown>) => {
    await action();
    out(`  ${what} ...  done`);
  };

  await status(`Creating directory '${directory}'`, () => mkdir(directory, { recursive: true }));
  // One revision stream for every template: multidb revisions carry a function pair per database.
  const versions = join(directory, 'versions');
  await status(`Creating directory '${versions}'`, () => mkdir(versions, { recursive: true }));
  const versionPaths = [versions];
  const databases = options.databases ?? ['engine1', 'engine2'];
  for (const name of databases) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ReviseError(`Database name '${name}' must be an identifier (letters, digits, _)`);
  }
  const readme = template === 'generic' ? GENERIC_README : multidbReadme(databases);
  const readmePath = join(directory, 'README');
  await status(`Generating ${readmePath}`, () => writeFile(readmePath, readme));

  // package.json records the layout only when it differs from what revise assumes anyway.
  const relDir = toPosix(relative(cwd, directory)) || '.';
  let packageJsonUpdated = false;
  const migrations = relDir !== DEFAULT_DIRECTORY ? { migrations: isAbsolute(relDir) ? directory : relDir } : {};
  if (template === 'multidb') {
    const dbs: Record<string, { url: string; schema: string }> = {};
    for (const name of databases) dbs[name] = { url: `${name.toUpperCase()}_DATABASE_URL`, schema: `prisma/${name}.prisma` };
    packageJsonUpdated = await updatePackageJson(cwd, { ...migrations, databases: dbs }, out);
  } else if (relDir !== DEFAULT_DIRECTORY) {
    packageJsonUpdated = await updatePackageJson(cwd, migrations, out);
  }
  return { directory, versionPaths, packageJsonUpdated };
}

/** Alembic's `list_templates`. */
export async function listTemplates(options: ActionOptions = {}): Promise<Template[]> {
  const { out } = resolveIO(options);
  out('Available templates:\n');
  for (const t of TEMPLATES) out(`${t.name} - ${t.description}`);
  out("\nTemplates are used via the 'init' command, e.g.:\n");
  out('  revise init --template generic ./migrations');
  return TEMPLATES;
}

async function isNonEmptyDirectory(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ReviseError(`${path} exists and is not a folder`);
    throw error;
  }
}

/** Merge `settings` into package.json#revise, keeping the file's indentation. Creates a minimal package.json when there is none. */
async function updatePackageJson(cwd: string, settings: Record<string, unknown>, out: (line: string) => void): Promise<boolean> {
  const path = join(cwd, 'package.json');
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let pkg: Record<string, unknown>;
  try {
    pkg = text === undefined ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch (error) {
    throw new ReviseError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  const existing = typeof pkg.revise === 'object' && pkg.revise !== null ? (pkg.revise as Record<string, unknown>) : {};
  pkg.revise = { ...existing, ...settings };
  const indent = text ? (/^\{\s*\n([ \t]+)/.exec(text)?.[1] ?? '  ') : '  ';
  await writeFile(path, `${JSON.stringify(pkg, null, indent)}\n`);
  out(`  Updating ${path} (revise settings) ...  done`);
  return true;
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}
