import { resolve } from 'node:path';
import { ReviseError } from '../errors.js';
import type { ImportPrismaResult } from '../prisma-import/import.js';
import { resolveIO, type ActionOptions } from './context.js';
import { openEnv, readDatabases } from './scripts.js';

export interface ImportPrismaOptions extends ActionOptions {
  /** The Prisma migrations folder; default: prisma.config.ts `migrations.path`, else `migrations/` next to the schema. */
  path?: string;
  /** Confirm each generated downgrade by running it on the scratch database (default true). */
  verify?: boolean;
}

/**
 * `revise import-prisma`: turn a Prisma Migrate history into revisions, each
 * running its migration.sql as Prisma would, with a downgrade revise
 * generates; a second run imports only the migrations added since.
 */
export async function importPrisma(options: ImportPrismaOptions = {}): Promise<ImportPrismaResult> {
  const { cwd, out, log } = resolveIO(options);
  if (readDatabases(cwd)) throw new ReviseError('import-prisma works on a single-database project (this one has package.json#revise.databases)');
  const env = await openEnv(options);
  const [{ findMigrationsFolder }, { importPrismaHistory }] = await Promise.all([
    import('../prisma-import/migrations.js'),
    import('../prisma-import/import.js'),
  ]);
  const migrationsDir = options.path !== undefined ? resolve(cwd, options.path) : await findMigrationsFolder(env.project);
  const result = await importPrismaHistory({
    project: env.project,
    dialect: env.dialect,
    url: env.url,
    scripts: env.scripts,
    migrationsDir,
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    log,
  });
  for (const r of result.imported) out(`  Generating ${r.path} ...  done`);
  if (result.imported.length > 0) {
    const unverified = result.imported.filter((r) => r.unverified).length;
    const irreversible = result.imported.filter((r) => r.irreversible).length;
    log(
      `INFO  [revise.import] Imported ${result.imported.length} Prisma migration(s) from ${result.dir}` +
        (result.alreadyImported > 0 ? ` after the ${result.alreadyImported} imported before` : '') +
        `; downgrades confirmed on a replay: ${result.imported.length - unverified - irreversible}` +
        (irreversible > 0 ? `, irreversible: ${irreversible}` : '') +
        (unverified > 0 ? `, NOT confirmed: ${unverified} (see the WARNING in each file)` : '') +
        '.',
    );
  }
  return result;
}
