import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ReviseError } from '../errors.js';

/** One folder of a Prisma Migrate history: `<migrations>/<name>/migration.sql`. */
export interface PrismaMigration {
  /** The folder name, as Prisma records it in `_prisma_migrations.migration_name`. */
  name: string;
  /** migration.sql as written. */
  sql: string;
  /** Prisma's checksum: the SHA-256 of migration.sql, lower-case hex (`_prisma_migrations.checksum`). */
  checksum: string;
}

export interface PrismaMigrationsFolder {
  dir: string;
  /** `provider` of migration_lock.toml, when the folder has one. */
  provider?: string;
  migrations: PrismaMigration[];
}

/** Prisma's checksum of a migration script: SHA-256 of its bytes, hex. */
export function prismaChecksum(sql: string | Buffer): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * The history in Prisma's order: every sub-folder, sorted by name byte for
 * byte (Prisma sorts the directory entries by file name), each with its
 * migration.sql. Files beside the folders (migration_lock.toml) are not
 * migrations; a folder without migration.sql is an error, as it is to Prisma.
 */
export function readMigrationsFolder(dir: string): PrismaMigrationsFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ReviseError(`No Prisma migrations folder at ${dir} (give its path: revise import-prisma <path>)`);
  }
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const migrations = names.map((name): PrismaMigration => {
    const file = path.join(dir, name, 'migration.sql');
    if (!existsSync(file)) throw new ReviseError(`Prisma migration ${name} has no migration.sql (${file})`);
    const bytes = readFileSync(file);
    return { name, sql: bytes.toString('utf8'), checksum: prismaChecksum(bytes) };
  });
  const folder: PrismaMigrationsFolder = { dir, migrations };
  const lock = path.join(dir, 'migration_lock.toml');
  if (existsSync(lock)) {
    const provider = /^\s*provider\s*=\s*"([^"]+)"/m.exec(readFileSync(lock, 'utf8'))?.[1];
    if (provider) folder.provider = provider;
  }
  return folder;
}

/**
 * Where the project's Prisma migrations are, as Prisma finds them:
 * prisma.config.ts `migrations.path`, else `migrations/` next to the schema
 * (for a multi-file schema folder: inside it, else beside it).
 */
export async function findMigrationsFolder(project: { root: string; schemaPath?: string; prismaConfigPath?: string }): Promise<string> {
  if (project.prismaConfigPath) {
    const { readMigrationsPathSetting } = await import('../config/prisma-config.js');
    const configured = await readMigrationsPathSetting(project.prismaConfigPath, project.root);
    if (configured) return configured;
  }
  const schema = project.schemaPath;
  if (!schema) {
    const fallback = path.join(project.root, 'prisma', 'migrations');
    if (existsSync(fallback)) return fallback;
    throw new ReviseError(`No Prisma schema found in ${project.root}, so no migrations folder next to it: give its path (revise import-prisma <path>)`);
  }
  if (!statSync(schema).isDirectory()) return path.join(path.dirname(schema), 'migrations');
  // Prisma 6 puts them inside the schema folder; the preview feature before it, beside it.
  const inside = path.join(schema, 'migrations');
  const beside = path.join(path.dirname(schema), 'migrations');
  return !existsSync(inside) && existsSync(beside) ? beside : inside;
}
