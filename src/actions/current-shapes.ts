import type { FrozenTables } from '../data/frozen.js';
import { maskUrl } from '../errors.js';
import type { MigrationEnv } from '../runtime/runner.js';

/**
 * The tables of the database as a new hand-written revision's data hooks
 * will find them, so `revision` without `--autogenerate` still writes typed
 * hooks. Only when the database is at exactly the revisions the new one
 * builds on (any other state would freeze the wrong shapes); otherwise, or
 * when it cannot be read, undefined and a line saying why. Reads only: a
 * missing SQLite file is not created.
 */
export async function currentShapes(env: MigrationEnv, parents: readonly string[], log: (line: string) => void): Promise<FrozenTables | undefined> {
  const note = (why: string) => log(`INFO  [revise.revision] Table shapes not frozen (UpgradeTables is left empty): ${why}.`);
  const [{ VERSION_TABLE, VersionTable }, { PRISMA_MIGRATIONS_TABLE }, { freezeTables }, { qualifiedName }] = await Promise.all([
    import('../runtime/version-table.js'),
    import('../runtime/prisma-migrate.js'),
    import('../data/frozen.js'),
    import('../model/types.js'),
  ]);
  let connection;
  try {
    connection = await env.dialect.connect(env.url, { ...(env.schemas ? { schemas: env.schemas } : {}), access: 'read' });
  } catch (err) {
    note(`could not open ${maskUrl(env.url)} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    return undefined;
  }
  try {
    const heads = await new VersionTable(connection).read();
    if (heads.length !== parents.length || !heads.every((h) => parents.includes(h))) {
      note(`the database is at ${heads.length > 0 ? heads.join(', ') : 'base'}, the new revision builds on ${parents.length > 0 ? parents.join(', ') : 'base'}`);
      return undefined;
    }
    const model = await env.dialect.introspect(connection, {
      ...(env.schemas ? { schemas: env.schemas } : {}),
      excludeTables: [VERSION_TABLE, PRISMA_MIGRATIONS_TABLE, ...env.project.excludeTables],
    });
    const frozen = freezeTables(model, new Set(model.tables.map(qualifiedName)), env.dialect.name);
    return frozen.tables.length > 0 ? frozen : undefined;
  } catch (err) {
    note(err instanceof Error ? err.message.split('\n')[0]! : String(err));
    return undefined;
  } finally {
    await connection.close();
  }
}
