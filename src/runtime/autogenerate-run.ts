import { isAbsolute, resolve } from 'node:path';
import type { AutogenerateResult, CompareOptions } from '../autogenerate/index.js';
import { requireSchemaPath } from '../config/project.js';
import { ReviseError } from '../errors.js';
import type { DatabaseModel } from '../model/types.js';
import type { IgnoredObjects } from '../schema/to-model.js';
import type { MigrationEnv } from './runner.js';
import { VERSION_TABLE, VersionTable } from './version-table.js';

/** Prisma Migrate's own bookkeeping table: never compared, never dropped. */
const PRISMA_MIGRATIONS_TABLE = '_prisma_migrations';

export interface AutogenerateRunOptions {
  /** Prisma schema path (file or folder); default: the project's. */
  schema?: string;
  /** Renames decided by the caller (never guessed). */
  renames?: CompareOptions['renames'];
}

export interface AutogenerateRun extends AutogenerateResult {
  provider: 'sqlite' | 'postgresql';
  /** The live database as introspected. */
  current: DatabaseModel;
  /** What the Prisma schema asks for. */
  target: DatabaseModel;
  /** Objects Prisma creates but the DMMF hides; autogenerate leaves them alone. */
  ignored: IgnoredObjects;
}

/**
 * Alembic's `revision --autogenerate`: the Prisma schema (target) against the
 * live database (current). Refuses, like Alembic, when the database is not at
 * the head revisions: the difference would repeat what pending revisions do.
 */
export async function computeAutogenerate(env: MigrationEnv, options: AutogenerateRunOptions = {}): Promise<AutogenerateRun> {
  const [{ loadSchema }, { schemaToModel }, { autogenerate }] = await Promise.all([
    import('../schema/load.js'),
    import('../schema/to-model.js'),
    import('../autogenerate/index.js'),
  ]);
  const { dialect } = env;
  const loaded = await loadSchema(schemaPathFor(env, options.schema));
  if (loaded.provider !== dialect.name) {
    throw new ReviseError(
      `The Prisma schema's datasource provider is "${loaded.provider}" but the database URL is for ${dialect.name}`,
    );
  }
  const { model: wanted, ignored } = schemaToModel(loaded, dialect.typeMap);
  const excludeTables = [VERSION_TABLE, PRISMA_MIGRATIONS_TABLE, ...env.project.excludeTables];
  // Excluded tables are invisible on both sides (Alembic's include_object).
  const target: DatabaseModel = { ...wanted, tables: wanted.tables.filter((t) => !excludeTables.includes(t.name)) };
  const schemas = loaded.schemas ?? env.schemas;

  const connection = await dialect.connect(env.url, schemas ? { schemas } : undefined);
  let current: DatabaseModel;
  try {
    const heads = await new VersionTable(connection).read();
    const expected = env.scripts.headIds;
    if (!sameSet(heads, expected)) throw new ReviseError('Target database is not up to date.');
    current = await dialect.introspect(connection, {
      ...(schemas ? { schemas } : {}),
      excludeTables,
    });
  } finally {
    await connection.close();
  }

  const result = autogenerate(current, target, {
    preferBatch: dialect.preferBatch,
    keep: ignored,
    ...(options.renames ? { renames: options.renames } : {}),
  });
  return { ...result, provider: dialect.name, current, target, ignored };
}

/**
 * An explicit path wins; a relative one was already resolved against the
 * working directory by openMigrationEnv (same --schema), so use that result.
 */
function schemaPathFor(env: MigrationEnv, schema: string | undefined): string {
  if (schema && isAbsolute(schema)) return schema;
  if (env.project.schemaPath) return env.project.schemaPath;
  return schema ? resolve(schema) : requireSchemaPath(env.project);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}
